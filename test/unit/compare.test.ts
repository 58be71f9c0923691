/**
 * The baseline comparison: exact McNemar p-values against hand-computed binomial sums, and
 * compareReports on small reports built by summarize (flips, added and removed cases, errors
 * left out, the tolerance boundary).
 */
import { describe, expect, it } from "vitest";
import { ZERO_COST } from "../../src/cost/price-usage.js";
import { compareReports, mcnemarExact } from "../../src/report/compare.js";
import { renderComparison } from "../../src/report/render-compare.js";
import { summarize } from "../../src/report/summarize.js";
import type { Outcome, Report } from "../../src/report/types.js";

describe("mcnemarExact", () => {
  it.each([
    // 2 · Σ_{i≤k} C(n,i) / 2^n, summed by hand.
    [0, 5, 2 / 32], // 0.0625
    [5, 0, 2 / 32],
    [1, 9, (2 * (1 + 10)) / 1024], // 0.021484375
    [2, 8, (2 * (1 + 10 + 45)) / 1024], // 0.109375
    [0, 1, 1], // 2 · ½, capped
    [1, 3, Math.min(1, (2 * (1 + 4)) / 16)], // 0.625
    [0, 10, 2 / 1024],
  ])("b=%i c=%i → %f", (b, c, p) => {
    expect(mcnemarExact(b, c)).toBe(p);
  });

  it("is 1 with no discordant pair or when b = c", () => {
    expect(mcnemarExact(0, 0)).toBe(1);
    expect(mcnemarExact(3, 3)).toBe(1);
    expect(mcnemarExact(400, 400)).toBe(1);
  });

  it("stays finite and accurate where 2^-n underflows and C(n,k) overflows", () => {
    // n = 60 by the exact route of BigInt, against the log-space route.
    const n = 60n;
    let term = 1n;
    let sum = 1n;
    for (let i = 1n; i <= 20n; i++) {
      term = (term * (n - i + 1n)) / i;
      sum += term;
    }
    const exact = Number((2n * sum * 10n ** 30n) / 2n ** n) / 1e30;
    expect(mcnemarExact(20, 40)).toBeCloseTo(exact, 12);
    const tiny = mcnemarExact(0, 2000);
    expect(tiny).toBe(0); // 2^-1999 is below the smallest double
    const large = mcnemarExact(1000, 1100);
    expect(large).toBeGreaterThan(0.02);
    expect(large).toBeLessThan(0.04);
  });
});

type Row = [suite: string, caseId: string, outcome: Outcome, repeat?: number];

function report(runId: string, rows: Row[], model = "claude-haiku-4-5"): Report {
  const suites = [...new Set(rows.map(([suite]) => suite))].map((name) => ({
    name,
    file: `${name}.yaml`,
    passThreshold: 0.5,
    caseCount: rows.filter(([s]) => s === name).length,
  }));
  return summarize({
    runId,
    createdAt: "2026-12-01T00:00:00Z",
    backend: "sim",
    sdkVersion: "x",
    suites,
    models: [model],
    results: rows.map(([suite, caseId, outcome, repeat = 0]) => ({
      suite,
      caseId,
      model,
      repeat,
      customId: `${suite}_${caseId}_r${repeat}`,
      outcome,
      source: "batch" as const,
      score: outcome === "pass" ? 1 : 0,
      output: "x",
      stopReason: "end_turn",
      assertions: [],
      usage: null,
      cost: ZERO_COST,
      ...(outcome === "error" ? { error: { type: "api_error", message: "boom" } } : {}),
    })),
    batches: new Map(),
  });
}

describe("compareReports", () => {
  const old = report("old", [
    ["s", "a", "pass"],
    ["s", "b", "pass"],
    ["s", "c", "fail"],
    ["s", "d", "pass"],
    ["s", "e", "error"],
    ["s", "gone", "pass"],
  ]);
  const now = report("new", [
    ["s", "a", "fail"],
    ["s", "b", "pass"],
    ["s", "c", "pass"],
    ["s", "d", "error"],
    ["s", "e", "fail"],
    ["s", "new", "fail"],
  ]);

  it("pairs results, lists flips, excluded, added and removed results", () => {
    const [group, ...rest] = compareReports(old, now).groups;
    expect(rest).toEqual([]);
    const key = (caseId: string) => ({ suite: "s", caseId, model: "claude-haiku-4-5", repeat: 0 });
    expect(group?.passToFail).toEqual([key("a")]);
    expect(group?.failToPass).toEqual([key("c")]);
    expect(group?.excluded).toEqual([
      { ...key("d"), old: "pass", new: "error" },
      { ...key("e"), old: "error", new: "fail" },
    ]);
    expect(group?.added).toEqual([key("new")]);
    expect(group?.removed).toEqual([key("gone")]);
    expect(group?.paired).toBe(3); // a, b, c
    expect(group?.mcnemar).toEqual({ b: 1, c: 1, pValue: 1 });
  });

  it("takes the pass rates from the reports' trials, errors apart", () => {
    const [group] = compareReports(old, now).groups;
    expect(group?.old).toEqual({ passRate: 4 / 5, passed: 4, failed: 1, errored: 1 });
    expect(group?.new).toEqual({ passRate: 2 / 5, passed: 2, failed: 3, errored: 1 });
    expect(group?.change).toBeCloseTo(-0.4, 12);
    expect(group?.regression).toBe(true);
  });

  it("is no regression without a pass → fail flip, however far the rate drops", () => {
    // The rate drops only because a new, failing case was added and a passing one errored.
    const before = report("old", [
      ["s", "a", "pass"],
      ["s", "b", "pass"],
    ]);
    const after = report("new", [
      ["s", "a", "pass"],
      ["s", "b", "error"],
      ["s", "c", "fail"],
    ]);
    const comparison = compareReports(before, after);
    expect(comparison.groups[0]?.change).toBeCloseTo(-0.5, 12);
    expect(comparison.groups[0]?.regression).toBe(false);
    expect(comparison.regressions).toBe(0);
  });

  it("is no regression when the drop equals the tolerance, and one just above it", () => {
    // 50/50 → 49/50: a drop of 0.02, which floating point makes 0.020000000000000018.
    const rows = (flips: number): Row[] =>
      Array.from({ length: 50 }, (_, i) => ["s", `c${i}`, i < flips ? "fail" : "pass"]);
    const before = report("old", rows(0));
    const after = report("new", rows(1));
    expect(compareReports(before, after, 0.02).regressions).toBe(0);
    expect(compareReports(before, after, 0.019).regressions).toBe(1);
    expect(compareReports(before, after).regressions).toBe(1);
    const two = report("new", rows(2));
    expect(compareReports(before, two, 0.02).regressions).toBe(1);
    expect(compareReports(before, two, 0.02).groups[0]?.mcnemar).toEqual({
      b: 2,
      c: 0,
      pValue: 0.5,
    });
  });

  it("pairs by sample and lists a model × suite only one run has", () => {
    const before = report("old", [
      ["s", "a", "pass", 0],
      ["s", "a", "pass", 1],
      ["t", "x", "pass"],
    ]);
    const after = report("new", [
      ["s", "a", "pass", 0],
      ["s", "a", "fail", 1],
      ["u", "y", "pass"],
    ]);
    const comparison = compareReports(before, after);
    expect(comparison.groups.map((g) => g.suite)).toEqual(["s"]);
    expect(comparison.groups[0]?.passToFail.map((k) => k.repeat)).toEqual([1]);
    expect(comparison.onlyOld).toEqual([{ model: "claude-haiku-4-5", suite: "t" }]);
    expect(comparison.onlyNew).toEqual([{ model: "claude-haiku-4-5", suite: "u" }]);
  });
});

describe("renderComparison", () => {
  it("shows the table, pass → fail before fail → pass, and caps long lists", () => {
    const rows = (failing: (i: number) => boolean): Row[] =>
      Array.from({ length: 30 }, (_, i) => [
        "s",
        `c${String(i).padStart(2, "0")}`,
        failing(i) ? "fail" : "pass",
      ]);
    const before = report(
      "old",
      rows((i) => i === 29),
    );
    const after = report(
      "new",
      rows((i) => i < 14),
    );
    const text = renderComparison(compareReports(before, after), { color: false });
    // 14 pass → fail, 1 fail → pass: 2 · (1 + 15) / 2^15 = 0.000977.
    expect(text).toContain("96.7%  53.3%  -43.3 pts  14         1          0.000977   REGRESSION");
    expect(text).toContain(
      "claude-haiku-4-5 s/c09\n  … and 4 more\nfail → pass:\n  claude-haiku-4-5 s/c29",
    );
    expect(text).not.toContain("s/c10");
    expect(text).toContain("(tolerance 0.0 pts)");
    const unchanged = renderComparison(compareReports(before, before, 0.02), { color: false });
    expect(unchanged).toContain("96.7%  96.7%  0.0 pts ");
    expect(unchanged).toContain("(tolerance 2.0 pts)");
    expect(text).toContain("✘ 1 regression against the baseline");
  });
});
