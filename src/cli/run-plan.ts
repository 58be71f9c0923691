/** The compile step of `run`: suites → rendered cases → one batch plan, with --models/--repeat. */
import { planBatches, type SuiteCases } from "../compile/plan-batches.js";
import type { BatchPlan } from "../compile/types.js";
import { requirePrice } from "../cost/pricing.js";
import { expandSuite } from "../suite/expand.js";
import type { EvalCase, Suite } from "../suite/types.js";
import type { Project } from "./load-project.js";

export interface CompiledRun {
  plan: BatchPlan;
  /** Rendered cases by `caseKey(suite, caseId)`. */
  cases: Map<string, EvalCase>;
  /** Models in the order they were first named. */
  modelOrder: string[];
}

export function caseKey(suite: string, caseId: string): string {
  return `${suite}\u0000${caseId}`;
}

export interface CompileOverrides {
  modelOverride: string[] | undefined;
  repeatOverride: number | undefined;
}

/** Expands and compiles the suites; throws `unknown_model` for a model without a price. */
export function compileRun(
  suites: readonly Suite[],
  project: Project,
  { modelOverride, repeatOverride }: CompileOverrides,
): CompiledRun {
  const cases = new Map<string, EvalCase>();
  const entries: SuiteCases[] = suites.map((suite) => {
    const expanded = expandSuite(suite).map((c) =>
      repeatOverride === undefined ? c : { ...c, repeat: repeatOverride },
    );
    for (const c of expanded) cases.set(caseKey(c.suite, c.caseId), c);
    const models =
      modelOverride ?? (suite.models.length > 0 ? suite.models : project.config.models);
    return { suite: suite.name, models, cases: expanded };
  });
  const modelOrder = [...new Set(entries.flatMap((e) => e.models))];
  for (const model of modelOrder) requirePrice(project.pricing, model);
  return { plan: planBatches(entries), cases, modelOrder };
}
