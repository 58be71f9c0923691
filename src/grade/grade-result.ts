/**
 * The grading stage for one batch result: output extraction, error mapping, outcome and score.
 * A result with no reply (errored, expired, canceled, missing) is outcome `error` with its
 * reason and no assertions, never `fail`. Pure.
 */
import type { MessageBatchIndividualResponse } from "@anthropic-ai/sdk/resources/messages/batches";
import type { Cost } from "../cost/exact-cost.js";
import type { AssertionSpec } from "../suite/types.js";
import { gradeCase } from "./grade-case.js";
import { DEFAULT_GRADERS, type GraderRegistry } from "./registry.js";
import { MISSING_RESULT, outputText, resultError, toolCalls } from "./result-output.js";
import {
  type Graded,
  type GraderContext,
  isPending,
  PENDING,
  type Pending,
  type ResultError,
} from "./types.js";

/** What one result is graded against: its case's assertions and vars. */
export interface GradeTarget {
  assert: readonly Pick<
    AssertionSpec,
    "type" | "value" | "threshold" | "weight" | "grader" | "metric" | "transform"
  >[];
  vars: Readonly<Record<string, unknown>>;
  /** The case's transform: applied to the output before every assertion (see gradeCase). */
  transform?: string;
  /** The case's rendered messages: model-graded assertions quote the last user message. */
  messages?: readonly { role: string; content: string }[];
  /** The grader model of the case's model-graded assertions that name none of their own. */
  grader?: string;
  /**
   * promptfoo's case threshold: the result passes when its weighted score is at least this,
   * even if some assertion failed. Absent: every assertion must pass.
   */
  threshold?: number;
}

/** The last user message of a prompt, as model-graded assertions quote it. */
function lastUserText(messages: GradeTarget["messages"]): string | undefined {
  return messages?.findLast((m) => m.role === "user")?.content;
}

function errorGrade(error: ResultError): Graded {
  return { outcome: "error", score: 0, output: "", stopReason: null, assertions: [], error };
}

/**
 * Grades one result (undefined: the results hold no line for the request). `ask` answers the
 * questions of model-graded assertions (see GraderContext.ask); PENDING while one waits. `cost`
 * is the result's priced cost, for the `cost` assertion.
 */
export function gradeResult(
  target: GradeTarget,
  result: MessageBatchIndividualResponse | undefined,
  ask?: GraderContext["ask"],
  registry: GraderRegistry = DEFAULT_GRADERS,
  cost?: Cost,
): Graded | Pending {
  if (result === undefined) return errorGrade(MISSING_RESULT);
  const outcome = result.result;
  if (outcome.type !== "succeeded") return errorGrade(resultError(outcome));
  const message = outcome.message;
  const output = outputText(message);
  const calls = toolCalls(message);
  const context: GraderContext = {
    vars: target.vars,
    toolCalls: calls,
    usage: message.usage,
    stopReason: message.stop_reason,
    ...(cost ? { cost } : {}),
    ...(ask ? { ask } : {}),
  };
  const prompt = lastUserText(target.messages);
  if (prompt !== undefined) context.prompt = prompt;
  if (target.grader !== undefined) context.graderModel = target.grader;
  const grade = gradeCase(target.assert, output, context, registry, target.transform);
  if (isPending(grade)) return PENDING;
  const ungraded: Pick<Graded, "error"> =
    grade.error === undefined ? {} : { error: { type: "grader_error", message: grade.error } };
  const pass = target.threshold === undefined ? grade.pass : grade.score >= target.threshold;
  return {
    outcome: grade.error !== undefined ? "error" : pass ? "pass" : "fail",
    score: grade.score,
    output,
    stopReason: message.stop_reason,
    ...(calls.length > 0 ? { toolCalls: calls } : {}),
    assertions: grade.assertions,
    ...ungraded,
  };
}
