/**
 * The exact value behind a CostFigures. Each CostFigures made by this folder carries its four
 * amounts as femto-USD bigints under a non-enumerable symbol key: JSON.stringify, object spread
 * and `toEqual` ignore it, so the public shape stays four plain USD numbers, while
 * {@link exactOf} and `sumCosts` get the exact amounts back and never add floats.
 *
 * A CostFigures that lost its exact value (rebuilt with a spread, or read back from report.json)
 * still works: {@link exactOf} converts its numbers to the nearest femto-USD.
 */
import { femtoToUsd, usdToFemto } from "./exact-money.js";
import type { CostFigures } from "./types.js";

/** The four cost figures in femto-USD (1e-15 USD), exact. */
export interface ExactCost {
  readonly standard: bigint;
  readonly standardCached: bigint;
  readonly batch: bigint;
  readonly batchCached: bigint;
}

const EXACT = Symbol("batcheval.exactCost");

/** The exact zero. */
export const ZERO_EXACT: ExactCost = Object.freeze({
  standard: 0n,
  standardCached: 0n,
  batch: 0n,
  batchCached: 0n,
});

/** USD figures for an exact cost; the result carries `exact` for later exact sums. */
export function costFromExact(exact: ExactCost): CostFigures {
  const cost: CostFigures = {
    standard: femtoToUsd(exact.standard),
    standardCached: femtoToUsd(exact.standardCached),
    batch: femtoToUsd(exact.batch),
    batchCached: femtoToUsd(exact.batchCached),
  };
  Object.defineProperty(cost, EXACT, { value: exact, enumerable: false });
  return cost;
}

/**
 * The exact femto-USD amounts of a cost: the carried value when present, else its USD numbers
 * rounded to the nearest femto-USD. That fallback is exact for amounts below 1 USD (at most 15
 * significant digits survive a round trip through a double) and may be off by a few femto-USD
 * above.
 */
export function exactOf(cost: CostFigures): ExactCost {
  const carried: unknown = Reflect.get(cost, EXACT);
  if (isExactCost(carried)) return carried;
  return {
    standard: usdToFemto(cost.standard),
    standardCached: usdToFemto(cost.standardCached),
    batch: usdToFemto(cost.batch),
    batchCached: usdToFemto(cost.batchCached),
  };
}

/** Adds two exact costs. */
export function addExact(a: ExactCost, b: ExactCost): ExactCost {
  return {
    standard: a.standard + b.standard,
    standardCached: a.standardCached + b.standardCached,
    batch: a.batch + b.batch,
    batchCached: a.batchCached + b.batchCached,
  };
}

function isExactCost(value: unknown): value is ExactCost {
  return (
    typeof value === "object" && value !== null && typeof Reflect.get(value, "batch") === "bigint"
  );
}
