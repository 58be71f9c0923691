import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BatchevalError } from "../../src/errors.js";
import { type FixtureRule, loadFixtures, parseFixtures } from "../../src/sim/fixtures.js";
import { params, runBatch, type SimHarness, startHarness, textOf } from "./helpers.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

describe("parseFixtures", () => {
  test("parses rules with positions, regexes and json", () => {
    const rules = parseFixtures(
      'rules:\n  - match: hi\n    reply: hello\n  - model: "claude-*"\n    match: "/^x+$/i"\n    json: [1]\n',
      "f.yaml",
    );
    expect(rules).toHaveLength(2);
    expect(rules[0]).toEqual({
      match: "hi",
      reply: "hello",
      source: { file: "f.yaml", line: 2, col: 5 },
    });
    expect(rules[1]?.match).toEqual(/^x+$/i);
    expect(rules[1]?.json).toEqual([1]);
    expect(rules[1]?.model).toBe("claude-*");
  });

  test("an empty file has no rules", () => {
    expect(parseFixtures("", "empty.yaml")).toEqual([]);
  });

  test.each([
    ["not a rules list", "foo: 1\n", "bad.yaml:1:1: expected a top-level `rules:` list"],
    [
      "unknown key",
      "rules:\n  - match: a\n    repyl: b\n",
      "bad.yaml:3:5: unknown rule key `repyl`",
    ],
    [
      "no reply",
      "rules:\n  - match: a\n",
      "bad.yaml:2:5: a rule needs `reply`, `replies`, `json`, `echo` or `tool_use`",
    ],
    [
      "two replies",
      "rules:\n  - reply: a\n    json: 1\n",
      "bad.yaml:2:5: a rule takes only one of",
    ],
    [
      "replies that are not a list of texts",
      "rules:\n  - replies: [a, 2]\n",
      "bad.yaml:2:14: `replies` must be a list of reply texts, given in turn",
    ],
    [
      "replies beside a reply",
      "rules:\n  - replies: [a]\n    reply: b\n",
      "bad.yaml:2:5: a rule takes only one of `reply`, `replies`, `json` or `echo`",
    ],
    [
      "bad regex",
      "rules:\n  - match: /a(/\n    reply: x\n",
      "bad.yaml:2:12: invalid regex in `match`",
    ],
    [
      "non-string model",
      "rules:\n  - model: 3\n    reply: x\n",
      "bad.yaml:2:12: `model` must be a string",
    ],
    ["a rule that is a scalar", "rules:\n  - hello\n", "bad.yaml:2:5: a rule must be a mapping"],
    [
      "a reply list with a non-string",
      "rules:\n  - reply: [a, 3]\n",
      "bad.yaml:2:12: `reply` as a list must hold the text of each block",
    ],
    ["an empty reply list", "rules:\n  - reply: []\n", "bad.yaml:2:12: `reply` as a list"],
    [
      "a non-string thinking",
      "rules:\n  - thinking: 3\n    reply: x\n",
      "`thinking` must be a string",
    ],
    ["yaml syntax", "rules:\n  - reply: [a\n", "bad.yaml:"],
  ])("%s → bad_input with file:line:col", (_name, text, expected) => {
    let error: unknown;
    try {
      parseFixtures(text, "bad.yaml");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BatchevalError);
    expect((error as BatchevalError).code).toBe("bad_input");
    expect((error as BatchevalError).message).toContain(expected);
  });

  test("every problem is listed, one line each", () => {
    const text = "rules:\n  - match: a\n    nope: 1\n    reply: b\n  - model: 1\n    reply: c\n";
    expect(() => parseFixtures(text, "two.yaml")).toThrow(
      "two.yaml:3:5: unknown rule key `nope`\ntwo.yaml:5:12: `model` must be a string",
    );
  });
});

describe("loadFixtures", () => {
  test("loads files in sorted order, rules in file order", async () => {
    const rules = await loadFixtures("test/fixtures/sim/*.{yaml,yml}", root);
    expect(rules.map((r) => `${r.source.file}:${r.source.line}`)).toEqual([
      "test/fixtures/sim/a-first.yaml:3",
      "test/fixtures/sim/a-first.yaml:6",
      "test/fixtures/sim/a-first.yaml:8",
      "test/fixtures/sim/a-first.yaml:10",
      "test/fixtures/sim/b-second.yml:2",
      "test/fixtures/sim/b-second.yml:4",
    ]);
  });

  test("no matching files → no rules", async () => {
    expect(await loadFixtures("nowhere/**/*.yaml", root)).toEqual([]);
  });

  test("lists the problems of every file in one error, each once, a binary file included", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "batcheval-fixtures-"));
    try {
      await writeFile(path.join(dir, "a.yaml"), "rules:\n  - match: a\n    repyl: b\n");
      await writeFile(path.join(dir, "b.yaml"), Uint8Array.from([0x72, 0x75, 0, 0xff]));
      await writeFile(path.join(dir, "c.yaml"), "rules:\n  - reply: [a\n");
      await writeFile(path.join(dir, "d.yaml"), "rules:\n  - reply: fine\n");
      const error = await loadFixtures("*.yaml", dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BatchevalError);
      const { diagnostics, hint } = error as BatchevalError;
      expect(diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`)).toEqual([
        "a.yaml:2:5: a rule needs `reply`, `replies`, `json`, `echo` or `tool_use`",
        "a.yaml:3:5: unknown rule key `repyl`",
        "b.yaml:1:1: not a UTF-8 text file: it has a NUL byte (byte 3, line 1)",
        expect.stringMatching(/^c\.yaml:\d+:\d+: invalid YAML: /),
      ]);
      expect(hint).toMatch(/src\/sim\/README\.md/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("fixture replies over the SDK", () => {
  let h: SimHarness;
  let rules: FixtureRule[];
  beforeAll(async () => {
    rules = await loadFixtures(["test/fixtures/sim/*.yaml", "test/fixtures/sim/*.yml"], root);
    h = await startHarness({ rules });
  });
  afterAll(async () => {
    await h.sim.close();
  });

  test("first match wins, model globs, regexes, json and system matching", async () => {
    const { results } = await runBatch(h.client, [
      { custom_id: "haiku", params: params("What is the capital of France?") },
      {
        custom_id: "sonnet",
        params: params("What is the capital of France?", { model: "claude-sonnet-4-6" }),
      },
      { custom_id: "regex", params: params("ORDER #123") },
      { custom_id: "regex-miss", params: params("order #12a") },
      {
        custom_id: "pirate",
        params: params("the weather?", { system: "You are helpful; you are a pirate." }),
      },
      { custom_id: "plain", params: params("the weather?") },
      {
        custom_id: "blocks",
        params: {
          ...params(""),
          messages: [
            { role: "user", content: "capital of Spain?" },
            { role: "assistant", content: "Madrid" },
            {
              role: "user",
              content: [
                { type: "text", text: "and the capital" },
                { type: "text", text: "of France" },
              ],
            },
          ],
        },
      },
    ]);
    expect(textOf(results.get("haiku"))).toBe("Paris (haiku rule)");
    expect(textOf(results.get("sonnet"))).toBe("Paris");
    expect(JSON.parse(textOf(results.get("regex")))).toEqual({ status: "shipped", items: [1, 2] });
    expect(textOf(results.get("regex-miss"))).toMatch(/^\[sim default reply\]/);
    expect(textOf(results.get("pirate"))).toBe("Arr, sunny.");
    expect(textOf(results.get("plain"))).toBe("Sunny.");
    // Text blocks of the last user message are joined with newlines: "and the capital\nof France".
    expect(textOf(results.get("blocks"))).toMatch(/^\[sim default reply\]/);
  });

  test("the default reply is deterministic per model and prompt", async () => {
    const { results } = await runBatch(h.client, [
      { custom_id: "a1", params: params("unmatched prompt") },
      { custom_id: "a2", params: params("unmatched prompt") },
      { custom_id: "b", params: params("another unmatched prompt") },
      { custom_id: "c", params: params("unmatched prompt", { model: "claude-opus-4-6" }) },
    ]);
    const again = await runBatch(h.client, [
      { custom_id: "a3", params: params("unmatched prompt") },
    ]);
    const a1 = textOf(results.get("a1"));
    expect(a1).toMatch(/^\[sim default reply\] /);
    expect(textOf(results.get("a2"))).toBe(a1);
    expect(textOf(again.results.get("a3"))).toBe(a1);
    expect(textOf(results.get("b"))).not.toBe(a1);
    expect(textOf(results.get("c"))).not.toBe(a1);
  });
});
