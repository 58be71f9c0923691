/**
 * Types owned by the grading stage. A grader is a pure function of the model's output (and, for
 * a model-graded assertion, of the answers to the questions it asked); an assertion that does
 * not hold is a `fail`. The one error is an assertion that could not be graded at all: a grader
 * model whose answer did not parse, or whose request failed (`GradeResult.error`).
 */
import type {
  Message,
  MessageCreateParamsNonStreaming,
  Usage,
} from "@anthropic-ai/sdk/resources/messages/messages";
import type { Cost } from "../cost/exact-cost.js";

/** What every grader returns (promptfoo's shape). */
export interface GradeResult {
  pass: boolean;
  /** 0–1. */
  score: number;
  /** What was expected and what came back. */
  reason: string;
  /**
   * Set when the assertion could not be graded (a grader model's answer that does not parse,
   * with its raw text, or a grader request that failed): the result is then an `error`, never
   * a silent pass or fail, and `pass`/`score` mean nothing.
   */
  error?: string;
  /**
   * A fail that `not-` does not turn into a pass: the assertion's own code threw, or returned
   * what is not a grade (javascript). The check is broken, so neither form of it holds.
   */
  hardFail?: boolean;
}

/** A `tool_use` block of the reply: the structured content beside the text. */
export interface ToolCall {
  name: string;
  input: unknown;
}

/**
 * Why a result has no grade: it has no reply (`errored:<api error type>`, `expired`, `canceled`
 * or `missing`), or a model-graded assertion could not grade it (`grader_error`).
 */
export interface ResultError {
  type: string;
  message: string;
}

/**
 * A question a model-graded assertion puts to a grader model: one Messages request. The run
 * sends every question of a round as batches of their own (purpose `grader`), after the
 * results they grade are collected.
 */
export interface GraderQuestion {
  model: string;
  params: MessageCreateParamsNonStreaming;
}

/** What came back for a question: the grader model's reply, or why there is none. */
export type GraderAnswer = { message: Message } | { error: ResultError };

/** A grade that waits for the answers to the questions it asked (see GraderContext.ask). */
export interface Pending {
  pending: true;
}

export const PENDING: Pending = Object.freeze({ pending: true });

export function isPending(value: object): value is Pending {
  return "pending" in value && value.pending === true;
}

/** What a grader may read besides the output. */
export interface GraderContext {
  vars: Readonly<Record<string, unknown>>;
  /** The reply's tool calls, in order (none when omitted). */
  toolCalls?: readonly ToolCall[];
  /** The reply's token usage, as the API reports it; unknown when omitted. */
  usage?: Usage;
  /** Why the model stopped (`end_turn`, `max_tokens`…); unknown when omitted. */
  stopReason?: string | null;
  /** What this result cost, priced exactly before grading; unknown when omitted. */
  cost?: Cost;
  /** The prompt's last user message, as sent (model-graded assertions quote it). */
  prompt?: string;
  /**
   * The grader model of a model-graded assertion: the assertion's `grader:`, else the suite's,
   * else the config's `grader_model` (the loader resolves it).
   */
  graderModel?: string;
  /**
   * Asks a grader model a question: the answer when the run has it, otherwise undefined, and
   * the question is noted as pending (the grader then returns PENDING; it is called again
   * once the answers are in). Absent where no question can be answered: then asking is an
   * error of the grader's.
   */
  ask?: (question: GraderQuestion) => GraderAnswer | undefined;
}

/** A grader: the output text, the assertion's value, and the context. */
export interface Grader {
  /** Checks the assertion's value at load time; returns a message when it is unusable. */
  checkValue: (value: unknown) => string | undefined;
  /**
   * Present when the grader reads the assertion's `threshold` itself, as a bound of its own
   * (levenshtein: the largest edit distance), rather than as the minimum score: checks it at
   * load time. The grader then gets the threshold and decides `pass`; negation still applies.
   */
  checkThreshold?: (threshold: unknown) => string | undefined;
  /** True for a model-graded assertion: it asks a grader model (`grader:` applies to it). */
  asksGrader?: boolean;
  grade: (
    output: string,
    value: unknown,
    context: GraderContext,
    threshold?: number,
  ) => GradeResult | Pending;
}

/** One assertion's outcome, as it appears in report.json. */
export interface AssertionResult extends GradeResult {
  type: string;
  /** The assertion's `metric`, when it names one. */
  metric?: string;
}

/** A case's grade: it passes when every assertion passes. */
export interface CaseGrade {
  pass: boolean;
  /** Why an assertion could not be graded, when one could not (see GradeResult.error). */
  error?: string;
  /** Weighted mean of the assertion scores (1 when there are none). */
  score: number;
  assertions: AssertionResult[];
}

/** A graded result: what grading says about one batch result. */
export interface Graded {
  /**
   * `error` when the result has no reply, or an assertion could not be graded (see `error`);
   * never `fail` for an API failure.
   */
  outcome: "pass" | "fail" | "error";
  score: number;
  /** The reply's text blocks joined (thinking left out); empty for a tool call alone. */
  output: string;
  stopReason: string | null;
  /** The reply's tool calls, when it made any. */
  toolCalls?: ToolCall[];
  assertions: AssertionResult[];
  error?: ResultError;
}
