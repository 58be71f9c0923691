/**
 * Happy paths of the features ported suites need: a prompt file, var files (YAML, CSV cells,
 * JSON rows), `columns:` renaming and ignoring, list assertions split on `|`, `vars_from: row`,
 * and `.json` case files.
 */
import { describe, expect, test } from "vitest";
import { checkAssertion } from "../../src/grade/registry.js";
import { LIST_SEPARATOR } from "../../src/suite/columns.js";
import { expandSuite } from "../../src/suite/expand.js";
import { loadSuites } from "../../src/suite/load-suites.js";
import type { Suite } from "../../src/suite/types.js";
import { lines, loaderOptions, writeProject } from "../fixtures/suites/temp-project.js";

async function load(files: Record<string, string>): Promise<Suite> {
  const dir = await writeProject(files);
  // The real assertion checker: list values must be lists of texts.
  const result = await loadSuites(["s.yaml"], { ...loaderOptions(dir), checkAssertion });
  expect(result.diagnostics).toEqual([]);
  return result.suites[0]!;
}

const HEAD = ["name: s", "models: [claude-haiku-4-5]"];

describe("prompt and var files", () => {
  test("prompt: {file} is read relative to the suite and rendered as the user message", async () => {
    const suite = await load({
      "s.yaml": lines(...HEAD, "prompt: {file: prompts/ask.txt}", "cases: [{vars: {q: why}}]"),
      "prompts/ask.txt": "Question: {{q}}\n",
    });
    expect(suite.messages).toMatchObject([{ role: "user", file: "prompts/ask.txt" }]);
    expect(expandSuite(suite)[0]?.messages).toEqual([{ role: "user", content: "Question: why\n" }]);
  });

  test("{file} vars: in the suite, in defaults, and inserted as-is (not as templates)", async () => {
    const suite = await load({
      "s.yaml": lines(
        ...HEAD,
        "prompt: '{{doc}} / {{style}}'",
        "defaults:",
        "  vars: {style: {file: style.txt}}",
        "cases:",
        "  - vars: {doc: {file: docs/a.txt}}",
        "  - vars: {doc: {file: docs/a.txt, page: 2}}",
      ),
      "style.txt": "terse",
      "docs/a.txt": "A {{not a template}}",
    });
    expect(suite.cases.map((c) => c.vars)).toEqual([
      { style: "terse", doc: "A {{not a template}}" },
      { style: "terse", doc: { file: "docs/a.txt", page: 2 } },
    ]);
    expect(expandSuite(suite)[0]?.messages[0]?.content).toBe("A {{not a template}} / terse");
  });

  test("a CSV cell file:PATH reads the file relative to the CSV file", async () => {
    const suite = await load({
      "s.yaml": lines(...HEAD, "prompt: '{{doc}}'", "cases: [{file: data/c.csv}]"),
      "data/c.csv": lines("id,doc", "a,file:docs/a.txt", "b,file: docs/a.txt", "c,plain text"),
      "data/docs/a.txt": "from the file",
    });
    expect(suite.cases.map((c) => c.vars.doc)).toEqual([
      "from the file",
      "from the file",
      "plain text",
    ]);
  });
});

describe("columns:", () => {
  test("renames CSV columns to vars, id and assertions, and null ignores a column", async () => {
    const suite = await load({
      "s.yaml": lines(
        ...HEAD,
        "prompt: '{{question}}'",
        "cases:",
        "  - file: truthfulqa.csv",
        "    columns:",
        '      "Question": question',
        '      "Best Answer": "assert:icontains"',
        '      "Correct Answers": "assert:contains-any"',
        '      "Key": id',
        '      "Source": null',
      ),
      "truthfulqa.csv": lines(
        "Key,Question,Best Answer,Correct Answers,Source",
        'k1,Can pigs fly?,No,"No, they cannot | Pigs can\'t fly|",https://example.org',
      ),
    });
    const [only] = suite.cases;
    expect(only?.id).toBe("k1");
    expect(only?.vars).toEqual({ question: "Can pigs fly?" });
    expect(only?.assert.map((a) => [a.type, a.value, a.source.col])).toEqual([
      ["icontains", "No", 18],
      ["contains-any", ["No, they cannot", "Pigs can't fly"], 21],
    ]);
  });

  test(`list assertions split a cell on "${LIST_SEPARATOR}"; other types keep the cell whole`, async () => {
    const suite = await load({
      "s.yaml": lines(...HEAD, "prompt: hi", "cases: [{file: c.csv}]"),
      "c.csv": lines("assert:contains-all,assert:not-contains-any,assert:contains", "a|b,x| y,p|q"),
    });
    expect(suite.cases[0]?.assert.map((a) => a.value)).toEqual([["a", "b"], ["x", "y"], "p|q"]);
  });
});

describe("vars_from: row and .json case files", () => {
  test("JSONL rows: other keys are vars, assert:TYPE keys add assertions, columns rename", async () => {
    const suite = await load({
      "s.yaml": lines(
        ...HEAD,
        "prompt: '{{q}} {{n}}'",
        "cases:",
        "  - file: c.jsonl",
        "    vars_from: row",
        "    columns: {question: q, junk: null}",
      ),
      "c.jsonl": lines(
        '{"id": "r1", "question": "one?", "n": 1, "junk": 0, "assert:contains-any": "1|one"}',
        '{"question": "two?", "vars": {"n": 2}, "assert": [{"type": "equals", "value": "2"}]}',
      ),
    });
    expect(suite.cases.map((c) => [c.id, c.vars, c.assert.map((a) => a.value)])).toEqual([
      ["r1", { q: "one?", n: 1 }, [["1", "one"]]],
      ["case-2", { n: 2, q: "two?" }, ["2"]],
    ]);
    expect(suite.cases[0]?.assert[0]?.source).toEqual({ file: "c.jsonl", line: 1, col: 53 });
  });

  test("JSONL with CRLF line ends and blank lines; a key found after a value that spells it", async () => {
    const suite = await load({
      "s.yaml": lines(...HEAD, "prompt: '{{q}}'", "cases: [{file: c.jsonl}]"),
      "c.jsonl": [
        '{"id": "a", "vars": {"q": "assert"}, "assert"  : [{"type": "equals", "value": "x"}]}',
        "",
        '{"id": "b", "vars": {"q": "two"}}',
        "",
      ].join("\r\n"),
    });
    expect(suite.cases.map((c) => [c.id, c.vars.q])).toEqual([
      ["a", "assert"],
      ["b", "two"],
    ]);
    // The "assert" that is a value (col 27) is passed over for the key (col 38).
    expect(suite.cases[0]?.assert[0]?.source).toEqual({ file: "c.jsonl", line: 1, col: 38 });
  });

  test("YAML rows with vars_from: row", async () => {
    const suite = await load({
      "s.yaml": lines(...HEAD, "prompt: '{{q}}'", "cases: [{file: c.yaml, vars_from: row}]"),
      "c.yaml": lines("- q: first", "  assert:equals: one", "- q: second"),
    });
    expect(suite.cases.map((c) => [c.vars.q, c.assert.length])).toEqual([
      ["first", 1],
      ["second", 0],
    ]);
  });

  test(".json: an array of cases, located by element", async () => {
    const suite = await load({
      "s.yaml": lines(...HEAD, "prompt: '{{q}}'", "cases: [{file: c.json}]"),
      "c.json": lines(
        "[",
        '  {"id": "a", "vars": {"q": "x, [y]"}},',
        '  {"id": "b", "vars": {"q": "z"}, "assert": [{"type": "equals", "value": "z"}]}',
        "]",
      ),
    });
    expect(suite.cases.map((c) => [c.id, `${c.source.line}:${c.source.col}`])).toEqual([
      ["a", "2:3"],
      ["b", "3:3"],
    ]);
    expect(suite.cases[1]?.assert[0]?.source.line).toBe(3);
  });
});
