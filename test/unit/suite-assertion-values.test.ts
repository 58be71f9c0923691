/**
 * The assertion types added for promptfoo users, through the suite loader with the real
 * checker: a suite using every one of them loads, and each bad value (or levenshtein
 * threshold) is an error at the assertion's `file:line:col` before anything is submitted.
 */
import { describe, expect, test } from "vitest";
import { checkAssertion } from "../../src/grade/registry.js";
import { loadSuites } from "../../src/suite/load-suites.js";
import { lines, loaderOptions, writeProject } from "../fixtures/suites/temp-project.js";

const HEAD = ["name: s", "models: [claude-haiku-4-5]", "prompt: 'Hi {{who}}'"];

async function load(files: Record<string, string>) {
  const dir = await writeProject(files);
  return loadSuites(["s.yaml"], { ...loaderOptions(dir), checkAssertion });
}

/** One case whose assertions are the given YAML flow maps, one a line from line 7. */
function suiteWith(...assertions: string[]): string {
  return lines(
    ...HEAD,
    "cases:",
    "  - vars: {who: a}",
    "    assert:",
    ...assertions.map((a) => `      - ${a}`),
  );
}

describe("new assertion types in a suite", () => {
  test("a suite using each of them, and their not- forms, loads", async () => {
    const result = await load({
      "s.yaml": suiteWith(
        "{type: icontains-any, value: [refund, credit]}",
        "{type: not-icontains-all, value: [sorry, unable]}",
        "{type: word-count, value: {min: 3, max: 50}}",
        "{type: not-word-count, value: 0}",
        "{type: is-xml}",
        "{type: levenshtein, value: 'Hi {{who}}', threshold: 8}",
        "{type: not-levenshtein, value: nonsense}",
        "{type: stop-reason, value: end_turn}",
        "{type: tool-call, value: lookup}",
        "{type: not-tool-call, value: {name: lookup, input: {type: object, required: [id]}}}",
        "{type: cost, value: 0.002}",
      ),
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.suites[0]?.cases[0]?.assert.map((a) => a.type)).toHaveLength(11);
  });

  test.each([
    ["{type: word-count, value: {min: 9, max: 2}}", "has min 9 above max 2"],
    ["{type: word-count, value: many}", 'got "many"'],
    ["{type: levenshtein}", "expects the text to compare with, got nothing"],
    ["{type: stop-reason, value: stop}", "expects one of end_turn,"],
    [
      "{type: tool-call, value: {name: t, input: {type: nonsense}}}",
      "input has an invalid JSON Schema",
    ],
    ["{type: is-xml, value: root}", "takes no value"],
    ["{type: cost, threshold: 0.01}", "promptfoo's `threshold` is `value` here"],
  ])("%s is an error at the assertion: %s", async (assertion, message) => {
    const result = await load({ "s.yaml": suiteWith("{type: contains, value: a}", assertion) });
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({
      severity: "error",
      file: "s.yaml",
      line: 8,
      col: 9,
      message: expect.stringContaining(message),
    });
  });

  test("CSV cells of word-count and cost are numbers; other text is refused at its cell", async () => {
    const csv = lines("who,assert:word-count,assert:not-cost", "ann,12,0.5", "bob,twelve,0.5");
    const result = await load({ "s.yaml": lines(...HEAD, "cases: [{file: c.csv}]"), "c.csv": csv });
    expect(result.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.message}`)).toEqual([
      expect.stringMatching(/^c\.csv:3:5 assertion "word-count" .* got "twelve"$/),
    ]);
  });

  test("a threshold above 1 is refused by the schema, except levenshtein's, a whole number", async () => {
    const result = await load({
      "s.yaml": suiteWith(
        "{type: contains, value: a, threshold: 3}",
        "{type: levenshtein, value: a, threshold: 3}",
        "{type: not-levenshtein, value: a, threshold: 2.5}",
      ),
    });
    expect(result.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`)).toEqual([
      "7:47 cases[0].assert[0].threshold must be <= 1",
      "9:54 cases[0].assert[2].threshold must be an integer, got a number (2.5)",
    ]);
  });
});
