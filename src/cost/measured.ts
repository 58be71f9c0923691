/**
 * An estimate from a previous run's measurements instead of the worst case: each model's
 * output tokens per request as measured, and its cache hit rate as measured, in place of
 * `max_tokens` and the no-hit/all-hit range. The plan's own prompt sizes stay (they are what
 * this run would send): each shared prefix's requests are priced as a workload of their own,
 * the rest as one without a prefix, the prompt beyond the prefixes spread evenly over every
 * request (so the total of prompt tokens is the plan's): an approximation, said in the output.
 * Pure.
 */
import { estimateWorkload, type WorkloadEstimate } from "./calculator.js";
import type { ModelEstimate } from "./estimate.js";
import { addCosts } from "./exact-cost.js";
import type { ModelPrice } from "./types.js";

/** What a previous run measured on one model. */
export interface Measured {
  /** Mean output tokens of the results that came back. */
  outputTokensPerRequest: number;
  /** Share of the caching requests that read the cache. */
  cacheHitRate: number;
}

/**
 * The report's hit rate is over every caching request (reads ÷ reads and writes); the
 * calculator's is over the requests after the first, which writes. A run of n requests that
 * wrote once and read n − 1 times measured (n − 1) / n, which is 1 here.
 */
export function hitRateAfterFirst(measured: number, requests: number): number {
  return requests <= 1 ? 0 : Math.min(1, (measured * requests) / (requests - 1));
}

/** One model's estimate with the measured output and hit rate. */
export function measuredEstimate(
  estimate: ModelEstimate,
  measured: Measured,
  price: ModelPrice,
): WorkloadEstimate {
  const { requests } = estimate;
  // The prompt beyond the shared prefixes, spread evenly: every request keeps its prefix, and
  // the total of prompt tokens is the plan's.
  const prefixed = estimate.sharedPrefixes.reduce((n, p) => n + p.tokens * p.requests, 0);
  const prompt = Math.max(0, Math.round((estimate.promptTokens - prefixed) / requests));
  const outputTokens = Math.round(measured.outputTokensPerRequest);
  const parts: WorkloadEstimate[] = estimate.sharedPrefixes.map((p) =>
    estimateWorkload(
      {
        requests: p.requests,
        inputTokens: p.tokens + prompt,
        outputTokens,
        sharedPrefixTokens: p.tokens,
        cacheTtl: p.ttl,
        cacheHitRate: hitRateAfterFirst(measured.cacheHitRate, p.requests),
      },
      price,
    ),
  );
  const rest = requests - estimate.sharedPrefixes.reduce((n, p) => n + p.requests, 0);
  if (rest > 0) {
    parts.push(estimateWorkload({ requests: rest, inputTokens: prompt, outputTokens }, price));
  }
  return {
    model: price.model,
    requests,
    outputTokens,
    cacheHitRate: measured.cacheHitRate,
    cacheWrites: parts.reduce((n, p) => n + p.cacheWrites, 0),
    cacheReads: parts.reduce((n, p) => n + p.cacheReads, 0),
    cost: addCosts(parts.map((p) => p.cost)),
  };
}
