/** Builds the per-model summaries and the report from graded, priced results. Pure. */
import {
  addExact,
  type Cost,
  type ExactCost,
  exactOf,
  plainCost,
  ZERO_EXACT,
} from "../cost/exact-cost.js";
import { femtoToUsd } from "../cost/exact-money.js";
import { savingsOf } from "../cost/savings.js";
import { passRate, wilsonInterval } from "./pass-rate.js";
import { recommend } from "./recommend.js";
import {
  type Backend,
  type BatchRecord,
  type CaseInput,
  type CaseSamples,
  type CostSummary,
  type FailedResult,
  type GraderSummary,
  type MetricScore,
  type ModelSummary,
  type OutcomeCounts,
  type Provenance,
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
  /**
   * A case's samples per model (its repeat) and, with a `pass:` rule, how many must pass.
   * Absent: every case was run once.
   */
  samples?: (suite: string, caseId: string) => CaseRule | undefined;
  /** Where the report came from. */
  provenance?: Provenance;
  /** Each case's inputs. */
  inputs?: CaseInput[];
}

/** What a case's samples are judged by. */
export interface CaseRule {
  repeat: number;
  toPass?: number;
}

/**
 * Running totals of a group of results (a model, a model's suite, or the whole run), so that
 * 300,000 results are summarized in one pass with each cost read once.
 */
class Tally {
  readonly counts: OutcomeCounts = { total: 0, passed: 0, failed: 0, errored: 0 };
  /** What the pass rate is over (see SuiteScore.trials). */
  readonly trials: OutcomeCounts = { total: 0, passed: 0, failed: 0, errored: 0 };
  readonly tokens: TokenCounts = { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 };
  /** Results that wrote or read the prompt cache, and those that read it. */
  private caching = 0;
  private hits = 0;
  private cost: ExactCost = ZERO_EXACT;
  /** The batch-with-caching cost of the results the result cache replayed. */
  private replayed = 0n;
  /** Per metric name: graded assertions, passes and the sum of their scores. */
  private readonly metrics = new Map<string, { assertions: number; passed: number; sum: number }>();

  /**
   * Counts `r`, whose cost is `exact`; `skipped` results count in the total only. `trial`:
   * whether it is a trial of the pass rate of its own (not a sample of a case with `pass:`).
   */
  add(r: ResultRecord, exact: ExactCost, trial: boolean, metrics: boolean): void {
    const { tokens } = this;
    count(this.counts, r.outcome);
    if (trial) count(this.trials, r.outcome);
    if (metrics) this.addMetrics(r);
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

  /** Counts the scores of `r`'s assertions that name a metric (graded ones only). */
  private addMetrics(r: ResultRecord): void {
    for (const a of r.assertions) {
      if (a.metric === undefined || a.error !== undefined) continue;
      const m = this.metrics.get(a.metric) ?? { assertions: 0, passed: 0, sum: 0 };
      m.assertions++;
      if (a.pass) m.passed++;
      m.sum += a.score;
      this.metrics.set(a.metric, m);
    }
  }

  /** The named scores, in the order first seen; undefined when none was named. */
  metricScores(): MetricScore[] | undefined {
    if (this.metrics.size === 0) return undefined;
    return [...this.metrics].map(([name, m]) => ({
      name,
      assertions: m.assertions,
      passed: m.passed,
      meanScore: m.assertions === 0 ? 0 : m.sum / m.assertions,
    }));
  }

  /** Counts a case with a `pass:` rule as one trial of the pass rate. */
  addTrial(outcome: CaseSamples["outcome"]): void {
    count(this.trials, outcome);
  }

  /** The summed cost, as plain money. */
  plainCost(): Cost {
    return plainCost(this.cost);
  }

  /** The batch-with-caching cost per passed trial; null when none passed. */
  costPerPass(): number | null {
    if (this.trials.passed === 0) return null;
    return femtoToUsd(this.cost.batchCached / BigInt(this.trials.passed));
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

function count(counts: OutcomeCounts, outcome: ResultRecord["outcome"]): void {
  counts.total++;
  if (outcome === "pass") counts.passed++;
  else if (outcome === "fail") counts.failed++;
  else if (outcome === "error") counts.errored++;
}

function scoreSuite(suite: SuiteSummary, tally: Tally): SuiteScore {
  const { trials } = tally;
  const graded = trials.passed + trials.failed;
  const rate = passRate(trials.passed, graded);
  const interval = wilsonInterval(trials.passed, graded);
  const passes = graded > 0 && rate >= suite.passThreshold;
  return {
    suite: suite.name,
    passRate: rate,
    passRateInterval: interval,
    passes,
    uncertain: passes && interval[0] < suite.passThreshold,
    counts: tally.counts,
    trials,
    costPerPass: tally.costPerPass(),
    ...withMetrics(tally),
    cost: tally.plainCost(),
  };
}

function withMetrics(tally: Tally): { metrics?: MetricScore[] } {
  const metrics = tally.metricScores();
  return metrics === undefined ? {} : { metrics };
}

/** A case's samples on one model, counted as they come. */
interface SampleTally {
  suite: string;
  caseId: string;
  model: string;
  rule: CaseRule;
  counts: OutcomeCounts;
}

/** A case's samples judged (see CaseSamples). */
function judgeSamples(s: SampleTally): CaseSamples {
  const { rule } = s;
  const { passed, failed, errored } = s.counts;
  const graded = passed + failed;
  let outcome: CaseSamples["outcome"];
  if (rule.toPass !== undefined) {
    outcome = passed >= rule.toPass ? "pass" : passed + errored >= rule.toPass ? "error" : "fail";
  } else {
    outcome = failed > 0 ? "fail" : errored > 0 || passed === 0 ? "error" : "pass";
  }
  return {
    suite: s.suite,
    caseId: s.caseId,
    model: s.model,
    samples: rule.repeat,
    passed,
    failed,
    errored,
    passRate: passRate(passed, graded),
    passRateInterval: wilsonInterval(passed, graded),
    ...(rule.toPass === undefined ? {} : { toPass: rule.toPass }),
    outcome,
    flaky: passed > 0 && failed > 0,
  };
}

/** A model's totals: over all its results, and per suite. */
interface ModelTally {
  all: Tally;
  suites: Map<string, Tally>;
}

function summarizeModel(model: string, tally: ModelTally, input: SummarizeInput): ModelSummary {
  const { counts, trials } = tally.all;
  const graded = trials.passed + trials.failed;
  const suites = input.suites.flatMap((suite) => {
    const own = tally.suites.get(suite.name);
    return own === undefined ? [] : [scoreSuite(suite, own)];
  });
  return {
    model,
    passRate: passRate(trials.passed, graded),
    passRateInterval: wilsonInterval(trials.passed, graded),
    passes: suites.length > 0 && suites.every((s) => s.passes),
    uncertain: suites.some((s) => s.uncertain),
    counts,
    trials,
    costPerPass: tally.all.costPerPass(),
    ...withMetrics(tally.all),
    tokens: tally.all.tokens,
    cacheHitRate: tally.all.cacheHitRate(),
    cost: tally.all.costSummary(input.graderCost?.get(model) ?? 0),
    savings: savingsOf(tally.all.plainCost()),
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
  // Only cases run more than once are tallied per case: a run of single samples keeps none.
  const samples = new Map<string, SampleTally>();
  const failures: FailedResult[] = [];
  // Metrics are tallied only when some assertion names one: one scan here instead of a loop over
  // every result's assertions in each of its three tallies.
  const metrics = input.results.some((r) => r.assertions.some((a) => a.metric !== undefined));
  for (const [i, r] of input.results.entries()) {
    const exact = exactOf(r.cost);
    results[i] = reported(r, exact);
    if (r.outcome === "fail" || r.outcome === "error") {
      failures.push({
        suite: r.suite,
        caseId: r.caseId,
        model: r.model,
        repeat: r.repeat,
        outcome: r.outcome,
      });
    }
    const rule = input.samples?.(r.suite, r.caseId);
    const repeated = rule !== undefined && rule.repeat > 1;
    // A case with a `pass:` rule is one trial, counted once its samples are in.
    const trial = !repeated || rule.toPass === undefined;
    total.add(r, exact, trial, metrics);
    if (repeated) tallySample(samples, r, rule);
    const model = tallies.get(r.model);
    if (model === undefined) continue;
    model.all.add(r, exact, trial, metrics);
    const suite = model.suites.get(r.suite) ?? new Tally();
    model.suites.set(r.suite, suite);
    suite.add(r, exact, trial, metrics);
  }
  const cases = [...samples.values()].map(judgeSamples);
  for (const c of cases) {
    if (c.toPass === undefined) continue;
    total.addTrial(c.outcome);
    const model = tallies.get(c.model);
    model?.all.addTrial(c.outcome);
    model?.suites.get(c.suite)?.addTrial(c.outcome);
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
    savings: savingsOf(total.plainCost()),
    graders: input.graders ?? [],
    ...(cases.length > 0 ? { cases } : {}),
    ...(input.provenance === undefined ? {} : { provenance: input.provenance }),
    ...(input.inputs === undefined ? {} : { inputs: input.inputs }),
    failures,
    results,
  };
}

function tallySample(samples: Map<string, SampleTally>, r: ResultRecord, rule: CaseRule): void {
  const key = `${r.model}\u0000${r.suite}\u0000${r.caseId}`;
  let s = samples.get(key);
  if (s === undefined) {
    const counts = { total: 0, passed: 0, failed: 0, errored: 0 };
    s = { suite: r.suite, caseId: r.caseId, model: r.model, rule, counts };
    samples.set(key, s);
  }
  count(s.counts, r.outcome);
}
