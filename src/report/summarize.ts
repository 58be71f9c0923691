/** Builds the per-model summaries and the report from graded, priced results. Pure. */
import { addExact, type ExactCost, exactOf, plainCost, ZERO_EXACT } from "../cost/exact-cost.js";
import { femtoToUsd } from "../cost/exact-money.js";
import { passRate, wilsonInterval } from "./pass-rate.js";
import { recommend } from "./recommend.js";
import {
  type Backend,
  type BatchRecord,
  type CostSummary,
  type GraderSummary,
  type ModelSummary,
  type OutcomeCounts,
  REPORT_SCHEMA_VERSION,
  type Report,
  type ReportedResult,
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
  /** The grader models that answered model-graded assertions. */
  graders?: GraderSummary[];
}

/**
 * Running totals of a group of results (a model, a model's suite, or the whole run), so that
 * 300,000 results are summarized in one pass with each cost read once.
 */
class Tally {
  readonly counts: OutcomeCounts = { total: 0, passed: 0, failed: 0, errored: 0 };
  readonly tokens: TokenCounts = { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 };
  /** Results that wrote or read the prompt cache, and those that read it. */
  private caching = 0;
  private hits = 0;
  private cost: ExactCost = ZERO_EXACT;
  /** The batch-with-caching cost of the results the result cache replayed. */
  private replayed = 0n;

  /** Counts `r`, whose cost is `exact`; `skipped` results count in the total only. */
  add(r: ResultRecord, exact: ExactCost): void {
    const { counts, tokens } = this;
    counts.total++;
    if (r.outcome === "pass") counts.passed++;
    else if (r.outcome === "fail") counts.failed++;
    else if (r.outcome === "error") counts.errored++;
    this.cost = addExact(this.cost, exact);
    if (r.source === "cache") this.replayed += exact.batchCached;
    if (r.usage === null) return;
    tokens.input += r.usage.input_tokens;
    tokens.output += r.usage.output_tokens;
    tokens.cacheWrite += r.usage.cache_creation_input_tokens;
    tokens.cacheRead += r.usage.cache_read_input_tokens;
    if (r.usage.cache_read_input_tokens > 0) this.hits++;
    if (r.usage.cache_read_input_tokens > 0 || r.usage.cache_creation_input_tokens > 0) {
      this.caching++;
    }
  }

  /** Share of caching results (those that wrote or read the cache) that read from it. */
  cacheHitRate(): number {
    return this.caching === 0 ? 0 : this.hits / this.caching;
  }

  /** The summed cost, with the replayed part and `grader` beside it. */
  costSummary(grader: number): CostSummary {
    return { ...plainCost(this.cost), replayed: femtoToUsd(this.replayed), grader };
  }
}

function scoreSuite(suite: SuiteSummary, tally: Tally): SuiteScore {
  const counts = tally.counts;
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

/** A model's totals: over all its results, and per suite. */
interface ModelTally {
  all: Tally;
  suites: Map<string, Tally>;
}

function summarizeModel(model: string, tally: ModelTally, input: SummarizeInput): ModelSummary {
  const counts = tally.all.counts;
  const graded = counts.passed + counts.failed;
  const suites = input.suites.flatMap((suite) => {
    const own = tally.suites.get(suite.name);
    return own === undefined ? [] : [scoreSuite(suite, own)];
  });
  return {
    model,
    passRate: passRate(counts.passed, graded),
    passRateInterval: wilsonInterval(counts.passed, graded),
    passes: suites.length > 0 && suites.every((s) => s.passes),
    uncertain: suites.some((s) => s.uncertain),
    counts,
    tokens: tally.all.tokens,
    cacheHitRate: tally.all.cacheHitRate(),
    cost: tally.all.costSummary(input.graderCost?.get(model) ?? 0),
    batches: input.batches.get(model) ?? [],
    suites,
  };
}

/** A record as the report holds it: its cost as plain, exact money (see ReportedResult). */
function reported(r: ResultRecord, exact: ExactCost): ReportedResult {
  // A run's records are priced as plain Costs already: they are kept, not copied.
  return Reflect.has(r.cost, "femtoUsd") ? (r as ReportedResult) : { ...r, cost: plainCost(exact) };
}

/** The whole report. */
export function summarize(input: SummarizeInput): Report {
  const tallies = new Map<string, ModelTally>(
    input.models.map((model) => [model, { all: new Tally(), suites: new Map() }]),
  );
  const total = new Tally();
  const results: ReportedResult[] = new Array(input.results.length);
  for (const [i, r] of input.results.entries()) {
    const exact = exactOf(r.cost);
    total.add(r, exact);
    results[i] = reported(r, exact);
    const model = tallies.get(r.model);
    if (model === undefined) continue;
    model.all.add(r, exact);
    const suite = model.suites.get(r.suite) ?? new Tally();
    model.suites.set(r.suite, suite);
    suite.add(r, exact);
  }
  const models = input.models.map((model) =>
    summarizeModel(model, tallies.get(model) as ModelTally, input),
  );
  const grader = models.reduce((sum, m) => sum + m.cost.grader, 0);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    runId: input.runId,
    createdAt: input.createdAt,
    backend: input.backend,
    sdkVersion: input.sdkVersion,
    suites: input.suites,
    models,
    recommendation: recommend(models),
    cost: total.costSummary(grader),
    graders: input.graders ?? [],
    results,
  };
}
