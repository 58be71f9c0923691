/**
 * junit.xml: the report in the JUnit XML format that CI systems (GitHub Actions test reporters,
 * GitLab, Jenkins) show as test results. One `<testsuite>` per suite and model, one
 * `<testcase>` per result. Pure. `renderJunitChunks` yields the text a test case at a time, so
 * a report of 300,000 results is written without ever being one string.
 */

import type { Report, ReportedResult } from "./types.js";
import { escapeXmlAttribute as attr, escapeXmlText as text } from "./xml-escape.js";

/** Longest `message` attribute: CI tables show it on one line; the element's text has it all. */
const MESSAGE_CHARS = 200;

/** The results of one suite on one model, with their counts. */
interface Group {
  suite: string;
  model: string;
  results: ReportedResult[];
  failures: number;
  errors: number;
  skipped: number;
}

/** `value` cut to `max` characters, with an ellipsis when cut. */
function short(value: string, max = MESSAGE_CHARS): string {
  const line = value.replace(/\s+/g, " ").trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/**
 * The results grouped by suite and model: suites in the report's order, models in its order
 * within each, and any pair the lists do not name after them, as first seen.
 */
function groups(report: Report): Group[] {
  const byKey = new Map<string, Group>();
  for (const r of report.results) {
    const key = JSON.stringify([r.suite, r.model]);
    let group = byKey.get(key);
    if (group === undefined) {
      group = { suite: r.suite, model: r.model, results: [], failures: 0, errors: 0, skipped: 0 };
      byKey.set(key, group);
    }
    group.results.push(r);
    if (r.outcome === "fail") group.failures++;
    else if (r.outcome === "error") group.errors++;
    else if (r.outcome === "skipped") group.skipped++;
  }
  const ordered: Group[] = [];
  for (const suite of report.suites) {
    for (const model of report.models) {
      const key = JSON.stringify([suite.name, model.model]);
      const group = byKey.get(key);
      if (group === undefined) continue;
      ordered.push(group);
      byKey.delete(key);
    }
  }
  return [...ordered, ...byKey.values()];
}

/**
 * The suites whose cases run more than once: their test cases are named `caseId#repeat`, so
 * each sample is a test of its own and names stay unique.
 */
function repeatedSuites(report: Report): Set<string> {
  const repeated = new Set(report.suites.filter((s) => (s.repeat ?? 1) > 1).map((s) => s.name));
  // Reports written before `repeat` was recorded still show their samples apart.
  for (const r of report.results) if (r.repeat > 0) repeated.add(r.suite);
  return repeated;
}

/** What a result that is not a pass says: a `<failure>`, an `<error>` or `<skipped/>`. */
function verdict(r: ReportedResult): string {
  if (r.outcome === "fail") {
    const failing = r.assertions.filter((a) => !a.pass);
    const types = [...new Set(failing.map((a) => a.type))].join(", ");
    const lines = failing.map((a) => `${a.type}: ${a.reason}`);
    const first = lines[0] ?? "the case failed";
    const more = failing.length > 1 ? ` (and ${failing.length - 1} more)` : "";
    const message = `${short(first, MESSAGE_CHARS - more.length)}${more}`;
    return `      <failure type="${attr(types || "fail")}" message="${attr(message)}">${text(lines.join("\n") || first)}</failure>\n`;
  }
  if (r.outcome === "error") {
    const full =
      r.error === undefined ? "the result has no reply" : `${r.error.type}: ${r.error.message}`;
    return `      <error type="${attr(r.error?.type ?? "error")}" message="${attr(short(full))}">${text(full)}</error>\n`;
  }
  if (r.outcome === "skipped") return "      <skipped/>\n";
  return "";
}

/** One `<testcase>`, with what the result cost (batch price with caching, USD). */
function testcase(r: ReportedResult, repeated: boolean): string {
  const name = repeated ? `${r.caseId}#${r.repeat}` : r.caseId;
  return (
    `    <testcase name="${attr(name)}" classname="${attr(r.suite)}" time="0">\n` +
    `      <properties><property name="cost_usd" value="${r.cost.batchCached}"/></properties>\n` +
    verdict(r) +
    "    </testcase>\n"
  );
}

/** The text of `renderJunit`, in pieces. */
export function* renderJunitChunks(report: Report): Generator<string> {
  const all = groups(report);
  const repeated = repeatedSuites(report);
  const sum = (pick: (g: Group) => number) => all.reduce((n, g) => n + pick(g), 0);
  const simulated = report.backend === "sim";
  const runName = `batcheval ${report.runId}${simulated ? " (simulated)" : ""}`;
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield "<!-- Written by batcheval from report.json. time is 0 throughout: results come from\n";
  yield "     the Message Batches API, which does not measure how long each request took. -->\n";
  if (simulated) {
    yield "<!-- SIMULATED: these results come from the batcheval simulator, not the Anthropic API. -->\n";
  }
  yield `<testsuites name="${attr(runName)}" tests="${sum((g) => g.results.length)}" failures="${sum((g) => g.failures)}" errors="${sum((g) => g.errors)}" skipped="${sum((g) => g.skipped)}" time="0">\n`;
  for (const g of all) {
    yield `  <testsuite name="${attr(`${g.suite} · ${g.model}`)}" tests="${g.results.length}" failures="${g.failures}" errors="${g.errors}" skipped="${g.skipped}" time="0" timestamp="${attr(report.createdAt)}">\n`;
    yield `    <properties><property name="model" value="${attr(g.model)}"/><property name="backend" value="${attr(report.backend)}"/></properties>\n`;
    const isRepeated = repeated.has(g.suite);
    for (const r of g.results) yield testcase(r, isRepeated);
    yield "  </testsuite>\n";
  }
  yield "</testsuites>\n";
}

export function renderJunit(report: Report): string {
  return [...renderJunitChunks(report)].join("");
}
