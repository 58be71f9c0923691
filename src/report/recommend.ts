/**
 * The selection rule (docs/design.md, decision 8): the cheapest model, by the batch cost actually
 * billed (`batchCached`), that meets every suite's threshold. Pure.
 */
import { exactOf } from "../cost/exact-cost.js";
import { femtoToUsd } from "../cost/exact-money.js";
import type { ModelSummary, Recommendation, SuiteScore } from "./types.js";

function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

function usd(amount: number): string {
  return `$${amount.toFixed(amount < 1 ? 4 : 2)}`;
}

/** How a model misses one suite: its pass rate, or that nothing on it was graded. */
function miss(suite: SuiteScore): string {
  const trials = suite.trials ?? suite.counts;
  if (trials.passed + trials.failed === 0) return `${suite.suite}: every result errored`;
  return `${suite.suite} ${percent(suite.passRate)}`;
}

/** Why a model does not pass: every suite it misses, with its pass rate. */
export function shortfall(model: ModelSummary): string {
  const failing = model.suites.filter((s) => !s.passes);
  if (failing.length === 0) return `${model.model}: no graded results`;
  return `${model.model} misses ${failing.map(miss).join(", ")}`;
}

/** What choosing `best` saves against `dearest`, both passing: their billed costs' difference. */
function choiceSaving(
  best: ModelSummary,
  dearest: ModelSummary,
): NonNullable<Recommendation["saving"]> {
  const femto = exactOf(dearest.cost).batchCached - exactOf(best.cost).batchCached;
  return { against: dearest.model, usd: femtoToUsd(femto), femtoUsd: femto.toString() };
}

export function recommend(models: readonly ModelSummary[]): Recommendation {
  const passing = models
    .filter((m) => m.passes)
    .sort((a, b) => a.cost.batchCached - b.cost.batchCached || b.passRate - a.passRate);
  const best = passing[0];
  if (best === undefined) {
    const reasons = models.map(shortfall).join("; ");
    return {
      model: null,
      reason: `no model meets every suite's pass threshold (${reasons})`,
    };
  }
  const pricier = passing.slice(1).map((m) => `${m.model} ${usd(m.cost.batchCached)}`);
  const errored =
    best.counts.errored > 0
      ? `; ${best.counts.errored} of its results errored and are not counted`
      : "";
  const caveat = `${best.uncertain ? "; uncertain: its 95% interval crosses a threshold" : ""}${errored}`;
  const others = pricier.length > 0 ? ` (also passing: ${pricier.join(", ")})` : "";
  const failing = models.filter((m) => !m.passes).map(shortfall);
  const misses = failing.length > 0 ? `; not passing: ${failing.join("; ")}` : "";
  const dearest = passing.at(-1);
  return {
    ...(dearest === undefined || dearest === best ? {} : { saving: choiceSaving(best, dearest) }),
    model: best.model,
    reason: `cheapest model that meets every threshold: ${percent(best.passRate)} pass rate for ${usd(best.cost.batchCached)} in batch${others}${caveat}${misses}`,
  };
}
