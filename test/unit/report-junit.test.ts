/** junit.xml: well formed whatever the outputs hold, one test case per result, counts that add up. */
import { describe, expect, it } from "vitest";
import { ZERO_COST } from "../../src/cost/price-usage.js";
import { xmlProblem } from "../../src/grade/well-formed-xml.js";
import { renderJunit, renderJunitChunks } from "../../src/report/render-junit.js";
import { summarize } from "../../src/report/summarize.js";
import type { Outcome, Report, ResultRecord } from "../../src/report/types.js";
import { escapeXmlAttribute, escapeXmlText } from "../../src/report/xml-escape.js";

const HOSTILE =
  "a <img src=x onerror=alert(1)> ]]> & \"q\" 's' \u0000nul \u001b[31mred \ud800 lone 😀";

function result(
  suite: string,
  caseId: string,
  model: string,
  outcome: Outcome,
  extra: Partial<ResultRecord> = {},
): ResultRecord {
  const repeat = extra.repeat ?? 0;
  return {
    suite,
    caseId,
    model,
    repeat,
    customId: `${suite}_${caseId}_r${repeat}`,
    outcome,
    source: "batch",
    score: outcome === "pass" ? 1 : 0,
    output: "out",
    stopReason: "end_turn",
    assertions: [
      {
        type: "contains",
        pass: outcome === "pass",
        score: outcome === "pass" ? 1 : 0,
        reason: outcome === "pass" ? "ok" : "expected 'x'",
      },
    ],
    usage: null,
    cost: ZERO_COST,
    ...extra,
  };
}

const MODELS = ["claude-haiku-4-5", "claude-sonnet-4-6"];

/** Two suites on two models: triage runs each case twice; every outcome appears. */
function report(): Report {
  const results: ResultRecord[] = [];
  for (const model of MODELS) {
    results.push(result("support-triage", "refund", model, "pass"));
    results.push(result("support-triage", "refund", model, "pass", { repeat: 1 }));
    results.push(
      result("support-triage", "angry", model, "fail", {
        output: HOSTILE,
        assertions: [
          { type: "contains", pass: true, score: 1, reason: "ok" },
          { type: "not-contains", pass: false, score: 0, reason: `found ${HOSTILE}` },
          { type: "regex", pass: false, score: 0, reason: "no match\nsecond line" },
        ],
      }),
    );
    results.push(result("support-triage", "angry", model, "pass", { repeat: 1 }));
  }
  results.push(
    result("capitals", "france", "claude-haiku-4-5", "error", {
      assertions: [],
      error: { type: "errored:overloaded_error", message: `Overloaded ${HOSTILE}` },
    }),
  );
  results.push(result("capitals", "spain", "claude-haiku-4-5", "skipped", { assertions: [] }));
  results.push(
    result("capitals", "france", "claude-sonnet-4-6", "pass", {
      cost: { ...ZERO_COST, batchCached: 0.000125 },
    }),
  );
  return summarize({
    runId: "run-1",
    createdAt: "2026-12-01T00:00:00Z",
    backend: "anthropic",
    sdkVersion: "x",
    suites: [
      { name: "support-triage", file: "t.yaml", passThreshold: 0.9, caseCount: 2, repeat: 2 },
      { name: "capitals", file: "c.yaml", passThreshold: 0.5, caseCount: 2 },
    ],
    models: MODELS,
    results,
    batches: new Map(),
  });
}

/** The start tags named `tag`, each as its attributes (raw, still escaped). */
function tags(xml: string, tag: string): Record<string, string>[] {
  return [...xml.matchAll(new RegExp(`<${tag}(\\s[^>]*?)?/?>`, "g"))].map((m) =>
    Object.fromEntries([...(m[1] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1], a[2]])),
  );
}

describe("renderJunit", () => {
  const xml = renderJunit(report());

  it("is one well-formed XML document", () => {
    expect(xmlProblem(xml)).toBeUndefined();
  });

  it("has a testsuite per suite × model, with counts that add up to the root's", () => {
    expect(tags(xml, "testsuites")).toEqual([
      {
        name: "batcheval run-1",
        tests: "11",
        failures: "2",
        errors: "1",
        skipped: "1",
        time: "0",
      },
    ]);
    const suites = tags(xml, "testsuite");
    expect(suites.map((s) => [s.name, s.tests, s.failures, s.errors, s.skipped])).toEqual([
      ["support-triage · claude-haiku-4-5", "4", "1", "0", "0"],
      ["support-triage · claude-sonnet-4-6", "4", "1", "0", "0"],
      ["capitals · claude-haiku-4-5", "2", "0", "1", "1"],
      ["capitals · claude-sonnet-4-6", "1", "0", "0", "0"],
    ]);
    expect(tags(xml, "testcase")).toHaveLength(11);
    expect(tags(xml, "failure")).toHaveLength(2);
    expect(tags(xml, "error")).toHaveLength(1);
    expect(tags(xml, "skipped")).toHaveLength(1);
  });

  it("names a repeated suite's cases caseId#repeat, others caseId; classname is the suite", () => {
    const cases = tags(xml, "testcase");
    expect(cases.slice(0, 4).map((c) => c.name)).toEqual([
      "refund#0",
      "refund#1",
      "angry#0",
      "angry#1",
    ]);
    expect(cases.slice(8).map((c) => [c.name, c.classname])).toEqual([
      ["france", "capitals"],
      ["spain", "capitals"],
      ["france", "capitals"],
    ]);
  });

  it("gives the failing assertions' types and reasons, short in message, whole in the body", () => {
    const failure = tags(xml, "failure")[0];
    expect(failure?.type).toBe("not-contains, regex");
    expect(failure?.message).toMatch(/^not-contains: found a &lt;img .*\(and 1 more\)$/);
    expect(failure?.message?.length).toBeLessThan(260);
    expect(xml).toContain("regex: no match\nsecond line</failure>");
    const error = tags(xml, "error")[0];
    expect(error?.type).toBe("errored:overloaded_error");
    expect(error?.message).toMatch(/^errored:overloaded_error: Overloaded a &lt;img/);
  });

  it("escapes markup and drops characters XML 1.0 forbids, keeping the rest", () => {
    expect(xml).not.toContain("<img");
    expect(xml).not.toContain("\u0000");
    expect(xml).not.toContain("\u001b");
    expect(xml).not.toMatch(/\ud800(?![\udc00-\udfff])/);
    expect(xml).not.toContain("]]>");
    expect(xml).toContain("&lt;img src=x onerror=alert(1)&gt; ]]&gt; &amp; &quot;q&quot;");
    expect(xml).toContain("nul [31mred  lone 😀");
  });

  it("gives each result's batch cost as a property", () => {
    expect(tags(xml, "property").filter((p) => p.name === "cost_usd")).toHaveLength(11);
    expect(xml).toContain('<property name="cost_usd" value="0.000125"/>');
  });

  it("says when the results are simulated", () => {
    const sim = renderJunit({ ...report(), backend: "sim" });
    expect(xmlProblem(sim)).toBeUndefined();
    expect(tags(sim, "testsuites")[0]?.name).toBe("batcheval run-1 (simulated)");
    expect(sim).toContain('<property name="backend" value="sim"/>');
  });

  it("is well formed with no results", () => {
    const empty = renderJunit({ ...report(), results: [] });
    expect(xmlProblem(empty)).toBeUndefined();
    expect(tags(empty, "testsuites")[0]?.tests).toBe("0");
  });

  it("comes in pieces, none larger than a test case, for 300,000 results", () => {
    const one = report();
    const many = { ...one, results: Array.from({ length: 300_000 }, () => one.results[2]!) };
    let pieces = 0;
    let longest = 0;
    let failures = 0;
    for (const piece of renderJunitChunks(many)) {
      pieces++;
      longest = Math.max(longest, piece.length);
      if (piece.includes("<failure ")) failures++;
    }
    expect(pieces).toBeGreaterThan(300_000);
    expect(longest).toBeLessThan(2_000);
    expect(failures).toBe(300_000);
  });
});

describe("XML escaping", () => {
  it.each([
    ["<a & b>", "&lt;a &amp; b&gt;"],
    ["]]>", "]]&gt;"],
    ["tab\tline\ncr\r", "tab\tline\ncr\r"],
    ["\u0000\u0008\u000b\u000c\u001f\u007f", "\u007f"],
    ["\ud83d\ude00 \ud83d \ude00", "\ud83d\ude00  "],
    ["\ufffe\uffff\ufffd", "\ufffd"],
  ])("text %j → %j", (input, expected) => {
    expect(escapeXmlText(input)).toBe(expected);
  });

  it("escapes quotes and keeps line breaks in attributes", () => {
    expect(escapeXmlAttribute(`"it's"\n\t<x>`)).toBe("&quot;it&apos;s&quot;&#10;&#9;&lt;x&gt;");
  });
});
