/** The pre-flight estimate: token shapes, exact cost ranges, the budget-guard figure. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { BatchPlan, CompiledRequest } from "../../src/compile/types.js";
import {
  estimateModel,
  estimatePlan,
  projectVolume,
  worstCaseBatchCost,
} from "../../src/cost/estimate.js";
import { promptShape, tokenizerFactor } from "../../src/cost/estimate-shape.js";
import { exactOf } from "../../src/cost/exact-cost.js";
import { parsePricing, requirePrice } from "../../src/cost/pricing.js";
import type { CostFigures } from "../../src/cost/types.js";

const PRICING_FILE = new URL("../../src/cost/pricing.yaml", import.meta.url);
const table = parsePricing(readFileSync(PRICING_FILE, "utf8"), "pricing.yaml");
const price = (model: string) => requirePrice(table, model);

/** What one test request looks like; text lengths are in characters. */
interface Spec {
  model: string;
  prefixChars?: number;
  ttl?: "5m" | "1h";
  restChars: number;
  maxTokens: number;
  /** Distinguishes prefix texts: same seed, same prefix. */
  seed?: string;
  geo?: string;
}

function request(spec: Spec, i: number): CompiledRequest {
  const system =
    spec.prefixChars === undefined
      ? undefined
      : [
          {
            type: "text" as const,
            text: (spec.seed ?? "p").padEnd(spec.prefixChars, "x"),
            cache_control: { type: "ephemeral" as const, ...(spec.ttl ? { ttl: spec.ttl } : {}) },
          },
        ];
  const params = {
    model: spec.model,
    max_tokens: spec.maxTokens,
    messages: [{ role: "user" as const, content: "q".repeat(spec.restChars) }],
    ...(system === undefined ? {} : { system }),
    ...(spec.geo === undefined ? {} : { inference_geo: spec.geo }),
  };
  return { customId: `c${i}`, suite: "s", caseId: `c${i}`, repeat: 0, model: spec.model, params };
}

const requests = (n: number, spec: Spec) => Array.from({ length: n }, (_, i) => request(spec, i));

/** The four figures as plain numbers (USD), for toEqual. */
const usd = (standard: number, standardCached: number): CostFigures => ({
  standard,
  standardCached,
  batch: standard / 2,
  batchCached: standardCached / 2,
});

describe("tokenizerFactor", () => {
  it.each([
    ["claude-opus-4-7", 1.3],
    ["claude-opus-4-8", 1.3],
    ["claude-mythos-preview", 1.3],
    ["claude-haiku-5-5", 1.3],
    ["claude-sonnet-5", 1.3],
    ["claude-sonnet-5-5", 1.3],
    ["claude-opus-5-5", 1.3],
    ["claude-fable-5-1", 1.3],
    ["claude-mythos-5-2", 1.3],
    ["claude-opus-4-6", 1],
    ["claude-sonnet-4-6", 1],
    ["claude-haiku-4-5", 1],
    ["claude-haiku-4-5-20251001", 1],
    ["claude-opus-4-20250514", 1],
    ["claude-opus-4-1", 1],
    ["claude-3-5-haiku-20241022", 1],
    ["some-other-model", 1],
  ])("%s → %d", (model, factor) => {
    expect(tokenizerFactor(model)).toBe(factor);
  });
});

describe("promptShape", () => {
  it("splits the prefix from the rest, with ceil(chars × factor / 4) tokens", () => {
    const shape = promptShape(
      request({ model: "claude-opus-4-8", prefixChars: 4_001, restChars: 10, maxTokens: 7 }, 0),
    );
    // 4,001 × 1.3 / 4 = 1,300.325 → 1,301; 10 × 1.3 / 4 = 3.25 → 4
    expect(shape).toMatchObject({ prefixTokens: 1_301, restTokens: 4, maxOutputTokens: 7 });
    expect(shape.ttl).toBe("5m");
  });

  it("counts tools in the prefix, later system blocks in the rest, and keys the exact text", () => {
    const base = request({ model: "claude-sonnet-4-6", restChars: 8, maxTokens: 1 }, 0);
    const tools = [{ name: "t", input_schema: { type: "object" as const } }];
    const withBlocks = (first: string): CompiledRequest => ({
      ...base,
      params: {
        ...base.params,
        tools,
        system: [
          { type: "text", text: first, cache_control: { type: "ephemeral", ttl: "1h" } },
          { type: "text", text: "a".repeat(40) },
        ],
      },
    });
    const shape = promptShape(withBlocks("b".repeat(400)));
    // prefix = tools JSON + 400 chars; rest = the second block (40) + the message (8)
    expect(shape.prefixTokens).toBe(Math.ceil((JSON.stringify(tools).length + 400) / 4));
    expect(shape.restTokens).toBe(Math.ceil((40 + 8) / 4));
    expect(shape.ttl).toBe("1h");
    expect(promptShape(withBlocks("b".repeat(400))).prefixKey).toBe(shape.prefixKey);
    expect(promptShape(withBlocks("c".repeat(400))).prefixKey).not.toBe(shape.prefixKey);
  });

  it("has no prefix without a breakpoint", () => {
    const shape = promptShape(
      request({ model: "claude-sonnet-4-6", restChars: 9, maxTokens: 5 }, 0),
    );
    expect(shape).toEqual({
      prefixKey: undefined,
      prefixTokens: 0,
      ttl: undefined,
      restTokens: 3,
      maxOutputTokens: 5,
    });
  });
});

// Prices are USD per million tokens, so "N units" below means N / 1,000,000 USD.
const CASES: { name: string; requests: CompiledRequest[]; low: CostFigures; high: CostFigures }[] =
  [
    {
      // Sonnet 4.6: input 3, 1h write 6, read 0.30, output 15. 10 requests of a 5,000-token
      // prefix (20,000 chars), 100 tokens after it, max_tokens 200.
      // standard / request = 5,100×3 + 200×15 = 15,300 + 3,000 = 18,300 → ×10 = 183,000
      // write request = 5,000×6 + 100×3 + 3,000 = 33,300; read request = 5,000×0.3 + 300 +
      // 3,000 = 4,800
      // high = 10 × 33,300 = 333,000 → batchCached $0.1665 (above batch $0.0915: the 1h trade)
      // low  = 33,300 + 9 × 4,800 = 76,500 → batchCached $0.03825
      name: "Sonnet 4.6, 1h, 10 requests sharing 5,000 tokens",
      requests: requests(10, {
        model: "claude-sonnet-4-6",
        prefixChars: 20_000,
        ttl: "1h",
        restChars: 400,
        maxTokens: 200,
      }),
      low: usd(0.183, 0.0765),
      high: usd(0.183, 0.333),
    },
    {
      // Same with the 5m TTL (write 3.75): write request = 18,750 + 300 + 3,000 = 22,050
      // high = 220,500; low = 22,050 + 9 × 4,800 = 65,250
      name: "Sonnet 4.6, 5m, 10 requests sharing 5,000 tokens",
      requests: requests(10, {
        model: "claude-sonnet-4-6",
        prefixChars: 20_000,
        ttl: "5m",
        restChars: 400,
        maxTokens: 200,
      }),
      low: usd(0.183, 0.06525),
      high: usd(0.183, 0.2205),
    },
    {
      // Haiku 4.5 (input 1, output 5): a 2,000-token prefix is below its 4,096 minimum, so it
      // is plain input in both ends: 2,100×1 + 200×5 = 3,100 → ×10 = 31,000
      name: "Haiku 4.5, prefix below the minimum: no cache effect",
      requests: requests(10, {
        model: "claude-haiku-4-5",
        prefixChars: 8_000,
        ttl: "1h",
        restChars: 400,
        maxTokens: 200,
      }),
      low: usd(0.031, 0.031),
      high: usd(0.031, 0.031),
    },
    {
      // Opus 4.8 (×1.3 tokenizer; input 5, 5m write 6.25, read 0.5, output 25, minimum 1,024):
      // prefix 4,000 chars → 1,300 tokens, rest 400 chars → 130, max_tokens 100, 4 requests.
      // standard = (1,430×5 + 100×25) × 4 = 9,650 × 4 = 38,600
      // write = 1,300×6.25 + 130×5 + 2,500 = 11,275; read = 650 + 650 + 2,500 = 3,800
      // high = 45,100; low = 11,275 + 3 × 3,800 = 22,675
      name: "Opus 4.8, new tokenizer, 5m",
      requests: requests(4, {
        model: "claude-opus-4-8",
        prefixChars: 4_000,
        restChars: 400,
        maxTokens: 100,
      }),
      low: usd(0.0386, 0.022675),
      high: usd(0.0386, 0.0451),
    },
    {
      // Haiku 5.5: 400,000 chars × 1.3 / 4 = 130,000 prompt tokens > 100K, so every token is at
      // the band's prices (input 0.5, output 2.5): 65,000 + 1,000×2.5 = 67,500
      name: "Haiku 5.5 above 100K tokens: the band applies",
      requests: requests(1, { model: "claude-haiku-5-5", restChars: 400_000, maxTokens: 1_000 }),
      low: usd(0.0675, 0.0675),
      high: usd(0.0675, 0.0675),
    },
    {
      // inference_geo "us" on Sonnet 4.6: 1.1 × (100×3 + 10×15) = 1.1 × 450 = 495
      name: "inference_geo us adds 10%",
      requests: requests(1, {
        model: "claude-sonnet-4-6",
        restChars: 400,
        maxTokens: 10,
        geo: "us",
      }),
      low: usd(0.000495, 0.000495),
      high: usd(0.000495, 0.000495),
    },
  ];

describe("estimateModel", () => {
  it.each(CASES)("$name", ({ requests: reqs, low, high }) => {
    const estimate = estimateModel(reqs, price(reqs[0]!.model));
    expect(estimate.cost.low).toEqual(low);
    expect(estimate.cost.high).toEqual(high);
  });

  it("is exact in femto-USD (the headline case: low batchCached = 76,500 / 2 units)", () => {
    const estimate = estimateModel(CASES[0]!.requests, price("claude-sonnet-4-6"));
    expect(exactOf(estimate.cost.low).batchCached).toBe(38_250_000_000_000n);
    expect(exactOf(estimate.cost.high).batchCached).toBe(166_500_000_000_000n);
  });

  it("counts tokens and lists only prefixes shared by ≥2 requests that can be cached", () => {
    const shared = requests(3, {
      model: "claude-sonnet-4-6",
      prefixChars: 20_000,
      ttl: "1h",
      restChars: 400,
      maxTokens: 200,
    });
    const single = request(
      { model: "claude-sonnet-4-6", prefixChars: 8_000, seed: "other", restChars: 4, maxTokens: 1 },
      9,
    );
    const estimate = estimateModel([...shared, single], price("claude-sonnet-4-6"));
    expect(estimate).toMatchObject({
      model: "claude-sonnet-4-6",
      requests: 4,
      promptTokens: 3 * 5_100 + 2_001,
      maxOutputTokens: 601,
      minCacheableTokens: 1_024,
    });
    expect(estimate.sharedPrefixes).toEqual([
      { key: expect.any(String), tokens: 5_000, requests: 3, ttl: "1h", suites: ["s"] },
    ]);
    // The single-request prefix still writes in both ends: 2,000×3.75 + 1×3 + 1×15 = 7,518
    const alone = estimateModel([single], price("claude-sonnet-4-6"));
    expect(alone.cost.low.standardCached).toBe(0.007518);
    expect(alone.cost.high.standardCached).toBe(0.007518);
  });
});

describe("estimatePlan and the budget guard", () => {
  const sonnet = CASES[0]!.requests;
  const haiku = CASES[2]!.requests;
  const plan = (max: number): BatchPlan => ({
    models: [
      {
        model: "claude-sonnet-4-6",
        requests: sonnet.map((r) => ({ ...r, params: { ...r.params, max_tokens: max } })),
      },
      { model: "claude-haiku-4-5", requests: haiku },
    ],
    diagnostics: [],
  });

  it("sums the models exactly", () => {
    const estimate = estimatePlan(plan(200), table);
    expect(estimate.models.map((m) => m.requests)).toEqual([10, 10]);
    // standard 183,000 + 31,000 = 214,000; cached 333,000 + 31,000 = 364,000
    expect(estimate.total.high).toEqual(usd(0.214, 0.364));
    expect(exactOf(estimate.total.low).batchCached).toBe(
      exactOf(estimate.models[0]!.cost.low).batchCached +
        exactOf(estimate.models[1]!.cost.low).batchCached,
    );
  });

  it("worstCaseBatchCost is the high batchCached, with output at max_tokens", () => {
    // high batchCached = (333,000 + 31,000) / 2 = 182,000 → $0.182
    expect(worstCaseBatchCost(estimatePlan(plan(200), table))).toBe(0.182);
    // 1,000 more max_tokens on 10 Sonnet requests: + 10 × 1,000 × 15 / 2 = 75,000 → $0.257
    expect(worstCaseBatchCost(estimatePlan(plan(1_200), table))).toBe(0.257);
  });

  it("names the fix for a model without a price", () => {
    const bad: BatchPlan = { models: [{ model: "claude-nope", requests: [] }], diagnostics: [] };
    expect(() => estimatePlan(bad, table)).toThrow(/No price for model "claude-nope"/);
  });
});

describe("projectVolume", () => {
  it("scales the per-request average exactly", () => {
    const estimate = estimateModel(CASES[0]!.requests, price("claude-sonnet-4-6"));
    // 10 requests → 1,000: ×100. low batchCached 0.03825 → 3.825; high 0.1665 → 16.65
    const projected = projectVolume(estimate, 1_000);
    expect(projected.low.batchCached).toBe(3.825);
    expect(projected.high.batchCached).toBe(16.65);
    expect(projected.high.standard).toBe(18.3);
    expect(() => projectVolume(estimate, 1.5)).toThrow(RangeError);
  });
});
