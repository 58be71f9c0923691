/** The compile step of a run: suites → rendered cases → one batch plan, with --models/--repeat. */
import { planBatches, type SuiteCases } from "../compile/plan-batches.js";
import type { BatchPlan } from "../compile/types.js";
import { requirePrice } from "../cost/pricing.js";
import { BatchevalError } from "../errors.js";
import { retirementNotice } from "../models/retirement.js";
import { fileLocation, formatLocation } from "../source/diagnostics.js";
import type { Diagnostic } from "../source/types.js";
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

/** `--models` and `--repeat`: they replace every suite's own models and repeat. */
export interface CompileOverrides {
  models?: readonly string[] | undefined;
  repeat?: number | undefined;
}

/**
 * Expands and compiles the suites; throws `unknown_model` for a model without a price, and
 * `bad_input` for a retired model named by `--models` (a suite naming one has already failed
 * to load). A `--models` model that retires within 30 days becomes a warning of the plan.
 */
export function compileRun(
  suites: readonly Suite[],
  project: Project,
  overrides: CompileOverrides,
): CompiledRun {
  const repeatOverride = overrides.repeat;
  const modelOverride =
    overrides.models !== undefined && overrides.models.length > 0 ? overrides.models : undefined;
  const cases = new Map<string, EvalCase>();
  const entries: SuiteCases[] = suites.map((suite) => {
    const expanded = expandSuite(suite).map((c) =>
      repeatOverride === undefined ? c : { ...c, repeat: repeatOverride },
    );
    for (const c of expanded) {
      if (repeatOverride !== undefined) checkRepeatOverride(c, repeatOverride);
      cases.set(caseKey(c.suite, c.caseId), c);
    }
    const models =
      modelOverride ?? (suite.models.length > 0 ? suite.models : project.config.models);
    return { suite: suite.name, models, cases: expanded };
  });
  const modelOrder = [...new Set(entries.flatMap((e) => e.models))];
  const notices = checkOverrideModels(modelOverride ?? [], project.today);
  for (const model of modelOrder) requirePrice(project.pricing, model);
  const plan = planBatches(entries);
  return { plan: { ...plan, diagnostics: [...notices, ...plan.diagnostics] }, cases, modelOrder };
}

/** `--repeat N` below a case's `pass: {at_least: k}` would make the case impossible to pass. */
function checkRepeatOverride(evalCase: EvalCase, repeat: number): void {
  const rule = evalCase.pass;
  if (rule === undefined || !("atLeast" in rule) || rule.atLeast <= repeat) return;
  throw new BatchevalError(
    "bad_input",
    `--repeat ${repeat}: case '${evalCase.caseId}' of suite '${evalCase.suite}' needs pass: {at_least: ${rule.atLeast}} (${formatLocation(rule.source)})`,
    {
      hint: `give --repeat ${rule.atLeast} or more, or leave --repeat out to use the suite's repeat`,
    },
  );
}

/** `--models` on the command line: a retired model is an error, one retiring soon a warning. */
function checkOverrideModels(models: readonly string[], today: string): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  for (const model of models) {
    const notice = retirementNotice(model, today);
    if (notice === undefined) continue;
    if (notice.severity === "error") {
      throw new BatchevalError("bad_input", `--models: ${notice.message}`, { hint: notice.hint });
    }
    const { message, hint } = notice;
    warnings.push({ ...fileLocation("--models"), severity: "warning", message, hint });
  }
  return warnings;
}
