/**
 * Graders that measure the output text: word-count (a number of words, or a range) and
 * levenshtein (the edit distance to a text, at most the assertion's `threshold`).
 */
import { preview } from "./text-graders.js";
import type { GradeResult, Grader } from "./types.js";

function result(pass: boolean, reason: string): GradeResult {
  return { pass, score: pass ? 1 : 0, reason };
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** A word-count value: an exact count, or bounds (either may be left out). */
interface WordRange {
  min?: number;
  max?: number;
}

function checkRange(value: object): string | undefined {
  const unknown = Object.keys(value).filter((key) => key !== "min" && key !== "max");
  if (unknown.length > 0) return `has unknown key '${unknown[0]}' (expects {min, max})`;
  const { min, max } = value as Record<string, unknown>;
  if (min === undefined && max === undefined) return "expects {min, max} with at least one bound";
  for (const [key, bound] of [
    ["min", min],
    ["max", max],
  ] as const) {
    if (bound !== undefined && !isCount(bound)) {
      return `expects ${key} to be a whole number of words (0 or more), got ${JSON.stringify(bound)}`;
    }
  }
  if (isCount(min) && isCount(max) && min > max) {
    return `has min ${min} above max ${max}: no count of words passes`;
  }
  return undefined;
}

function checkWordCount(value: unknown): string | undefined {
  if (isCount(value)) return undefined;
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    return checkRange(value);
  }
  return `expects a whole number of words (0 or more) or {min, max}, got ${JSON.stringify(value) ?? "nothing"}`;
}

/**
 * Words are runs of non-whitespace, as promptfoo counts them: punctuation stays with its word
 * and accented letters are letters (`naïve café` is two words), whatever the script.
 */
export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed === "" ? 0 : trimmed.split(/\s+/u).length;
}

function rangeText(range: WordRange): string {
  if (range.min !== undefined && range.max !== undefined) {
    return `${range.min} to ${range.max} words`;
  }
  return range.min !== undefined ? `at least ${range.min} words` : `at most ${range.max} words`;
}

export const wordCount: Grader = {
  checkValue: checkWordCount,
  grade: (output, value) => {
    const count = countWords(output);
    const range: WordRange = typeof value === "number" ? { min: value, max: value } : (value ?? {});
    const pass = count >= (range.min ?? 0) && count <= (range.max ?? Number.POSITIVE_INFINITY);
    const expected = typeof value === "number" ? `exactly ${value} words` : rangeText(range);
    return result(pass, `expected ${expected}, got ${count} in ${preview(output)}`);
  },
};

/** promptfoo's default largest edit distance. */
export const DEFAULT_LEVENSHTEIN_THRESHOLD = 5;

/**
 * The text as code points, after NFC normalization: an accented letter counts as one edit
 * whether it was written precomposed or with a combining mark, and an emoji outside the BMP is
 * one character, not the two UTF-16 units JavaScript strings index by.
 */
function codePoints(text: string): string[] {
  return Array.from(text.normalize("NFC"));
}

/**
 * The Levenshtein distance between two texts (code points; see codePoints), or `limit + 1` as
 * soon as it is known to exceed `limit`: a long reply far from the value stops early instead of
 * filling the whole table.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  const left = codePoints(a);
  const right = codePoints(b);
  if (Math.abs(left.length - right.length) > limit) return limit + 1;
  let previous = Array.from({ length: right.length + 1 }, (_, j) => j);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= right.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (left[i - 1] === right[j - 1] ? 0 : 1);
      const cell = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
      current.push(cell);
      rowMin = Math.min(rowMin, cell);
    }
    // Every later row's cells are at least this row's smallest one.
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[right.length] ?? 0;
}

export const levenshtein: Grader = {
  checkValue: (value) =>
    typeof value === "string"
      ? undefined
      : `expects the text to compare with, got ${JSON.stringify(value) ?? "nothing"}`,
  checkThreshold: (threshold) =>
    threshold === undefined || isCount(threshold)
      ? undefined
      : `expects threshold to be the largest edit distance allowed (a whole number, 0 or more), got ${JSON.stringify(threshold)}`,
  grade: (output, value, _context, threshold = DEFAULT_LEVENSHTEIN_THRESHOLD) => {
    const expected = String(value);
    const distance = editDistance(output, expected, threshold);
    const measured = distance > threshold ? `more than ${threshold}` : `${distance}`;
    return result(
      distance <= threshold,
      `edit distance ${measured} (at most ${threshold} allowed) from ${preview(expected)} to ${preview(output)}`,
    );
  },
};
