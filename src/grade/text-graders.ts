/**
 * Graders that compare the output text with a value: equals, contains, icontains, regex,
 * starts-with, contains-any, contains-all, icontains-any, icontains-all.
 */
import type { GradeResult, Grader } from "./types.js";

const PREVIEW = 80;

/** Shortens text for a reason string, keeping it on one line. */
export function preview(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return JSON.stringify(flat.length > PREVIEW ? `${flat.slice(0, PREVIEW)}…` : flat);
}

function result(pass: boolean, reason: string): GradeResult {
  return { pass, score: pass ? 1 : 0, reason };
}

function needString(value: unknown): string | undefined {
  return typeof value === "string" || typeof value === "number"
    ? undefined
    : "expects a text value";
}

function needStringList(value: unknown): string | undefined {
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string")
    ? undefined
    : "expects a non-empty list of text values";
}

/** Parses `/body/flags` or a bare pattern. */
export function toRegExp(value: unknown): RegExp {
  const text = String(value);
  const literal = /^\/(.*)\/([dgimsuvy]*)$/s.exec(text);
  return literal ? new RegExp(literal[1] ?? "", literal[2]) : new RegExp(text);
}

export const equals: Grader = {
  checkValue: (value) => (value === undefined ? "expects a value to compare with" : undefined),
  grade: (output, value) => {
    const expected = typeof value === "string" ? value : JSON.stringify(value);
    const actual = typeof value === "string" ? output : normalizeJson(output);
    return result(
      actual === expected || actual.trim() === expected.trim(),
      `expected ${preview(expected)}, got ${preview(output)}`,
    );
  },
};

function normalizeJson(output: string): string {
  try {
    return JSON.stringify(JSON.parse(output));
  } catch {
    return output;
  }
}

export const contains: Grader = {
  checkValue: needString,
  grade: (output, value) =>
    result(
      output.includes(String(value)),
      `expected output to contain ${preview(String(value))}, got ${preview(output)}`,
    ),
};

export const icontains: Grader = {
  checkValue: needString,
  grade: (output, value) =>
    result(
      output.toLowerCase().includes(String(value).toLowerCase()),
      `expected output to contain ${preview(String(value))} (any case), got ${preview(output)}`,
    ),
};

export const startsWith: Grader = {
  checkValue: needString,
  grade: (output, value) =>
    result(
      output.trimStart().startsWith(String(value)),
      `expected output to start with ${preview(String(value))}, got ${preview(output)}`,
    ),
};

export const regex: Grader = {
  checkValue: (value) => {
    if (typeof value !== "string") return "expects a pattern, e.g. /^yes$/i";
    try {
      toRegExp(value);
      return undefined;
    } catch (error) {
      return `is not a valid regular expression: ${(error as Error).message}`;
    }
  },
  grade: (output, value) =>
    result(
      toRegExp(value).test(output),
      `expected output to match ${String(value)}, got ${preview(output)}`,
    ),
};

/**
 * contains-any and its case-blind twin: `fold` maps the output and each item before comparing,
 * while the reason quotes the items as written.
 */
function anyOf(fold: (text: string) => string, how: string): Grader {
  return {
    checkValue: needStringList,
    grade: (output, value) => {
      const list = value as string[];
      const text = fold(output);
      const found = list.find((item) => text.includes(fold(item)));
      return result(
        found !== undefined,
        found === undefined
          ? `expected any of ${JSON.stringify(list)}${how}, got ${preview(output)}`
          : `found ${preview(found)}${how}`,
      );
    },
  };
}

/** contains-all and its case-blind twin (see anyOf). */
function allOf(fold: (text: string) => string, how: string): Grader {
  return {
    checkValue: needStringList,
    grade: (output, value) => {
      const text = fold(output);
      const missing = (value as string[]).filter((item) => !text.includes(fold(item)));
      return result(
        missing.length === 0,
        missing.length === 0
          ? `found every item${how}`
          : `missing ${JSON.stringify(missing)}${how} in ${preview(output)}`,
      );
    },
  };
}

const asWritten = (text: string): string => text;
const lowerCase = (text: string): string => text.toLowerCase();

export const containsAny: Grader = anyOf(asWritten, "");
export const containsAll: Grader = allOf(asWritten, "");
export const icontainsAny: Grader = anyOf(lowerCase, " (any case)");
export const icontainsAll: Grader = allOf(lowerCase, " (any case)");
