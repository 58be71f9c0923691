/**
 * The cost grader: this result's billed cost (batch price, with the caching that happened) is
 * at most the value in USD. Compared in exact femto-USD, so a cost equal to the limit passes.
 */
import { exactOf } from "../cost/exact-cost.js";
import { femtoToUsd, usdToFemto } from "../cost/exact-money.js";
import type { Grader } from "./types.js";

function checkCost(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return undefined;
  // promptfoo writes the limit as `threshold`; here `threshold` stays a minimum score.
  return `expects the most this result may cost, in USD, as its value (promptfoo's \`threshold\` is \`value\` here), got ${JSON.stringify(value) ?? "nothing"}`;
}

export const cost: Grader = {
  checkValue: checkCost,
  grade: (_output, value, context) => {
    const limit = usdToFemto(value as number);
    if (context.cost === undefined) {
      return { pass: false, score: 0, reason: "the result's cost is not known" };
    }
    const billed = exactOf(context.cost).batchCached;
    const pass = billed <= limit;
    return {
      pass,
      score: pass ? 1 : 0,
      reason: `batch cost ${femtoToUsd(billed)} USD (at most ${femtoToUsd(limit)} USD allowed)`,
    };
  },
};
