/**
 * An assertion that cannot be used is reported at the key that is wrong: an unknown type at
 * its type, a bad value at the value (a bad threshold is the schema's, at the threshold); in a default
 * assertion, an inline case and a CSV cell alike.
 */
import { describe, expect, test } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/types.js";
import { DEFAULT_GRADERS } from "../../src/grade/registry.js";
import { loadSuites } from "../../src/suite/load-suites.js";
import { lines, loaderOptions, writeProject } from "../fixtures/suites/temp-project.js";

async function located(files: Record<string, string>): Promise<string[]> {
  const dir = await writeProject(files);
  const result = await loadSuites(["s.yaml"], {
    ...loaderOptions(dir, DEFAULT_CONFIG),
    checkAssertion: (type, value, threshold) => DEFAULT_GRADERS.checkAt(type, value, threshold),
  });
  return result.diagnostics.map((d) => `${d.line}:${d.col} ${d.message.slice(0, 40)}`);
}

const HEAD = ["name: s", "models: [claude-haiku-4-5]", "prompt: 'Q {{q}}'"];

describe("assertion problems point at the key that is wrong", () => {
  test("the type and the value, in defaults and in a case", async () => {
    expect(
      await located({
        "s.yaml": lines(
          ...HEAD,
          "defaults:",
          "  assert:",
          "    - type: regex",
          "      value: 'a(('",
          "cases:",
          "  - vars: {q: a}",
          "    assert:",
          "      - { type: contans, value: x }",
          "      - type: word-count",
          "        value: {min: 5, max: 1}",
        ),
      }),
    ).toEqual([
      '7:14 assertion "regex" is not a valid regular',
      '11:17 unknown assertion type "contans" — did y',
      '13:16 assertion "word-count" has min 5 above m',
    ]);
  });

  test("a CSV cell", async () => {
    expect(
      await located({
        "s.yaml": lines(...HEAD, "cases: [{file: c.csv}]"),
        "c.csv": lines("q,assert:regex", "a,ok", "b,a(("),
      }),
    ).toEqual(['3:3 assertion "regex" is not a valid regular']);
  });
});
