/**
 * The selection rule (docs/design.md, decision 8): the cheapest model, by the batch cost actually
 * billed (`batchCached`), that meets every suite's threshold. Pure.
 */
import type { ModelSummary, Recommendation } from "./types.js";

function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

function usd(amount: number): string {
  return `$${amount.toFixed(amount < 1 ? 4 : 2)}`;
}

/** Why a model does not pass: its first failing suite. */
function shortfall(model: ModelSummary): string {
  const failing = model.suites.find((s) => !s.passes);
  if (failing === undefined) return `${model.model}: no graded results`;
  const graded = failing.counts.passed + failing.counts.failed;
  if (graded === 0) return `${model.model}: every result on ${failing.suite} errored`;
  return `${model.model} ${percent(failing.passRate)} on ${failing.suite}`;
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
  return {
    model: best.model,
    reason: `cheapest model that meets every threshold: ${percent(best.passRate)} pass rate for ${usd(best.cost.batchCached)} in batch${others}${caveat}`,
  };
}
