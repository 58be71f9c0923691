/** Builds the per-model summaries and the report from graded, priced results. Pure. */
import { addCosts, costOf } from "../cost/exact-cost.js";
import { passRate, wilsonInterval } from "./pass-rate.js";
import { recommend } from "./recommend.js";
import {
  type Backend,
  type BatchRecord,
  type ModelSummary,
  type OutcomeCounts,
  REPORT_SCHEMA_VERSION,
  type Report,
  type ResultRecord,
  type SuiteScore,
  type SuiteSummary,
  type TokenCounts,
} from "./types.js";

export interface SummarizeInput {
  runId: string;
  createdAt: string;
  backend: Backend;
  sdkVersion: string;
  suites: SuiteSummary[];
  /** Models in the order they should be shown. */
  models: string[];
  results: ResultRecord[];
  batches: ReadonlyMap<string, BatchRecord[]>;
  /** Cost of model-graded assertions per model under test (USD). */
  graderCost?: ReadonlyMap<string, number>;
}

/** Counts outcomes; `skipped` results count in the total only. */
export function countOutcomes(results: readonly ResultRecord[]): OutcomeCounts {
  const counts: OutcomeCounts = { total: results.length, passed: 0, failed: 0, errored: 0 };
  for (const r of results) {
    if (r.outcome === "pass") counts.passed++;
    else if (r.outcome === "fail") counts.failed++;
    else if (r.outcome === "error") counts.errored++;
  }
  return counts;
}

function sumTokens(results: readonly ResultRecord[]): TokenCounts {
  const tokens: TokenCounts = { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 };
  for (const { usage } of results) {
    if (usage === null) continue;
    tokens.input += usage.input_tokens;
    tokens.output += usage.output_tokens;
    tokens.cacheWrite += usage.cache_creation_input_tokens;
    tokens.cacheRead += usage.cache_read_input_tokens;
  }
  return tokens;
}

/** Share of caching requests (those that wrote or read the cache) that read from it. */
export function cacheHitRate(results: readonly ResultRecord[]): number {
  let caching = 0;
  let hits = 0;
  for (const { usage } of results) {
    if (usage === null) continue;
    if (usage.cache_read_input_tokens > 0) hits++;
    if (usage.cache_read_input_tokens > 0 || usage.cache_creation_input_tokens > 0) caching++;
  }
  return caching === 0 ? 0 : hits / caching;
}

function scoreSuite(suite: SuiteSummary, results: readonly ResultRecord[]): SuiteScore {
  const counts = countOutcomes(results);
  const graded = counts.passed + counts.failed;
  const rate = passRate(counts.passed, graded);
  const interval = wilsonInterval(counts.passed, graded);
  const passes = graded > 0 && rate >= suite.passThreshold;
  return {
    suite: suite.name,
    passRate: rate,
    passRateInterval: interval,
    passes,
    uncertain: passes && interval[0] < suite.passThreshold,
    counts,
  };
}

function summarizeModel(model: string, input: SummarizeInput): ModelSummary {
  const results = input.results.filter((r) => r.model === model);
  const counts = countOutcomes(results);
  const graded = counts.passed + counts.failed;
  const suites = input.suites
    .map((suite) => ({ suite, own: results.filter((r) => r.suite === suite.name) }))
    .filter(({ own }) => own.length > 0)
    .map(({ suite, own }) => scoreSuite(suite, own));
  return {
    model,
    passRate: passRate(counts.passed, graded),
    passRateInterval: wilsonInterval(counts.passed, graded),
    passes: suites.length > 0 && suites.every((s) => s.passes),
    uncertain: suites.some((s) => s.uncertain),
    counts,
    tokens: sumTokens(results),
    cacheHitRate: cacheHitRate(results),
    cost: {
      ...addCosts(results.map((r) => r.cost)),
      replayed: addCosts(results.filter((r) => r.source === "cache").map((r) => r.cost))
        .batchCached,
      grader: input.graderCost?.get(model) ?? 0,
    },
    batches: input.batches.get(model) ?? [],
    suites,
  };
}

/** The whole report. */
export function summarize(input: SummarizeInput): Report {
  const models = input.models.map((model) => summarizeModel(model, input));
  const totals = addCosts(input.results.map((r) => r.cost));
  const grader = models.reduce((sum, m) => sum + m.cost.grader, 0);
  const replayed = addCosts(
    input.results.filter((r) => r.source === "cache").map((r) => r.cost),
  ).batchCached;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    runId: input.runId,
    createdAt: input.createdAt,
    backend: input.backend,
    sdkVersion: input.sdkVersion,
    suites: input.suites,
    models,
    recommendation: recommend(models),
    cost: { ...totals, replayed, grader },
    // Each record's cost as plain money, so the report's records sum exactly even once copied.
    results: input.results.map((r) => ({ ...r, cost: costOf(r.cost) })),
  };
}
