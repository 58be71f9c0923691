/** index.html's server-side parts: the verdict, the charts and the model table. */
import { describe, expect, it } from "vitest";
import { renderHtml, timeToResult } from "../../src/report/render-html.js";
import { summarize } from "../../src/report/summarize.js";
import type { BatchRecord, ResultRecord, SuiteSummary } from "../../src/report/types.js";
import { htmlData } from "../support/html-data.js";

function record(model: string, suite: string, caseId: string, pass: boolean, cost: number) {
  return {
    suite,
    caseId,
    model,
    repeat: 0,
    customId: `${suite}_${caseId}_r0`,
    outcome: pass ? "pass" : "fail",
    source: "batch",
    score: pass ? 1 : 0,
    output: `answer for ${caseId}`,
    stopReason: "end_turn",
    assertions: [],
    usage: {
      input_tokens: 100,
      output_tokens: 10,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 5000,
      cache_creation: null,
    },
    // standard 4×, standard with caching 2.5×, batch 2×, batch with caching 1×.
    cost: { standard: cost * 4, standardCached: cost * 2.5, batch: cost * 2, batchCached: cost },
  } satisfies ResultRecord;
}

function results(model: string, suite: string, n: number, passed: number, cost: number) {
  return Array.from({ length: n }, (_, i) => record(model, suite, `c${i}`, i < passed, cost));
}

const suites: SuiteSummary[] = [
  { name: "triage", file: "evals/triage.yaml", passThreshold: 0.8, caseCount: 10 },
  { name: "qa", file: "evals/qa.yaml", passThreshold: 0.5, caseCount: 10 },
];

const batch: BatchRecord = {
  id: "msgbatch_main1",
  kind: "main",
  attempt: 1,
  requests: 20,
  processingStatus: "ended",
  createdAt: "2026-11-25T00:00:00Z",
  endedAt: "2026-11-25T00:01:00Z",
};

function page(backend: "sim" | "anthropic" = "anthropic", dearTriage = 10) {
  return summarize({
    runId: "run-1",
    createdAt: "2026-11-25T00:00:00.000Z",
    backend,
    sdkVersion: "1.14.0",
    suites,
    models: ["cheap", "mid", "dear"],
    results: [
      ...results("cheap", "triage", 10, 7, 0.001), // 70% < 80%
      ...results("cheap", "qa", 10, 4, 0.001), // 40% < 50%
      ...results("mid", "triage", 10, 9, 0.002),
      ...results("mid", "qa", 10, 3, 0.002), // 30% < 50%
      ...results("dear", "triage", 10, dearTriage, 0.01),
      ...results("dear", "qa", 10, 10, 0.01),
    ],
    batches: new Map([
      ["dear", [batch, { ...batch, id: "msgbatch_retry2", kind: "retry", attempt: 2 }]],
    ]),
    graderCost: new Map([["dear", 0.0123]]),
  });
}

describe("index.html verdict", () => {
  const html = renderHtml(page());

  it("names the recommended model with its pass rate, billed cost and savings split", () => {
    expect(html).toContain('Recommended: <span id="recommended">dear</span>');
    expect(html).toContain('<span class="pass-rate">100.0%</span>');
    // dear: 20 results at $0.01 billed, $0.02 batch, $0.04 standard.
    expect(html).toContain('<span class="billed">$0.200</span>');
    expect(html).toContain('<span class="saved">$0.600</span>');
    expect(html).toContain('<span class="batch-discount">$0.400</span> (standard − batch)');
    expect(html).toContain(
      '<span class="caching-saving">$0.200</span> (batch − batch with caching)',
    );
  });

  it("lists the suites each other model misses, against their thresholds", () => {
    expect(html).toContain(
      '<strong>cheap</strong> <span class="fail">misses</span> <span class="miss">triage</span> (70.0% of 80.0%), <span class="miss">qa</span> (40.0% of 50.0%)',
    );
    expect(html).toContain(
      '<strong>mid</strong> <span class="fail">misses</span> <span class="miss">qa</span> (30.0% of 50.0%)',
    );
    expect(html).not.toContain("<strong>dear</strong> <span");
  });

  it("says no model is recommended, with the run's cost, when none passes", () => {
    const none = renderHtml(page("anthropic", 5));
    expect(none).toContain('<p class="headline fail">No model recommended</p>');
    expect(none).not.toContain('id="recommended"');
    expect(none).toContain('<strong>dear</strong> <span class="fail">misses</span>');
  });

  it("marks a simulated run with a banner, and only a simulated one", () => {
    expect(renderHtml(page("sim"))).toContain('<div class="banner" id="simulated">SIMULATED');
    expect(html).not.toContain('id="simulated"');
  });
});

describe("index.html of an older report", () => {
  it("counts every result as a trial when the report has no trials", () => {
    const r = page();
    for (const m of r.models) {
      delete (m as Partial<typeof m>).trials;
      for (const s of m.suites) delete (s as Partial<typeof s>).trials;
    }
    const html = renderHtml(r);
    expect(html).toContain("7/10 passed");
    expect(html).toContain('<span class="miss">qa</span> (40.0% of 50.0%)');
  });
});

describe("index.html charts", () => {
  it("draws the overall chart and one per suite, each with its own threshold line", () => {
    const html = renderHtml(page());
    expect(html.match(/<figure class="chart">/g)).toHaveLength(3);
    expect(html.match(/class="threshold"/g)).toHaveLength(2);
    expect(html).toContain("threshold 80.0%");
    expect(html).toContain("threshold 50.0%");
    expect(html).toContain("<figcaption>Suite qa</figcaption>");
    // The points carry their figures as text, readable without the script.
    expect(html).toContain(">dear 100.0% · $0.200</text>");
    expect(html).toContain(">dear 100.0% · $0.100</text>");
  });
});

describe("index.html model table", () => {
  const html = renderHtml(page());
  const dear = html.match(/<tr><td>dear<\/td>.*?<\/tr>/)?.[0] ?? "";

  it("gives each model's counts, tokens, the four costs, grader cost and cost per pass", () => {
    expect(html).toContain('<table id="models">');
    const cells = [...dear.matchAll(/<td class="num">(.*?)<\/td>/g)].map((m) => m[1]);
    expect(cells.slice(1, 5)).toEqual(["20", "20", "0", '<span class="">0</span>']);
    expect(cells[5]).toContain("2,000 / 200");
    expect(cells.slice(7, 13)).toEqual([
      "$0.800",
      "$0.500",
      "$0.400",
      "<strong>$0.200</strong>",
      "$0.0123",
      "$0.0100",
    ]);
  });

  it("lists the batches with their ids and kinds", () => {
    expect(dear).toContain("2 (1 main, 1 retry)");
    expect(dear).toContain("<code>msgbatch_main1</code> main, 20 requests, ended");
    expect(dear).toContain("<code>msgbatch_retry2</code> retry #2");
  });
});

describe("index.html case data", () => {
  it("keeps a row per case with each model's outcomes and the details apart", () => {
    const { cases, details } = htmlData(renderHtml(page()));
    expect(cases.models).toEqual(["cheap", "mid", "dear"]);
    expect(cases.suites).toEqual(["triage", "qa"]);
    expect(cases.rows).toHaveLength(20);
    expect(cases.rows[7]).toEqual([0, "c7", ["f", "p", "p"], [0, 0, 0], [0, 1, 1]]);
    expect(details[7]?.results.map((r) => [r[0], r[2], (r[12] as number[])[3]])).toEqual([
      [0, "f", 0.001],
      [1, "p", 0.002],
      [2, "p", 0.01],
    ]);
  });

  it("escapes suite and model names wherever the page writes them as HTML", () => {
    const evil = `<img src=x onerror=alert(1)>"'&`;
    const r = page();
    for (const suite of r.suites) suite.name = `${evil}${suite.name}`;
    for (const m of r.models) {
      m.model = `${evil}${m.model}`;
      for (const s of m.suites) s.suite = `${evil}${s.suite}`;
    }
    r.recommendation.reason = evil;
    const html = renderHtml(r);
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;triage");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;dear");
  });

  it("keeps `</script>` and `<!--` in any string from breaking out of the data", () => {
    const r = page();
    const evil = "</script><!--<script>alert(1)</script>";
    r.results[0] = { ...(r.results[0] as (typeof r.results)[0]), caseId: evil, output: evil };
    const html = renderHtml(r);
    expect(html).not.toContain(evil);
    expect(html.match(/<\/script>/g)?.length).toBe(html.match(/<script/g)?.length);
    const { cases, details } = htmlData(html);
    expect(cases.rows[0]?.[1]).toBe(evil);
    expect(details[0]?.results[0]?.[4]).toBe(evil);
  });
});

describe("time to result", () => {
  const batch = (createdAt: string, endedAt: string | null): BatchRecord => ({
    id: "msgbatch_1",
    kind: "main",
    attempt: 1,
    requests: 1,
    processingStatus: endedAt === null ? "in_progress" : "ended",
    createdAt,
    endedAt,
  });

  it("spans the first batch created to the last one ended", () => {
    expect(
      timeToResult([
        batch("2026-12-03T10:00:00Z", "2026-12-03T10:40:00Z"),
        batch("2026-12-03T10:05:00Z", "2026-12-03T11:10:00Z"),
      ]),
    ).toBe("70 min");
    expect(timeToResult([batch("2026-12-03T10:00:00Z", "2026-12-03T10:00:42Z")])).toBe("42 s");
    expect(timeToResult([batch("2026-12-03T00:00:00Z", "2026-12-03T05:30:00Z")])).toBe("5.5 h");
  });

  it("is unknown while a batch runs, or when none was sent", () => {
    expect(timeToResult([batch("2026-12-03T10:00:00Z", null)])).toBe("–");
    expect(timeToResult([])).toBe("–");
  });
});
