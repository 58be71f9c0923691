/**
 * A run compared with a baseline run, per model × suite: both pass rates, the change, the results
 * that flipped and an exact McNemar test over the results both runs graded. Pure: takes two
 * reports, returns data; rendering is in render-compare.ts.
 */
import type { BaselineSummary, Outcome, Report, ReportedResult, SuiteScore } from "./types.js";

/** Which result: results pair across runs by suite, case, model and sample. */
export interface ResultKey {
  suite: string;
  caseId: string;
  model: string;
  repeat: number;
}

/** A result that was graded on one side and errored or was skipped on the other (or both). */
export interface ExcludedPair extends ResultKey {
  old: Outcome;
  new: Outcome;
}

/** One side's pass rate on a suite: over its trials, as the report counts them. */
export interface SideRate {
  /** trials.passed / (passed + failed); null when nothing was graded. */
  passRate: number | null;
  passed: number;
  failed: number;
  errored: number;
}

/** The exact McNemar test over the paired, graded results. */
export interface McNemar {
  /** pass → fail flips. */
  b: number;
  /** fail → pass flips. */
  c: number;
  /** Two-sided exact p-value: min(1, 2·P(X ≤ min(b, c))), X ~ Binomial(b + c, ½). */
  pValue: number;
}

export interface GroupComparison {
  model: string;
  suite: string;
  old: SideRate;
  new: SideRate;
  /** new − old pass rate; null when either side graded nothing. */
  change: number | null;
  /** Results graded (pass or fail) on both sides. */
  paired: number;
  mcnemar: McNemar;
  passToFail: ResultKey[];
  failToPass: ResultKey[];
  /** Shared results errored or skipped on either side: not counted as pass or fail. */
  excluded: ExcludedPair[];
  /** Results only the new run has, and only the old one: listed, never regressions. */
  added: ResultKey[];
  removed: ResultKey[];
  /** The pass rate dropped by more than the tolerance and some result went pass → fail. */
  regression: boolean;
}

export interface Comparison {
  oldRunId: string;
  newRunId: string;
  tolerance: number;
  /** Every model × suite both runs scored, in the new run's order. */
  groups: GroupComparison[];
  /** Model × suite pairs that only one run has. */
  onlyOld: { model: string; suite: string }[];
  onlyNew: { model: string; suite: string }[];
  /** How many groups regressed. */
  regressions: number;
}

/** Below this, a difference between a drop and the tolerance is float rounding (0.9 − 0.88). */
const ROUNDING = 1e-9;

/** C(n, i) for every i ≤ k is below 2^53 up to this n, so the small-case sum is exact. */
const EXACT_N = 50;

/**
 * The two-sided exact McNemar p-value for `b` pass→fail and `c` fail→pass flips: the discordant
 * pairs are b + c coin tosses under "no change". Up to 50 of them the binomial sum is computed
 * with exact integers (then one division by a power of two); above, in log space, since 2^-n
 * underflows past n = 1074 and C(n, k) overflows much sooner.
 */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  const k = Math.min(b, c);
  if (n === 0 || b === c) return 1;
  let tail: number;
  if (n <= EXACT_N) {
    let term = 1; // C(n, 0)
    let sum = 1;
    for (let i = 1; i <= k; i++) {
      term = (term * (n - i + 1)) / i; // C(n, i), exact: C(n, i-1)·(n-i+1) stays below 2^53
      sum += term;
    }
    tail = sum / 2 ** n;
  } else {
    // Σ_{i≤k} C(n,i) = C(n,k)·Σ r_i with r_k = 1, r_{i-1} = r_i·i/(n-i+1): each r ≤ 1 when k < n/2.
    let ratio = 1;
    let sum = 1;
    for (let i = k; i >= 1; i--) {
      ratio *= i / (n - i + 1);
      if (ratio < Number.EPSILON * sum) break;
      sum += ratio;
    }
    tail = Math.exp(logChoose(n, k) - n * Math.LN2 + Math.log(sum));
  }
  return Math.min(1, 2 * tail);
}

function logChoose(n: number, k: number): number {
  let log = 0;
  for (let i = 1; i <= k; i++) log += Math.log(n - k + i) - Math.log(i);
  return log;
}

function keyOf(r: ResultKey): string {
  return JSON.stringify([r.suite, r.caseId, r.model, r.repeat]);
}

function bareKey(r: ResultKey): ResultKey {
  return { suite: r.suite, caseId: r.caseId, model: r.model, repeat: r.repeat };
}

function byKey(a: ResultKey, b: ResultKey): number {
  return (
    a.suite.localeCompare(b.suite) ||
    a.caseId.localeCompare(b.caseId) ||
    a.model.localeCompare(b.model) ||
    a.repeat - b.repeat
  );
}

function sideRate(score: SuiteScore): SideRate {
  const { passed, failed } = score.trials;
  const graded = passed + failed;
  return {
    passRate: graded === 0 ? null : passed / graded,
    passed,
    failed,
    errored: score.trials.errored,
  };
}

function graded(outcome: Outcome): boolean {
  return outcome === "pass" || outcome === "fail";
}

/** Results grouped by model and suite, each group keyed by result. */
function resultIndex(report: Report): Map<string, Map<string, ReportedResult>> {
  const groups = new Map<string, Map<string, ReportedResult>>();
  for (const result of report.results) {
    const group = JSON.stringify([result.model, result.suite]);
    let results = groups.get(group);
    if (results === undefined) {
      results = new Map();
      groups.set(group, results);
    }
    results.set(keyOf(result), result);
  }
  return groups;
}

function compareGroup(
  model: string,
  suite: string,
  scores: { old: SuiteScore; new: SuiteScore },
  results: { old: Map<string, ReportedResult>; new: Map<string, ReportedResult> },
  tolerance: number,
): GroupComparison {
  const passToFail: ResultKey[] = [];
  const failToPass: ResultKey[] = [];
  const excluded: ExcludedPair[] = [];
  const added: ResultKey[] = [];
  const removed: ResultKey[] = [];
  let paired = 0;
  for (const [key, before] of results.old) {
    const after = results.new.get(key);
    if (after === undefined) {
      removed.push(bareKey(before));
    } else if (!graded(before.outcome) || !graded(after.outcome)) {
      excluded.push({ ...bareKey(before), old: before.outcome, new: after.outcome });
    } else {
      paired++;
      if (before.outcome === "pass" && after.outcome === "fail") passToFail.push(bareKey(before));
      if (before.outcome === "fail" && after.outcome === "pass") failToPass.push(bareKey(before));
    }
  }
  for (const [key, after] of results.new) if (!results.old.has(key)) added.push(bareKey(after));
  for (const list of [passToFail, failToPass, excluded, added, removed]) list.sort(byKey);
  const old = sideRate(scores.old);
  const now = sideRate(scores.new);
  const change =
    old.passRate === null || now.passRate === null ? null : now.passRate - old.passRate;
  const dropped = change !== null && -change - tolerance > ROUNDING;
  return {
    model,
    suite,
    old,
    new: now,
    change,
    paired,
    mcnemar: {
      b: passToFail.length,
      c: failToPass.length,
      pValue: mcnemarExact(passToFail.length, failToPass.length),
    },
    passToFail,
    failToPass,
    excluded,
    added,
    removed,
    regression: dropped && passToFail.length > 0,
  };
}

function suiteScores(report: Report): Map<string, { model: string; score: SuiteScore }> {
  const scores = new Map<string, { model: string; score: SuiteScore }>();
  for (const model of report.models) {
    for (const score of model.suites) {
      scores.set(JSON.stringify([model.model, score.suite]), { model: model.model, score });
    }
  }
  return scores;
}

/**
 * `now` compared with the baseline `old`. A group regresses when its pass rate drops by more
 * than `tolerance` (an absolute rate: 0.02 is two points) and at least one result went
 * pass → fail: a drop that comes only from errors or from cases added or removed is not one.
 */
export function compareReports(old: Report, now: Report, tolerance = 0): Comparison {
  const oldScores = suiteScores(old);
  const newScores = suiteScores(now);
  const oldResults = resultIndex(old);
  const newResults = resultIndex(now);
  const groups: GroupComparison[] = [];
  const onlyNew: { model: string; suite: string }[] = [];
  for (const [group, after] of newScores) {
    const before = oldScores.get(group);
    const { model } = after;
    const suite = after.score.suite;
    if (before === undefined) {
      onlyNew.push({ model, suite });
      continue;
    }
    const results = {
      old: oldResults.get(group) ?? new Map(),
      new: newResults.get(group) ?? new Map(),
    };
    groups.push(
      compareGroup(model, suite, { old: before.score, new: after.score }, results, tolerance),
    );
  }
  const onlyOld = [...oldScores]
    .filter(([group]) => !newScores.has(group))
    .map(([, { model, score }]) => ({ model, suite: score.suite }));
  return {
    oldRunId: old.runId,
    newRunId: now.runId,
    tolerance,
    groups,
    onlyOld,
    onlyNew,
    regressions: groups.filter((g) => g.regression).length,
  };
}

/** What report.json keeps of a comparison (see BaselineSummary). */
export function baselineSummary(comparison: Comparison): BaselineSummary {
  return {
    runId: comparison.oldRunId,
    tolerance: comparison.tolerance,
    regressions: comparison.regressions,
    groups: comparison.groups.map((g) => ({
      model: g.model,
      suite: g.suite,
      oldPassRate: g.old.passRate,
      newPassRate: g.new.passRate,
      change: g.change,
      pValue: g.mcnemar.pValue,
      regression: g.regression,
      passToFail: g.passToFail,
      failToPass: g.failToPass,
    })),
  };
}
