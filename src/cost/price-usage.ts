/**
 * The cost of one result from the `usage` the API returned (docs/design.md, decision 6: cost comes
 * from usage, never from the estimate), in four figures:
 *
 * - `standardCached`: synchronous prices with the caching that happened: input at the input
 *   price, 5-minute cache writes at cacheWrite5m, 1-hour writes at cacheWrite1h, reads at
 *   cacheRead, output at the output price;
 * - `standard`: synchronous prices with caching ignored: every prompt token (input + cache
 *   writes + cache reads) at the input price, output at the output price;
 * - `batch` and `batchCached`: the same at 50% of every category. `batchCached` is what a
 *   batch run is billed.
 *
 * A request whose prompt exceeds the model's band threshold (Haiku 5.5: 100,000 tokens) is
 * priced entirely, output included, at the band's prices, in all four figures. `inference_geo:
 * "us"` multiplies everything by 1.1 on models that support it. Amounts are exact: see
 * exact-money.ts and exact-cost.ts.
 */
import { BatchevalError } from "../errors.js";
import {
  addExact,
  type Cost,
  costFromExact,
  type ExactCost,
  exactOf,
  plainCost,
  ZERO_EXACT,
} from "./exact-cost.js";
import { divideExact, priceNumberToFemto } from "./exact-money.js";
import type { CostFigures, ModelPrice, PriceBand } from "./types.js";

/** The fields of the API's `usage` object that cost depends on (SDK 1.x `Usage`). */
export interface UsageLike {
  /** Uncached input after the last cache breakpoint. */
  input_tokens: number;
  /** Billed output, thinking included. */
  output_tokens: number;
  /** Cache writes, all TTLs (= the sum of the `cache_creation` buckets). */
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  /** Cache writes by TTL. */
  cache_creation?: {
    ephemeral_5m_input_tokens?: number | null;
    ephemeral_1h_input_tokens?: number | null;
  } | null;
  /** Where inference ran, e.g. "global" or "us". */
  inference_geo?: string | null;
}

/**
 * Zero in all four figures, exact. It is the cost of an errored, canceled or expired result:
 * those are not billed and carry no usage, so callers use this instead of calling priceUsage.
 */
export const ZERO_COST: CostFigures = Object.freeze(costFromExact(ZERO_EXACT));

/** Token counts by billing category. */
interface TokenCounts {
  input: bigint;
  output: bigint;
  write5m: bigint;
  write1h: bigint;
  read: bigint;
}

/** Prices of one band in femto-USD per token. */
type FemtoBand = Record<keyof PriceBand, bigint>;

/** Memo of femto conversions; keyed by the (immutable) band object. */
const femtoCache = new WeakMap<PriceBand, FemtoBand>();

/**
 * Prices one result's usage. The returned figures carry their exact value, so `sumCosts` over
 * them is exact. Throws BatchevalError("bad_input") on token counts that are not
 * non-negative integers.
 */
/** The multiplier of `inference_geo: "us"` on every category (applied exactly, as 11/10). */
export const US_GEO_MULTIPLIER = 1.1;

export function priceUsage(usage: UsageLike, price: ModelPrice): CostFigures {
  return costFromExact(priceUsageExact(usage, price));
}

/**
 * Like priceUsage, but as a plain Cost (USD figures and exact femto-USD strings): the form of
 * a result's cost in records, which stays exact through a spread copy or JSON.
 */
export function priceCost(usage: UsageLike, price: ModelPrice): Cost {
  return plainCost(priceUsageExact(usage, price));
}

/** Like priceUsage, but returns the exact femto-USD amounts. */
export function priceUsageExact(usage: UsageLike, price: ModelPrice): ExactCost {
  const tokens = countTokens(usage);
  const prompt = tokens.input + tokens.write5m + tokens.write1h + tokens.read;
  const band =
    price.aboveTokens !== undefined && prompt > BigInt(price.aboveTokens.threshold)
      ? price.aboveTokens.band
      : price;
  const femto = femtoPrices(band);
  const output = tokens.output * femto.output;
  let standard = prompt * femto.input + output;
  let standardCached =
    tokens.input * femto.input +
    tokens.write5m * femto.cacheWrite5m +
    tokens.write1h * femto.cacheWrite1h +
    tokens.read * femto.cacheRead +
    output;
  if (usage.inference_geo === "us" && price.geoUs) {
    standard = divideExact(standard * 11n, 10n);
    standardCached = divideExact(standardCached * 11n, 10n);
  }
  return {
    standard,
    standardCached,
    batch: divideExact(standard, 2n),
    batchCached: divideExact(standardCached, 2n),
  };
}

/** Sums costs exactly (in femto-USD); the result carries its exact value too. */
export function sumCosts(costs: Iterable<CostFigures>): CostFigures {
  let total = ZERO_EXACT;
  for (const cost of costs) total = addExact(total, exactOf(cost));
  return costFromExact(total);
}

/**
 * Splits usage into billing categories. When `cache_creation` (the per-TTL breakdown) is
 * missing or null but `cache_creation_input_tokens` is positive, the writes count as 5-minute
 * writes: 5m is the API's default TTL, and responses without the breakdown come from API
 * versions that predate the 1-hour TTL, when every write was a 5-minute write. Any part of
 * `cache_creation_input_tokens` that the buckets do not account for is treated the same way.
 */
function countTokens(usage: UsageLike): TokenCounts {
  const write5m = count(usage.cache_creation?.ephemeral_5m_input_tokens, "ephemeral_5m");
  const write1h = count(usage.cache_creation?.ephemeral_1h_input_tokens, "ephemeral_1h");
  const totalWrites = count(usage.cache_creation_input_tokens, "cache_creation_input_tokens");
  const unattributed = totalWrites > write5m + write1h ? totalWrites - write5m - write1h : 0n;
  return {
    input: count(usage.input_tokens, "input_tokens"),
    output: count(usage.output_tokens, "output_tokens"),
    write5m: write5m + unattributed,
    write1h,
    read: count(usage.cache_read_input_tokens, "cache_read_input_tokens"),
  };
}

/** A token count as a bigint; null/undefined is 0. */
function count(value: number | null | undefined, field: string): bigint {
  if (value === null || value === undefined) return 0n;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new BatchevalError("bad_input", `usage.${field} is ${value}, not a token count`, {
      hint: "Token counts in a result's usage must be non-negative integers.",
    });
  }
  return BigInt(value);
}

/** A band's prices in femto-USD per token. */
function femtoPrices(band: PriceBand): FemtoBand {
  const cached = femtoCache.get(band);
  if (cached !== undefined) return cached;
  const femto: FemtoBand = {
    input: priceNumberToFemto(band.input),
    output: priceNumberToFemto(band.output),
    cacheWrite5m: priceNumberToFemto(band.cacheWrite5m),
    cacheWrite1h: priceNumberToFemto(band.cacheWrite1h),
    cacheRead: priceNumberToFemto(band.cacheRead),
  };
  // Only frozen bands are memoized: a mutable one could change under the cache.
  if (Object.isFrozen(band)) femtoCache.set(band, femto);
  return femto;
}
