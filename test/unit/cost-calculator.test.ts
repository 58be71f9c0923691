/** The calculator's worked examples: a workload's four figures from its shape alone. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { estimateWorkload } from "../../src/cost/calculator.js";
import { parsePricing, requirePrice } from "../../src/cost/pricing.js";

const table = parsePricing(
  readFileSync(new URL("../../src/cost/pricing.yaml", import.meta.url), "utf8"),
  "pricing.yaml",
);
const price = (model: string) => requirePrice(table, model);

describe("estimateWorkload", () => {
  it("500,000 requests of 400 input and 20 output tokens on Haiku 4.5: $250 standard, $125 batch", () => {
    const { cost } = estimateWorkload(
      { requests: 500_000, inputTokens: 400, outputTokens: 20 },
      price("claude-haiku-4-5"),
    );
    expect(cost.femtoUsd).toEqual({
      standard: "250000000000000000",
      standardCached: "250000000000000000",
      batch: "125000000000000000",
      batchCached: "125000000000000000",
    });
  });

  it("3,000 questions on one cached 40,000-token document, Sonnet 4.6: $369.90 and $23.06", () => {
    const estimate = estimateWorkload(
      {
        requests: 3000,
        inputTokens: 40_100,
        outputTokens: 200,
        sharedPrefixTokens: 40_000,
        cacheTtl: "1h",
      },
      price("claude-sonnet-4-6"),
    );
    expect([estimate.cacheWrites, estimate.cacheReads]).toEqual([1, 2999]);
    // One 1h write (40,000 × $6/M), 2,999 reads (× $0.30/M), 3,000 × 100 input and 200 output;
    // half of each in batch.
    expect(estimate.cost.standard).toBe(369.9);
    expect(estimate.cost.standardCached).toBe(0.24 + 35.988 + 0.9 + 9);
    expect(estimate.cost.batchCached).toBe(23.064);
  });

  it("writes the prefix again for the requests that miss the cache", () => {
    const estimate = estimateWorkload(
      {
        requests: 101,
        inputTokens: 5000,
        outputTokens: 0,
        sharedPrefixTokens: 4096,
        cacheHitRate: 0.75,
        cacheTtl: "5m",
      },
      price("claude-haiku-4-5"),
    );
    expect([estimate.cacheWrites, estimate.cacheReads]).toEqual([26, 75]);
    // 26 × 4,096 × $1.25/M + 75 × 4,096 × $0.10/M + 101 × 904 × $1/M.
    expect(estimate.cost.femtoUsd.standardCached).toBe(
      (
        26n * 4096n * 1_250_000_000n +
        75n * 4096n * 100_000_000n +
        101n * 904n * 1_000_000_000n
      ).toString(),
    );
  });

  it("prices a Haiku 5.5 request whose prompt crosses 100K tokens in the upper band", () => {
    const below = estimateWorkload(
      { requests: 1, inputTokens: 100_000, outputTokens: 1000 },
      price("claude-haiku-5-5"),
    );
    const above = estimateWorkload(
      { requests: 1, inputTokens: 100_001, outputTokens: 1000 },
      price("claude-haiku-5-5"),
    );
    // Below: $0.10/M in, $0.50/M out. Above: every token at $0.50/M in, $2.50/M out.
    expect(below.cost.standard).toBe(0.0105);
    expect(above.cost.standard).toBe(0.0525005);
  });

  it("costs 1.1x with inference_geo us where the model takes it, and the same elsewhere", () => {
    const workload = { requests: 10, inputTokens: 1000, outputTokens: 100 };
    const global = estimateWorkload(workload, price("claude-sonnet-4-6"));
    const us = estimateWorkload({ ...workload, geo: "us" }, price("claude-sonnet-4-6"));
    expect(BigInt(us.cost.femtoUsd.batchCached) * 10n).toBe(
      BigInt(global.cost.femtoUsd.batchCached) * 11n,
    );
    const haiku = estimateWorkload({ ...workload, geo: "us" }, price("claude-haiku-4-5"));
    expect(haiku.cost).toEqual(estimateWorkload(workload, price("claude-haiku-4-5")).cost);
  });

  it("does not cache a prefix below the model's minimum, and says so", () => {
    const estimate = estimateWorkload(
      { requests: 10, inputTokens: 2000, outputTokens: 0, sharedPrefixTokens: 1500 },
      price("claude-haiku-4-5"),
    );
    expect(estimate.notCached).toEqual({ minimum: 4096 });
    expect(estimate.cost.standardCached).toBe(estimate.cost.standard);
  });

  it("refuses a prefix longer than the prompt, and a hit rate outside 0 to 1", () => {
    const model = price("claude-haiku-4-5");
    expect(() =>
      estimateWorkload(
        { requests: 1, inputTokens: 10, outputTokens: 1, sharedPrefixTokens: 11 },
        model,
      ),
    ).toThrow(/more than --input-tokens 10/);
    expect(() =>
      estimateWorkload({ requests: 1, inputTokens: 10, outputTokens: 1, cacheHitRate: 1.5 }, model),
    ).toThrow(/--cache-hit-rate must be from 0 to 1/);
  });

  it("names the closest model for an unknown one", () => {
    expect(() => price("claude-haiku-45")).toThrow(
      'No price for model "claude-haiku-45" (did you mean "claude-haiku-4-5"?)',
    );
  });
});
