/**
 * Graders about the reply rather than its text: stop-reason (why the model stopped) and
 * tool-call (a `tool_use` block with a given name, its input optionally matching a JSON Schema).
 */
import { checkSchema, matchSchema } from "./json-graders.js";
import type { GradeResult, Grader, ToolCall } from "./types.js";

function result(pass: boolean, reason: string): GradeResult {
  return { pass, score: pass ? 1 : 0, reason };
}

/** The Messages API's stop reasons. */
export const STOP_REASONS: readonly string[] = [
  "end_turn",
  "max_tokens",
  "stop_sequence",
  "tool_use",
  "pause_turn",
  "refusal",
];

export const stopReason: Grader = {
  checkValue: (value) =>
    typeof value === "string" && STOP_REASONS.includes(value)
      ? undefined
      : `expects one of ${STOP_REASONS.join(", ")}, got ${JSON.stringify(value) ?? "nothing"}`,
  grade: (_output, value, context) => {
    // A library caller's context may leave it out: then nothing can match.
    const actual = context.stopReason;
    return result(
      actual === value,
      `expected stop reason ${String(value)}, got ${actual === undefined ? "none known" : String(actual)}`,
    );
  },
};

/** A tool-call value: the tool's name, and optionally a JSON Schema for its input. */
interface ToolCallSpec {
  name: string;
  input?: unknown;
}

function toSpec(value: unknown): ToolCallSpec {
  return typeof value === "string" ? { name: value } : (value as ToolCallSpec);
}

function checkToolCall(value: unknown): string | undefined {
  if (typeof value === "string") return value === "" ? "expects a tool name" : undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return `expects a tool name or {name, input: JSON Schema}, got ${JSON.stringify(value) ?? "nothing"}`;
  }
  const unknown = Object.keys(value).filter((key) => key !== "name" && key !== "input");
  if (unknown.length > 0) return `has unknown key '${unknown[0]}' (expects {name, input})`;
  const { name, input } = value as Record<string, unknown>;
  if (typeof name !== "string" || name === "") return "expects `name`, the tool's name";
  const problem = checkSchema(input);
  return problem === undefined ? undefined : `input ${problem}`;
}

function names(calls: readonly ToolCall[]): string {
  return calls.length === 0
    ? "no tool calls"
    : `tool calls ${JSON.stringify(calls.map((c) => c.name))}`;
}

export const toolCall: Grader = {
  checkValue: checkToolCall,
  grade: (_output, value, context) => {
    const spec = toSpec(value);
    const calls = context.toolCalls ?? [];
    const named = calls.filter((call) => call.name === spec.name);
    if (named.length === 0)
      return result(false, `expected a call of tool \`${spec.name}\`, got ${names(calls)}`);
    if (spec.input === undefined) return result(true, `found a call of tool \`${spec.name}\``);
    // Any call of the tool may carry the expected input; the first one explains a failure.
    const graded = named.map((call) => matchSchema(call.input, spec.input, "input"));
    const shown = graded.find((g) => g.pass) ?? (graded[0] as GradeResult);
    return { ...shown, reason: `${shown.reason} (tool call \`${spec.name}\`)` };
  },
};
