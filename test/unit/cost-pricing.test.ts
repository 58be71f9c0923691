import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parsePricing, requirePrice, withOverrides } from "../../src/cost/pricing.js";
import { BatchevalError } from "../../src/errors.js";
import { loadPricing } from "../../src/run/load-pricing.js";

const PRICING_FILE = new URL("../../src/cost/pricing.yaml", import.meta.url);
const PRICING_TEXT = readFileSync(PRICING_FILE, "utf8");
const table = parsePricing(PRICING_TEXT, "pricing.yaml");

/** The error a function throws (fails the test when it does not throw a BatchevalError). */
function thrown(fn: () => unknown): BatchevalError {
  try {
    fn();
  } catch (error) {
    if (error instanceof BatchevalError) return error;
    throw error;
  }
  throw new Error("expected a BatchevalError");
}

describe("pricing.yaml", () => {
  const expected = [
    "claude-haiku-4-5",
    "claude-haiku-5-5",
    "claude-sonnet-4-5",
    "claude-sonnet-4-6",
    "claude-sonnet-5",
    "claude-sonnet-5-5",
    "claude-opus-4-5",
    "claude-opus-4-6",
    "claude-opus-4-7",
    "claude-opus-4-8",
    "claude-opus-5",
    "claude-opus-5-5",
    "claude-fable-5",
    "claude-fable-5-1",
    "claude-mythos-5",
    "claude-mythos-5-1",
  ];

  it("prices every active model", () => {
    expect([...table.models()].sort()).toEqual([...expected].sort());
  });

  it.each(expected)("%s has every field, a seen date and a source", (model) => {
    const price = requirePrice(table, model);
    expect(price.model).toBe(model);
    for (const field of ["input", "output", "cacheWrite5m", "cacheWrite1h", "cacheRead"] as const) {
      expect(Number.isFinite(price[field]) && price[field] >= 0).toBe(true);
    }
    expect(price.seen).toMatch(/^20\d\d-\d\d-\d\d$/);
    expect(price.source?.length ?? 0).toBeGreaterThan(0);
    expect(typeof price.geoUs).toBe("boolean");
    // Cache writes follow the documented multipliers on every row
    // (docs/api-facts.md, "Prompt caching").
    expect(price.cacheWrite5m).toBe(price.input * 1.25);
    expect(price.cacheWrite1h).toBe(price.input * 2);
  });

  it("has no invented prices for models without a published one", () => {
    for (const model of ["claude-fable-5-2", "claude-mythos-5-2", "claude-mythos-preview"]) {
      expect(table.lookup(model)).toBeUndefined();
    }
  });

  it.each([
    ["claude-sonnet-5-5", 0.1, "2026-10-24"],
    ["claude-opus-5-5", 0.2, "2026-10-04"],
    ["claude-fable-5-1", 0.25, "2026-10-04"],
    ["claude-haiku-4-5", 0.1, "2026-10-04"],
  ])("%s reads at %s (seen %s)", (model, cacheRead, seen) => {
    expect(requirePrice(table, model)).toMatchObject({ cacheRead, seen });
  });

  it("gives Haiku 5.5 its >100K band", () => {
    expect(requirePrice(table, "claude-haiku-5-5").aboveTokens).toEqual({
      threshold: 100_000,
      band: { input: 0.5, output: 2.5, cacheWrite5m: 0.625, cacheWrite1h: 1, cacheRead: 0.05 },
    });
  });

  it.each([
    ["claude-haiku-4-5", false],
    ["claude-sonnet-4-5", false],
    ["claude-opus-4-5", false],
    ["claude-opus-4-6", true],
    ["claude-sonnet-4-6", true],
    ["claude-sonnet-5-5", true],
  ])("%s inference_geo us support: %s", (model, geoUs) => {
    expect(requirePrice(table, model).geoUs).toBe(geoUs);
  });

  it.each([
    ["claude-haiku-4-5-20251001", "claude-haiku-4-5"],
    ["claude-sonnet-4-5-20250929", "claude-sonnet-4-5"],
    ["claude-opus-4-5-20251101", "claude-opus-4-5"],
  ])("alias %s looks up %s", (alias, model) => {
    expect(table.lookup(alias)).toBe(table.lookup(model));
    expect(table.models()).not.toContain(alias);
  });

  it("is what loadPricing reads, with overrides applied", async () => {
    const loaded = await loadPricing({ "my-model": { input: 3, output: 15 } });
    expect(loaded.lookup("claude-opus-4-8")).toEqual(table.lookup("claude-opus-4-8"));
    expect(loaded.lookup("my-model")?.cacheRead).toBe(0.3);
  });
});

describe("requirePrice", () => {
  it("names the fix for an unknown model", () => {
    const error = thrown(() => requirePrice(table, "claude-fable-5-2"));
    expect(error.code).toBe("unknown_model");
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      'No price for model "claude-fable-5-2" (did you mean "claude-fable-5-1"?)',
    );
    expect(error.hint).toBe(
      "Add it under pricing: in batcheval.config.yaml, e.g.\n  pricing:\n    claude-fable-5-2: {input: 3, output: 15}",
    );
  });
});

describe("withOverrides", () => {
  it("adds a model, defaulting cache prices to 1.25×/2×/0.1× input and seen to config", () => {
    const priced = withOverrides(table, { "my-model": { input: 3, output: 15 } });
    expect(requirePrice(priced, "my-model")).toEqual({
      model: "my-model",
      input: 3,
      output: 15,
      cacheWrite5m: 3.75,
      cacheWrite1h: 6,
      cacheRead: 0.3,
      seen: "config",
      source: "batcheval.config.yaml pricing",
      geoUs: true,
    });
    expect(priced.models()).toContain("my-model");
    expect(priced.lookup("claude-haiku-4-5")).toBe(table.lookup("claude-haiku-4-5"));
  });

  it("computes the defaults exactly (no 0.30000000000000004)", () => {
    const priced = withOverrides(table, {
      tiny: { input: 0.0001, output: 0.7, seen: "2026-11-01" },
    });
    expect(requirePrice(priced, "tiny")).toMatchObject({
      cacheWrite5m: 0.000125,
      cacheWrite1h: 0.0002,
      cacheRead: 0.00001,
      seen: "2026-11-01",
    });
    const small = withOverrides(table, { small: { input: 0.3, output: 1 } });
    expect(requirePrice(small, "small").cacheRead).toBe(0.03);
  });

  it("replaces a model's row through an alias, keeping aliases and geo support", () => {
    const priced = withOverrides(table, {
      "claude-haiku-4-5-20251001": { input: 2, output: 10, cacheRead: 0.15 },
      "claude-haiku-5-5": { input: 0.2, output: 1 },
    });
    expect(priced.lookup("claude-haiku-4-5")).toMatchObject({ input: 2, cacheRead: 0.15 });
    expect(priced.lookup("claude-haiku-4-5-20251001")).toBe(priced.lookup("claude-haiku-4-5"));
    const haiku55 = requirePrice(priced, "claude-haiku-5-5");
    expect(haiku55.aboveTokens).toBeUndefined();
    expect(haiku55.geoUs).toBe(true);
    expect(priced.models()).toEqual(table.models());
  });

  it.each([
    [
      { m: { input: 0.00001, output: 1 } },
      "pricing.m.input: 0.00001 has more than 4 decimal places",
    ],
    [{ m: { input: -1, output: 1 } }, "pricing.m.input: -1 is not a non-negative finite number"],
    [
      { m: { input: 1, output: Number.NaN } },
      "pricing.m.output: NaN is not a non-negative finite number",
    ],
    [{ m: { input: 1, output: 1, cacheRead: 0.12345 } }, "pricing.m.cache_read: 0.12345 has more"],
    [
      {
        "claude-haiku-4-5": { input: 1, output: 1 },
        "claude-haiku-4-5-20251001": { input: 1, output: 1 },
      },
      "overrides claude-haiku-4-5 a second time",
    ],
  ])("rejects %j", (overrides, message) => {
    const error = thrown(() => withOverrides(table, overrides));
    expect(error.code).toBe("bad_input");
    expect(error.message).toContain(message);
  });

  it("lists every bad override in one error, located where the config wrote it", () => {
    const at = (line: number, col: number) => ({ file: "c.yaml", line, col });
    const error = thrown(() =>
      withOverrides(
        table,
        {
          m: { input: -1, output: 1, cacheRead: 0.12345 },
          "claude-haiku-4-5": { input: 1, output: 1 },
          "claude-haiku-4-5-20251001": { input: 1, output: 1 },
        },
        {
          m: {
            entry: at(2, 3),
            fields: { input: at(3, 12), output: at(4, 13), cacheRead: at(5, 17) },
          },
          "claude-haiku-4-5": { entry: at(6, 3), fields: {} },
          "claude-haiku-4-5-20251001": { entry: at(7, 3), fields: {} },
        },
      ),
    );
    expect(error.message.split("\n")).toEqual([
      "c.yaml:3:12: pricing.m.input: -1 is not a non-negative finite number",
      "c.yaml:5:17: pricing.m.cache_read: 0.12345 has more than 4 decimal places",
      'c.yaml:7:3: pricing: "claude-haiku-4-5-20251001" overrides claude-haiku-4-5 a second time',
    ]);
    expect(error.diagnostics.map((d) => [d.line, d.col])).toEqual([
      [3, 12],
      [5, 17],
      [7, 3],
    ]);
  });
});
