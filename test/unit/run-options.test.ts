/**
 * The one table of run options: each kind parsed and checked once, flag > config > default,
 * recorded settings on resume, the resume command, and the help text derived from it.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, type ProjectConfig } from "../../src/config/types.js";
import {
  checkOption,
  helpOf,
  optionsOf,
  parseOption,
  RUN_OPTIONS,
  recordSettings,
  resolveSettings,
  resumeCommand,
} from "../../src/run/options.js";
import { runCli } from "../support/run-cli.js";

const config: ProjectConfig = { ...DEFAULT_CONFIG, outDir: "out", cacheDir: "cache" };

describe("parsing and checking", () => {
  it.each([
    ["repeat", "3", 3],
    ["maxAttempts", "1", 1],
    ["maxCost", "0.25", 0.25],
    ["models", " a, b ,,c ", ["a", "b", "c"]],
    ["warmup", "never", "never"],
  ] as const)("%s %j → %j", (name, text, value) => {
    expect(parseOption(RUN_OPTIONS[name], text)).toEqual(value);
  });

  it.each([
    ["repeat", "0", "--repeat must be a whole number >= 1, got 0"],
    ["repeat", "1.5", "--repeat must be a whole number >= 1, got 1.5"],
    ["maxAttempts", "two", "--max-attempts must be a whole number >= 1, got null"],
    ["maxCost", "-1", "--max-cost must be an amount of USD >= 0, got -1"],
    ["maxCost", "", "--max-cost must be an amount of USD >= 0, got null"],
    ["warmup", "sometimes", '--warmup must be one of auto, always, never, got "sometimes"'],
    ["reporter", "htm", "--reporter: unknown reporter 'htm' — did you mean 'html'?"],
  ] as const)("%s %j is refused: %s", (name, text, message) => {
    expect(() => parseOption(RUN_OPTIONS[name], text)).toThrow(message);
  });

  it("collects a repeatable flag", () => {
    const first = parseOption(RUN_OPTIONS.reporter, "json");
    expect(parseOption(RUN_OPTIONS.reporter, "html", first)).toEqual(["json", "html"]);
  });

  it("checks a library caller's values by the same rules", () => {
    expect(() => checkOption(RUN_OPTIONS.maxAttempts, 2.5)).toThrow("whole number >= 1");
    expect(() => checkOption(RUN_OPTIONS.detach, "yes")).toThrow("true or false");
    expect(() => checkOption(RUN_OPTIONS.models, ["ok", ""])).toThrow("a list of names");
    expect(() => checkOption(RUN_OPTIONS.maxAttempts, 2)).not.toThrow();
  });
});

describe("resolveSettings", () => {
  it("takes the flag, else the config, else the default", () => {
    const none = resolveSettings({}, config);
    expect(none).toMatchObject({ out: "out", cacheDir: "cache", maxAttempts: 3, cache: true });
    expect(none.warmup).toBe("auto");
    expect(none.maxCost).toBeUndefined();
    const flags = resolveSettings({ out: "elsewhere", maxAttempts: 6, cache: false }, config);
    expect(flags).toMatchObject({ out: "elsewhere", maxAttempts: 6, cache: false });
    expect(resolveSettings({}, { ...config, strict: true }).strict).toBe(true);
  });

  it("records the recorded options only, and a resume takes them over flags left out", () => {
    const started = resolveSettings({ maxAttempts: 5, warmup: "never", detach: true }, config);
    const record = recordSettings(started);
    expect(record).toEqual({
      maxAttempts: 5,
      cache: true,
      cacheDir: "cache",
      warmup: "never",
      strict: false,
    });
    const resumed = resolveSettings({}, { ...config, cacheDir: "moved" }, record);
    expect(resumed).toMatchObject({ maxAttempts: 5, warmup: "never", cacheDir: "cache" });
    expect(resumed.detach).toBe(false);
    expect(resolveSettings({ maxAttempts: 5 }, config, record).maxAttempts).toBe(5);
  });

  it("names every recorded value a flag contradicts; --override takes the flags", () => {
    const record = { maxAttempts: 5, warmup: "never", cache: true };
    expect(() =>
      resolveSettings({ maxAttempts: 2, warmup: "always", cache: false }, config, record),
    ).toThrow(
      "--max-attempts 2 (the run started with --max-attempts 5); --no-cache (the run started with no --no-cache); --warmup always (the run started with --warmup never)",
    );
    const overridden = resolveSettings({ maxAttempts: 2, override: true }, config, record);
    expect(overridden).toMatchObject({ maxAttempts: 2, warmup: "never" });
  });
});

describe("the resume command", () => {
  it("repeats the paths and the flags that locate the run, quoted for the shell", () => {
    const given = {
      models: ["a", "b"],
      out: "my reports",
      maxAttempts: 5,
      backend: "sim" as const,
    };
    expect(resumeCommand(["evals/x.yaml"], given, "20261202-1")).toBe(
      "batcheval run evals/x.yaml --run-id 20261202-1 --models a,b --backend sim --out 'my reports'",
    );
  });
});

describe("help", () => {
  it("shows each option's default and config key", () => {
    expect(helpOf(RUN_OPTIONS.maxAttempts)).toBe(
      "submissions per request at most, retries included (default: 3)",
    );
    expect(helpOf(RUN_OPTIONS.cacheDir)).toBe(
      "result cache folder (default: .batcheval/cache; config: cache_dir)",
    );
  });

  it.each(["run", "estimate", "validate", "report", "compare"] as const)(
    "`batcheval %s --help` lists every option of the table for it",
    async (command) => {
      const options = optionsOf(command);
      expect(options.length).toBeGreaterThan(0);
      const { code, stdout } = await runCli([command, "--help"]);
      expect(code).toBe(0);
      for (const [, spec] of options) expect(stdout).toContain(spec.flag);
    },
  );
});
