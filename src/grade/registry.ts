/**
 * The assertion registry: assertion type → grader. `not-TYPE` negates any registered type.
 * Built-in graders are always there; a library caller may register more (`GraderRegistry`
 * with extra graders), such as a model-graded assertion whose grader asks questions.
 */
import { closestMatch } from "../source/closest-match.js";
import { promptfooType } from "../suite/promptfoo-names.js";
import { cost } from "./cost-grader.js";
import { javascript } from "./javascript-grader.js";
import { containsJson, isJson } from "./json-graders.js";
import { levenshtein, wordCount } from "./measure-graders.js";
import { factuality, llmRubric, modelGradedClosedQa } from "./model-graders.js";
import { stopReason, toolCall } from "./reply-graders.js";
import {
  contains,
  containsAll,
  containsAny,
  equals,
  icontains,
  icontainsAll,
  icontainsAny,
  regex,
  startsWith,
} from "./text-graders.js";
import type { Grader } from "./types.js";
import { isXml } from "./xml-graders.js";

/** Graders by assertion type. */
export type GraderTable = Readonly<Record<string, Grader>>;

const BUILT_IN: GraderTable = {
  equals,
  contains,
  icontains,
  regex,
  "starts-with": startsWith,
  "contains-any": containsAny,
  "contains-all": containsAll,
  "icontains-any": icontainsAny,
  "icontains-all": icontainsAll,
  "is-json": isJson,
  "contains-json": containsJson,
  "is-xml": isXml,
  "word-count": wordCount,
  levenshtein,
  "stop-reason": stopReason,
  "tool-call": toolCall,
  cost,
  javascript,
  "llm-rubric": llmRubric,
  "model-graded-closedqa": modelGradedClosedQa,
  factuality,
};

const NEGATION = "not-";

export class GraderRegistry {
  private readonly graders: GraderTable;

  /** The built-in graders plus `extra`; an extra type may not replace a built-in one. */
  constructor(extra: GraderTable = {}) {
    for (const type of Object.keys(extra)) {
      if (Object.hasOwn(BUILT_IN, type) || type.startsWith(NEGATION)) {
        throw new RangeError(`assertion type "${type}" is built in or reserved`);
      }
    }
    this.graders = { ...BUILT_IN, ...extra };
  }

  /** Every assertion type a suite may use, without the `not-` forms. */
  types(): string[] {
    return Object.keys(this.graders);
  }

  /** Splits `not-contains` into its base type and whether it is negated. */
  parse(type: string): { base: string; negated: boolean } {
    const base = type.slice(NEGATION.length);
    return type.startsWith(NEGATION) && Object.hasOwn(this.graders, base)
      ? { base, negated: true }
      : { base: type, negated: false };
  }

  /** Whether an assertion type (or its `not-` form) asks a grader model. */
  asksGrader(type: string): boolean {
    return this.find(this.parse(type).base)?.asksGrader === true;
  }

  /** The grader for a base type, or undefined. */
  find(base: string): Grader | undefined {
    return Object.hasOwn(this.graders, base) ? this.graders[base] : undefined;
  }

  /**
   * Checks an assertion before anything is submitted: the type must exist, and its value and
   * threshold must be usable. Returns a message for the suite diagnostic, or undefined when it
   * is fine.
   */
  check(type: string, value: unknown, threshold?: unknown): string | undefined {
    return this.checkAt(type, value, threshold)?.message;
  }

  /** As `check`, with the key the problem is about, for a diagnostic that points at it. */
  checkAt(
    type: string,
    value: unknown,
    threshold?: unknown,
  ): { message: string; at: "type" | "value" | "threshold" } | undefined {
    const grader = this.find(this.parse(type).base);
    if (grader === undefined) {
      return {
        message: `unknown assertion type "${type}"${unknownTypeNote(type, this.types())}`,
        at: "type",
      };
    }
    const valueProblem = grader.checkValue(value);
    if (valueProblem !== undefined) {
      return { message: `assertion "${type}" ${valueProblem}`, at: "value" };
    }
    const thresholdProblem = checkThreshold(grader, threshold);
    return thresholdProblem === undefined
      ? undefined
      : { message: `assertion "${type}" ${thresholdProblem}`, at: "threshold" };
  }
}

/**
 * After "unknown assertion type": what promptfoo's type of that name is here, else the
 * closest known type (a typo), else every known type. A `not-` form is looked up by its base.
 */
function unknownTypeNote(type: string, types: readonly string[]): string {
  const negated = type.startsWith(NEGATION);
  const base = negated ? type.slice(NEGATION.length) : type;
  const prefix = negated ? NEGATION : "";
  const foreign = promptfooType(base);
  if (foreign?.ours !== undefined) {
    return ` — promptfoo's \`${type}\` is \`${prefix}${foreign.ours}\` here`;
  }
  if (foreign !== undefined) {
    const why = foreign.note === undefined ? "" : `: ${foreign.note}`;
    return ` — promptfoo's \`${base}\` is not supported here${why}`;
  }
  // A misspelt `not-` ("nto-contains") is closer to a `not-` form than to any base type.
  const candidates = negated ? types : [...types, ...types.map((t) => NEGATION + t)];
  const near = closestMatch(base, candidates);
  if (near !== undefined) return ` — did you mean "${prefix}${near}"?`;
  return `; known types: ${types.join(", ")} (each also as not-TYPE)`;
}

/** A threshold is a minimum score (0–1), unless the grader reads it as a bound of its own. */
function checkThreshold(grader: Grader, threshold: unknown): string | undefined {
  if (grader.checkThreshold !== undefined) return grader.checkThreshold(threshold);
  const isScore = typeof threshold === "number" && threshold >= 0 && threshold <= 1;
  return threshold === undefined || isScore
    ? undefined
    : `expects threshold to be a minimum score from 0 to 1, got ${JSON.stringify(threshold)}`;
}

/** The built-in graders alone. */
export const DEFAULT_GRADERS = new GraderRegistry();

/** Every built-in assertion type, without the `not-` forms. */
export function assertionTypes(): string[] {
  return DEFAULT_GRADERS.types();
}

/** Checks an assertion against the built-in graders (see GraderRegistry.check). */
export function checkAssertion(
  type: string,
  value: unknown,
  threshold?: unknown,
): string | undefined {
  return DEFAULT_GRADERS.check(type, value, threshold);
}
