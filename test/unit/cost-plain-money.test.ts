/**
 * Money in records is plain data (src/cost/exact-cost.ts, `Cost`): every field enumerable, so
 * a spread copy, structuredClone or a JSON round trip keeps the exact amounts, and sums over the
 * copies are exact. The worked examples use amounts that float addition gets wrong.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  addCosts,
  type Cost,
  costFromExact,
  costOf,
  exactOf,
  NO_COST,
  plainCost,
} from "../../src/cost/exact-cost.js";
import { priceCost, priceUsage, sumCosts } from "../../src/cost/price-usage.js";
import { parsePricing, requirePrice } from "../../src/cost/pricing.js";
import { summarize } from "../../src/report/summarize.js";
import type { ResultRecord } from "../../src/report/types.js";

const PRICING_FILE = new URL("../../src/cost/pricing.yaml", import.meta.url);
const table = parsePricing(readFileSync(PRICING_FILE, "utf8"), "pricing.yaml");
// Haiku 4.5: input 1 USD per million tokens, so N input tokens cost N / 1,000,000 USD.
const haiku = requirePrice(table, "claude-haiku-4-5");
const input = (tokens: number) => ({ input_tokens: tokens, output_tokens: 0 });

/** The same costs, copied the ways records get copied. */
const copies: [string, (cost: Cost) => Cost][] = [
  ["a spread copy", (cost) => ({ ...cost, femtoUsd: { ...cost.femtoUsd } })],
  ["a shallow spread", (cost) => ({ ...cost })],
  ["structuredClone", (cost) => structuredClone(cost)],
  ["a JSON round trip", (cost) => JSON.parse(JSON.stringify(cost)) as Cost],
];

describe("a Cost", () => {
  it("is plain data: every field enumerable, exact amounts as femto-USD strings", () => {
    const cost = priceCost(input(100_000), haiku);
    expect(cost).toEqual({
      standard: 0.1,
      standardCached: 0.1,
      batch: 0.05,
      batchCached: 0.05,
      femtoUsd: {
        standard: "100000000000000",
        standardCached: "100000000000000",
        batch: "50000000000000",
        batchCached: "50000000000000",
      },
    });
    expect(Object.getOwnPropertySymbols(cost)).toEqual([]);
    // The USD figures are the ones priceUsage gives.
    const { femtoUsd: _, ...figures } = cost;
    expect(figures).toEqual(priceUsage(input(100_000), haiku));
    expect(NO_COST).toEqual(plainCost(exactOf(NO_COST)));
  });

  it.each(copies)("sums exactly after %s: $0.1 + $0.2 is $0.3", (_how, copy) => {
    // Float addition gets this one wrong; the test would be meaningless if it did not.
    expect(0.1 + 0.2).not.toBe(0.3);
    const costs = [priceCost(input(100_000), haiku), priceCost(input(200_000), haiku)];
    const total = addCosts(costs.map(copy));
    expect(total.standard).toBe(0.3);
    expect(total.batch).toBe(0.15);
    expect(total.femtoUsd.standard).toBe("300000000000000");
    expect(total).toEqual(priceCost(input(300_000), haiku));
  });

  it.each(copies)("keeps digits a double cannot hold through %s", (_how, copy) => {
    // $1,234.567890123456789: 19 significant digits, where a double keeps about 16.
    const amount = 1_234_567_890_123_456_789n;
    const exact = { standard: amount, standardCached: amount, batch: amount, batchCached: amount };
    const three = [1, 2, 3].map(() => copy(plainCost(exact)));
    expect(addCosts(three).femtoUsd.batchCached).toBe("3703703670370370367");
    expect(exactOf(addCosts(three)).batchCached).toBe(amount * 3n);
    // The same through CostFigures, whose exact value is a hidden symbol: a copy loses it and
    // the sum can only start from the rounded USD numbers.
    const hidden = costFromExact(exact);
    const lost = sumCosts([1, 2, 3].map(() => ({ ...hidden })));
    expect(exactOf(lost).batchCached).not.toBe(amount * 3n);
    expect(3 * hidden.batchCached).not.toBe(Number("3703.703670370370367"));
  });

  it("is made from any cost figures, exactly when they carry their exact value", () => {
    const figures = priceUsage(input(123_457), haiku);
    expect(costOf(figures)).toEqual(priceCost(input(123_457), haiku));
    const cost = priceCost(input(42), haiku);
    expect(costOf(JSON.parse(JSON.stringify(cost)) as Cost)).toEqual(cost);
  });

  it.each([
    [{ standard: "1", standardCached: "1", batch: "1" }, "femtoUsd.batchCached is undefined"],
    [{ standard: "1.5", standardCached: "1", batch: "1", batchCached: "1" }, 'is "1.5"'],
    [{ standard: "-1", standardCached: "1", batch: "1", batchCached: "1" }, 'is "-1"'],
    [{ standard: 1, standardCached: "1", batch: "1", batchCached: "1" }, "is 1,"],
  ])("refuses a femtoUsd it cannot read exactly: %j", (femtoUsd, message) => {
    const cost = { standard: 0, standardCached: 0, batch: 0, batchCached: 0, femtoUsd };
    expect(() => exactOf(cost)).toThrow(message);
  });
});

describe("a report's records", () => {
  /** A succeeded result of `tokens` input tokens on Haiku 4.5, priced as records are. */
  function record(caseId: string, tokens: number, source: "batch" | "cache"): ResultRecord {
    return {
      suite: "s",
      caseId,
      model: "claude-haiku-4-5",
      repeat: 0,
      customId: `s_${caseId}_r0`,
      outcome: "pass",
      source,
      score: 1,
      output: "ok",
      stopReason: "end_turn",
      assertions: [],
      usage: {
        input_tokens: tokens,
        output_tokens: 0,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        cache_creation: null,
      },
      cost: priceUsage(input(tokens), haiku),
    };
  }

  const report = summarize({
    runId: "r",
    createdAt: "2026-12-02T00:00:00Z",
    backend: "sim",
    sdkVersion: "x",
    suites: [{ name: "s", file: "s.yaml", passThreshold: 1, caseCount: 3 }],
    models: ["claude-haiku-4-5"],
    results: [
      record("a", 100_000, "batch"),
      record("b", 200_000, "cache"),
      record("c", 300_000, "batch"),
    ],
    batches: new Map(),
  });

  it("carry their cost as plain money, and the totals are exact", () => {
    expect(report.results.map((r) => r.cost.femtoUsd.standard)).toEqual([
      "100000000000000",
      "200000000000000",
      "300000000000000",
    ]);
    expect(report.cost.femtoUsd.standard).toBe("600000000000000");
    expect(report.cost.standard).toBe(0.6);
    expect(report.models[0]?.cost.femtoUsd).toEqual(report.cost.femtoUsd);
    expect(report.cost.replayed).toBe(0.1);
  });

  it("are the run's own records when already priced as plain money, copies otherwise", () => {
    const plain = {
      ...record("d", 100_000, "batch"),
      cost: costOf(priceUsage(input(100_000), haiku)),
    };
    const again = summarize({
      runId: "r",
      createdAt: "2026-12-02T00:00:00Z",
      backend: "sim",
      sdkVersion: "x",
      suites: [{ name: "s", file: "s.yaml", passThreshold: 1, caseCount: 2 }],
      models: ["claude-haiku-4-5"],
      results: [plain, record("e", 100_000, "batch")],
      batches: new Map(),
    });
    expect(again.results[0]).toBe(plain);
    expect(again.results[1]?.cost.femtoUsd.standard).toBe("100000000000000");
    expect(again.cost.femtoUsd.standard).toBe("200000000000000");
  });

  it("sum to the report's totals after a JSON round trip and spread copies", () => {
    const read = JSON.parse(JSON.stringify(report)) as typeof report;
    const copied = read.results.map((r) => ({ ...r, cost: { ...r.cost } }));
    const total = addCosts(copied.map((r) => r.cost));
    const { replayed: _r, grader: _g, ...figures } = read.cost;
    expect(total).toEqual(figures);
    // The float sum of the same records is not the total: 0.1 + 0.2 + 0.3 = 0.6000000000000001.
    expect(copied.reduce((sum, r) => sum + r.cost.standard, 0)).not.toBe(read.cost.standard);
  });
});
