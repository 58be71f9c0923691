import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { exactOf } from "../../src/cost/exact-cost.js";
import { femtoToUsd } from "../../src/cost/exact-money.js";
import {
  priceUsage,
  priceUsageExact,
  sumCosts,
  type UsageLike,
  ZERO_COST,
} from "../../src/cost/price-usage.js";
import { parsePricing, requirePrice } from "../../src/cost/pricing.js";
import type { CostFigures } from "../../src/cost/types.js";

const PRICING_FILE = new URL("../../src/cost/pricing.yaml", import.meta.url);
const table = parsePricing(readFileSync(PRICING_FILE, "utf8"), "pricing.yaml");
const price = (model: string) => requirePrice(table, model);

/** Only the fields of usage that matter; the rest default to 0/absent. */
function usage(fields: Partial<UsageLike>): UsageLike {
  return { input_tokens: 0, output_tokens: 0, ...fields };
}

/** 1h / 5m cache-write buckets. */
function writes(
  m5: number,
  h1: number,
): Pick<UsageLike, "cache_creation_input_tokens" | "cache_creation"> {
  return {
    cache_creation_input_tokens: m5 + h1,
    cache_creation: { ephemeral_5m_input_tokens: m5, ephemeral_1h_input_tokens: h1 },
  };
}

// Prices are USD per million tokens, so "N units" below means N / 1,000,000 USD.
const cases: { name: string; model: string; usage: UsageLike; expected: CostFigures }[] = [
  {
    // Haiku 4.5: input 1, output 5, 1h write 2, read 0.10.
    // cached   = 1,000×1 + 500×5 + 2,000×2 + 10,000×0.10 = 1,000 + 2,500 + 4,000 + 1,000 = 8,500
    // standard = (1,000 + 2,000 + 10,000)×1 + 500×5       = 13,000 + 2,500            = 15,500
    // batch = half of each.
    name: "Haiku 4.5 with a 1h write and reads",
    model: "claude-haiku-4-5",
    usage: usage({
      input_tokens: 1_000,
      output_tokens: 500,
      cache_read_input_tokens: 10_000,
      ...writes(0, 2_000),
    }),
    expected: { standard: 0.0155, standardCached: 0.0085, batch: 0.00775, batchCached: 0.00425 },
  },
  {
    // Sonnet 5.5: input 2, output 10, read 0.10 (0.05× input since 2026-10-07).
    // cached   = 2,000×2 + 1,000×10 + 50,000×0.10 = 4,000 + 10,000 + 5,000 = 19,000
    // standard = 52,000×2 + 1,000×10               = 104,000 + 10,000      = 114,000
    name: "Sonnet 5.5 cache read at 0.10",
    model: "claude-sonnet-5-5",
    usage: usage({ input_tokens: 2_000, output_tokens: 1_000, cache_read_input_tokens: 50_000 }),
    expected: { standard: 0.114, standardCached: 0.019, batch: 0.057, batchCached: 0.0095 },
  },
  {
    // Opus 5.5: input 4, output 20, 5m write 5, 1h write 8, read 0.20 (0.05×).
    // cached   = 500×4 + 200×20 + 1,000×5 + 3,000×8 + 20,000×0.20
    //          = 2,000 + 4,000 + 5,000 + 24,000 + 4,000 = 39,000
    // standard = (500 + 1,000 + 3,000 + 20,000)×4 + 200×20 = 98,000 + 4,000 = 102,000
    name: "Opus 5.5 with both write TTLs and a 0.05× read",
    model: "claude-opus-5-5",
    usage: usage({
      input_tokens: 500,
      output_tokens: 200,
      cache_read_input_tokens: 20_000,
      ...writes(1_000, 3_000),
    }),
    expected: { standard: 0.102, standardCached: 0.039, batch: 0.051, batchCached: 0.0195 },
  },
  {
    // Haiku 5.5 at exactly 100,000 prompt tokens: not above the band, base prices
    // (input 0.10, output 0.50, read 0.01).
    // cached   = 10,000×0.10 + 90,000×0.01 + 1,000×0.50 = 1,000 + 900 + 500 = 2,400
    // standard = 100,000×0.10 + 1,000×0.50              = 10,000 + 500      = 10,500
    name: "Haiku 5.5 at the band threshold (base prices)",
    model: "claude-haiku-5-5",
    usage: usage({ input_tokens: 10_000, output_tokens: 1_000, cache_read_input_tokens: 90_000 }),
    expected: { standard: 0.0105, standardCached: 0.0024, batch: 0.00525, batchCached: 0.0012 },
  },
  {
    // One more input token: prompt 100,001 > 100,000, so every token, output included, uses the
    // high band (input 0.50, output 2.50, read 0.05).
    // cached   = 10,001×0.50 + 90,000×0.05 + 1,000×2.50 = 5,000.5 + 4,500 + 2,500 = 12,000.5
    // standard = 100,001×0.50 + 1,000×2.50              = 50,000.5 + 2,500         = 52,500.5
    name: "Haiku 5.5 above the band (output at the high band too)",
    model: "claude-haiku-5-5",
    usage: usage({ input_tokens: 10_001, output_tokens: 1_000, cache_read_input_tokens: 90_000 }),
    expected: {
      standard: 0.0525005,
      standardCached: 0.0120005,
      batch: 0.02625025,
      batchCached: 0.00600025,
    },
  },
  {
    // Cache writes count toward the prompt: 1,000 + 99,001 = 100,001 → high band
    // (input 0.50, 5m write 0.625, output 2.50).
    // cached   = 1,000×0.50 + 99,001×0.625 + 100×2.50 = 500 + 61,875.625 + 250 = 62,625.625
    // standard = 100,001×0.50 + 100×2.50               = 50,000.5 + 250         = 50,250.5
    name: "Haiku 5.5 above the band through cache writes",
    model: "claude-haiku-5-5",
    usage: usage({ input_tokens: 1_000, output_tokens: 100, ...writes(99_001, 0) }),
    expected: {
      standard: 0.0502505,
      standardCached: 0.062625625,
      batch: 0.02512525,
      batchCached: 0.0313128125,
    },
  },
  {
    // Sonnet 4.6 (input 3, output 15) in the US: (1,000×3 + 1,000×15) × 1.1 = 18,000 × 1.1 = 19,800
    name: "inference_geo us adds 10%",
    model: "claude-sonnet-4-6",
    usage: usage({ input_tokens: 1_000, output_tokens: 1_000, inference_geo: "us" }),
    expected: { standard: 0.0198, standardCached: 0.0198, batch: 0.0099, batchCached: 0.0099 },
  },
  {
    // Same without the surcharge: 18,000.
    name: "inference_geo global costs the base price",
    model: "claude-sonnet-4-6",
    usage: usage({ input_tokens: 1_000, output_tokens: 1_000, inference_geo: "global" }),
    expected: { standard: 0.018, standardCached: 0.018, batch: 0.009, batchCached: 0.009 },
  },
  {
    // Haiku 4.5 does not support inference_geo (no geoUs): 1,000×1 + 1,000×5 = 6,000.
    name: "us on a model without geo pricing is not surcharged",
    model: "claude-haiku-4-5",
    usage: usage({ input_tokens: 1_000, output_tokens: 1_000, inference_geo: "us" }),
    expected: { standard: 0.006, standardCached: 0.006, batch: 0.003, batchCached: 0.003 },
  },
  {
    // High band and US together: 52,500.5 × 1.1 = 57,750.55 ; 12,000.5 × 1.1 = 13,200.55
    name: "Haiku 5.5 above the band in the US",
    model: "claude-haiku-5-5",
    usage: usage({
      input_tokens: 10_001,
      output_tokens: 1_000,
      cache_read_input_tokens: 90_000,
      inference_geo: "us",
    }),
    expected: {
      standard: 0.05775055,
      standardCached: 0.01320055,
      batch: 0.028875275,
      batchCached: 0.006600275,
    },
  },
  {
    // No per-TTL breakdown: the 1,000 writes are 5m writes (1.25).
    // cached = 100×1 + 1,000×1.25 = 1,350 ; standard = 1,100×1 = 1,100
    name: "writes without cache_creation count as 5m",
    model: "claude-haiku-4-5",
    usage: usage({ input_tokens: 100, cache_creation_input_tokens: 1_000, cache_creation: null }),
    expected: { standard: 0.0011, standardCached: 0.00135, batch: 0.00055, batchCached: 0.000675 },
  },
  {
    name: "a dated alias prices like its model",
    model: "claude-haiku-4-5-20251001",
    usage: usage({ input_tokens: 1_000, output_tokens: 1_000 }),
    expected: { standard: 0.006, standardCached: 0.006, batch: 0.003, batchCached: 0.003 },
  },
];

describe("priceUsage", () => {
  it.each(cases)("$name", ({ model, usage: u, expected }) => {
    const cost = priceUsage(u, price(model));
    expect(cost.standard).toBe(expected.standard);
    expect(cost.standardCached).toBe(expected.standardCached);
    expect(cost.batch).toBe(expected.batch);
    expect(cost.batchCached).toBe(expected.batchCached);
    expect(Object.keys(cost).sort()).toEqual([
      "batch",
      "batchCached",
      "standard",
      "standardCached",
    ]);
    expect(JSON.parse(JSON.stringify(cost))).toEqual(expected);
  });

  it("an errored/canceled/expired result is not priced: the caller uses ZERO_COST", () => {
    // Those results carry no usage and are not billed (docs/api-facts.md, "Billing").
    expect({ ...ZERO_COST }).toEqual({ standard: 0, standardCached: 0, batch: 0, batchCached: 0 });
    const paid = priceUsage(usage({ input_tokens: 1_000 }), price("claude-haiku-4-5"));
    expect(sumCosts([paid, ZERO_COST, ZERO_COST])).toEqual(paid);
    expect(sumCosts([])).toEqual(ZERO_COST);
  });

  it.each([
    ["negative", -1],
    ["fractional", 1.5],
    ["NaN", Number.NaN],
  ])("rejects a %s token count", (_label, value) => {
    expect(() => priceUsage(usage({ input_tokens: value }), price("claude-haiku-4-5"))).toThrow(
      expect.objectContaining({ code: "bad_input" }),
    );
  });
});

describe("sumCosts", () => {
  // Haiku 5.5 in the US: (7×0.10 + 3×0.50) × 1.1 = 2.2 × 1.1 = 2.42 units = 2.42e-6 USD, which
  // is not a binary fraction; batch = 1.21e-6.
  const one = priceUsage(
    usage({ input_tokens: 7, output_tokens: 3, inference_geo: "us" }),
    price("claude-haiku-5-5"),
  );
  const many = Array.from({ length: 10_000 }, () => one);

  it("is exact over 10,000 small costs", () => {
    const total = sumCosts(many);
    const single = priceUsageExact(
      usage({ input_tokens: 7, output_tokens: 3, inference_geo: "us" }),
      price("claude-haiku-5-5"),
    );
    expect(single.standard).toBe(2_420_000_000n); // femto-USD
    expect(total.standard).toBe(femtoToUsd(single.standard * 10_000n));
    expect(total.standard).toBe(0.0242);
    expect(total.batch).toBe(0.0121);
    expect(exactOf(total).batch).toBe(12_100_000_000_000n);
    // Float accumulation would not be exact; the test would be meaningless if it were.
    expect(many.reduce((sum, c) => sum + c.standard, 0)).not.toBe(0.0242);
  });

  it("stays exact when sums are summed", () => {
    const halves = [sumCosts(many.slice(0, 3_333)), sumCosts(many.slice(3_333))];
    expect(sumCosts(halves)).toEqual(sumCosts(many));
    expect(exactOf(sumCosts(halves))).toEqual(exactOf(sumCosts(many)));
  });

  it("falls back to the USD numbers of costs that lost their exact value", () => {
    const plain = many.map((c) => ({ ...c }));
    expect(sumCosts(plain).standard).toBe(0.0242);
  });
});
