/** The project config loader: defaults, snake_case → camelCase, and located diagnostics. */
import { describe, expect, test } from "vitest";
import { loadConfig } from "../../src/config/load-config.js";
import { DEFAULT_CONFIG } from "../../src/config/types.js";
import { lines, writeProject } from "../fixtures/suites/temp-project.js";

const REPO_ROOT = new URL("../../", import.meta.url).pathname;

describe("loadConfig", () => {
  test("no config file → DEFAULT_CONFIG", async () => {
    const dir = await writeProject({});
    expect(await loadConfig(dir)).toEqual({ config: DEFAULT_CONFIG, diagnostics: [] });
  });

  test("the repo's example batcheval.config.yaml is valid and equals the defaults", async () => {
    const { config, diagnostics } = await loadConfig(REPO_ROOT);
    expect(diagnostics).toEqual([]);
    expect(config).toMatchObject({ ...DEFAULT_CONFIG, file: "batcheval.config.yaml" });
  });

  test("keys are renamed and defaults fill the gaps", async () => {
    const at = (line: number, col: number) => ({ file: "batcheval.config.yml", line, col });
    const dir = await writeProject({
      "batcheval.config.yml": lines(
        "models: [claude-haiku-4-5, my-model]",
        "backend: sim",
        "out_dir: out",
        "grader_model: claude-opus-4-8",
        "cache_dir: .cache/evals",
        "strict: true",
        "reporters: [html]",
        "pricing:",
        "  my-model: {input: 1, output: 5, cache_write_1h: 2, cache_read: 0.1, seen: 2026-11-01}",
      ),
    });
    const { config, diagnostics } = await loadConfig(dir);
    expect(diagnostics).toEqual([]);
    expect(config).toEqual({
      file: "batcheval.config.yml",
      evals: DEFAULT_CONFIG.evals,
      models: ["claude-haiku-4-5", "my-model"],
      backend: "sim",
      outDir: "out",
      cacheDir: ".cache/evals",
      graderModel: "claude-opus-4-8",
      pricing: {
        "my-model": { input: 1, output: 5, cacheWrite1h: 2, cacheRead: 0.1, seen: "2026-11-01" },
      },
      strict: true,
      reporters: ["html"],
      sim: DEFAULT_CONFIG.sim,
      sources: {
        models: [
          { file: "batcheval.config.yml", line: 1, col: 10 },
          { file: "batcheval.config.yml", line: 1, col: 28 },
        ],
        graderModel: { file: "batcheval.config.yml", line: 4, col: 15 },
        pricing: {
          "my-model": {
            entry: at(9, 3),
            fields: {
              input: at(9, 21),
              output: at(9, 32),
              cacheWrite1h: at(9, 51),
              cacheRead: at(9, 66),
              seen: at(9, 77),
            },
          },
        },
      },
    });
  });

  test("an explicit path is used, and must exist", async () => {
    const dir = await writeProject({ "conf/x.yaml": "out_dir: elsewhere\n" });
    expect((await loadConfig(dir, "conf/x.yaml")).config.outDir).toBe("elsewhere");
    const missing = await loadConfig(dir, "conf/nope.yaml");
    expect(missing.diagnostics.map((d) => `${d.file}:${d.line} ${d.message}`)).toEqual([
      "conf/nope.yaml:0 config file not found or not readable",
    ]);
  });

  test("an empty config file is the defaults", async () => {
    const dir = await writeProject({ "batcheval.config.yaml": "# nothing\n" });
    const { config, diagnostics } = await loadConfig(dir);
    expect(diagnostics).toEqual([]);
    expect(config).toEqual({ ...DEFAULT_CONFIG, file: "batcheval.config.yaml" });
  });
});

describe("config diagnostics", () => {
  const F = "batcheval.config.yaml";
  test.each([
    {
      name: "invalid YAML",
      text: lines("models: [a", "out_dir: x"),
      at: "2:1",
      message: "invalid YAML",
    },
    {
      name: "unknown key",
      text: lines("out-dir: x"),
      at: "1:1",
      message: "unknown key 'out-dir' — did you mean 'out_dir'?",
    },
    {
      name: "bad backend",
      text: lines("backend: simulator"),
      at: "1:10",
      message: "backend must be one of anthropic, sim",
    },
    {
      name: "wrong type",
      text: lines("models: claude-haiku-4-5"),
      at: "1:9",
      message: "models must be a list",
    },
    {
      name: "price without output",
      text: lines("pricing:", "  m: {input: 1}"),
      at: "2:6",
      message: "pricing.m is missing required key 'output'",
    },
    {
      name: "negative price",
      text: lines("pricing:", "  m:", "    input: -1", "    output: 1"),
      at: "3:12",
      message: "pricing.m.input must be >= 0",
    },
    {
      name: "misspelt price key",
      text: lines("pricing:", "  m: {input: 1, output: 2, cache_reads: 1}"),
      at: "2:28",
      message: "did you mean 'cache_read'?",
    },
    {
      name: "bad seen date",
      text: lines("pricing:", "  m: {input: 1, output: 2, seen: 'Nov 1'}"),
      at: "2:34",
      message: "pricing.m.seen must match pattern",
    },
    {
      name: "duplicate model",
      text: lines("models:", "  - claude-haiku-4-5", "  - claude-haiku-4-5"),
      at: "3:5",
      message: "model 'claude-haiku-4-5' is listed twice (first at line 2)",
    },
    {
      name: "unknown reporter",
      text: lines("reporters: [json, htm]"),
      at: "1:19",
      message: `reporters[1] must be one of json, html, junit, summary; got "htm" — did you mean 'html'?`,
    },
    {
      name: "reporters not a list",
      text: lines("reporters: html"),
      at: "1:12",
      message: "reporters must be a list",
    },
    {
      name: "unknown sim key",
      text: lines("sim: {fixture: x}"),
      at: "1:7",
      message: "did you mean 'fixtures'?",
    },
  ])("$name", async ({ text, at, message }) => {
    const dir = await writeProject({ [F]: text });
    const { config, diagnostics } = await loadConfig(dir);
    expect(diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.message}`)).toEqual([
      expect.stringMatching(new RegExp(`^${F}:${at} .*${escapeRegExp(message)}`)),
    ]);
    expect(config).toEqual({ ...DEFAULT_CONFIG, file: F });
  });

  test("a cache read price above input is a warning, not an error", async () => {
    const dir = await writeProject({
      [F]: lines("pricing:", "  m: {input: 1, output: 2, cache_read: 3}"),
    });
    const { config, diagnostics } = await loadConfig(dir);
    expect(diagnostics.map((d) => [d.severity, d.line, d.col])).toEqual([["warning", 2, 40]]);
    expect(config.pricing.m?.cacheRead).toBe(3);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
