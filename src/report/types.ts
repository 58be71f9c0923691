/**
 * report.json: the versioned contract that every renderer, the baseline comparison and users'
 * scripts read (docs/design.md, "report.json"). Fields are camelCase. Add fields freely;
 * never rename or remove one without bumping `schemaVersion` and keeping the old reader working.
 */

import type { Cost } from "../cost/exact-cost.js";
import type { PricedResult } from "../cost/price-result.js";
import type { Savings } from "../cost/savings.js";
import type { CostFigures } from "../cost/types.js";
import type { Graded } from "../grade/types.js";

export type { UsageRecord } from "../cost/price-result.js";
export type { Savings } from "../cost/savings.js";
export type { ResultError } from "../grade/types.js";

export const REPORT_SCHEMA_VERSION = 1;

/** Where results came from. `sim` reports must never pass for real ones. */
export type Backend = "anthropic" | "sim";

/** A case on a model: graded pass/fail, an API-side error, or not run. */
export type Outcome = "pass" | "fail" | "error" | "skipped";

/**
 * Costs in USD. The four figures cover every result, including those replayed from the result
 * cache (what the workload costs on this model), exact in `femtoUsd` (see Cost). `replayed` is
 * the part of `batchCached` that came from the cache and was not billed by this run. `grader`
 * is the cost of model-graded assertions, apart from the rest.
 */
export interface CostSummary extends Cost {
  replayed: number;
  grader: number;
}

export interface TokenCounts {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

export interface OutcomeCounts {
  total: number;
  passed: number;
  failed: number;
  errored: number;
}

/** One submitted batch (warm-up and retry batches included). */
export interface BatchRecord {
  id: string;
  /** `warmup` (one request per shared prefix, sent first), `main`, or `retry`. */
  kind: "warmup" | "main" | "retry";
  /** 1 for warm-up and main batches, 2… for retries. */
  attempt: number;
  requests: number;
  processingStatus: "in_progress" | "canceling" | "ended";
  createdAt: string;
  endedAt: string | null;
}

export interface SuiteSummary {
  name: string;
  file: string;
  passThreshold: number;
  caseCount: number;
  /** Samples per case (after `--repeat`); absent in reports written before it was recorded. */
  repeat?: number;
}

/**
 * A named score (an assertion's `metric`) over a model's results, or a model's results on one
 * suite: every graded assertion that names it counts (assertions that could not be graded do
 * not).
 */
export interface MetricScore {
  name: string;
  /** Graded assertions with this metric. */
  assertions: number;
  passed: number;
  /** Mean of their scores (0–1). */
  meanScore: number;
}

/** A model's result on one suite, used for the selection rule. */
export interface SuiteScore {
  suite: string;
  /** trials.passed / (trials.passed + trials.failed). */
  passRate: number;
  passRateInterval: [number, number];
  passes: boolean;
  uncertain: boolean;
  /** The suite's results on this model. */
  counts: OutcomeCounts;
  /**
   * What the pass rate is over: each result, except that the samples of a case with a `pass:`
   * rule count once, as the case (see CaseSamples). Equal to `counts` when no case has one.
   */
  trials: OutcomeCounts;
  /** batchCached cost of the suite's results per passed trial; null when none passed. */
  costPerPass: number | null;
  /** The suite's named scores on this model; absent when no assertion names a metric. */
  metrics?: MetricScore[];
  /** What the suite's results on this model cost (replayed ones included, as in the model's). */
  cost?: Cost;
}

/**
 * A case run more than once (`repeat` above 1) on one model: its samples' outcomes, their pass
 * rate with its 95% Wilson interval, and the case's outcome. With a `pass:` rule the case passes
 * when at least `toPass` samples pass, is an error when errored samples leave it undecided, and
 * fails otherwise; without one it passes when every sample passes.
 */
export interface CaseSamples {
  suite: string;
  caseId: string;
  model: string;
  /** Samples taken (the case's repeat); `passed + failed + errored` unless some were skipped. */
  samples: number;
  passed: number;
  failed: number;
  errored: number;
  passRate: number;
  passRateInterval: [number, number];
  /** The samples that must pass, from the case's `pass:` rule; absent without one. */
  toPass?: number;
  outcome: "pass" | "fail" | "error";
  /** Some samples passed and others failed. */
  flaky: boolean;
}

export interface ModelSummary {
  model: string;
  /** passed / (passed + failed): errors are not failures and are counted apart. */
  passRate: number;
  /** 95% Wilson interval of `passRate`. */
  passRateInterval: [number, number];
  /** Whether the model meets every suite's `pass_threshold`. */
  passes: boolean;
  /** Whether some suite's interval crosses its threshold. */
  uncertain: boolean;
  counts: OutcomeCounts;
  /** What the pass rate is over (see SuiteScore.trials). */
  trials: OutcomeCounts;
  /** batchCached cost per passed trial (a passing result, or case with `pass:`); null when none passed. */
  costPerPass: number | null;
  /** Named scores over all the model's results; absent when no assertion names a metric. */
  metrics?: MetricScore[];
  tokens: TokenCounts;
  /** Share of requests that used prompt caching and read from the cache (0 when none did). */
  cacheHitRate: number;
  cost: CostSummary;
  /** What batching and caching saved against the standard price (grader cost apart). */
  savings?: Savings;
  batches: BatchRecord[];
  suites: SuiteScore[];
}

/**
 * One result in report.json: which request it answers, how it was graded (grade/) and what it
 * cost (cost/).
 */
export interface ResultRecord extends Omit<Graded, "outcome">, Omit<PricedResult, "cost"> {
  suite: string;
  caseId: string;
  model: string;
  repeat: number;
  customId: string;
  outcome: Outcome;
  /** `batch` when this run's batch answered it, `cache` when the result cache did. */
  source: "batch" | "cache";
  /**
   * Present when `output` was cut to OUTPUT_CHARS for the report: the whole output's length.
   * Grading saw the whole output; the raw results files keep it.
   */
  outputChars?: number;
  /**
   * What the result cost. The run prices it as a plain Cost, exact in `femtoUsd` (see
   * cost/price-result.ts); in a report (what `summarize` returns) it always is one.
   */
  cost: CostFigures;
}

/**
 * A result as the report holds it: its cost is plain, exact money, which a spread copy or a
 * JSON round trip keeps, so sums over copied records stay exact (`addCosts`).
 */
export interface ReportedResult extends ResultRecord {
  cost: Cost;
}

/**
 * A grader model and what it did for the run: the questions model-graded assertions put to it
 * (each asked once, however many assertions ask it), its batches, and what its answers cost
 * (batch with caching, exact), all apart from the cost of the models under test.
 */
export interface GraderSummary {
  model: string;
  questions: number;
  cost: Cost;
  /**
   * The part of `cost.batchCached` whose answers the result cache replayed: not billed by this
   * run (absent in reports written before it was recorded).
   */
  replayed?: number;
  batches: BatchRecord[];
}

export interface Recommendation {
  model: string | null;
  reason: string;
  /**
   * The model choice's saving: the recommended model's billed cost below the most expensive
   * model that also passes (absent when it is the only one).
   */
  saving?: { against: string; usd: number; femtoUsd: string };
}

/**
 * Where a report came from: enough to tell two reports' inputs apart, and to run one again.
 */
export interface Provenance {
  batchevalVersion: string;
  /** The command line (`batcheval run …`); absent for a library call. */
  command?: string[];
  /** The commit checked out where the run started, and whether tracked files differed from it. */
  git?: { commit: string; dirty: boolean };
  /** The API's base URL, or `sim:<fixtures hash>` for the simulator. */
  baseUrl: string;
  startedAt: string;
  endedAt: string;
  /** SHA-256 (hex) of the config, each suite file and, on the simulator, each fixture file. */
  files: Record<string, string>;
}

/**
 * A case's inputs, once per case (every model and sample of it shares them): its vars and its
 * rendered messages, or, above PROMPT_CHARS, their SHA-256 and length (the suite files, hashed
 * in the provenance, render them again).
 */
export interface CaseInput {
  suite: string;
  caseId: string;
  vars: Record<string, unknown>;
  messages?: { role: string; content: string }[];
  messagesSha256?: string;
  messagesChars?: number;
  /**
   * The case's assertions as graded (rendered values), in the order of each result's
   * `assertions`: what each was expected to be.
   */
  assert: { type: string; value?: unknown; weight?: number; threshold?: number; metric?: string }[];
}

/** Which result: suite, case, model and sample. */
export interface ResultRef {
  suite: string;
  caseId: string;
  model: string;
  repeat: number;
}

/**
 * The run compared with a baseline (`run --baseline`), per model × suite: both pass rates, the
 * exact McNemar p-value and the flipped results; `batcheval compare` has the whole comparison.
 */
export interface BaselineSummary {
  runId: string;
  tolerance: number;
  regressions: number;
  groups: {
    model: string;
    suite: string;
    oldPassRate: number | null;
    newPassRate: number | null;
    change: number | null;
    pValue: number;
    regression: boolean;
    passToFail: ResultRef[];
    failToPass: ResultRef[];
  }[];
}

/** A result that did not pass, for a reader who wants the failures first. */
export interface FailedResult {
  suite: string;
  caseId: string;
  model: string;
  repeat: number;
  outcome: "fail" | "error";
}

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  runId: string;
  createdAt: string;
  backend: Backend;
  sdkVersion: string;
  suites: SuiteSummary[];
  models: ModelSummary[];
  recommendation: Recommendation;
  /** Totals over every model. */
  cost: CostSummary;
  /** The saving over every model, split into the batch discount and caching. */
  savings?: Savings;
  /** The grader models of model-graded assertions (none when no assertion asks one). */
  graders?: GraderSummary[];
  /** Per case and model, for cases run more than once (none when every repeat is 1). */
  cases?: CaseSamples[];
  /** Where the report came from (absent in reports written before it was recorded). */
  provenance?: Provenance;
  /** Each case's vars and rendered messages (see CaseInput). */
  inputs?: CaseInput[];
  /** The results that failed or errored, in the results' order. */
  failures?: FailedResult[];
  /** With `run --baseline`: how this run compares with it. */
  baseline?: BaselineSummary;
  results: ReportedResult[];
}
