/**
 * Grader models in a suite: an assertion's `grader:`, the suite's, or the config's
 * `grader_model`, each checked where it is written, as models under test are, and `grader:`
 * refused where no grader model is asked.
 */
import { describe, expect, test } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/types.js";
import { checkAssertion, DEFAULT_GRADERS } from "../../src/grade/registry.js";
import { expandSuite } from "../../src/suite/expand.js";
import { loadSuites } from "../../src/suite/load-suites.js";
import { lines, loaderOptions, writeProject } from "../fixtures/suites/temp-project.js";

const HEAD = ["name: s", "models: [claude-haiku-4-5]", "prompt: 'Capital of {{country}}?'"];

async function load(suite: string, config = DEFAULT_CONFIG) {
  const dir = await writeProject({ "s.yaml": suite });
  return loadSuites(["s.yaml"], {
    ...loaderOptions(dir, config),
    checkAssertion,
    asksGrader: (type) => DEFAULT_GRADERS.asksGrader(type),
  });
}

function suiteWith(head: string[], ...assertions: string[]): string {
  return lines(
    ...head,
    "cases:",
    "  - vars: {country: France}",
    "    assert:",
    ...assertions.map((a) => `      - ${a}`),
  );
}

describe("grader models", () => {
  test("the assertion's grader, else the suite's, else the config's grader_model", async () => {
    const own = await load(
      suiteWith(
        [...HEAD, "grader: claude-opus-4-8"],
        "{type: llm-rubric, value: 'Names {{country}}''s capital', grader: claude-haiku-4-5}",
        "{type: factuality, value: Paris}",
      ),
    );
    expect(own.diagnostics).toEqual([]);
    const [evalCase] = expandSuite(own.suites[0] as never);
    expect(evalCase?.grader).toBe("claude-opus-4-8");
    expect(evalCase?.assert.map((a) => a.grader)).toEqual(["claude-haiku-4-5", undefined]);
    expect(evalCase?.assert[0]?.value).toBe("Names France's capital");
    const fallback = await load(suiteWith(HEAD, "{type: model-graded-closedqa, value: x}"));
    expect(fallback.suites[0]?.grader).toBe(DEFAULT_CONFIG.graderModel);
  });

  test("an unknown grader model is an error where it is written, with a did-you-mean", async () => {
    const result = await load(
      suiteWith(HEAD, "{type: llm-rubric, value: x, grader: claude-sonet-4-6}"),
    );
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({
      file: "s.yaml",
      line: 7,
      severity: "error",
    });
    expect(result.diagnostics[0]?.message).toBe(
      "unknown model 'claude-sonet-4-6': it has no price (did you mean 'claude-sonnet-4-6'?)",
    );
    const suiteLevel = await load(
      suiteWith([...HEAD, "grader: nope-model"], "{type: llm-rubric, value: x}"),
    );
    expect(suiteLevel.diagnostics.map((d) => [d.line, d.message.split(":")[0]])).toEqual([
      [4, "unknown model 'nope-model'"],
    ]);
  });

  test("a grader model that always thinks is a warning where it is named; one that can stop is not", async () => {
    const thinking = await load(
      suiteWith(HEAD, "{type: llm-rubric, value: x, grader: claude-fable-5-1}"),
    );
    expect(thinking.diagnostics.filter((d) => d.message.includes("always thinks"))).toEqual([
      expect.objectContaining({ line: 7, severity: "warning" }),
    ]);
    const plain = await load(
      suiteWith(HEAD, "{type: llm-rubric, value: x, grader: claude-opus-4-8}"),
    );
    expect(plain.diagnostics).toEqual([]);
  });

  test("a config grader_model is checked only when an assertion falls back to it", async () => {
    const config = {
      ...DEFAULT_CONFIG,
      graderModel: "gpt-judge",
      sources: { graderModel: { file: "batcheval.config.yaml", line: 3, col: 15 } },
    };
    const used = await load(suiteWith(HEAD, "{type: llm-rubric, value: x}"), config);
    expect(used.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.message}`)).toEqual([
      "batcheval.config.yaml:3:15 unknown model 'gpt-judge': it has no price",
    ]);
    const unused = await load(suiteWith(HEAD, "{type: contains, value: Paris}"), config);
    expect(unused.diagnostics).toEqual([]);
  });

  test("grader: on an assertion that asks no grader model is an error", async () => {
    const result = await load(
      suiteWith(HEAD, "{type: contains, value: Paris, grader: claude-haiku-4-5}"),
    );
    expect(result.diagnostics.map((d) => [d.line, d.message])).toEqual([
      [7, '`grader:` on a "contains" assertion does nothing: it asks no grader model'],
    ]);
  });
});

describe("unknown assertion types, located through the loader", () => {
  test.each([
    ["llm-rubrik", 'unknown assertion type "llm-rubrik" — did you mean "llm-rubric"?'],
    ["not-contans", 'unknown assertion type "not-contans" — did you mean "not-contains"?'],
    [
      "latency",
      'unknown assertion type "latency" — promptfoo\'s `latency` is not supported here: batches have no per-request latency',
    ],
    [
      "model-graded-factuality",
      'unknown assertion type "model-graded-factuality" — promptfoo\'s `model-graded-factuality` is `factuality` here',
    ],
  ])("%s is an error at the assertion", async (type, message) => {
    const result = await load(suiteWith(HEAD, `{type: ${type}, value: x}`));
    expect(result.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.message}`)).toEqual([
      `s.yaml:7:9 ${message}`,
    ]);
  });

  test("in a CSV column, at the cell", async () => {
    const dir = await writeProject({
      "s.yaml": lines(...HEAD, "cases: [{file: c.csv}]"),
      "c.csv": lines("country,assert:similar", "France,Paris"),
    });
    const result = await loadSuites(["s.yaml"], { ...loaderOptions(dir), checkAssertion });
    expect(result.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}`)).toEqual(["c.csv:2:8"]);
    expect(result.diagnostics[0]?.message).toContain(
      "promptfoo's `similar` is not supported here: no embeddings are computed",
    );
  });
});
