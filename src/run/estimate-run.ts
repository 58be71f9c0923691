/**
 * A run up to its estimate, as a library call: load and compile exactly as runEval does, then
 * price the plan (per model: requests, estimated tokens, the cost range) and decide each
 * model's cache warm-up. Submits nothing.
 */
import type { BatchPlan } from "../compile/types.js";
import { estimatePlan, type PlanEstimate } from "../cost/estimate.js";
import { requirePrice } from "../cost/pricing.js";
import { planWarmup, type WarmupPlan } from "../cost/warmup-plan.js";
import { GraderRegistry } from "../grade/registry.js";
import type { Diagnostic } from "../source/types.js";
import { compileRun } from "./compile-run.js";
import { graderPlans } from "./grader-questions.js";
import { type RunIo, runIo, todayOf } from "./io.js";
import { loadProject, throwOnErrors } from "./load-project.js";
import { checkGiven } from "./options.js";
import type { RunEvalOptions } from "./run-eval.js";

export type EstimateRunOptions = Pick<
  RunEvalOptions,
  "paths" | "config" | "models" | "repeat" | "graders"
>;

export interface EstimateRunResult {
  plan: BatchPlan;
  estimate: PlanEstimate;
  /** Each model's warm-up decision. */
  warmups: Map<string, WarmupPlan>;
  /** What loading and compiling noticed (warnings only: errors throw). */
  diagnostics: Diagnostic[];
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
  const estimate = estimatePlan(plan, project.pricing, graderPlans(plan, cases, graders));
  const warmups = new Map(
    plan.models.map(({ model, requests }) => [
      model,
      planWarmup(requests, requirePrice(project.pricing, model)),
    ]),
  );
  return { plan, estimate, warmups, diagnostics };
}
