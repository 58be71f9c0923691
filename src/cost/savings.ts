/**
 * Where the saving of a batch run comes from. Against the synchronous standard price with no
 * caching (`standard`), what was billed (`batchCached`) is lower by two steps taken in order:
 * the batch discount (`standard − batch`, half of every category) and then caching at batch
 * rates (`batch − batchCached`: cache reads at a tenth of input, less the cache writes, which
 * cost more than input; negative when the writes cost more than the reads saved). The two add
 * up to the whole saving, exactly. Pure.
 */
import { exactOf } from "./exact-cost.js";
import { femtoToUsd } from "./exact-money.js";
import type { CostFigures } from "./types.js";

/** A saving split into its causes, in USD and exactly in femto-USD (decimal strings). */
export interface Savings {
  /** standard − batchCached. */
  total: number;
  /** standard − batch. */
  batchDiscount: number;
  /** batch − batchCached. */
  caching: number;
  femtoUsd: { total: string; batchDiscount: string; caching: string };
}

export function savingsOf(cost: CostFigures): Savings {
  const exact = exactOf(cost);
  const total = exact.standard - exact.batchCached;
  const batchDiscount = exact.standard - exact.batch;
  const caching = exact.batch - exact.batchCached;
  return {
    total: femtoToUsd(total),
    batchDiscount: femtoToUsd(batchDiscount),
    caching: femtoToUsd(caching),
    femtoUsd: {
      total: total.toString(),
      batchDiscount: batchDiscount.toString(),
      caching: caching.toString(),
    },
  };
}
