/** Grades one output against a case's assertions. Pure. */
import type { AssertionSpec } from "../suite/types.js";
import { findGrader, parseAssertionType } from "./registry.js";
import type { AssertionResult, CaseGrade, GraderContext } from "./types.js";

/** Grades one assertion, applying `not-` negation and the assertion's `threshold`. */
export function gradeAssertion(
  spec: Pick<AssertionSpec, "type" | "value" | "threshold">,
  output: string,
  context: GraderContext,
): AssertionResult {
  const { base, negated } = parseAssertionType(spec.type);
  const grader = findGrader(base);
  if (grader === undefined) {
    // The loader rejects unknown types, so this only happens to library callers.
    return {
      type: spec.type,
      pass: false,
      score: 0,
      reason: `unknown assertion type "${spec.type}"`,
    };
  }
  const graded = grader.grade(output, spec.value, context);
  const score = negated ? 1 - graded.score : graded.score;
  const pass = spec.threshold === undefined ? graded.pass !== negated : score >= spec.threshold;
  const reason = negated
    ? `${pass ? "as required, not:" : "expected not:"} ${graded.reason}`
    : graded.reason;
  return { type: spec.type, pass, score, reason };
}

/** Grades every assertion of a case; the case passes when all of them pass. */
export function gradeCase(
  assertions: readonly Pick<AssertionSpec, "type" | "value" | "threshold" | "weight">[],
  output: string,
  context: GraderContext,
): CaseGrade {
  const results = assertions.map((spec) => gradeAssertion(spec, output, context));
  let weighted = 0;
  let totalWeight = 0;
  assertions.forEach((spec, index) => {
    const weight = spec.weight ?? 1;
    weighted += weight * (results[index]?.score ?? 0);
    totalWeight += weight;
  });
  return {
    pass: results.every((r) => r.pass),
    score: totalWeight === 0 ? 1 : weighted / totalWeight,
    assertions: results,
  };
}
