/** summary.md: the verdict, the suite × model grid, the costs and the first failing results. */
import { describe, expect, it } from "vitest";
import { ZERO_COST } from "../../src/cost/price-usage.js";
import { formatUsd } from "../../src/report/format.js";
import { markdownCell, renderSummary, SUMMARY_FAILURES } from "../../src/report/render-summary.js";
import { summarize } from "../../src/report/summarize.js";
import type { Outcome, Report, ResultRecord } from "../../src/report/types.js";

function result(caseId: string, model: string, outcome: Outcome, reason = "expected 'x'") {
  return {
    suite: "support-triage",
    caseId,
    model,
    repeat: 0,
    customId: `${caseId}_${model}`,
    outcome,
    source: "batch",
    score: outcome === "pass" ? 1 : 0,
    output: "out",
    stopReason: "end_turn",
    assertions: [{ type: "contains", pass: outcome === "pass", score: 0, reason }],
    usage: null,
    cost: { ...ZERO_COST, batchCached: 0.0005, batch: 0.001 },
    ...(outcome === "error"
      ? { error: { type: "errored:overloaded_error", message: "busy" } }
      : {}),
  } satisfies ResultRecord;
}

/** Haiku passes 9 of 10; Sonnet passes `sonnetPasses` of 80 and errors once. */
function report(sonnetPasses = 20, backend: Report["backend"] = "anthropic"): Report {
  const results: ResultRecord[] = [];
  for (let i = 0; i < 10; i++)
    results.push(result(`h${i}`, "claude-haiku-4-5", i < 9 ? "pass" : "fail"));
  for (let i = 0; i < 80; i++) {
    results.push(
      result(`s${i}`, "claude-sonnet-4-6", i < sonnetPasses ? "pass" : "fail", `bad | row\n${i}`),
    );
  }
  results.push(result("boom", "claude-sonnet-4-6", "error"));
  return summarize({
    runId: "run-7",
    createdAt: "2026-12-01T00:00:00Z",
    backend,
    sdkVersion: "x",
    suites: [{ name: "support-triage", file: "t.yaml", passThreshold: 0.8, caseCount: 91 }],
    models: ["claude-haiku-4-5", "claude-sonnet-4-6"],
    results,
    batches: new Map(),
  });
}

describe("renderSummary", () => {
  const r = report();
  const md = renderSummary(r);

  it("opens with the verdict", () => {
    expect(md).toMatch(
      /^# batcheval run run-7\n\n\*\*✔ Recommended: claude-haiku-4-5:\*\* cheapest model/,
    );
    expect(md).not.toContain("SIMULATED");
    const none = renderSummary({
      ...r,
      recommendation: { model: null, reason: "no model meets it" },
    });
    expect(none).toContain("**✘ No model recommended:** no model meets it");
  });

  it("says plainly when the backend was the simulator", () => {
    const sim = renderSummary(report(20, "sim"));
    expect(sim).toMatch(
      /^# batcheval run run-7 \(simulated\)\n\n> \[!WARNING\]\n> \*\*SIMULATED\*\*/,
    );
  });

  it("grids each suite's pass rate per model against its threshold, with the interval", () => {
    const haiku = r.models[0]!.suites[0]!;
    const sonnet = r.models[1]!.suites[0]!;
    expect(haiku.passRate).toBe(0.9);
    expect(md).toContain("| suite | threshold | claude-haiku-4-5 | claude-sonnet-4-6 |");
    const interval = (s: typeof haiku) =>
      `${Math.round(s.passRateInterval[0] * 100)}–${Math.round(s.passRateInterval[1] * 100)}%`;
    expect(md).toContain(
      `| support-triage | 80.0% | ✔ 90.0% (${interval(haiku)}) (uncertain) | ✘ 25.0% (${interval(sonnet)}) |`,
    );
  });

  it("gives each model's batch cost with caching and cost per pass", () => {
    const [haiku, sonnet] = r.models;
    expect(haiku!.costPerPass).toBeCloseTo(0.005 / 9);
    expect(md).toContain(
      `| ✔ claude-haiku-4-5 | 90.0% | ${haiku!.passRateInterval.map((x) => Math.round(x * 100)).join("–")}% | 9/1/0 | ${formatUsd(haiku!.cost.batchCached)} | ${formatUsd(haiku!.costPerPass!)} |`,
    );
    expect(md).toContain(`| ✘ claude-sonnet-4-6 | 25.0% |`);
    expect(md).toContain(
      `| 20/60/1 | ${formatUsd(sonnet!.cost.batchCached)} | ${formatUsd(sonnet!.costPerPass!)} |`,
    );
  });

  it(`lists the first ${SUMMARY_FAILURES} failing results, escaped, then how many more`, () => {
    expect(md).toContain("## Failing cases (62)");
    const rows = md
      .split("\n")
      .filter(
        (line) =>
          line.startsWith("| support-triage | h9") || line.startsWith("| support-triage | s"),
      );
    expect(rows).toHaveLength(SUMMARY_FAILURES);
    expect(rows[0]).toBe(
      "| support-triage | h9 | claude-haiku-4-5 | fail | contains: expected 'x' |",
    );
    expect(rows[1]).toBe(
      "| support-triage | s20 | claude-sonnet-4-6 | fail | contains: bad \\| row<br>20 |",
    );
    expect(md).toContain("…and 12 more (all of them are in report.json).");
    expect(md).not.toContain("boom");
  });

  it("lists errors with their type and message, and says when nothing failed", () => {
    const few = renderSummary(report(79));
    expect(few).toContain("## Failing cases (3)");
    expect(few).toContain(
      "| support-triage | boom | claude-sonnet-4-6 | error | errored:overloaded\\_error: busy |",
    );
    expect(few).not.toContain("more (all of them");
    const clean = { ...r, results: r.results.filter((x) => x.outcome === "pass") };
    expect(renderSummary(clean)).toContain("None: every graded result passed.");
  });
});

describe("markdownCell", () => {
  it.each([
    ["a | b", "a \\| b"],
    ["one\ntwo\r\nthree", "one<br>two<br>three"],
    ["<img src=x onerror=alert(1)>", "\\<img src=x onerror=alert(1)\\>"],
    ["$1 and $2", "\\$1 and \\$2"],
    ["back\\|slash", "back\\\\\\|slash"],
    ["**bold** [link](x) `code`", "\\*\\*bold\\*\\* \\[link\\](x) \\`code\\`"],
  ])("%j → %j", (text, cell) => {
    expect(markdownCell(text)).toBe(cell);
  });
});
