import Anthropic from "@anthropic-ai/sdk";
import type { MessageBatch } from "@anthropic-ai/sdk/resources/messages";
import { afterEach, describe, expect, test } from "vitest";
import { BatchevalError } from "../../src/errors.js";
import { parseFaults, type SimulatorOptions } from "../../src/sim/server.js";
import {
  params,
  readResults,
  runBatch,
  type SimHarness,
  startHarness,
  waitForEnd,
} from "./helpers.js";

let h: SimHarness | undefined;
afterEach(async () => {
  await h?.sim.close();
  h = undefined;
});

async function start(options: SimulatorOptions): Promise<SimHarness> {
  h = await startHarness(options);
  return h;
}

const requests = (n: number, prefix = "r") =>
  Array.from({ length: n }, (_, i) => ({ custom_id: `${prefix}${i}`, params: params(`q${i}`) }));

describe("parseFaults", () => {
  test("parses the documented example", () => {
    expect(
      parseFaults(
        "overloaded=0.2,api_error=0.05,expired=0.1,canceled=0.05,http429=0.1,http500=0.05,http529=0.05,break_results=0.5,seed=42",
      ),
    ).toEqual({
      overloaded: 0.2,
      apiError: 0.05,
      expired: 0.1,
      canceled: 0.05,
      http429: 0.1,
      http500: 0.05,
      http529: 0.05,
      breakResults: 0.5,
      seed: 42,
    });
    expect(parseFaults("")).toEqual({});
  });

  test("parses the result-error, create and spend-limit faults", () => {
    expect(
      parseFaults(
        "timeout_error=0.1,rate_limit_error=0.1,invalid_request_error=0.1,authentication_error=0.1,billing_error=0.1,permission_error=0.1,not_found_error=0.1,create_429=0.1,create_500=0.1,create_529=0.1,spend_limit=0.1,accept_then_500=0.1,accept_then_reset=0.1",
      ),
    ).toEqual({
      timeoutError: 0.1,
      rateLimitError: 0.1,
      invalidRequestError: 0.1,
      authenticationError: 0.1,
      billingError: 0.1,
      permissionError: 0.1,
      notFoundError: 0.1,
      create429: 0.1,
      create500: 0.1,
      create529: 0.1,
      spendLimit: 0.1,
      acceptThen500: 0.1,
      acceptThenReset: 0.1,
    });
  });

  test.each([
    ["unknown key", "nope=0.1", /unknown fault `nope`/],
    ["not a number", "http429=lots", /expected http429=NUMBER/],
    ["out of range", "expired=1.5", /between 0 and 1/],
    ["fractional seed", "seed=1.5", /integer/],
    ["result shares over 1", "overloaded=0.6,expired=0.6", /more than 1/],
    ["result-error shares over 1", "timeout_error=0.6,billing_error=0.6", /result faults/],
    ["create shares over 1", "create_529=0.6,accept_then_500=0.6", /create faults/],
  ])("%s → bad_input", (_name, spec, message) => {
    const error = (() => {
      try {
        parseFaults(spec);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(BatchevalError);
    expect((error as BatchevalError).code).toBe("bad_input");
    expect((error as BatchevalError).message).toMatch(message);
  });
});

describe("result faults", () => {
  test("each kind turns its share of results into errored / expired / canceled", async () => {
    const { client } = await start({
      faults: { overloaded: 0.2, apiError: 0.2, expired: 0.2, canceled: 0.2, seed: 7 },
    });
    const { batch, results } = await runBatch(client, requests(400));
    const counts = batch.request_counts;
    expect(counts.succeeded + counts.errored + counts.expired + counts.canceled).toBe(400);
    for (const n of [counts.succeeded, counts.expired, counts.canceled])
      expect(n).toBeGreaterThan(40);
    const types = new Map<string, number>();
    for (const line of results.values()) {
      if (line.result.type === "errored") {
        const type = line.result.error.error.type;
        types.set(type, (types.get(type) ?? 0) + 1);
        expect(line.result.error.request_id).toMatch(/^req_/);
      }
    }
    expect(types.get("overloaded_error")).toBeGreaterThan(40);
    expect(types.get("api_error")).toBeGreaterThan(40);
  });

  test("a resubmitted custom_id draws again, so retries recover; the seed makes it repeatable", async () => {
    const outcome = async (): Promise<number[]> => {
      const harness = await startHarness({ faults: { overloaded: 0.5, seed: 3 } });
      try {
        let pending = requests(40);
        const failedPerRound: number[] = [];
        // At 0.5 a request fails n rounds running with odds 2^-n: 20 rounds leave none.
        for (let round = 0; round < 20 && pending.length > 0; round++) {
          const { results } = await runBatch(harness.client, pending);
          pending = pending.filter((r) => results.get(r.custom_id)?.result.type !== "succeeded");
          failedPerRound.push(pending.length);
        }
        return failedPerRound;
      } finally {
        await harness.sim.close();
      }
    };
    const first = await outcome();
    expect(first.at(-1)).toBe(0);
    expect(first[0]).toBeGreaterThan(5);
    expect(await outcome()).toEqual(first);
  });
});

describe("result faults of every error type", () => {
  test.each([
    ["overloaded", "overloaded_error"],
    ["apiError", "api_error"],
    ["timeoutError", "timeout_error"],
    ["rateLimitError", "rate_limit_error"],
    ["invalidRequestError", "invalid_request_error"],
    ["authenticationError", "authentication_error"],
    ["billingError", "billing_error"],
    ["permissionError", "permission_error"],
    ["notFoundError", "not_found_error"],
  ] as const)("%s=1 → every result errored with %s", async (key, type) => {
    const { client } = await start({ faults: { [key]: 1 } });
    const { results } = await runBatch(client, requests(5));
    expect(results.size).toBe(5);
    for (const line of results.values()) {
      expect(line.result.type).toBe("errored");
      if (line.result.type === "errored") expect(line.result.error.error.type).toBe(type);
    }
  });
});

describe("create faults", () => {
  async function batches(client: Anthropic): Promise<MessageBatch[]> {
    const found: MessageBatch[] = [];
    for await (const batch of client.messages.batches.list()) found.push(batch);
    return found;
  }

  test.each([
    ["create429", Anthropic.RateLimitError, "rate_limit_error"],
    ["create500", Anthropic.InternalServerError, "api_error"],
    ["create529", Anthropic.OverloadedError, "overloaded_error"],
  ] as const)(
    "%s=1 → creates fail, nothing is created, other calls work",
    async (kind, errorClass, type) => {
      const { client } = await start({ faults: { [kind]: 1 } });
      const error = await client.messages.batches.create({ requests: requests(2) }).catch((e) => e);
      expect(error).toBeInstanceOf(errorClass);
      expect((error as InstanceType<typeof Anthropic.APIError>).type).toBe(type);
      expect(await batches(client)).toEqual([]);
    },
  );

  test("spend_limit=1 → the SDK's EnforcedSpendLimitReachedError, no retry-after, nothing created", async () => {
    const { client } = await start({ faults: { spendLimit: 1 } });
    const error = await client.messages.batches.create({ requests: requests(2) }).catch((e) => e);
    expect(error).toBeInstanceOf(Anthropic.EnforcedSpendLimitReachedError);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    const apiError = error as InstanceType<typeof Anthropic.APIError>;
    expect(apiError.status).toBe(429);
    expect(apiError.type).toBe("rate_limit_error");
    expect(apiError.errorCode).toBe("enforced_spend_limit_reached");
    expect(apiError.headers?.get("retry-after")).toBeNull();
    expect(await batches(client)).toEqual([]);
  });

  test("accept_then_500=1 → a 500, yet the batch exists and runs", async () => {
    const { client } = await start({ faults: { acceptThen500: 1 } });
    const error = await client.messages.batches.create({ requests: requests(3) }).catch((e) => e);
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    const [batch, ...more] = await batches(client);
    expect(more).toEqual([]);
    expect(totalOf(batch!)).toBe(3);
    expect((await readResults(client, (await waitForEnd(client, batch!.id)).id)).size).toBe(3);
  });

  test("accept_then_reset=1 → the connection drops unanswered, yet the batch exists", async () => {
    const { client } = await start({ faults: { acceptThenReset: 1 } });
    const error = await client.messages.batches.create({ requests: requests(3) }).catch((e) => e);
    expect(error).toBeInstanceOf(Anthropic.APIConnectionError);
    const found = await batches(client);
    expect(found.map(totalOf)).toEqual([3]);
  });

  test("setFaults replaces the faults from the next call on", async () => {
    const h = await start({ faults: { create529: 1 } });
    await expect(h.client.messages.batches.create({ requests: requests(1) })).rejects.toThrow();
    h.sim.setFaults({});
    expect((await h.client.messages.batches.create({ requests: requests(1) })).id).toMatch(
      /^msgbatch_/,
    );
  });
});

function totalOf(batch: MessageBatch): number {
  return Object.values(batch.request_counts).reduce((a, b) => a + b, 0);
}

describe("HTTP faults", () => {
  test.each([
    ["http429", Anthropic.RateLimitError, "rate_limit_error"],
    ["http500", Anthropic.InternalServerError, "api_error"],
    ["http529", Anthropic.OverloadedError, "overloaded_error"],
  ] as const)("%s=1 → the SDK error class, a small retry-after", async (kind, errorClass, type) => {
    const { client } = await start({ faults: { [kind]: 1 } });
    const error = await client.messages.batches.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errorClass);
    const apiError = error as InstanceType<typeof Anthropic.APIError>;
    expect(apiError.type).toBe(type);
    const retryAfter = Number(apiError.headers?.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(0.01);
    expect(retryAfter).toBeLessThanOrEqual(0.05);
  });

  test("the SDK's own retries recover from 429/500/529", async () => {
    const statuses: string[] = [];
    const sim = await start({
      faults: { http429: 0.15, http500: 0.1, http529: 0.1, seed: 11 },
      log: (line) => statuses.push(line.split(" ").at(-1) ?? ""),
    });
    const client = new Anthropic({ apiKey: "test", baseURL: sim.sim.url, maxRetries: 6 });
    const created = await client.messages.batches.create({ requests: requests(3) });
    for (let i = 0; i < 15; i++) await client.messages.batches.retrieve(created.id);
    const results = await readResults(client, created.id);
    expect(results.size).toBe(3);
    expect(statuses).toContain("429");
    expect(statuses).toContain("500");
    expect(statuses).toContain("529");
  });
});

describe("break_results", () => {
  test("cuts the results stream mid-way; the SDK's iterator throws", async () => {
    const { client } = await start({ faults: { breakResults: 1 } });
    const created = await client.messages.batches.create({ requests: requests(20) });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const seen: string[] = [];
    const read = async (): Promise<void> => {
      for await (const line of await client.messages.batches.results(created.id))
        seen.push(line.custom_id);
    };
    await expect(read()).rejects.toThrow();
    expect(seen.length).toBeLessThan(20);
  });

  test("with a share below 1, a later download gets through", async () => {
    const { client } = await start({ faults: { breakResults: 0.5, seed: 5 } });
    const created = await client.messages.batches.create({ requests: requests(10) });
    await new Promise((resolve) => setTimeout(resolve, 20));
    let complete = 0;
    for (let attempt = 0; attempt < 10 && complete === 0; attempt++) {
      try {
        complete = (await readResults(client, created.id)).size;
      } catch {
        // cut mid-stream: try again, as the runner would
      }
    }
    expect(complete).toBe(10);
  });
});
