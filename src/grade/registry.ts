/**
 * The assertion registry: assertion type → grader. `not-TYPE` negates any registered type.
 * Model-graded assertions (llm-rubric) will register here too, as graders that emit requests.
 */
import { containsJson, isJson } from "./json-graders.js";
import {
  contains,
  containsAll,
  containsAny,
  equals,
  icontains,
  regex,
  startsWith,
} from "./text-graders.js";
import type { Grader } from "./types.js";

const GRADERS: Readonly<Record<string, Grader>> = {
  equals,
  contains,
  icontains,
  regex,
  "starts-with": startsWith,
  "contains-any": containsAny,
  "contains-all": containsAll,
  "is-json": isJson,
  "contains-json": containsJson,
};

const NEGATION = "not-";

/** Every assertion type a suite may use, without the `not-` forms. */
export function assertionTypes(): string[] {
  return Object.keys(GRADERS);
}

/** Splits `not-contains` into its base type and whether it is negated. */
export function parseAssertionType(type: string): { base: string; negated: boolean } {
  return type.startsWith(NEGATION) && type.slice(NEGATION.length) in GRADERS
    ? { base: type.slice(NEGATION.length), negated: true }
    : { base: type, negated: false };
}

/** The grader for a base type, or undefined. */
export function findGrader(base: string): Grader | undefined {
  return Object.hasOwn(GRADERS, base) ? GRADERS[base] : undefined;
}

/**
 * Checks an assertion before anything is submitted: the type must exist and its value must be
 * usable. Returns a message for the suite diagnostic, or undefined when it is fine.
 */
export function checkAssertion(type: string, value: unknown): string | undefined {
  const { base } = parseAssertionType(type);
  const grader = findGrader(base);
  if (grader === undefined) {
    return `unknown assertion type "${type}"; known types: ${assertionTypes().join(", ")} (each also as not-TYPE)`;
  }
  const problem = grader.checkValue(value);
  return problem === undefined ? undefined : `assertion "${type}" ${problem}`;
}
