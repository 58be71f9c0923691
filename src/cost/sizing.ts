/**
 * The five-step sizing of a workload before it is committed to batches, per model:
 *
 * 1. volume: requests a month and the mean input and output tokens of one request;
 * 2. cost: a month at the synchronous standard rate, and the batch baseline at half;
 * 3. shared context: the shared prefix's share of each request and, when it is above about
 *    half, what caching does to that portion (reads at the cache-read price) and to the month;
 * 4. engineering: the days a synchronous pipeline at this volume would need (rate limits,
 *    retries, queueing) that batching avoids, priced into a first-year total;
 * 5. latency: whether the latency budget fits a batch (which may take up to 24 hours), and
 *    what the wait costs when a price per hour of delay is given;
 *
 * then the pitfalls that apply. Pure: the figures come from the calculator.
 */
import { estimateWorkload, type Workload, type WorkloadEstimate } from "./calculator.js";
import { exactOf } from "./exact-cost.js";
import { femtoToUsd } from "./exact-money.js";
import { priceUsageExact } from "./price-usage.js";
import type { ModelPrice } from "./types.js";

/** A batch ends within this many hours; requests not done by then expire. */
export const BATCH_CEILING_HOURS = 24;
/** Days a batch's results can be downloaded after it is created. */
export const RESULTS_KEPT_DAYS = 29;
/** A shared prefix above this share of a request makes caching a main lever. */
export const SHARED_SHARE_THRESHOLD = 0.5;
/** Defaults of step 4 (see the README): days of engineering, and a day's cost in USD. */
export const DEFAULT_ENG_DAYS = 10;
export const DEFAULT_ENG_DAY_RATE = 1000;

export interface SizingInput {
  price: ModelPrice;
  /** Requests a month. */
  volume: number;
  inputTokens: number;
  outputTokens: number;
  sharedPrefixTokens: number;
  cacheTtl: "5m" | "1h";
  cacheHitRate: number;
  /** How the token counts were had, said in step 1. */
  tokensFrom: string;
  /** Warnings about a prefix meant to be shared that is not (naming the variable). */
  prefixWarnings: string[];
  /**
   * The month already priced, when the requests are not one shape (a suite's several shared
   * prefixes): used instead of pricing `volume` requests of the mean shape.
   */
  month?: WorkloadEstimate;
}

export interface SizingOptions {
  engDays?: number;
  engDayRate?: number;
  latencyBudgetHours?: number;
  delayCostPerHour?: number;
  /** The cheapest model that passed in a previous run, with its price. */
  cheapestPassing?: ModelPrice;
}

export interface Sizing {
  model: string;
  volume: { requestsPerMonth: number; inputTokens: number; outputTokens: number; from: string };
  cost: { syncPerMonth: number; batchPerMonth: number };
  sharedContext: {
    sharedPrefixTokens: number;
    share: number;
    cachingIsALever: boolean;
    /** Cache read price ÷ input price: what the shared portion costs when read. */
    readMultiplier: number;
    batchCachedPerMonth: number;
    warnings: string[];
  };
  engineering: {
    days: number;
    dayRate: number;
    avoided: number;
    firstYearSync: number;
    firstYearBatch: number;
    firstYearSaving: number;
  };
  latency: {
    budgetHours: number | null;
    fitsBatch: boolean | null;
    /** The cost of waiting for one batch at the ceiling, and at the usual hour. */
    delayCostWorst: number | null;
    delayCostUsual: number | null;
  };
  pitfalls: string[];
}

const round2 = (usd: number) => Math.round(usd * 100) / 100;

/** One request's output share of its synchronous cost. */
function outputShare(input: SizingInput): number {
  const { price } = input;
  const output = input.outputTokens * price.output;
  const all = input.inputTokens * price.input + output;
  return all === 0 ? 0 : output / all;
}

export function sizeWorkload(input: SizingInput, options: SizingOptions = {}): Sizing {
  const { price } = input;
  const workload: Workload = {
    requests: input.volume,
    inputTokens: input.inputTokens,
    outputTokens: input.outputTokens,
    ...(input.sharedPrefixTokens > 0
      ? { sharedPrefixTokens: input.sharedPrefixTokens, cacheTtl: input.cacheTtl }
      : {}),
    cacheHitRate: input.cacheHitRate,
  };
  const month = input.month ?? estimateWorkload(workload, price);
  const share = input.inputTokens === 0 ? 0 : input.sharedPrefixTokens / input.inputTokens;
  const days = options.engDays ?? DEFAULT_ENG_DAYS;
  const dayRate = options.engDayRate ?? DEFAULT_ENG_DAY_RATE;
  const avoided = days * dayRate;
  const sync = exactOf(month.cost).standard;
  const billed = exactOf(month.cost).batchCached;
  const firstYearSync = femtoToUsd(sync * 12n) + avoided;
  const firstYearBatch = femtoToUsd(billed * 12n);
  const budget = options.latencyBudgetHours ?? null;
  const perHour = options.delayCostPerHour ?? null;
  const pitfalls: string[] = [];
  const outShare = outputShare(input);
  if (outShare > 0.5) {
    pitfalls.push(
      `output-heavy: output is ${Math.round(outShare * 100)}% of the synchronous cost; the batch discount halves it, caching does not touch it, so the discount matters more than caching here`,
    );
  }
  const cheaper = options.cheapestPassing;
  if (cheaper !== undefined && cheaper.model !== price.model) {
    const one = { input_tokens: input.inputTokens, output_tokens: input.outputTokens };
    const ours = priceUsageExact(one, price).batch;
    const theirs = priceUsageExact(one, cheaper).batch;
    if (theirs < ours) {
      const monthly = femtoToUsd((ours - theirs) * BigInt(input.volume));
      pitfalls.push(
        `${cheaper.model} passed the suites for less: choosing ${price.model} costs about $${round2(monthly).toFixed(2)} a month more in batch`,
      );
    }
  }
  pitfalls.push(
    `results expire: a batch's results can be downloaded for ${RESULTS_KEPT_DAYS} days after it is created; collect them in time (batcheval downloads them as they arrive)`,
  );
  return {
    model: price.model,
    volume: {
      requestsPerMonth: input.volume,
      inputTokens: input.inputTokens,
      outputTokens: input.outputTokens,
      from: input.tokensFrom,
    },
    cost: { syncPerMonth: month.cost.standard, batchPerMonth: month.cost.batch },
    sharedContext: {
      sharedPrefixTokens: input.sharedPrefixTokens,
      share,
      cachingIsALever: share > SHARED_SHARE_THRESHOLD && month.notCached === undefined,
      readMultiplier: price.input === 0 ? 0 : Number((price.cacheRead / price.input).toFixed(4)),
      batchCachedPerMonth: month.cost.batchCached,
      warnings: [
        ...input.prefixWarnings,
        ...(month.notCached === undefined
          ? []
          : [
              `the shared prefix (${input.sharedPrefixTokens} tokens) is below ${price.model}'s minimum cacheable prefix of ${month.notCached.minimum}: it would not be cached`,
            ]),
      ],
    },
    engineering: {
      days,
      dayRate,
      avoided,
      firstYearSync,
      firstYearBatch,
      firstYearSaving: firstYearSync - firstYearBatch,
    },
    latency: {
      budgetHours: budget,
      fitsBatch: budget === null ? null : budget >= BATCH_CEILING_HOURS,
      delayCostWorst: perHour === null ? null : perHour * BATCH_CEILING_HOURS,
      delayCostUsual: perHour === null ? null : perHour,
    },
    pitfalls,
  };
}
