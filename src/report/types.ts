/**
 * report.json: the versioned contract that every renderer, the baseline comparison and users'
 * scripts read (docs/design.md, "report.json"). Fields are camelCase. Add fields freely;
 * never rename or remove one without bumping `schemaVersion` and keeping the old reader working.
 */
import type { CostFigures } from "../cost/types.js";

export const REPORT_SCHEMA_VERSION = 1;

/** Where results came from. `sim` reports must never pass for real ones. */
export type Backend = "anthropic" | "sim";

/** A case on a model: graded pass/fail, an API-side error, or not run. */
export type Outcome = "pass" | "fail" | "error" | "skipped";

/**
 * Costs in USD. The four figures cover every result, including those replayed from the result
 * cache (what the workload costs on this model). `replayed` is the part of `batchCached` that
 * came from the cache and was not billed by this run. `grader` is the cost of model-graded
 * assertions, apart from the rest.
 */
export interface CostSummary extends CostFigures {
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

export interface AssertionOutcome {
  type: string;
  pass: boolean;
  score: number;
  reason: string;
}

/** The usage the API returned, in the API's own snake_case. */
export interface UsageRecord {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number } | null;
  service_tier?: string | null;
  inference_geo?: string | null;
}

export interface ResultError {
  /** `errored:<api error type>`, `expired` or `canceled`. */
  type: string;
  message: string;
}

export interface ResultRecord {
  suite: string;
  caseId: string;
  model: string;
  repeat: number;
  customId: string;
  outcome: Outcome;
  /** `batch` when this run's batch answered it, `cache` when the result cache did. */
  source: "batch" | "cache";
  score: number;
  /** The reply's text blocks joined (thinking left out); empty for a tool call alone. */
  output: string;
  stopReason: string | null;
  /** The reply's tool calls, when it made any. */
  toolCalls?: { name: string; input: unknown }[];
  assertions: AssertionOutcome[];
  usage: UsageRecord | null;
  cost: CostFigures;
  error?: ResultError;
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
  results: ResultRecord[];
}
