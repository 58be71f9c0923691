/**
 * A case's `threshold` (promptfoo's: a sample passes on its weighted score) and `pass:` rule
 * (how many of its samples must pass), inline, from `defaults:` and from a CSV `__threshold`
 * column, with problems located where they are written.
 */

import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/types.js";
import { parsePricing } from "../../src/cost/pricing.js";
import { gradeResult } from "../../src/grade/grade-result.js";
import { checkAssertion } from "../../src/grade/registry.js";
import { compileRun } from "../../src/run/compile-run.js";
import { expandSuite } from "../../src/suite/expand.js";
import { loadSuites } from "../../src/suite/load-suites.js";
import { samplesToPass } from "../../src/suite/sample-pass.js";
import type { Suite } from "../../src/suite/types.js";
import { lines, loaderOptions, writeProject } from "../fixtures/suites/temp-project.js";
import { succeededResult } from "../support/replies.js";

const PRICING = parsePricing(
  readFileSync(new URL("../../src/cost/pricing.yaml", import.meta.url), "utf8"),
  "pricing.yaml",
);

const HEAD = ["name: s", "models: [claude-haiku-4-5]", "prompt: 'Capital of {{country}}?'"];

async function load(files: Record<string, string>) {
  const dir = await writeProject(files);
  return loadSuites(["s.yaml"], { ...loaderOptions(dir, DEFAULT_CONFIG), checkAssertion });
}

function messages(result: Awaited<ReturnType<typeof load>>): string[] {
  return result.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`);
}

describe("case rules", () => {
  test("a case's own threshold and pass: replace the defaults'", async () => {
    const result = await load({
      "s.yaml": lines(
        ...HEAD,
        "repeat: 5",
        "defaults: {threshold: 0.5, pass: {share: 0.6}}",
        "cases:",
        "  - {id: a, vars: {country: France}}",
        "  - {id: b, vars: {country: Peru}, threshold: 0.8, pass: {at_least: 4}}",
      ),
    });
    expect(result.diagnostics).toEqual([]);
    const [a, b] = expandSuite(result.suites[0] as Suite);
    expect([a?.threshold, samplesToPass(a?.pass, 5)]).toEqual([0.5, 3]);
    expect([b?.threshold, samplesToPass(b?.pass, 5)]).toEqual([0.8, 4]);
  });

  test.each([
    [0.6, 5, 3],
    [0.5, 5, 3],
    [1, 5, 5],
    [0.01, 5, 1],
    [0.2, 5, 1],
    [0.7, 10, 7],
  ])("a share of %d of %d samples needs %d", (share, repeat, needed) => {
    expect(samplesToPass({ share, source: { file: "s", line: 1, col: 1 } }, repeat)).toBe(needed);
  });

  test("at_least above the suite's repeat is an error at the rule, once for defaults", async () => {
    const result = await load({
      "s.yaml": lines(
        ...HEAD,
        "repeat: 3",
        "defaults: {pass: {at_least: 4}}",
        "cases:",
        "  - {id: a, vars: {country: France}}",
        "  - {id: b, vars: {country: Peru}}",
        "  - {id: c, vars: {country: Chile}, pass: {at_least: 5}}",
      ),
    });
    expect(messages(result)).toEqual([
      "s.yaml:5:29: pass: {at_least: 4} asks for more samples than the suite takes (repeat: 3)",
      "s.yaml:9:54: pass: {at_least: 5} asks for more samples than the suite takes (repeat: 3)",
    ]);
  });

  test("--repeat below a case's at_least is refused before anything is sent", async () => {
    const dir = await writeProject({
      "s.yaml": lines(
        ...HEAD,
        "repeat: 5",
        "cases: [{id: a, vars: {country: France}, pass: {at_least: 3}}]",
      ),
    });
    const loaded = await loadSuites(["s.yaml"], {
      ...loaderOptions(dir, DEFAULT_CONFIG),
      checkAssertion,
    });
    const project = { config: DEFAULT_CONFIG, pricing: PRICING, today: "2026-12-03" };
    expect(() => compileRun(loaded.suites, project as never, { repeat: 2 })).toThrow(
      /--repeat 2: case 'a' of suite 's' needs pass: \{at_least: 3\} \(s\.yaml:5:59\)/,
    );
    expect(() => compileRun(loaded.suites, project as never, { repeat: 3 })).not.toThrow();
  });

  test("a CSV __threshold column is the case's threshold; an empty cell sets none", async () => {
    const result = await load({
      "s.yaml": lines(...HEAD, "cases: [{file: c.csv}]"),
      "c.csv": lines("country,__threshold,assert:contains", "France,0.5,Paris", "Peru,,Lima"),
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.suites[0]?.cases.map((c) => c.threshold)).toEqual([0.5, undefined]);
    expect(result.suites[0]?.cases[0]?.vars).toEqual({ country: "France" });
    const bad = await load({
      "s.yaml": lines(...HEAD, "cases: [{file: c.csv}]"),
      "c.csv": lines("country,__threshold", "France,high"),
    });
    expect(messages(bad)).toEqual([
      expect.stringMatching(
        /^c\.csv:2:8: a case threshold must be a number from 0 to 1, got "high"$/,
      ),
    ]);
  });

  test("a threshold passes a sample on its weighted score, not on every assertion", () => {
    const assert = [
      { type: "contains", value: "Rome" },
      { type: "contains", value: "Italy", weight: 3 },
    ];
    const grade = (threshold: number | undefined, text: string) =>
      gradeResult(
        { assert, vars: {}, ...(threshold === undefined ? {} : { threshold }) },
        { custom_id: "c", result: succeededResult(text) },
      );
    expect(grade(undefined, "Italy")).toMatchObject({ outcome: "fail", score: 0.75 });
    expect(grade(0.75, "Italy")).toMatchObject({ outcome: "pass", score: 0.75 });
    expect(grade(0.8, "Italy")).toMatchObject({ outcome: "fail" });
    expect(grade(0.5, "Rome")).toMatchObject({ outcome: "fail", score: 0.25 });
    expect(grade(0, "neither")).toMatchObject({ outcome: "pass", score: 0 });
  });
});
