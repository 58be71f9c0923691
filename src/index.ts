/**
 * batcheval's public library API: the pipeline stages as plain functions, the simulator, and
 * the types they exchange. The CLI (`batcheval`) is built on exactly these.
 */

export { buildRequest, cachePrefix } from "./compile/build-request.js";
export {
  CUSTOM_ID_PATTERN,
  customIdFor,
  runCustomId,
  runTag,
  tagPlan,
} from "./compile/custom-id.js";
export { chunkRequests, planBatches, type SuiteCases } from "./compile/plan-batches.js";
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
export { priceUsage, sumCosts, type UsageLike } from "./cost/price-usage.js";
export { parsePricing, requirePrice, withOverrides } from "./cost/pricing.js";
export type { CostFigures, ModelPrice, PricingTable } from "./cost/types.js";
export { planWarmup, type WarmupPlan } from "./cost/warmup-plan.js";
export { BatchevalError, type ErrorCode, ExitCode } from "./errors.js";
export { gradeAssertion, gradeCase } from "./grade/grade-case.js";
export { assertionTypes, checkAssertion } from "./grade/registry.js";
export type { AssertionResult, CaseGrade, GradeResult, Grader } from "./grade/types.js";
export { buildRecord } from "./report/build-records.js";
export { renderHtml } from "./report/render-html.js";
export { renderJson } from "./report/render-json.js";
export { renderTerminal } from "./report/render-terminal.js";
export { summarize } from "./report/summarize.js";
export type {
  BatchRecord,
  ModelSummary,
  Outcome,
  Recommendation,
  Report,
  ResultRecord,
} from "./report/types.js";
export { REPORT_SCHEMA_VERSION } from "./report/types.js";
export { loadPricing } from "./run/load-pricing.js";
export { chooseBackend } from "./runner/backend.js";
export { ResultCache } from "./runner/result-cache.js";
export { collectedResults, runBatches } from "./runner/run-batches.js";
export type { BatchProgress, RunOptions } from "./runner/run-context.js";
export { type RunState, RunStore } from "./runner/run-store.js";
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
