import { describe, expect, it } from "vitest";
import { ZERO_COST } from "../../src/cost/price-usage.js";
import { paretoFrontier } from "../../src/report/html-chart.js";
import { escapeHtml } from "../../src/report/html-escape.js";
import { wilsonInterval } from "../../src/report/pass-rate.js";
import { renderHtml, renderHtmlChunks } from "../../src/report/render-html.js";
import { renderTerminal } from "../../src/report/render-terminal.js";
import { summarize } from "../../src/report/summarize.js";
import type { Outcome, ResultRecord, SuiteSummary } from "../../src/report/types.js";
import { htmlData } from "../support/html-data.js";

function record(
  model: string,
  suite: string,
  caseId: string,
  outcome: Outcome,
  cost = 0.001,
): ResultRecord {
  return {
    suite,
    caseId,
    model,
    repeat: 0,
    customId: `${suite}_${caseId}_r0`,
    outcome,
    source: "batch",
    score: outcome === "pass" ? 1 : 0,
    output: outcome === "error" ? "" : `answer for ${caseId}`,
    stopReason: outcome === "error" ? null : "end_turn",
    assertions: [],
    usage:
      outcome === "error"
        ? null
        : {
            input_tokens: 100,
            output_tokens: 10,
            cache_creation_input_tokens: caseId === "c0" ? 5000 : 0,
            cache_read_input_tokens: caseId === "c0" ? 0 : 5000,
            cache_creation: null,
          },
    cost:
      outcome === "error"
        ? ZERO_COST
        : { standard: cost * 4, standardCached: cost * 2, batch: cost * 2, batchCached: cost },
    ...(outcome === "error"
      ? { error: { type: "errored:overloaded_error", message: "busy" } }
      : {}),
  };
}

/** `passed` passes then fails up to `n`, on one suite. */
function results(model: string, suite: string, n: number, passed: number, cost: number) {
  return Array.from({ length: n }, (_, i) =>
    record(model, suite, `c${i}`, i < passed ? "pass" : "fail", cost),
  );
}

const suites: SuiteSummary[] = [
  { name: "triage", file: "evals/triage.yaml", passThreshold: 0.8, caseCount: 10 },
  { name: "qa", file: "evals/qa.yaml", passThreshold: 0.5, caseCount: 10 },
];

function report(
  records: ResultRecord[],
  models: string[],
  samples?: Parameters<typeof summarize>[0]["samples"],
) {
  return summarize({
    runId: "run-1",
    createdAt: "2026-11-25T00:00:00.000Z",
    backend: "sim",
    sdkVersion: "1.14.0",
    suites,
    models,
    results: records,
    batches: new Map(),
    ...(samples === undefined ? {} : { samples }),
  });
}

describe("wilsonInterval", () => {
  it.each([
    [8, 10, 0.4902, 0.9433],
    [10, 10, 0.7225, 1],
    [0, 10, 0, 0.2775],
    [50, 100, 0.4038, 0.5962],
  ])("%d/%d → [%f, %f]", (passed, n, lo, hi) => {
    const [a, b] = wilsonInterval(passed, n);
    expect(a).toBeCloseTo(lo, 4);
    expect(b).toBeCloseTo(hi, 4);
  });

  it("is the whole range with no data", () => {
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });
});

describe("summarize and recommend", () => {
  it("recommends the cheapest model that meets every suite's threshold", () => {
    const r = report(
      [
        ...results("cheap", "triage", 10, 7, 0.001), // 70% < 80%: fails triage
        ...results("cheap", "qa", 10, 10, 0.001),
        ...results("mid", "triage", 10, 9, 0.002),
        ...results("mid", "qa", 10, 6, 0.002),
        ...results("dear", "triage", 10, 10, 0.01),
        ...results("dear", "qa", 10, 10, 0.01),
      ],
      ["cheap", "mid", "dear"],
    );
    expect(r.models.map((m) => [m.model, m.passes])).toEqual([
      ["cheap", false],
      ["mid", true],
      ["dear", true],
    ]);
    expect(r.recommendation.model).toBe("mid");
    expect(r.recommendation.reason).toContain("also passing: dear");
    const mid = r.models[1]!;
    expect(mid.passRate).toBe(15 / 20);
    expect(mid.counts).toEqual({ total: 20, passed: 15, failed: 5, errored: 0 });
    expect(mid.cost.batchCached).toBeCloseTo(0.04, 12);
    expect(mid.suites.find((s) => s.suite === "qa")?.uncertain).toBe(true);
  });

  it("counts errors apart from failures and out of the pass rate", () => {
    const r = report(
      [
        record("m", "triage", "c0", "pass"),
        record("m", "triage", "c1", "error"),
        record("m", "triage", "c2", "fail"),
      ],
      ["m"],
    );
    const m = r.models[0]!;
    expect(m.counts).toEqual({ total: 3, passed: 1, failed: 1, errored: 1 });
    expect(m.passRate).toBe(0.5);
    expect(m.tokens).toEqual({ input: 200, output: 20, cacheWrite: 5000, cacheRead: 5000 });
    expect(m.cacheHitRate).toBe(0.5);
  });

  it.each(["expired", "canceled", "missing", "errored:api_error"])(
    "a result of type %s counts as an error, not a failure, and stays out of the pass rate",
    (type) => {
      const error = record("m", "triage", "c1", "error");
      error.error = { type, message: `${type} (test)` };
      const r = report(
        [record("m", "triage", "c0", "pass"), error, record("m", "triage", "c2", "fail")],
        ["m"],
      );
      const m = r.models[0]!;
      expect(m.counts).toEqual({ total: 3, passed: 1, failed: 1, errored: 1 });
      expect(m.suites[0]!.counts).toEqual(m.counts);
      expect(m.passRate).toBe(0.5);
      expect(m.suites[0]!.passRate).toBe(0.5);
    },
  );

  it("recommends nothing, with a reason, when no model passes", () => {
    const r = report(results("m", "triage", 10, 2, 0.001), ["m"]);
    expect(r.recommendation).toEqual({
      model: null,
      reason: "no model meets every suite's pass threshold (m misses triage 20.0%)",
    });
  });
});

describe("per-suite verdicts", () => {
  const r = report(
    [
      ...results("cheap", "triage", 10, 7, 0.001), // 70% < 80%
      ...results("cheap", "qa", 10, 4, 0.001), // 40% < 50%
      ...results("mid", "triage", 10, 9, 0.002),
      ...results("mid", "qa", 10, 3, 0.002), // 30% < 50%
      ...results("dear", "triage", 10, 10, 0.01),
      ...results("dear", "qa", 10, 10, 0.01),
    ],
    ["cheap", "mid", "dear"],
  );

  it("says what batching, caching and the model choice saved", () => {
    expect(r.recommendation.model).toBe("dear");
    expect(r.recommendation).not.toHaveProperty("saving");
    const chosen = report(
      [
        ...results("mid", "triage", 10, 9, 0.002),
        ...results("mid", "qa", 10, 6, 0.002),
        ...results("dear", "triage", 10, 10, 0.01),
        ...results("dear", "qa", 10, 10, 0.01),
      ],
      ["mid", "dear"],
    );
    const [mid, dear] = chosen.models;
    expect(chosen.recommendation.saving).toEqual({
      against: "dear",
      usd: expect.closeTo(0.2 - 0.04, 12),
      femtoUsd: (
        BigInt(dear!.cost.femtoUsd.batchCached) - BigInt(mid!.cost.femtoUsd.batchCached)
      ).toString(),
    });
    expect(renderTerminal(chosen, { color: false })).toMatch(
      /^Saved \$[\d.]+ against standard pricing: \$[\d.]+ batch discount, \$[\d.]+ caching; choosing mid over dear saves \$0\.160 more$/m,
    );
    const s = r.savings!;
    expect(BigInt(s.femtoUsd.batchDiscount) + BigInt(s.femtoUsd.caching)).toBe(
      BigInt(s.femtoUsd.total),
    );
    expect(s.total).toBeCloseTo(r.cost.standard - r.cost.batchCached, 12);
    expect(r.models[0]?.savings?.batchDiscount).toBeCloseTo(
      r.models[0]!.cost.standard - r.models[0]!.cost.batch,
      12,
    );
  });

  it("names every suite a model misses, not only the first", () => {
    expect(r.recommendation.model).toBe("dear");
    expect(r.recommendation.reason).toContain(
      "not passing: cheap misses triage 70.0%, qa 40.0%; mid misses qa 30.0%",
    );
    const none = report(results("m", "triage", 10, 0, 0.001), ["m"]);
    expect(none.recommendation.reason).toContain("m misses triage 0.0%");
  });

  it("gives the cost per passing case, per model and per suite", () => {
    const mid = r.models[1]!;
    expect(mid.costPerPass).toBeCloseTo((20 * 0.002) / 12, 12);
    expect(mid.suites.map((s) => [s.suite, s.costPerPass])).toEqual([
      ["triage", expect.closeTo((10 * 0.002) / 9, 12)],
      ["qa", expect.closeTo((10 * 0.002) / 3, 12)],
    ]);
    const zero = report(results("m", "triage", 2, 0, 0.001), ["m"]);
    expect(zero.models[0]!.costPerPass).toBeNull();
  });

  it("shows a suite × model grid in the terminal, each against its own threshold", () => {
    const text = renderTerminal(r, { color: false });
    expect(text).toMatch(/^suite\s+threshold\s+cheap\s+mid\s+dear$/m);
    expect(text).toMatch(/^triage\s+80\.0%\s+✘ 70\.0% \(\d+–\d+%\)\s+\? 90\.0%.*\? 100\.0%/m);
    expect(text).toMatch(/^qa\s+50\.0%\s+✘ 40\.0%.*✘ 30\.0%.*✔ 100\.0%/m);
    const html = renderHtml(r);
    expect(html).toContain('<table id="suites">');
    expect(html).toMatch(
      /<td>qa<\/td><td>50\.0%<\/td><td class="cell-fail"><span class="fail">40\.0%/,
    );
    expect(html).toMatch(
      /<td>triage<\/td><td>80\.0%<\/td><td class="cell-fail">.*?<td class="cell-uncertain"><span class="pass">90\.0%/,
    );
  });
});

describe("repeated cases", () => {
  function sample(caseId: string, i: number, outcome: Outcome): ResultRecord {
    return { ...record("m", "triage", caseId, outcome), repeat: i, customId: `${caseId}_r${i}` };
  }
  function repeated(
    rules: Record<string, number | undefined>,
    outcomes: Record<string, Outcome[]>,
  ) {
    return report(
      Object.entries(outcomes).flatMap(([id, list]) => list.map((o, i) => sample(id, i, o))),
      ["m"],
      (_suite, caseId) => {
        const toPass = rules[caseId];
        return toPass === undefined ? { repeat: 5 } : { repeat: 5, toPass };
      },
    );
  }

  it("judges a case with pass: on k of its N samples, undecided ones as errors", () => {
    const r = repeated(
      { k3: 3, miss: 3, open: 3 },
      {
        k3: ["pass", "fail", "pass", "pass", "fail"],
        miss: ["pass", "fail", "fail", "pass", "fail"],
        // Two passed, one errored: a third pass was still possible, so it is not a fail.
        open: ["pass", "error", "fail", "pass", "fail"],
      },
    );
    expect(r.cases?.map((c) => [c.caseId, `${c.passed}/${c.samples}`, c.outcome])).toEqual([
      ["k3", "3/5", "pass"],
      ["miss", "2/5", "fail"],
      ["open", "2/5", "error"],
    ]);
    const m = r.models[0]!;
    expect(m.trials).toEqual({ total: 3, passed: 1, failed: 1, errored: 1 });
    expect(m.counts).toEqual({ total: 15, passed: 7, failed: 7, errored: 1 });
    expect(m.passRate).toBe(0.5);
    expect(m.suites[0]!.trials).toEqual(m.trials);
  });

  it("counts each sample of a case without pass:, and lists its k/N", () => {
    const r = repeated({}, { a: ["pass", "pass", "fail", "pass", "pass"] });
    expect(r.models[0]!.trials).toEqual(r.models[0]!.counts);
    expect(r.models[0]!.passRate).toBe(4 / 5);
    expect(r.cases?.[0]).toMatchObject({ passed: 4, failed: 1, outcome: "fail", flaky: true });
    expect(r.cases?.[0]?.passRateInterval).toEqual(wilsonInterval(4, 5));
    expect(r.cases?.[0]).not.toHaveProperty("toPass");
  });

  it("keeps no per-case list when every case ran once", () => {
    expect(report(results("m", "triage", 3, 3, 0.001), ["m"])).not.toHaveProperty("cases");
  });
});

describe("metrics", () => {
  function scored(model: string, suite: string, id: string, scores: [string, number, boolean][]) {
    const r = record(model, suite, id, "pass");
    r.assertions = scores.map(([metric, score, pass]) => ({
      type: "llm-rubric",
      metric,
      score,
      pass,
      reason: "r",
    }));
    return r;
  }

  it("aggregates each named score per model and per suite, leaving ungraded ones out", () => {
    const ungraded = scored("m", "qa", "c3", [["tone", 0, false]]);
    ungraded.assertions[0]!.error = "the verdict did not parse";
    const plain = record("m", "qa", "c4", "pass");
    plain.assertions = [{ type: "contains", score: 1, pass: true, reason: "ok" }];
    const r = report(
      [
        scored("m", "triage", "c0", [
          ["tone", 1, true],
          ["correct", 0.5, false],
        ]),
        scored("m", "triage", "c1", [["tone", 0.5, true]]),
        scored("m", "qa", "c2", [["correct", 1, true]]),
        ungraded,
        plain,
      ],
      ["m"],
    );
    const m = r.models[0]!;
    expect(m.metrics).toEqual([
      { name: "tone", assertions: 2, passed: 2, meanScore: 0.75 },
      { name: "correct", assertions: 2, passed: 1, meanScore: 0.75 },
    ]);
    expect(m.suites.map((s) => [s.suite, s.metrics])).toEqual([
      [
        "triage",
        [
          { name: "tone", assertions: 2, passed: 2, meanScore: 0.75 },
          { name: "correct", assertions: 1, passed: 0, meanScore: 0.5 },
        ],
      ],
      ["qa", [{ name: "correct", assertions: 1, passed: 1, meanScore: 1 }]],
    ]);
    const text = renderTerminal(r, { color: false });
    expect(text).toMatch(/^tone\s+0\.75 \(2\/2 passed\)$/m);
    expect(renderHtml(r)).toContain('<table id="metrics">');
    expect(report([plain], ["m"]).models[0]).not.toHaveProperty("metrics");
  });
});

describe("paretoFrontier", () => {
  it("keeps models no other model beats on both cost and pass rate", () => {
    const r = report(
      [
        ...results("a", "triage", 10, 6, 0.001),
        ...results("b", "triage", 10, 5, 0.002), // dominated by a
        ...results("c", "triage", 10, 9, 0.003),
      ],
      ["a", "b", "c"],
    );
    expect(paretoFrontier(r.models).map((m) => m.model)).toEqual(["a", "c"]);
  });
});

describe("renderers", () => {
  const hostile = record("m", "triage", "c0", "pass");
  hostile.output = `<script>alert("x")</script> & 'quotes'`;
  const r = report([hostile], ["m"]);

  it("embeds model output as inert JSON in the HTML report and needs no network", () => {
    const html = renderHtml(r);
    expect(html).not.toContain("<script>alert");
    // Every `<` in the embedded data is \u003c: nothing in it can close its element.
    expect(html).toContain(String.raw`"\u003cscript>alert(\"x\")\u003c/script> & 'quotes'"`);
    expect(htmlData(html).details[0]?.results[0]?.[4]).toBe(hostile.output);
    expect(html).not.toMatch(/(src|href)=["']?https?:/);
    expect(html).toContain(`content="default-src 'none';`);
  });

  it("keeps a cut output's whole length, and writes a large page in bounded pieces", () => {
    const long = record("m", "triage", "c1", "pass");
    long.output = "x".repeat(4000);
    long.outputChars = 12_345;
    const page = report([hostile, long], ["m"]);
    const [, cut] = htmlData(renderHtml(page)).details;
    expect(cut?.results[0]?.[4]).toHaveLength(4000);
    expect(cut?.results[0]?.[5]).toBe(12_345);
    expect(htmlData(renderHtml(r)).details[0]?.results[0]?.[5]).toBeNull();
    const many = report(
      Array.from({ length: 3000 }, (_, i) => record("m", "triage", `c${i}`, "pass")),
      ["m"],
    );
    const pieces = [...renderHtmlChunks(many)];
    expect(pieces.join("")).toBe(renderHtml(many));
    expect(pieces.length).toBeGreaterThan(5);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(100_000);
    expect(htmlData(pieces.join("")).cases.rows).toHaveLength(3000);
  });

  it("escapes the five HTML metacharacters", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
    );
  });

  it("prints a table row per model and the verdict line", () => {
    const text = renderTerminal(r, { color: false });
    expect(text).toContain("Run run-1");
    expect(text).toMatch(/^m\s+100\.0%/m);
    expect(text).toContain("✔ Recommended: m: ");
    expect(text).toContain("[simulated]");
  });
});
