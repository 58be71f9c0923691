/** The warm-up decision: expected saving of a one-request warm-up batch per shared prefix. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CompiledRequest } from "../../src/compile/types.js";
import { parsePricing, requirePrice } from "../../src/cost/pricing.js";
import { planWarmup, warmupRequests } from "../../src/cost/warmup-plan.js";

const PRICING_FILE = new URL("../../src/cost/pricing.yaml", import.meta.url);
const table = parsePricing(readFileSync(PRICING_FILE, "utf8"), "pricing.yaml");
const SONNET = requirePrice(table, "claude-sonnet-4-6");
const HAIKU = requirePrice(table, "claude-haiku-4-5");

/** `n` requests on `model` sharing a prefix of `prefixChars` characters (seeded by `seed`). */
function requests(
  n: number,
  model: string,
  prefixChars: number,
  ttl: "5m" | "1h" = "1h",
  seed = "p",
): CompiledRequest[] {
  return Array.from({ length: n }, (_, i) => ({
    customId: `${seed}${i}`,
    suite: "s",
    caseId: `${seed}${i}`,
    repeat: 0,
    model,
    params: {
      model,
      max_tokens: 200,
      system: [
        {
          type: "text" as const,
          text: seed.padEnd(prefixChars, "x"),
          cache_control: { type: "ephemeral" as const, ttl },
        },
      ],
      messages: [{ role: "user" as const, content: `question ${i}` }],
    },
  }));
}

// Sonnet 4.6 (1h write 6, read 0.30), 10 requests sharing 5,000 tokens, missShare 0.3:
// 0.3 × 9 × 5,000 × (6 − 0.30) × 0.5 / 1e6 = 13,500 × 5.7 × 0.5 / 1e6 = $0.038475
const TEN = requests(10, "claude-sonnet-4-6", 20_000);

describe("planWarmup", () => {
  it("computes the expected saving by hand", () => {
    const plan = planWarmup(TEN, SONNET);
    expect(plan.savingUsd).toBe(0.038475);
    expect(plan.worthIt).toBe(true);
    expect(plan.prefixes).toEqual([
      {
        key: expect.any(String),
        tokens: 5_000,
        requests: 10,
        ttl: "1h",
        warmupCustomId: "p0",
        savingUsd: 0.038475,
      },
    ]);
  });

  it.each([
    // The threshold must be beaten, not met.
    [0.038475, false],
    [0.038474, true],
    [0.05, false],
    [0, true],
  ])("threshold $%d → worth it: %s", (thresholdUsd, worthIt) => {
    expect(planWarmup(TEN, SONNET, { thresholdUsd }).worthIt).toBe(worthIt);
  });

  it.each([
    // A 5m prefix is never warmed (a batch can outlive the entry), so it saves nothing.
    ["5m TTL", requests(10, "claude-sonnet-4-6", 20_000, "5m"), {}, 0],
    // missShare 1: 9 × 5,000 × 5.7 × 0.5 / 1e6 = $0.12825
    ["every request misses", TEN, { missShare: 1 }, 0.12825],
    ["no misses", TEN, { missShare: 0 }, 0],
    // Two prefixes add up: 2 × (0.3 × 2 × 5,000 × 5.7 × 0.5) / 1e6 = 2 × 0.00855 = $0.0171
    [
      "two prefixes",
      [
        ...requests(3, "claude-sonnet-4-6", 20_000, "1h", "a"),
        ...requests(3, "claude-sonnet-4-6", 20_000, "1h", "b"),
      ],
      {},
      0.0171,
    ],
  ])("%s", (_name, reqs, options, saving) => {
    expect(planWarmup(reqs, SONNET, options).savingUsd).toBe(saving);
  });

  it("has nothing to warm below the model's minimum or without sharing", () => {
    // 2,000 tokens < Haiku 4.5's 4,096 minimum.
    const below = planWarmup(requests(10, "claude-haiku-4-5", 8_000), HAIKU, { thresholdUsd: 0 });
    expect(below).toEqual({ worthIt: false, savingUsd: 0, prefixes: [], fiveMinutePrefixes: 0 });
    const alone = planWarmup(requests(1, "claude-sonnet-4-6", 20_000), SONNET, {
      thresholdUsd: 0,
    });
    expect(alone.prefixes).toEqual([]);
    expect(alone.worthIt).toBe(false);
  });

  it("warms 1h prefixes only; 5m ones are counted, not warmed", () => {
    const fiveMinute = requests(10, "claude-sonnet-4-6", 20_000, "5m", "f");
    const plan = planWarmup([...fiveMinute, ...TEN], SONNET, { thresholdUsd: 0 });
    expect(plan.prefixes.map((p) => [p.ttl, p.warmupCustomId])).toEqual([["1h", "p0"]]);
    expect(plan.fiveMinutePrefixes).toBe(1);
    expect(plan.savingUsd).toBe(0.038475);
    const only5m = planWarmup(fiveMinute, SONNET, { thresholdUsd: 0 });
    expect(only5m).toEqual({ worthIt: false, savingUsd: 0, prefixes: [], fiveMinutePrefixes: 1 });
  });

  it("rejects nonsense options", () => {
    expect(() => planWarmup(TEN, SONNET, { missShare: 1.5 })).toThrow(RangeError);
    expect(() => planWarmup(TEN, SONNET, { thresholdUsd: -1 })).toThrow(RangeError);
  });
});

describe("warmupRequests", () => {
  const small = requests(3, "claude-sonnet-4-6", 20_000); // saves $0.00855: below $0.01
  it.each([
    ["never", TEN, []],
    ["auto", TEN, ["p0"]],
    ["auto", small, []],
    ["always", small, ["p0"]],
    ["always", requests(10, "claude-sonnet-4-6", 20_000, "5m"), []],
    ["auto", [...requests(10, "claude-sonnet-4-6", 20_000, "5m", "f"), ...TEN], ["p0"]],
  ] as const)("%s", (mode, reqs, ids) => {
    expect(warmupRequests(reqs, SONNET, mode).map((r) => r.customId)).toEqual(ids);
  });
});
