/**
 * The model table (src/models/model-table.ts): its rows are complete and agree with the price
 * table, the compile step reads its limits, and retirement is judged against a given day.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { minCacheableTokens } from "../../src/compile/cache-checks.js";
import { tokenizerFactor } from "../../src/compile/token-estimate.js";
import { parsePricing, requirePrice, withOverrides } from "../../src/cost/pricing.js";
import { findModelSpec, lifecycleOn, modelSpecs } from "../../src/models/model-table.js";
import { retirementNotice } from "../../src/models/retirement.js";
import type { ModelSpec } from "../../src/models/types.js";

const PRICING_FILE = new URL("../../src/cost/pricing.yaml", import.meta.url);
const pricing = parsePricing(readFileSync(PRICING_FILE, "utf8"), "pricing.yaml");
const spec = (id: string): ModelSpec => {
  const row = findModelSpec(id);
  if (row === undefined) throw new Error(`${id} is not in the model table`);
  return row;
};

describe("the model table's rows", () => {
  it.each(modelSpecs().map((row) => [row.id, row] as const))(
    "%s: sourced, dated, sane",
    (_, row) => {
      expect(row.sources.length).toBeGreaterThan(0);
      expect(row.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(row.maxOutput).toBeGreaterThan(0);
      expect(row.contextWindow).toBeGreaterThan(row.maxOutput);
      expect(row.thinking.length).toBeGreaterThan(0);
      if (row.retires !== undefined) expect(row.retires).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (row.replacement !== undefined) {
        // A replacement is a model that is priced and still served on the day the row was checked.
        expect(lifecycleOn(spec(row.replacement), row.checked).state).not.toBe("retired");
        expect(pricing.lookup(row.replacement)).toBeDefined();
      }
    },
  );

  it("knows every priced model and alias, and is the one source of inference_geo support", () => {
    for (const model of pricing.models()) {
      const row = spec(model);
      expect(requirePrice(pricing, model).geoUs).toBe(row.inferenceGeo);
      for (const alias of row.aliases) expect(pricing.lookup(alias)?.model).toBe(model);
    }
    // A config override of a known model keeps the table's answer; an unknown one is newer.
    const overridden = withOverrides(pricing, {
      "claude-haiku-4-5": { input: 1, output: 5 },
      "claude-opus-6": { input: 5, output: 25 },
    });
    expect(overridden.lookup("claude-haiku-4-5")?.geoUs).toBe(false);
    expect(overridden.lookup("claude-opus-6")?.geoUs).toBe(true);
  });

  it.each([
    // The published minimum cacheable prefixes (prompt-caching page), and the chosen ones.
    ["claude-fable-5-1", 512],
    ["claude-mythos-5-1", 512],
    ["claude-opus-5", 512],
    ["claude-fable-5", 512],
    ["claude-mythos-5", 512],
    ["claude-opus-5-5", 512],
    ["claude-sonnet-5-5", 512],
    ["claude-opus-4-8", 1024],
    ["claude-sonnet-5", 1024],
    ["claude-sonnet-4-6", 1024],
    ["claude-sonnet-4-5-20250929", 1024],
    ["claude-opus-4-1", 1024],
    ["claude-mythos-preview", 2048],
    ["claude-opus-4-7", 2048],
    ["claude-3-5-haiku-20241022", 2048],
    ["claude-opus-4-6", 4096],
    ["claude-opus-4-5", 4096],
    ["claude-haiku-4-5-20251001", 4096],
    ["claude-haiku-5-5", 2048], // not published: chosen
    ["claude-opus-6", 1024], // not in the table: the default
  ])("compile's minimum cacheable prefix of %s is %d", (model, tokens) => {
    expect(minCacheableTokens(model)).toBe(tokens);
  });

  it("gives compile the tokenizer of each row", () => {
    for (const row of modelSpecs()) {
      expect(tokenizerFactor(row.id)).toBe(row.tokenizer === "claude-4.7" ? 1.3 : 1);
    }
  });
});

describe("lifecycleOn and retirementNotice", () => {
  it.each([
    // Sonnet 4.5 retires on 2026-11-30: warned from 30 days before, refused from that day.
    ["claude-sonnet-4-5", "2026-10-30", "available"],
    ["claude-sonnet-4-5", "2026-10-31", "retiring in 30"],
    ["claude-sonnet-4-5", "2026-11-29", "retiring in 1"],
    ["claude-sonnet-4-5-20250929", "2026-11-30", "retired"],
    ["claude-sonnet-4-5", "2026-12-02", "retired"],
    ["claude-opus-4-5", "2026-12-02", "available"],
    ["claude-opus-4-5-20251101", "2026-12-23", "retiring in 30"],
    ["claude-opus-4-5", "2027-01-22", "retired"],
    // Retired with no date found: retired on any day.
    ["claude-3-5-haiku-20241022", "2020-01-01", "retired"],
    // Marked retired before its recorded date is reached: still retired.
    ["claude-opus-4-1", "2026-01-01", "retired"],
    ["claude-haiku-4-5", "2030-01-01", "available"],
  ])("%s on %s: %s", (model, today, expected) => {
    const life = lifecycleOn(spec(model), today);
    const got = life.state === "retiring" ? `retiring in ${life.days}` : life.state;
    expect(got).toBe(expected);
  });

  it("rejects a malformed day", () => {
    expect(() => lifecycleOn(spec("claude-haiku-4-5"), "2026-02-30")).toThrow(RangeError);
    expect(() => lifecycleOn(spec("claude-haiku-4-5"), "12/02/2026")).toThrow(RangeError);
  });

  it("words the error and the warning, with the replacement when the table names one", () => {
    expect(retirementNotice("claude-sonnet-4-5", "2026-12-02")).toEqual({
      severity: "error",
      message:
        "model 'claude-sonnet-4-5' is retired since 2026-11-30: the API refuses requests to it",
      hint: "use claude-sonnet-5-5, the replacement Anthropic recommends, instead",
    });
    expect(retirementNotice("claude-opus-4-5", "2027-01-21")).toEqual({
      severity: "warning",
      message:
        "model 'claude-opus-4-5' retires on 2027-01-22, in 1 day; requests to it will fail from then on",
      hint: "use claude-opus-5-5, the replacement Anthropic recommends, before then",
    });
    expect(retirementNotice("claude-opus-4-1", "2026-12-02")?.hint).toMatch(
      /^pick a current model instead \(see https:\/\/platform\.claude\.com\/docs\/en\/about-claude\/model-deprecations\)$/,
    );
    expect(retirementNotice("claude-haiku-4-5", "2026-12-02")).toBeUndefined();
    expect(retirementNotice("claude-opus-6", "2026-12-02")).toBeUndefined();
  });
});
