/** The five-step sizing report: the seed's ticket example in calculator mode, each step's JSON. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { estimateCommand } from "../../src/cli/estimate-command.js";
import type { Sizing } from "../../src/cost/sizing.js";
import { startSimulator } from "../../src/sim/server.js";
import { capitalsSuite } from "../support/capitals.js";
import { TempProject } from "../support/temp-project.js";

let project: TempProject;
beforeEach(async () => {
  project = await TempProject.create("batcheval-sizing-");
});
afterEach(async () => {
  await project.remove();
});

const TICKETS = {
  paths: [] as string[],
  model: ["claude-haiku-4-5"],
  requests: 500_000,
  inputTokens: 400,
  outputTokens: 20,
  volume: 500_000,
  sizing: true,
};

async function sizing(options: Record<string, unknown>): Promise<Sizing[]> {
  const t = project.io();
  expect(await estimateCommand({ ...TICKETS, ...options, json: true }, t.io)).toBe(0);
  return JSON.parse(t.out()).sizing;
}

describe("estimate --sizing", () => {
  it("prints the five steps for 500,000 tickets of 400/20 tokens on Haiku 4.5", async () => {
    const t = project.io();
    expect(await estimateCommand({ ...TICKETS, latencyBudget: 2 }, t.io)).toBe(0);
    const text = t.out();
    for (const step of [
      "1. Volume and tokens",
      "2. Synchronous cost",
      "3. Shared context",
      "4. Engineering cost avoided",
      "5. Latency budget",
      "Pitfalls",
    ]) {
      expect(text).toContain(step);
    }
    expect(text).toContain(
      "claude-haiku-4-5: 500,000 requests a month, 400 input and 20 output tokens",
    );
    expect(text).toContain(
      "$250.00 a month synchronous at the standard rate; $125.00 in batch (half)",
    );
    expect(text).toContain("keep this workload synchronous");
  });

  it("gives every step in --json", async () => {
    const [s] = await sizing({ engDays: 5, engDayRate: 800, latencyBudget: 36, delayCost: 10 });
    expect(s?.volume).toEqual({
      requestsPerMonth: 500_000,
      inputTokens: 400,
      outputTokens: 20,
      from: "as given on the command line",
    });
    expect(s?.cost).toEqual({ syncPerMonth: 250, batchPerMonth: 125 });
    expect(s?.sharedContext).toMatchObject({
      sharedPrefixTokens: 0,
      share: 0,
      cachingIsALever: false,
      batchCachedPerMonth: 125,
    });
    expect(s?.engineering).toEqual({
      days: 5,
      dayRate: 800,
      avoided: 4000,
      firstYearSync: 12 * 250 + 4000,
      firstYearBatch: 12 * 125,
      firstYearSaving: 12 * 250 + 4000 - 12 * 125,
    });
    expect(s?.latency).toEqual({
      budgetHours: 36,
      fitsBatch: true,
      delayCostWorst: 240,
      delayCostUsual: 10,
    });
    expect(s?.pitfalls).toEqual([expect.stringContaining("29 days")]);
  });

  it("makes caching the lever when the shared prefix is most of the prompt, and flags output-heavy work", async () => {
    const [cached] = await sizing({ inputTokens: 10_000, sharedPrefixTokens: 8_000 });
    expect(cached?.sharedContext).toMatchObject({
      share: 0.8,
      cachingIsALever: true,
      readMultiplier: 0.1,
    });
    expect(cached?.sharedContext.batchCachedPerMonth).toBeLessThan(cached?.cost.batchPerMonth ?? 0);
    const [heavy] = await sizing({ inputTokens: 100, outputTokens: 2000 });
    expect(heavy?.pitfalls[0]).toMatch(/^output-heavy: output is 99% of the synchronous cost/);
  });

  it("refuses --sizing without --volume, and sizing flags without --sizing", async () => {
    await expect(
      estimateCommand({ ...TICKETS, volume: undefined } as never, project.io().io),
    ).rejects.toThrow("--sizing needs --volume");
    await expect(estimateCommand({ paths: [], engDays: 3 }, project.io().io)).rejects.toThrow(
      "the sizing flags need --sizing",
    );
  });

  it("counts a sample of a suite's requests with count_tokens when the API is reachable", async () => {
    await project.write("evals/capitals.yaml", capitalsSuite());
    const log: string[] = [];
    const sim = await startSimulator({ rules: [], log: (line) => log.push(line) });
    try {
      const env = { ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: sim.url };
      const t = project.io(env);
      expect(
        await estimateCommand({ paths: [], volume: 1000, sizing: true, json: true }, t.io),
      ).toBe(0);
      const [s] = JSON.parse(t.out()).sizing as Sizing[];
      expect(s?.volume.from).toMatch(
        /^counted with count_tokens on 8 of 8 requests \(the local estimate was [\d.]+x off\)/,
      );
      expect(log.filter((l) => l.startsWith("POST /v1/messages/count_tokens 200"))).toHaveLength(8);
      // --offline counts nothing, and says so.
      const offline = project.io(env);
      await estimateCommand(
        { paths: [], volume: 1000, sizing: true, offline: true, json: true },
        offline.io,
      );
      expect(JSON.parse(offline.out()).sizing[0].volume.from).toContain("as --offline asks");
      expect(log.filter((l) => l.includes("count_tokens"))).toHaveLength(8);
    } finally {
      await sim.close();
    }
    const keyless = project.io();
    await estimateCommand({ paths: [], volume: 1000, sizing: true, json: true }, keyless.io);
    expect(JSON.parse(keyless.out()).sizing[0].volume.from).toContain(
      "with no API key to count with count_tokens",
    );
  });
});
