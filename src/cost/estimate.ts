/**
 * The pre-flight cost estimate (docs/design.md, "Data flow", step "estimate"): what a plan
 * would cost per model before anything is submitted, for `batcheval estimate` and the budget
 * guard (`--max-cost`). Pure.
 *
 * Output is taken at `max_tokens` (the worst case). Every request is priced through
 * `priceUsageExact` with the usage it would report, so the figures are exact femto-USD amounts
 * (summable with `sumCosts`) and follow the same rules as billed cost: the batch 50%, Haiku
 * 5.5's >100K-token band (chosen per request from its estimated prompt) and the 1.1× of
 * `inference_geo: "us"` (when the request's params set it and the model supports it).
 *
 * Caching is a range, because hits inside a batch are best effort (docs/api-facts.md, "Prompt
 * caching"):
 * - `low` (~100% hits): each cacheable prefix is written once, by its first request, and read
 *   by every other request that carries it;
 * - `high` (~0% hits): every request with a cacheable prefix writes it. With the 1h TTL that
 *   write costs 2× input, so `high.batchCached` is above `batch`: the trade the 1h TTL makes.
 * A prefix below the model's minimum cacheable length is not cached at all (no write premium,
 * no read discount): it is priced as plain input in both.
 */
import { minCacheableTokens } from "../compile/cache-checks.js";
import type { BatchPlan, CompiledRequest, ModelPlan } from "../compile/types.js";
import {
  type CacheTtl,
  groupPrefixes,
  isCacheable,
  type PromptShape,
  promptShape,
} from "./estimate-shape.js";
import { addExact, costFromExact, type ExactCost, exactOf, ZERO_EXACT } from "./exact-cost.js";
import { priceUsageExact, sumCosts, type UsageLike } from "./price-usage.js";
import { requirePrice } from "./pricing.js";
import type { CostFigures, ModelPrice, PricingTable } from "./types.js";

/**
 * The four cost figures (docs/design.md, decision 6) at both ends of the cache hit range.
 * `standard` and `batch` ignore caching, so they are the same in `low` and `high`;
 * `standardCached` and `batchCached` differ. Every figure carries its exact value (see
 * exact-cost.ts).
 */
export interface CostRange {
  /** Best case: every shared prefix written once, then read by every other request. */
  low: CostFigures;
  /** Worst case: no cache hits, every request with a cacheable prefix writes it. */
  high: CostFigures;
}

/** A prefix shared by several requests of one model, long enough to be cached there. */
export interface EstimatedPrefix {
  /** Identifies the exact prefix text (see PromptShape.prefixKey). */
  key: string;
  /** Estimated tokens of the prefix. */
  tokens: number;
  /** Requests that carry it. */
  requests: number;
  ttl: CacheTtl;
  /** Suites whose requests carry it. */
  suites: string[];
}

/** The estimate of one model's requests. */
export interface ModelEstimate {
  model: string;
  requests: number;
  /** Estimated prompt tokens (cached prefix + the rest) over all requests. */
  promptTokens: number;
  /** Sum of max_tokens over all requests: the output the cost assumes. */
  maxOutputTokens: number;
  /** Prefixes shared by ≥2 requests and long enough to cache on this model. */
  sharedPrefixes: EstimatedPrefix[];
  /** Model's minimum cacheable prefix, in tokens (shorter prefixes are not cached). */
  minCacheableTokens: number;
  /** Costs with output at max_tokens (worst case), with caching as a range. */
  cost: CostRange;
}

/** The estimate of a whole plan. */
export interface PlanEstimate {
  models: ModelEstimate[];
  /** Sum over the models, exact. */
  total: CostRange;
  /**
   * The grader models of model-graded assertions, on the questions they would be asked (one
   * per model-graded assertion and result, about an output at max_tokens), apart from `total`.
   */
  graders: ModelEstimate[];
  /** Sum over the grader models, exact. */
  graderTotal: CostRange;
}

/** Estimates one model's requests at `price` (all requests are for the same model). */
export function estimateModel(
  requests: readonly CompiledRequest[],
  price: ModelPrice,
): ModelEstimate {
  const model = requests[0]?.model ?? price.model;
  const shapes = requests.map(promptShape);
  const written = new Set<string>();
  let low = ZERO_EXACT;
  let high = ZERO_EXACT;
  let promptTokens = 0;
  let maxOutputTokens = 0;
  requests.forEach((request, i) => {
    const shape = shapes[i] ?? promptShape(request);
    promptTokens += shape.prefixTokens + shape.restTokens;
    maxOutputTokens += shape.maxOutputTokens;
    const key = isCacheable(shape, request.model) ? shape.prefixKey : undefined;
    const cost = priceRequest(request, shape, price, key !== undefined && written.has(key));
    if (key !== undefined) written.add(key);
    low = addExact(low, cost.low);
    high = addExact(high, cost.high);
  });
  const sharedPrefixes = groupPrefixes(requests, shapes)
    .filter((p) => p.requests >= 2)
    .map(({ key, tokens, requests: count, ttl, suites }) => ({
      key,
      tokens,
      requests: count,
      ttl,
      suites,
    }));
  return {
    model,
    requests: requests.length,
    promptTokens,
    maxOutputTokens,
    sharedPrefixes,
    minCacheableTokens: minCacheableTokens(model),
    cost: { low: costFromExact(low), high: costFromExact(high) },
  };
}

/**
 * One request's exact cost at both ends of the range. Uncacheable: all prompt tokens are input.
 * Cacheable: `high` writes the prefix; `low` reads it when `hit` (an earlier request wrote it).
 */
function priceRequest(
  request: CompiledRequest,
  shape: PromptShape,
  price: ModelPrice,
  hit: boolean,
): { low: ExactCost; high: ExactCost } {
  const base: UsageLike = {
    input_tokens: shape.prefixTokens + shape.restTokens,
    output_tokens: shape.maxOutputTokens,
    inference_geo: inferenceGeo(request),
  };
  if (!isCacheable(shape, request.model)) {
    const cost = priceUsageExact(base, price);
    return { low: cost, high: cost };
  }
  const rest = { ...base, input_tokens: shape.restTokens };
  const write = priceUsageExact({ ...rest, ...cacheWrite(shape.prefixTokens, shape.ttl) }, price);
  if (!hit) return { low: write, high: write };
  const read = priceUsageExact({ ...rest, cache_read_input_tokens: shape.prefixTokens }, price);
  return { low: read, high: write };
}

/**
 * Estimates every model of `plan`. Throws BatchevalError("unknown_model") for a model without a
 * price (never a silent $0).
 */
export function estimatePlan(
  plan: BatchPlan,
  pricing: PricingTable,
  graderPlans: readonly ModelPlan[] = [],
): PlanEstimate {
  const estimate = (plans: readonly ModelPlan[]) =>
    plans.map(({ model, requests }) => estimateModel(requests, requirePrice(pricing, model)));
  const models = estimate(plan.models);
  const graders = estimate(graderPlans);
  return {
    models,
    total: sumRanges(models.map((m) => m.cost)),
    graders,
    graderTotal: sumRanges(graders.map((m) => m.cost)),
  };
}

/** Sums cost ranges exactly. */
export function sumRanges(ranges: readonly CostRange[]): CostRange {
  return {
    low: sumCosts(ranges.map((r) => r.low)),
    high: sumCosts(ranges.map((r) => r.high)),
  };
}

/**
 * The figure the budget guard compares with --max-cost, in USD: the batch cost in the worst
 * case (output = max_tokens, no cache hits: `total.high.batchCached`), grader models included. Should a price table make
 * cache reads dearer than writes, the larger end of the range is returned instead.
 */
export function worstCaseBatchCost(estimate: PlanEstimate): number {
  const { low, high } = sumRanges([estimate.total, estimate.graderTotal]);
  return exactOf(low).batchCached > exactOf(high).batchCached ? low.batchCached : high.batchCached;
}

/**
 * Projects a model's estimate to `volume` requests (e.g. a month's traffic) by scaling its
 * per-request average: figure × volume / requests, rounded to the nearest femto-USD. Throws a
 * RangeError unless `volume` is a non-negative safe integer.
 */
export function projectVolume(estimate: ModelEstimate, volume: number): CostRange {
  if (!Number.isSafeInteger(volume) || volume < 0) {
    throw new RangeError(`volume must be a whole number >= 0, got ${volume}`);
  }
  const scale = (cost: CostFigures): CostFigures => {
    if (estimate.requests === 0) return costFromExact(ZERO_EXACT);
    const exact = exactOf(cost);
    const n = BigInt(volume);
    const d = BigInt(estimate.requests);
    const each = (amount: bigint): bigint => (amount * n * 2n + d) / (2n * d);
    const scaled: ExactCost = {
      standard: each(exact.standard),
      standardCached: each(exact.standardCached),
      batch: each(exact.batch),
      batchCached: each(exact.batchCached),
    };
    return costFromExact(scaled);
  };
  return { low: scale(estimate.cost.low), high: scale(estimate.cost.high) };
}

/** Usage fields of a cache write of `tokens` with `ttl`. */
function cacheWrite(tokens: number, ttl: CacheTtl | undefined): Partial<UsageLike> {
  const oneHour = ttl === "1h";
  return {
    cache_creation_input_tokens: tokens,
    cache_creation: {
      ephemeral_5m_input_tokens: oneHour ? 0 : tokens,
      ephemeral_1h_input_tokens: oneHour ? tokens : 0,
    },
  };
}

/** `inference_geo` of a request's params, when it sets one. */
function inferenceGeo(request: CompiledRequest): string | null {
  const geo: unknown = Reflect.get(request.params, "inference_geo");
  return typeof geo === "string" ? geo : null;
}
