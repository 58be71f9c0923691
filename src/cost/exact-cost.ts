/**
 * Exact money, in two forms.
 *
 * `Cost` is money as plain data, the form records and report.json hold: the four USD figures
 * (the report's contract, for display and comparison) and beside them `femtoUsd`, the same four
 * amounts as whole femto-USD (1e-15 USD) written as decimal integer strings. Every field is
 * enumerable, so a spread copy, `structuredClone` or a JSON round trip keeps the exact value,
 * and {@link addCosts} sums from it without adding a single float. Why this representation:
 *
 * - integers, because every amount the cost model makes is a whole number of femto-USD
 *   (exact-money.ts says why), so a sum is integer addition, with no rounding rule to agree on;
 * - strings, because a JSON number is a double: integers above 2^53 femto-USD (about 9 USD)
 *   would not survive a JSON reader;
 * - femto-USD integers rather than exact decimal USD text ("0.000675"), because summing them
 *   needs no decimal library and no parsing of a scale: `BigInt(s)` in JavaScript, `int(s)` in
 *   Python. The unit is in the name.
 *
 * The strings are the truth; the USD numbers are derived from them (the nearest double).
 *
 * `CostFigures` made by `priceUsage`, `sumCosts` and the estimate are the four USD numbers
 * only (their shape is pinned by their tests); they carry their `ExactCost` under a
 * non-enumerable symbol, for sums made in memory. A spread or JSON loses it, which is why
 * records use `Cost`. {@link exactOf} takes any of them: the symbol, else `femtoUsd`, else the
 * USD numbers rounded to the nearest femto-USD (exact below 1 USD per figure).
 */
import { femtoTextToUsd, femtoToUsd, usdToFemto } from "./exact-money.js";
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
 * The exact femto-USD amounts of a cost: the carried value when present, else its `femtoUsd`
 * (a Cost), else its USD numbers rounded to the nearest femto-USD. That last fallback is exact
 * for amounts below 1 USD (at most 15 significant digits survive a round trip through a
 * double) and may be off by a few femto-USD above. Throws on a `femtoUsd` that is not four
 * whole numbers, rather than guess.
 */
export function exactOf(cost: CostFigures): ExactCost {
  const carried: unknown = Reflect.get(cost, EXACT);
  if (isExactCost(carried)) return carried;
  const femto: unknown = Reflect.get(cost, "femtoUsd");
  if (femto !== undefined) return exactOfFemto(femto);
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

/** The four figures in whole femto-USD (1e-15 USD), as decimal integer strings. */
export interface FemtoUsd {
  standard: string;
  standardCached: string;
  batch: string;
  batchCached: string;
}

/** A cost as plain data: the four USD figures and their exact amounts (see the top of the file). */
export interface Cost extends CostFigures {
  /** The exact amounts; the USD figures are the nearest doubles to these. */
  femtoUsd: FemtoUsd;
}

const WHOLE = /^(0|[1-9]\d*)$/;

/** The plain Cost of exact amounts. */
export function plainCost(exact: ExactCost): Cost {
  // Each amount is written out once, for femtoUsd and for its USD figure.
  const femtoUsd: FemtoUsd = {
    standard: exact.standard.toString(),
    standardCached: exact.standardCached.toString(),
    batch: exact.batch.toString(),
    batchCached: exact.batchCached.toString(),
  };
  return {
    standard: femtoTextToUsd(femtoUsd.standard),
    standardCached: femtoTextToUsd(femtoUsd.standardCached),
    batch: femtoTextToUsd(femtoUsd.batch),
    batchCached: femtoTextToUsd(femtoUsd.batchCached),
    femtoUsd,
  };
}

/** The plain Cost of any cost figures, exact as {@link exactOf} gets them (a Cost: an equal copy). */
export function costOf(cost: CostFigures): Cost {
  return plainCost(exactOf(cost));
}

/** The exact zero as a plain Cost: errored, canceled and expired results are not billed. */
export const NO_COST: Cost = Object.freeze({
  ...plainCost(ZERO_EXACT),
  femtoUsd: Object.freeze(plainCost(ZERO_EXACT).femtoUsd),
});

/** Sums costs exactly, into a plain Cost (each read as {@link exactOf} reads it). */
export function addCosts(costs: Iterable<CostFigures>): Cost {
  let total = ZERO_EXACT;
  for (const cost of costs) total = addExact(total, exactOf(cost));
  return plainCost(total);
}

function exactOfFemto(femto: unknown): ExactCost {
  const read = (figure: keyof FemtoUsd): bigint => {
    const text: unknown =
      typeof femto === "object" && femto !== null ? Reflect.get(femto, figure) : undefined;
    if (typeof text !== "string" || !WHOLE.test(text)) {
      throw new Error(
        `femtoUsd.${figure} is ${JSON.stringify(text)}, not a whole number of femto-USD`,
      );
    }
    return BigInt(text);
  };
  return {
    standard: read("standard"),
    standardCached: read("standardCached"),
    batch: read("batch"),
    batchCached: read("batchCached"),
  };
}
