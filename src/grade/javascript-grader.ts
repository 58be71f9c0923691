/**
 * The javascript grader and the `transform` modifier: the suite's own code, called with
 * `(output, context)` (see source/javascript-code.ts for the forms it is written in). The code
 * is compiled when the suite loads (checkValue); grading calls the cached function.
 *
 * A javascript assertion's code returns a boolean, a score from 0 to 1, or `{pass, score,
 * reason}`. Code that throws, or returns anything else, is a fail whatever the assertion's form
 * (`hardFail`): a broken check must not pass as `not-javascript`.
 */
import { exactOf } from "../cost/exact-cost.js";
import { femtoToUsd } from "../cost/exact-money.js";
import { codeProblem, compileCode, runCode } from "../source/javascript-code.js";
import { preview } from "./text-graders.js";
import type { GradeResult, Grader, GraderContext } from "./types.js";

/**
 * What the code sees as `context`: the case's vars, the reply's token usage (as the API reports
 * it, snake_case), why it stopped, its tool calls, the result's batch cost in USD (what the
 * `cost` assertion checks) when it is known, and the prompt's last user message.
 */
export interface CodeContext {
  vars: Readonly<Record<string, unknown>>;
  usage?: GraderContext["usage"];
  stopReason: string | null;
  toolCalls: NonNullable<GraderContext["toolCalls"]>;
  cost?: number;
  prompt?: string;
}

export function codeContext(context: GraderContext): CodeContext {
  return {
    vars: context.vars,
    ...(context.usage === undefined ? {} : { usage: context.usage }),
    stopReason: context.stopReason ?? null,
    toolCalls: context.toolCalls ?? [],
    ...(context.cost === undefined ? {} : { cost: femtoToUsd(exactOf(context.cost).batchCached) }),
    ...(context.prompt === undefined ? {} : { prompt: context.prompt }),
  };
}

/** A value as a reason shows it: JSON where it has one, else its kind. */
function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "function") return "a function";
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "number") return String(value);
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 80 ? `${text.slice(0, 80)}…` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function hardFail(reason: string): GradeResult {
  return { pass: false, score: 0, reason, hardFail: true };
}

function isScore(value: unknown): value is number {
  return typeof value === "number" && value >= 0 && value <= 1;
}

function isThenable(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

const EXPECTED_RETURN = "expected a boolean, a score from 0 to 1, or {pass, score, reason}";

/** A returned `{pass, score, reason}`: its own pass decides, as in promptfoo. */
function objectGrade(value: Record<string, unknown>, code: string): GradeResult {
  const { pass, score, reason } = value;
  if (typeof pass !== "boolean") {
    return hardFail(
      `${code} returned ${describe(value)} without a boolean \`pass\` (${EXPECTED_RETURN})`,
    );
  }
  if (score !== undefined && !isScore(score)) {
    return hardFail(`${code} returned score ${describe(score)}: a score is from 0 to 1`);
  }
  if (reason !== undefined && typeof reason !== "string") {
    return hardFail(`${code} returned reason ${describe(reason)}: a reason is a string`);
  }
  return {
    pass,
    score: score ?? (pass ? 1 : 0),
    reason: reason ?? `${code} returned pass: ${pass}`,
  };
}

/**
 * The grade a returned value makes. A number is the score, and passes above 0, or at the
 * threshold or above when there is one (promptfoo's rule).
 */
export function codeGrade(value: unknown, code: string, threshold?: number): GradeResult {
  if (typeof value === "boolean") {
    return { pass: value, score: value ? 1 : 0, reason: `${code} returned ${value}` };
  }
  if (typeof value === "number") {
    if (!isScore(value)) {
      return hardFail(`${code} returned ${describe(value)}: a score is a number from 0 to 1`);
    }
    const pass = threshold === undefined ? value > 0 : value >= threshold;
    const needed = threshold === undefined ? "above 0 passes" : `at least ${threshold} passes`;
    return { pass, score: value, reason: `${code} returned score ${value} (${needed})` };
  }
  if (isThenable(value)) {
    return hardFail(`${code} returned a Promise: the code must return its grade synchronously`);
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    return objectGrade(value as Record<string, unknown>, code);
  }
  return hardFail(`${code} returned ${describe(value)} (${EXPECTED_RETURN})`);
}

/** How a reason names the code: the file, or the inline code's preview. */
function named(code: string): string {
  return code.startsWith("file:") ? code : `javascript ${preview(code)}`;
}

function checkScoreThreshold(threshold: unknown): string | undefined {
  return threshold === undefined || isScore(threshold)
    ? undefined
    : `expects threshold to be a minimum score from 0 to 1, got ${JSON.stringify(threshold)}`;
}

export const javascript: Grader = {
  checkValue: codeProblem,
  // A returned number passes above 0 without a threshold, so the grader applies it itself.
  checkThreshold: checkScoreThreshold,
  grade: (output, value, context, threshold) => {
    const code = String(value);
    const compiled = compileCode(code);
    if ("problem" in compiled) return hardFail(`the code ${compiled.problem}`);
    const run = runCode(compiled.fn, output, codeContext(context));
    if ("thrown" in run) return hardFail(`${named(code)} threw ${run.thrown}`);
    return codeGrade(run.value, named(code), threshold);
  },
};

/** A transform's result: the output the assertions then see, or why there is none. */
export type Transformed = { output: string } | { problem: string };

/**
 * Applies a transform to the output: its result, as text (JSON when it is not a string). A
 * throw, a result of `undefined` (most likely a body without `return`) or one JSON cannot
 * write is a problem, never an exception.
 */
export function applyTransform(code: string, output: string, context: CodeContext): Transformed {
  const compiled = compileCode(code);
  if ("problem" in compiled) return { problem: `transform ${compiled.problem}` };
  const run = runCode(compiled.fn, output, context);
  const where = `transform ${code.startsWith("file:") ? code : preview(code)}`;
  if ("thrown" in run) return { problem: `${where} threw ${run.thrown}` };
  if (typeof run.value === "string") return { output: run.value };
  if (run.value === undefined) {
    return { problem: `${where} returned undefined (does its body \`return\` the new output?)` };
  }
  try {
    const text = JSON.stringify(run.value);
    if (text !== undefined) return { output: text };
  } catch (error) {
    return { problem: `${where} returned a value JSON cannot write (${String(error)})` };
  }
  return { problem: `${where} returned ${describe(run.value)}, which is not text` };
}
