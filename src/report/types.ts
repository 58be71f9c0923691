/**
 * report.json: the versioned contract that every renderer, the baseline comparison and users'
 * scripts read (docs/design.md, "report.json"). Fields are camelCase. Add fields freely;
 * never rename or remove one without bumping `schemaVersion` and keeping the old reader working.
 */

import type { Cost } from "../cost/exact-cost.js";
import type { PricedResult } from "../cost/price-result.js";
import type { CostFigures } from "../cost/types.js";
import type { Graded } from "../grade/types.js";

export type { UsageRecord } from "../cost/price-result.js";
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
}

/** A model's result on one suite, used for the selection rule. */
export interface SuiteScore {
  suite: string;
  passRate: number;
  passRateInterval: [number, number];
  passes: boolean;
  uncertain: boolean;
  counts: OutcomeCounts;
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
  tokens: TokenCounts;
  /** Share of requests that used prompt caching and read from the cache (0 when none did). */
  cacheHitRate: number;
  cost: CostSummary;
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
  batches: BatchRecord[];
}

export interface Recommendation {
  model: string | null;
  reason: string;
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
  /** The grader models of model-graded assertions (none when no assertion asks one). */
  graders?: GraderSummary[];
  results: ReportedResult[];
}
