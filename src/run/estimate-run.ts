/**
 * A run up to its estimate, as a library call: load and compile exactly as runEval does, then
 * price the plan (per model: requests, estimated tokens, the cost range) and decide each
 * model's cache warm-up. Submits nothing.
 */
import type { BatchPlan } from "../compile/types.js";
import type { WorkloadEstimate } from "../cost/calculator.js";
import { estimatePlan, type PlanEstimate } from "../cost/estimate.js";
import { type Measured, measuredEstimate } from "../cost/measured.js";
import { requirePrice } from "../cost/pricing.js";
import type { PricingTable } from "../cost/types.js";
import { planWarmup, type WarmupPlan } from "../cost/warmup-plan.js";
import { GraderRegistry } from "../grade/registry.js";
import type { Report } from "../report/types.js";
import type { Diagnostic } from "../source/types.js";
import { compileRun } from "./compile-run.js";
import { graderCacheWarnings, graderPlans, graderSource } from "./grader-questions.js";
import { type RunIo, runIo, todayOf } from "./io.js";
import { loadProject, throwOnErrors } from "./load-project.js";
import { checkGiven } from "./options.js";
import { readReportAt } from "./read-report.js";
import type { RunEvalOptions } from "./run-eval.js";

export interface EstimateRunOptions
  extends Pick<RunEvalOptions, "paths" | "config" | "models" | "repeat" | "graders"> {
  /**
   * A previous run's report.json (or run directory): estimate with its measured output tokens
   * and cache hit rate per model, beside the worst case.
   */
  from?: string;
}

/** The estimate from a previous run's measurements (see cost/measured.ts). */
export interface MeasuredEstimates {
  /** The run they were measured in. */
  runId: string;
  /** The model that run recommended (the cheapest that passed), or null. */
  recommended: string | null;
  models: (
    | { model: string; measured: Measured; estimate: WorkloadEstimate }
    | { model: string; missing: true }
  )[];
}

export interface EstimateRunResult {
  plan: BatchPlan;
  estimate: PlanEstimate;
  /** Each model's warm-up decision. */
  warmups: Map<string, WarmupPlan>;
  /** What loading and compiling noticed (warnings only: errors throw). */
  diagnostics: Diagnostic[];
  /** The prices the estimate used (the bundled ones with the config's overrides). */
  pricing: PricingTable;
  /** With `from`: the estimate on the measured figures. */
  measured?: MeasuredEstimates;
}

/** What a report measured on each model: mean output tokens and the cache hit rate. */
export function measuredIn(report: Report): Map<string, Measured> {
  const outputs = new Map<string, { tokens: number; results: number }>();
  for (const r of report.results) {
    if (r.usage === null) continue;
    const o = outputs.get(r.model) ?? { tokens: 0, results: 0 };
    o.tokens += r.usage.output_tokens;
    o.results++;
    outputs.set(r.model, o);
  }
  const measured = new Map<string, Measured>();
  for (const m of report.models) {
    const o = outputs.get(m.model);
    if (o === undefined || o.results === 0) continue;
    measured.set(m.model, {
      outputTokensPerRequest: o.tokens / o.results,
      cacheHitRate: m.cacheHitRate,
    });
  }
  return measured;
}

const NOTHING_ESTIMATED = "Nothing was estimated. Fix the errors above and run again.";

/** Estimates what runEval would submit; throws `invalid_suite` with the diagnostics on errors. */
export async function estimateRun(
  options: EstimateRunOptions = {},
  partialIo: Partial<RunIo> = {},
): Promise<EstimateRunResult> {
  const io = runIo(partialIo);
  checkGiven(options);
  const graders = new GraderRegistry(options.graders);
  const project = await loadProject(options.paths ?? [], io.cwd, options.config, {
    today: todayOf(io),
    graders,
  });
  throwOnErrors(project.diagnostics, NOTHING_ESTIMATED);
  const { plan, cases } = compileRun(project.suites, project, options);
  const diagnostics = [...project.diagnostics, ...plan.diagnostics];
  throwOnErrors(diagnostics, NOTHING_ESTIMATED);
  const questions = graderPlans(plan, cases, graders);
  diagnostics.push(...graderCacheWarnings(questions, graderSource(project)));
  const estimate = estimatePlan(plan, project.pricing, questions);
  const warmups = new Map(
    plan.models.map(({ model, requests }) => [
      model,
      planWarmup(requests, requirePrice(project.pricing, model)),
    ]),
  );
  const { pricing } = project;
  if (options.from === undefined) return { plan, estimate, warmups, diagnostics, pricing };
  const report = await readReportAt(io.cwd, options.from);
  const figures = measuredIn(report);
  const models = estimate.models.map((m) => {
    const measured = figures.get(m.model);
    if (measured === undefined) return { model: m.model, missing: true as const };
    const price = requirePrice(project.pricing, m.model);
    return { model: m.model, measured, estimate: measuredEstimate(m, measured, price) };
  });
  const measuredEstimates = {
    runId: report.runId,
    recommended: report.recommendation.model,
    models,
  };
  return { plan, estimate, warmups, diagnostics, pricing, measured: measuredEstimates };
}
