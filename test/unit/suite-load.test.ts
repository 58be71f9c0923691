/** Happy paths of the suite loader: system file blocks, case files, defaults, expansion. */
import { describe, expect, test } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/types.js";
import { expandSuite } from "../../src/suite/expand.js";
import { loadSuites } from "../../src/suite/load-suites.js";
import type { Suite } from "../../src/suite/types.js";
import { lines, loaderOptions, writeProject } from "../fixtures/suites/temp-project.js";

const FIXTURES = new URL("../fixtures/suites/", import.meta.url).pathname;

async function loadGood(): Promise<Suite> {
  const result = await loadSuites(["good"], loaderOptions(FIXTURES));
  expect(result.diagnostics).toEqual([]);
  expect(result.files).toEqual(["good/triage.yaml"]);
  expect(result.suites).toHaveLength(1);
  return result.suites[0]!;
}

describe("loadSuites on test/fixtures/suites/good", () => {
  test("suite-level fields are normalized", async () => {
    const suite = await loadGood();
    expect(suite).toMatchObject({
      name: "triage",
      description: "Classify support tickets",
      file: "good/triage.yaml",
      models: ["claude-haiku-4-5", "claude-sonnet-4-6"],
      params: { max_tokens: 64, stop_sequences: ["\n\n"] },
      passThreshold: 0.8,
      repeat: 3,
    });
  });

  test("system blocks: a file block (with its cache breakpoint) and a text block", async () => {
    const suite = await loadGood();
    expect(suite.system).toEqual([
      {
        text: "You are a support triage assistant.\nAnswer with one word.\n",
        cache: "1h",
        file: "good/prompts/rubric.md",
        source: { file: "good/triage.yaml", line: 9, col: 5 },
      },
      { text: "Team: {{team}}", source: { file: "good/triage.yaml", line: 11, col: 5 } },
    ]);
  });

  test("cases come from inline entries and csv, jsonl and yaml files, in order", async () => {
    const suite = await loadGood();
    const summary = suite.cases.map((c) => [c.id, `${c.source.file}:${c.source.line}`]);
    expect(summary).toEqual([
      ["refund", "good/triage.yaml:21"],
      ["case-2", "good/triage.yaml:31"],
      ["csv-1", "good/cases/more.csv:2"],
      ["case-4", "good/cases/more.csv:3"],
      ["json-1", "good/cases/more.jsonl:1"],
      ["case-6", "good/cases/more.jsonl:3"],
      ["yaml-1", "good/cases/more.yaml:1"],
    ]);
  });

  test("defaults merge: default vars are overridden, default assertions come first", async () => {
    const suite = await loadGood();
    const [refund, second, csv] = suite.cases;
    expect(refund?.vars).toEqual({
      team: "billing",
      ticket: "I want my money back",
      expected: "refund",
      customer: { name: "Ada" },
    });
    expect(second?.vars.team).toBe("shipping");
    expect(refund?.assert.map((a) => [a.type, a.value])).toEqual([
      ["not-contains", "sorry"],
      ["equals", "{{expected}}"],
    ]);
    expect(csv?.assert.map((a) => [a.type, a.value, a.source.file])).toEqual([
      ["not-contains", "sorry", "good/triage.yaml"],
      ["contains", "billing", "good/cases/more.csv"],
    ]);
  });

  test("CSV: quoted commas and newlines, description column, empty assert cells add nothing", async () => {
    const suite = await loadGood();
    const rows = suite.cases.filter((c) => c.source.file.endsWith(".csv"));
    expect(
      rows.map((c) => [c.vars.ticket, c.vars.customer, c.description, c.assert.length]),
    ).toEqual([
      ["Card declined, twice", "Cy", undefined, 2],
      ["multi\nline", "Di", "second row", 1],
    ]);
  });

  test("JSONL: weights and assertion values are kept", async () => {
    const suite = await loadGood();
    const bye = suite.cases.find((c) => c.id === "case-6");
    expect(bye?.assert[1]).toMatchObject({ type: "icontains", value: "bye", weight: 2 });
  });

  test("expandSuite renders system, messages and assertion values per case", async () => {
    const cases = expandSuite(await loadGood());
    expect(cases).toHaveLength(7);
    const refund = cases[0]!;
    expect(refund).toMatchObject({
      suite: "triage",
      caseId: "refund",
      description: "a refund request",
      repeat: 3,
      params: { max_tokens: 64 },
    });
    expect(refund.system).toEqual([
      {
        text: "You are a support triage assistant.\nAnswer with one word.\n",
        cache: "1h",
        source: { file: "good/triage.yaml", line: 9, col: 5 },
      },
      { text: "Team: billing", source: { file: "good/triage.yaml", line: 11, col: 5 } },
    ]);
    expect(refund.messages).toEqual([
      { role: "user", content: 'Ticket from {"name":"Ada"}: I want my money back\n' },
    ]);
    expect(refund.assert.map((a) => a.value)).toEqual(["sorry", "refund"]);
    expect(cases[2]?.messages[0]?.content).toBe("Ticket from Cy: Card declined, twice\n");
  });
});

describe("loadSuites defaults", () => {
  test("models default to the config's, max_tokens to 1024, threshold and repeat to 1", async () => {
    const dir = await writeProject({
      "evals/a.yaml": lines("name: a", "prompt: hi", "cases: [{id: x}]"),
    });
    const config = { ...DEFAULT_CONFIG, models: ["claude-opus-4-8"] };
    const { suites, diagnostics } = await loadSuites([], loaderOptions(dir, config));
    expect(diagnostics).toEqual([]);
    expect(suites[0]).toMatchObject({
      models: ["claude-opus-4-8"],
      params: { max_tokens: 1024 },
      passThreshold: 1,
      repeat: 1,
      system: [],
      messages: [{ role: "user", content: "hi" }],
    });
  });

  test("`cache: true` marks the breakpoint with the batch default TTL, 1h", async () => {
    const dir = await writeProject({
      "s.yaml": lines(
        "name: cached",
        "system:",
        "  - {text: 'Long shared context', cache: true}",
        "  - {text: 'After the breakpoint', cache: 5m}",
        "prompt: hi",
        "cases: [{id: x}]",
      ),
    });
    const single = await writeProject({
      "s.yaml": lines(
        "name: cached",
        "system: [{text: ctx, cache: true}]",
        "prompt: hi",
        "cases: [{id: x}]",
      ),
    });
    const { suites, diagnostics } = await loadSuites(["s.yaml"], loaderOptions(single));
    expect(diagnostics).toEqual([]);
    expect(suites[0]?.system.map((b) => b.cache)).toEqual(["1h"]);
    // Two breakpoints are still one too many, whatever their form.
    const twice = await loadSuites(["s.yaml"], loaderOptions(dir));
    expect(twice.diagnostics.map((d) => d.message).join()).toMatch(/cache/);
  });

  test("multi-turn messages and a plain-string system prompt", async () => {
    const dir = await writeProject({
      "s.yml": lines(
        "name: chat",
        "system: Be {{tone}}.",
        "messages:",
        "  - {role: user, content: 'Hi, I am {{name}}'}",
        "  - {role: assistant, content: Hello!}",
        "  - {role: user, content: 'What is my name?'}",
        "defaults: {vars: {tone: brief}}",
        "cases: [{id: 7, vars: {name: Ann}}]",
      ),
    });
    const { suites, diagnostics } = await loadSuites(["*.yml"], loaderOptions(dir));
    expect(diagnostics).toEqual([]);
    const [expanded] = expandSuite(suites[0]!);
    expect(expanded?.caseId).toBe("7");
    expect(expanded?.system).toEqual([
      { text: "Be brief.", source: { file: "s.yml", line: 2, col: 9 } },
    ]);
    expect(expanded?.messages.map((m) => `${m.role}: ${m.content}`)).toEqual([
      "user: Hi, I am Ann",
      "assistant: Hello!",
      "user: What is my name?",
    ]);
  });

  test("the evals glob is resolved relative to the config file's folder", async () => {
    const dir = await writeProject({
      "proj/batcheval.config.yaml": "evals: 'suites/*.yaml'\n",
      "proj/suites/a.yaml": lines("name: a", "prompt: hi", "cases: [{id: x}]"),
    });
    const config = {
      ...DEFAULT_CONFIG,
      evals: "suites/*.yaml",
      file: "proj/batcheval.config.yaml",
    };
    const { files, diagnostics } = await loadSuites([], loaderOptions(dir, config));
    expect(diagnostics).toEqual([]);
    expect(files).toEqual(["proj/suites/a.yaml"]);
  });

  test("an unknown config model points at the config file", async () => {
    const dir = await writeProject({
      "a.yaml": lines("name: a", "prompt: hi", "cases: [{id: x}]"),
    });
    const source = { file: "batcheval.config.yaml", line: 2, col: 5 };
    const config = { ...DEFAULT_CONFIG, models: ["nope"], sources: { models: [source] } };
    const { diagnostics } = await loadSuites(["a.yaml"], loaderOptions(dir, config));
    expect(diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.message}`)).toEqual([
      "batcheval.config.yaml:2:5 unknown model 'nope': it has no price",
    ]);
  });
});
