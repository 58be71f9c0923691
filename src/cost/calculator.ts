/**
 * The calculator: what a workload with no suite would cost, from its shape alone. `requests`
 * requests of `inputTokens` prompt tokens each (the whole prompt, the shared prefix included)
 * and `outputTokens` output tokens; `sharedPrefixTokens` of the prompt are a prefix marked for
 * caching with `cacheTtl`. With hit rate R, the first request writes the prefix and a share R of
 * the others read it (rounded to whole requests); the rest write it again. Each kind of request
 * is priced with priceUsage as its usage would come back, so bands and the `us` multiplier
 * apply exactly as on real results. Pure.
 */
import { minCacheableTokens } from "../compile/cache-checks.js";
import { BatchevalError } from "../errors.js";
import { addExact, type Cost, type ExactCost, plainCost, ZERO_EXACT } from "./exact-cost.js";
import { priceUsageExact, type UsageLike } from "./price-usage.js";
import type { ModelPrice } from "./types.js";

export interface Workload {
  requests: number;
  /** Prompt tokens of one request, the shared prefix included. */
  inputTokens: number;
  outputTokens: number;
  /** Tokens of the prompt that are a shared prefix marked for caching (default 0: none). */
  sharedPrefixTokens?: number;
  /** The prefix's cache TTL (default 1h, the batch default). */
  cacheTtl?: "5m" | "1h";
  /** Share of the requests after the first that read the prefix (default 1). */
  cacheHitRate?: number;
  /** `us`: US-only inference, 1.1× on the models that take it. */
  geo?: "us";
}

export interface WorkloadEstimate {
  model: string;
  requests: number;
  /** The output tokens per request and the hit rate it was priced with. */
  outputTokens: number;
  cacheHitRate: number;
  /** Requests that write the shared prefix, and those that read it. */
  cacheWrites: number;
  cacheReads: number;
  cost: Cost;
  /**
   * Set when the shared prefix is shorter than the model's minimum cacheable prefix: the API
   * caches nothing then, so the prefix is priced as plain input.
   */
  notCached?: { minimum: number };
}

function check(workload: Workload): void {
  const whole = (name: string, value: number, min: number) => {
    if (!Number.isSafeInteger(value) || value < min) {
      throw new BatchevalError(
        "bad_input",
        `${name} must be a whole number >= ${min}, got ${value}`,
      );
    }
  };
  whole("--requests", workload.requests, 1);
  whole("--input-tokens", workload.inputTokens, 0);
  whole("--output-tokens", workload.outputTokens, 0);
  const shared = workload.sharedPrefixTokens ?? 0;
  whole("--shared-prefix-tokens", shared, 0);
  if (shared > workload.inputTokens) {
    throw new BatchevalError(
      "bad_input",
      `--shared-prefix-tokens ${shared} is more than --input-tokens ${workload.inputTokens}`,
      { hint: "--input-tokens is the whole prompt of one request, the shared prefix included." },
    );
  }
  const rate = workload.cacheHitRate ?? 1;
  if (!(rate >= 0 && rate <= 1)) {
    throw new BatchevalError("bad_input", `--cache-hit-rate must be from 0 to 1, got ${rate}`);
  }
}

function times(cost: ExactCost, n: number): ExactCost {
  const k = BigInt(n);
  return {
    standard: cost.standard * k,
    standardCached: cost.standardCached * k,
    batch: cost.batch * k,
    batchCached: cost.batchCached * k,
  };
}

/** The four cost figures of `workload` on the model priced `price`. */
export function estimateWorkload(workload: Workload, price: ModelPrice): WorkloadEstimate {
  check(workload);
  const minimum = minCacheableTokens(price.model);
  const asked = workload.sharedPrefixTokens ?? 0;
  // A prefix below the minimum is silently not cached by the API: price it as plain input.
  const shared = asked >= minimum ? asked : 0;
  const ttl = workload.cacheTtl ?? "1h";
  const others = workload.requests - 1;
  const reads = shared === 0 ? 0 : Math.round(others * (workload.cacheHitRate ?? 1));
  const writes = shared === 0 ? 0 : workload.requests - reads;
  const usage = (prefix: "write" | "read" | "none"): UsageLike => {
    const written = prefix === "write" ? shared : 0;
    return {
      input_tokens: workload.inputTokens - (prefix === "none" ? 0 : shared),
      output_tokens: workload.outputTokens,
      cache_creation_input_tokens: written,
      cache_read_input_tokens: prefix === "read" ? shared : 0,
      cache_creation: {
        ephemeral_5m_input_tokens: ttl === "5m" ? written : 0,
        ephemeral_1h_input_tokens: ttl === "1h" ? written : 0,
      },
      ...(workload.geo === undefined ? {} : { inference_geo: workload.geo }),
    };
  };
  const kinds: [UsageLike, number][] =
    shared === 0
      ? [[usage("none"), workload.requests]]
      : [
          [usage("write"), writes],
          [usage("read"), reads],
        ];
  let total = ZERO_EXACT;
  for (const [u, n] of kinds) total = addExact(total, times(priceUsageExact(u, price), n));
  return {
    model: price.model,
    requests: workload.requests,
    outputTokens: workload.outputTokens,
    cacheHitRate: workload.cacheHitRate ?? 1,
    cacheWrites: writes,
    cacheReads: reads,
    cost: plainCost(total),
    ...(asked > 0 && shared === 0 ? { notCached: { minimum } } : {}),
  };
}
