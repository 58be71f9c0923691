/**
 * Types owned by the grading stage. A grader is a pure function of the model's output; an
 * assertion that does not hold is a `fail`, never an error.
 */

/** What every grader returns (promptfoo's shape). */
export interface GradeResult {
  pass: boolean;
  /** 0–1. */
  score: number;
  /** What was expected and what came back. */
  reason: string;
}

/** A `tool_use` block of the reply: the structured content beside the text. */
export interface ToolCall {
  name: string;
  input: unknown;
}

/** What a grader may read besides the output. */
export interface GraderContext {
  vars: Readonly<Record<string, unknown>>;
  /** The reply's tool calls, in order (none when omitted). */
  toolCalls?: readonly ToolCall[];
}

/** A grader: the output text, the assertion's value, and the context. */
export interface Grader {
  /** Checks the assertion's value at load time; returns a message when it is unusable. */
  checkValue: (value: unknown) => string | undefined;
  grade: (output: string, value: unknown, context: GraderContext) => GradeResult;
}

/** One assertion's outcome, as it appears in report.json. */
export interface AssertionResult extends GradeResult {
  type: string;
}

/** A case's grade: it passes when every assertion passes. */
export interface CaseGrade {
  pass: boolean;
  /** Weighted mean of the assertion scores (1 when there are none). */
  score: number;
  assertions: AssertionResult[];
}
