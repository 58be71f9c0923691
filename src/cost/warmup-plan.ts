/**
 * The warm-up decision: inside one batch, concurrent requests miss a cache entry that another
 * request is still writing, so some share of them pays the write price instead of the read
 * price. A one-request batch that writes the shared prefix first, followed by the rest, turns
 * those misses into hits, at the cost of waiting for one extra batch. The warm-up request is
 * one of the suite's own requests, so it costs nothing extra. Pure.
 *
 * Only 1h prefixes are warmed: a batch can take longer than five minutes (up to 24 hours), so
 * a 5m entry written by the warm-up batch may have expired before the main batch reads it. The
 * compiler warns about 5m breakpoints (compile/cache-checks.ts).
 *
 * Expected saving of warming one prefix, in USD:
 *   missShare × (requests − 1) × prefixTokens × (cacheWrite(ttl) − cacheRead) × 0.5 / 1e6
 * with base-band prices (Haiku 5.5's >100K band and the `inference_geo` surcharge are ignored:
 * they only raise the saving).
 */
import type { CompiledRequest } from "../compile/types.js";
import { type CacheTtl, groupPrefixes, promptShape } from "./estimate-shape.js";
import { divideExact, femtoToUsd, priceNumberToFemto } from "./exact-money.js";
import type { ModelPrice } from "./types.js";

/** Share of in-batch requests that miss the cache without a warm-up (the simulator's default). */
export const DEFAULT_MISS_SHARE = 0.3;
/** A warm-up is worth its wait when it saves more than this, in USD. */
export const DEFAULT_WARMUP_THRESHOLD_USD = 0.01;

/** missShare is applied in millionths, so the saving stays an exact (rounded) femto amount. */
const SHARE_SCALE = 1_000_000n;

/** One prefix worth warming: the request to send alone first, and what it saves. */
export interface WarmupPrefix {
  key: string;
  tokens: number;
  /** Requests that carry the prefix, the warm-up request included. */
  requests: number;
  ttl: CacheTtl;
  /** custom_id of the request to submit alone first (the first request carrying the prefix). */
  warmupCustomId: string;
  /** Expected saving of warming this prefix, in USD. */
  savingUsd: number;
}

/** The warm-up decision for one model. */
export interface WarmupPlan {
  /** Whether the total saving beats the threshold (strictly above it). */
  worthIt: boolean;
  /** Expected saving over all shared prefixes, in USD (exact sum, rounded once). */
  savingUsd: number;
  /**
   * Shared cacheable 1h prefixes (≥2 requests, at or above the model's minimum), first seen
   * first: the ones a warm-up would write.
   */
  prefixes: WarmupPrefix[];
  /** Shared cacheable 5m prefixes, which are never warmed (their entry could expire first). */
  fiveMinutePrefixes: number;
}

/** Tuning of {@link planWarmup}. */
export interface WarmupOptions {
  /** Expected share of cache misses without a warm-up, 0..1 (default 0.3). */
  missShare?: number;
  /** Minimum total saving in USD for `worthIt` (default 0.01). */
  thresholdUsd?: number;
}

/**
 * The warm-up decision for one model's requests at `price`. Throws a RangeError when
 * `missShare` is outside 0..1 or `thresholdUsd` is negative.
 */
export function planWarmup(
  requests: readonly CompiledRequest[],
  price: ModelPrice,
  options: WarmupOptions = {},
): WarmupPlan {
  const missShare = options.missShare ?? DEFAULT_MISS_SHARE;
  const thresholdUsd = options.thresholdUsd ?? DEFAULT_WARMUP_THRESHOLD_USD;
  if (!(missShare >= 0 && missShare <= 1)) {
    throw new RangeError(`missShare must be between 0 and 1, got ${missShare}`);
  }
  if (!(thresholdUsd >= 0)) throw new RangeError(`thresholdUsd must be >= 0, got ${thresholdUsd}`);
  const share = BigInt(Math.round(missShare * Number(SHARE_SCALE)));
  const all = groupPrefixes(requests, requests.map(promptShape)).filter((p) => p.requests >= 2);
  const shared = all.filter((p) => p.ttl === "1h");
  let total = 0n;
  const prefixes = shared.map((prefix): WarmupPrefix => {
    const saving = prefixSaving(prefix.requests, prefix.tokens, prefix.ttl, price, share);
    total += saving;
    return {
      key: prefix.key,
      tokens: prefix.tokens,
      requests: prefix.requests,
      ttl: prefix.ttl,
      warmupCustomId: prefix.firstCustomId,
      savingUsd: femtoToUsd(saving),
    };
  });
  const savingUsd = femtoToUsd(total);
  return {
    worthIt: prefixes.length > 0 && savingUsd > thresholdUsd,
    savingUsd,
    prefixes,
    fiveMinutePrefixes: all.length - shared.length,
  };
}

/**
 * The requests to submit alone first for `mode` (`--warmup auto|always|never`): one per shared
 * 1h prefix, or none. `auto` warms when {@link planWarmup} says it is worth it; `always`
 * whenever there is a shared cacheable 1h prefix. 5m prefixes are never warmed.
 */
export function warmupRequests(
  requests: readonly CompiledRequest[],
  price: ModelPrice,
  mode: "auto" | "always" | "never",
  options: WarmupOptions = {},
): CompiledRequest[] {
  if (mode === "never") return [];
  const plan = planWarmup(requests, price, options);
  if (mode === "auto" && !plan.worthIt) return [];
  const ids = new Set(plan.prefixes.map((p) => p.warmupCustomId));
  return requests.filter((r) => ids.has(r.customId));
}

/** Exact expected saving of one prefix in femto-USD, rounded to the nearest femto. */
function prefixSaving(
  requests: number,
  tokens: number,
  ttl: CacheTtl,
  price: ModelPrice,
  share: bigint,
): bigint {
  const write = priceNumberToFemto(ttl === "1h" ? price.cacheWrite1h : price.cacheWrite5m);
  const read = priceNumberToFemto(price.cacheRead);
  const perToken = write > read ? write - read : 0n;
  // Every per-token price is a multiple of 20 femto-USD, so the batch half divides exactly.
  const batchSaving = divideExact(BigInt(requests - 1) * BigInt(tokens) * perToken, 2n);
  return (batchSaving * share + SHARE_SCALE / 2n) / SHARE_SCALE;
}
