/**
 * javascript assertions and transforms through the suite loader with the real checker: code
 * that does not compile, or a `file:` module that is missing or lacks its export, is an error
 * at the value (or the transform) before anything is submitted; `file:` paths are relative to
 * the file they are written in; a case's transform replaces the defaults' one, and expansion
 * carries it to the case the run grades.
 */
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { checkAssertion } from "../../src/grade/registry.js";
import { expandSuite } from "../../src/suite/expand.js";
import { loadSuites } from "../../src/suite/load-suites.js";
import { lines, loaderOptions, writeProject } from "../fixtures/suites/temp-project.js";

const HEAD = ["name: s", "models: [claude-haiku-4-5]", "prompt: 'Hi {{who}}'"];

async function load(files: Record<string, string>) {
  const dir = await writeProject(files);
  const result = await loadSuites(["s.yaml"], { ...loaderOptions(dir), checkAssertion });
  return { dir, ...result };
}

function located(diagnostics: { file: string; line: number; col: number; message: string }[]) {
  return diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.message}`);
}

describe("javascript and transform at load", () => {
  test("a syntax error is an error at the value, quoting the code", async () => {
    const result = await load({
      "s.yaml": lines(
        ...HEAD,
        "cases:",
        "  - vars: {who: a}",
        "    assert:",
        "      - type: javascript",
        "        value: 'output.length <'",
        "      - type: not-javascript",
        "        value: |",
        "          const n = output.length;",
        "          return n >;",
      ),
    });
    expect(located(result.diagnostics)).toEqual([
      's.yaml:8:16 assertion "javascript" has a syntax error: Unexpected end of input (in `output.length <`)',
      "s.yaml:10:16 assertion \"not-javascript\" has a syntax error: Unexpected token ';' (line 2 of the code: `return n >;`)",
    ]);
    expect(result.suites).toEqual([]);
  });

  test("a transform with a syntax error is an error at the transform, the defaults' one once", async () => {
    const result = await load({
      "s.yaml": lines(
        ...HEAD,
        "defaults:",
        "  transform: 'output.trim('",
        "cases:",
        "  - vars: {who: a}",
        "  - vars: {who: b}",
        "  - vars: {who: c}",
        "    transform: 'output +'",
        "    assert:",
        "      - {type: contains, value: a, transform: 'return ('}",
      ),
    });
    expect(located(result.diagnostics)).toEqual([
      "s.yaml:5:14 transform has a syntax error: Unexpected end of input (in `output.trim(`)",
      "s.yaml:10:16 transform has a syntax error: Unexpected end of input (in `output +`)",
      "s.yaml:12:47 transform has a syntax error: Unexpected end of input (in `return (`)",
    ]);
  });

  test("a default assertion's transform is reported once, not once per case", async () => {
    const result = await load({
      "s.yaml": lines(
        ...HEAD,
        "defaults:",
        "  assert:",
        "    - {type: contains, value: a, transform: 'output.('}",
        "cases:",
        "  - vars: {who: a}",
        "  - vars: {who: b}",
      ),
    });
    expect(located(result.diagnostics)).toEqual([
      "s.yaml:6:45 transform has a syntax error: Unexpected token '(' (in `output.(`)",
    ]);
  });

  test("file: modules are found relative to the file they are written in", async () => {
    const result = await load({
      "s.yaml": lines(
        ...HEAD,
        "defaults:",
        "  transform: file:lib/upper.mjs",
        "cases:",
        "  - vars: {who: a}",
        "    assert:",
        "      - {type: javascript, value: 'file:lib/checks.mjs:short'}",
        "  - file: more/cases.yaml",
      ),
      "lib/upper.mjs": "export default (output) => output.toUpperCase();",
      "lib/checks.mjs": "export const short = (output) => output.length < 5;",
      "more/cases.yaml": lines(
        "- vars: {who: b}",
        "  transform: 'file://near.js:twice'",
        "  assert:",
        "    - {type: javascript, value: 'file:near.js:twice', transform: 'output + 1'}",
      ),
      "more/near.js": "exports.twice = (output) => output + output;",
    });
    expect(result.diagnostics).toEqual([]);
    const [first, second] = result.suites[0]?.cases ?? [];
    expect(first?.transform).toBe(`file:${join(result.dir, "lib/upper.mjs")}`);
    expect(first?.assert[0]?.value).toBe(`file:${join(result.dir, "lib/checks.mjs")}:short`);
    expect(second?.transform).toBe(`file:${join(result.dir, "more/near.js")}:twice`);
    expect(second?.assert[0]?.value).toBe(`file:${join(result.dir, "more/near.js")}:twice`);
    // Inline code is left as written.
    expect(second?.assert[0]?.transform).toBe("output + 1");
  });

  test("a missing module or export is an error at the value before anything runs", async () => {
    const result = await load({
      "s.yaml": lines(
        ...HEAD,
        "cases:",
        "  - vars: {who: a}",
        "    assert:",
        "      - {type: javascript, value: 'file:checks.mjs'}",
        "      - {type: javascript, value: 'file:lib.mjs:missing'}",
        "      - {type: contains, value: a, transform: 'file:gone.js'}",
      ),
      "lib.mjs": "export const present = () => true;",
    });
    expect(located(result.diagnostics)).toEqual([
      expect.stringMatching(
        /^s\.yaml:7:35 assertion "javascript" names a module that does not exist: .*checks\.mjs$/,
      ),
      expect.stringMatching(
        /^s\.yaml:8:35 assertion "javascript" expects a function exported as `missing` in .*lib\.mjs \(its exports: present\)$/,
      ),
      expect.stringMatching(
        /^s\.yaml:9:47 transform names a module that does not exist: .*gone\.js$/,
      ),
    ]);
  });

  test("a case's transform replaces the defaults' one; expansion carries it", async () => {
    const result = await load({
      "s.yaml": lines(
        ...HEAD,
        "defaults:",
        "  transform: output.trim()",
        "cases:",
        "  - {id: a, vars: {who: a}}",
        "  - {id: b, vars: {who: b}, transform: output.toUpperCase()}",
        "  - {id: c, vars: {who: c}, assert: [{type: javascript, value: 'output === \"{{who}}\"'}]}",
      ),
    });
    expect(result.diagnostics).toEqual([]);
    const suite = result.suites[0];
    if (suite === undefined) throw new Error("the suite did not load");
    const expanded = expandSuite(suite);
    expect(expanded.map((c) => c.transform)).toEqual([
      "output.trim()",
      "output.toUpperCase()",
      "output.trim()",
    ]);
    // Code values are templates like any value.
    expect(expanded[2]?.assert[0]?.value).toBe('output === "c"');
  });

  test("promptfoo's case `options` points at `transform:`", async () => {
    const result = await load({
      "s.yaml": lines(...HEAD, "cases:", "  - vars: {who: a}", "    options: {transform: x}"),
    });
    expect(result.diagnostics[0]?.hint).toMatch(
      /promptfoo's `options.transform` is the case key `transform:` here/,
    );
  });
});
