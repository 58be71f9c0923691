/**
 * batcheval's public library API: a whole run (`runEval`) or its estimate (`estimateRun`), the
 * pipeline stages as plain functions, the simulator, and the types they exchange. The CLI
 * (`batcheval`) is built on exactly these.
 */

export { buildRequest, cachePrefix } from "./compile/build-request.js";
export {
  CUSTOM_ID_PATTERN,
  customIdFor,
  runCustomId,
  runTag,
  tagPlan,
} from "./compile/custom-id.js";
export { planBatches, type SuiteCases } from "./compile/plan-batches.js";
export type { BatchLimits, BatchPlan, CompiledRequest, ModelPlan } from "./compile/types.js";
export { loadConfig } from "./config/load-config.js";
export type { BackendName, PriceOverride, ProjectConfig } from "./config/types.js";
export {
  type CostRange,
  estimatePlan,
  type ModelEstimate,
  type PlanEstimate,
  worstCaseBatchCost,
} from "./cost/estimate.js";
export { addCosts, type Cost, costOf, type FemtoUsd } from "./cost/exact-cost.js";
export { type PricedResult, priceResult, type UsageRecord } from "./cost/price-result.js";
export { priceCost, priceUsage, sumCosts, type UsageLike } from "./cost/price-usage.js";
export { parsePricing, requirePrice, withOverrides } from "./cost/pricing.js";
export type { CostFigures, ModelPrice, PricingTable } from "./cost/types.js";
export { planWarmup, type WarmupPlan } from "./cost/warmup-plan.js";
export { BatchevalError, type ErrorCode, ExitCode } from "./errors.js";
export { gradeAssertion, gradeCase } from "./grade/grade-case.js";
export { type GradeTarget, gradeResult } from "./grade/grade-result.js";
export { answerOf, questionHash } from "./grade/questions.js";
export {
  assertionTypes,
  checkAssertion,
  GraderRegistry,
  type GraderTable,
} from "./grade/registry.js";
export { outputText, resultError, toolCalls } from "./grade/result-output.js";
export {
  type AssertionResult,
  type CaseGrade,
  type Graded,
  type GradeResult,
  type Grader,
  type GraderAnswer,
  type GraderContext,
  type GraderQuestion,
  isPending,
  PENDING,
  type Pending,
  type ResultError,
} from "./grade/types.js";
export {
  type Comparison,
  compareReports,
  type GroupComparison,
  mcnemarExact,
  type ResultKey,
} from "./report/compare.js";
export { renderComparison } from "./report/render-compare.js";
export { renderHtml } from "./report/render-html.js";
export { renderJson, renderJsonChunks } from "./report/render-json.js";
export { renderJunit, renderJunitChunks } from "./report/render-junit.js";
export { renderSummary } from "./report/render-summary.js";
export { renderTerminal } from "./report/render-terminal.js";
export {
  chooseReporters,
  DEFAULT_REPORTERS,
  fileText,
  lookupReporter,
  REPORT_FILE,
  REPORTER_NAMES,
  REPORTERS,
  type Reporter,
  type ReporterLookup,
  type ReporterName,
  type ReportFile,
  SUMMARY_FILE,
} from "./report/reporters.js";
export { summarize } from "./report/summarize.js";
export type {
  BatchRecord,
  ModelSummary,
  Outcome,
  Recommendation,
  Report,
  ReportedResult,
  ResultRecord,
} from "./report/types.js";
export { REPORT_SCHEMA_VERSION } from "./report/types.js";
export { buildRecord, gradeAndPrice, type RecordInput } from "./run/build-record.js";
export {
  type EstimateRunOptions,
  type EstimateRunResult,
  estimateRun,
} from "./run/estimate-run.js";
export { type RunIo, runIo } from "./run/io.js";
export { loadPricing } from "./run/load-pricing.js";
export { RUN_OPTIONS, type RunFlags, type RunSettings } from "./run/options.js";
export { type RunEvalOptions, type RunEvalResult, runEval } from "./run/run-eval.js";
export { writeReports } from "./run/write-reports.js";
export { chooseBackend } from "./runner/backend.js";
export { batchesAt, sdkBatches } from "./runner/batch-api.js";
export type { BatchBackend } from "./runner/batch-port.js";
export { chunkRequests, requestBytes } from "./runner/chunk-requests.js";
export { ResultCache } from "./runner/result-cache.js";
export { collectedResults, type LaneRequests, runBatches } from "./runner/run-batches.js";
export type { BatchProgress, RunOptions, RunStage } from "./runner/run-context.js";
export {
  type Lane,
  type Purpose,
  type RunState,
  type RunStatus,
  RunStore,
} from "./runner/run-store.js";
export { type FixtureRule, loadFixtures, parseFixtures } from "./sim/fixtures.js";
export {
  ManualClock,
  parseFaults,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from "./sim/server.js";
export { formatDiagnostic, formatDiagnostics } from "./source/diagnostics.js";
export type { Diagnostic } from "./source/types.js";
export { expandSuite } from "./suite/expand.js";
export { loadSuites } from "./suite/load-suites.js";
export type { AssertionSpec, EvalCase, Suite, SuiteCase } from "./suite/types.js";
