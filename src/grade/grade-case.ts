/**
 * Grades one output against a case's assertions. Pure but for the suite's own code
 * (`javascript` assertions and transforms), which may do what it likes.
 */
import type { AssertionSpec } from "../suite/types.js";
import { applyTransform, type CodeContext, codeContext } from "./javascript-grader.js";
import { DEFAULT_GRADERS, type GraderRegistry } from "./registry.js";
import {
  type AssertionResult,
  type CaseGrade,
  type GraderContext,
  isPending,
  PENDING,
  type Pending,
} from "./types.js";

/** The fields of an assertion that grading reads. */
export type GradedSpec = Pick<
  AssertionSpec,
  "type" | "value" | "threshold" | "weight" | "grader" | "transform" | "metric"
>;

/** A transform that failed: the assertion fails, whatever its form (see applyTransform). */
function transformFailed(type: string, problem: string): AssertionResult {
  return { type, pass: false, score: 0, reason: problem };
}

/**
 * Grades one assertion, applying its `transform` to the output first, then `not-` negation and
 * the assertion's `threshold`. PENDING when its grader waits for the answer to a question it
 * asked (see GraderContext.ask). `code` is the context transforms see, when the caller made it.
 */
export function gradeAssertion(
  spec: Omit<GradedSpec, "weight">,
  output: string,
  context: GraderContext,
  registry: GraderRegistry = DEFAULT_GRADERS,
  code?: CodeContext,
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
  let seen = output;
  if (spec.transform !== undefined) {
    const transformed = applyTransform(spec.transform, output, code ?? codeContext(context));
    if ("problem" in transformed) return transformFailed(spec.type, transformed.problem);
    seen = transformed.output;
  }
  // A grader that reads the threshold as a bound of its own decides `pass` with it.
  const ownsThreshold = grader.checkThreshold !== undefined;
  // A model-graded assertion's own `grader:` wins over the suite's and the config's.
  const asked = spec.grader === undefined ? context : { ...context, graderModel: spec.grader };
  const graded = grader.grade(seen, spec.value, asked, ownsThreshold ? spec.threshold : undefined);
  if (isPending(graded)) return PENDING;
  // Not graded at all: neither negation nor a threshold makes it a pass or a fail.
  if (graded.error !== undefined) {
    const { hardFail: _, ...ungraded } = graded;
    return { type: spec.type, ...ungraded, pass: false, score: 0 };
  }
  // Broken code of the suite's own: a fail in either form.
  if (graded.hardFail === true) {
    const reason = negated ? `${graded.reason} (a broken check fails as not- too)` : graded.reason;
    return { type: spec.type, pass: false, score: 0, reason };
  }
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
 *
 * `caseTransform`, the case's `transform`, applies to the output before every assertion (and
 * before an assertion's own transform). When it fails, every assertion fails with its reason.
 */
export function gradeCase(
  assertions: readonly GradedSpec[],
  output: string,
  context: GraderContext,
  registry: GraderRegistry = DEFAULT_GRADERS,
  caseTransform?: string,
): CaseGrade | Pending {
  // Made once per case, only when some code will read it.
  const code =
    caseTransform !== undefined || assertions.some((a) => a.transform !== undefined)
      ? codeContext(context)
      : undefined;
  let seen = output;
  if (caseTransform !== undefined && code !== undefined) {
    const transformed = applyTransform(caseTransform, output, code);
    if ("problem" in transformed) {
      const reason = `case ${transformed.problem}`;
      return settle(
        assertions,
        assertions.map((a) => transformFailed(a.type, reason)),
      );
    }
    seen = transformed.output;
  }
  const results = assertions.map((spec) => gradeAssertion(spec, seen, context, registry, code));
  const settled: AssertionResult[] = [];
  for (const [index, result] of results.entries()) {
    if (isPending(result)) return PENDING;
    const metric = assertions[index]?.metric;
    settled.push(metric === undefined ? result : { ...result, metric });
  }
  return settle(assertions, settled);
}

/** The case's grade from its assertions' results (index-aligned). */
function settle(assertions: readonly GradedSpec[], settled: AssertionResult[]): CaseGrade {
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
