/** Grades one output against a case's assertions. Pure. */
import type { AssertionSpec } from "../suite/types.js";
import { DEFAULT_GRADERS, type GraderRegistry } from "./registry.js";
import {
  type AssertionResult,
  type CaseGrade,
  type GraderContext,
  isPending,
  PENDING,
  type Pending,
} from "./types.js";

/**
 * Grades one assertion, applying `not-` negation and the assertion's `threshold`. PENDING when
 * its grader waits for the answer to a question it asked (see GraderContext.ask).
 */
export function gradeAssertion(
  spec: Pick<AssertionSpec, "type" | "value" | "threshold" | "grader">,
  output: string,
  context: GraderContext,
  registry: GraderRegistry = DEFAULT_GRADERS,
): AssertionResult | Pending {
  const { base, negated } = registry.parse(spec.type);
  const grader = registry.find(base);
  if (grader === undefined) {
    // The loader rejects unknown types, so this only happens to library callers.
    return {
      type: spec.type,
      pass: false,
      score: 0,
      reason: `unknown assertion type "${spec.type}"`,
    };
  }
  // A grader that reads the threshold as a bound of its own decides `pass` with it.
  const ownsThreshold = grader.checkThreshold !== undefined;
  // A model-graded assertion's own `grader:` wins over the suite's and the config's.
  const asked = spec.grader === undefined ? context : { ...context, graderModel: spec.grader };
  const graded = grader.grade(
    output,
    spec.value,
    asked,
    ownsThreshold ? spec.threshold : undefined,
  );
  if (isPending(graded)) return PENDING;
  // Not graded at all: neither negation nor a threshold makes it a pass or a fail.
  if (graded.error !== undefined) return { type: spec.type, ...graded, pass: false, score: 0 };
  const score = negated ? 1 - graded.score : graded.score;
  const pass =
    spec.threshold === undefined || ownsThreshold
      ? graded.pass !== negated
      : score >= spec.threshold;
  const reason = negated
    ? `${pass ? "as required, not:" : "expected not:"} ${graded.reason}`
    : graded.reason;
  return { type: spec.type, pass, score, reason };
}

/**
 * Grades every assertion of a case; the case passes when all of them pass. PENDING while any
 * assertion waits for an answer: every assertion is still graded, so that one round asks every
 * question the case has. `error` is set when an assertion could not be graded (the first one's
 * reason): the case is then neither a pass nor a fail.
 */
export function gradeCase(
  assertions: readonly Pick<
    AssertionSpec,
    "type" | "value" | "threshold" | "weight" | "grader" | "metric"
  >[],
  output: string,
  context: GraderContext,
  registry: GraderRegistry = DEFAULT_GRADERS,
): CaseGrade | Pending {
  const results = assertions.map((spec) => gradeAssertion(spec, output, context, registry));
  const settled: AssertionResult[] = [];
  for (const [index, result] of results.entries()) {
    if (isPending(result)) return PENDING;
    const metric = assertions[index]?.metric;
    settled.push(metric === undefined ? result : { ...result, metric });
  }
  let weighted = 0;
  let totalWeight = 0;
  assertions.forEach((spec, index) => {
    const weight = spec.weight ?? 1;
    weighted += weight * (settled[index]?.score ?? 0);
    totalWeight += weight;
  });
  const ungraded = settled.find((r) => r.error !== undefined);
  return {
    pass: settled.every((r) => r.pass),
    score: totalWeight === 0 ? 1 : weighted / totalWeight,
    assertions: settled,
    ...(ungraded?.error === undefined ? {} : { error: `${ungraded.type}: ${ungraded.error}` }),
  };
}
