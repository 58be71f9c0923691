import Anthropic from "@anthropic-ai/sdk";
import { afterEach, describe, expect, test } from "vitest";
import { ManualClock, type SimulatorOptions } from "../../src/sim/server.js";
import { params, readResults, type SimHarness, startHarness } from "./helpers.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let h: SimHarness | undefined;
afterEach(async () => {
  await h?.sim.close();
  h = undefined;
});

async function start(options: SimulatorOptions): Promise<SimHarness> {
  h = await startHarness(options);
  return h;
}

const requests = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ custom_id: `r${i}`, params: params(`question ${i}`) }));

describe("life cycle on a manual clock", () => {
  test("counts stay processing until the whole batch ends", async () => {
    const clock = new ManualClock();
    const { client } = await start({ clock, batchDurationMs: 1_000 });
    const { id } = await client.messages.batches.create({ requests: requests(10) });
    clock.advance(999);
    const mid = await client.messages.batches.retrieve(id);
    expect(mid.processing_status).toBe("in_progress");
    expect(mid.request_counts).toEqual({
      processing: 10,
      succeeded: 0,
      errored: 0,
      canceled: 0,
      expired: 0,
    });
    await expect(client.messages.batches.results(id)).rejects.toThrow(/results_url/);
    clock.advance(1);
    const done = await client.messages.batches.retrieve(id);
    expect(done.processing_status).toBe("ended");
    expect(done.request_counts.succeeded).toBe(10);
    expect(Date.parse(done.ended_at ?? "") - Date.parse(done.created_at)).toBe(1_000);
  });

  test("cancel: canceling with cancel_initiated_at, in-flight requests finish, the rest are canceled", async () => {
    const clock = new ManualClock();
    const { client } = await start({ clock, batchDurationMs: 1_000 });
    const { id } = await client.messages.batches.create({ requests: requests(10) });
    clock.advance(350); // 3 requests done; the grace window (250 ms) lets 3 more finish
    const canceling = await client.messages.batches.cancel(id);
    expect(canceling.processing_status).toBe("canceling");
    expect(canceling.cancel_initiated_at).not.toBeNull();
    expect(canceling.request_counts.processing).toBe(10);
    clock.advance(250);
    const ended = await client.messages.batches.retrieve(id);
    expect(ended.processing_status).toBe("ended");
    expect(ended.request_counts).toEqual({
      processing: 0,
      succeeded: 6,
      errored: 0,
      canceled: 4,
      expired: 0,
    });
    const results = await readResults(client, id);
    expect([...results.values()].filter((r) => r.result.type === "canceled")).toHaveLength(4);
    await expect(client.messages.batches.cancel(id)).rejects.toBeInstanceOf(
      Anthropic.BadRequestError,
    );
  });

  test("delete: refused while processing, then 404 once deleted", async () => {
    const clock = new ManualClock();
    const { client } = await start({ clock, batchDurationMs: 1_000 });
    const { id } = await client.messages.batches.create({ requests: requests(2) });
    await expect(client.messages.batches.delete(id)).rejects.toBeInstanceOf(
      Anthropic.BadRequestError,
    );
    clock.advance(1_000);
    expect(await client.messages.batches.delete(id)).toEqual({ id, type: "message_batch_deleted" });
    await expect(client.messages.batches.retrieve(id)).rejects.toBeInstanceOf(
      Anthropic.NotFoundError,
    );
    await expect(client.messages.batches.delete(id)).rejects.toBeInstanceOf(
      Anthropic.NotFoundError,
    );
    expect((await client.messages.batches.list()).data).toEqual([]);
  });

  test("expiry: requests unfinished 24 h after creation come back expired", async () => {
    const clock = new ManualClock();
    const { client } = await start({ clock, batchDurationMs: 40 * HOUR });
    const { id, expires_at, created_at } = await client.messages.batches.create({
      requests: requests(4),
    });
    expect(Date.parse(expires_at) - Date.parse(created_at)).toBe(DAY);
    clock.advance(DAY - 1);
    expect((await client.messages.batches.retrieve(id)).processing_status).toBe("in_progress");
    clock.advance(1);
    const ended = await client.messages.batches.retrieve(id);
    expect(ended.processing_status).toBe("ended");
    expect(ended.ended_at).toBe(expires_at);
    // Request i finishes at 40 h × (i+1)/4: the first two (10 h, 20 h) made it.
    expect(ended.request_counts).toEqual({
      processing: 0,
      succeeded: 2,
      errored: 0,
      canceled: 0,
      expired: 2,
    });
    const results = await readResults(client, id);
    expect(results.get("r3")?.result).toEqual({ type: "expired" });
  });

  test("archival: after 29 days archived_at is set and results are gone (404)", async () => {
    const clock = new ManualClock();
    const { client } = await start({ clock, batchDurationMs: 10 });
    const { id, created_at } = await client.messages.batches.create({ requests: requests(1) });
    clock.advance(29 * DAY - 1);
    const before = await client.messages.batches.retrieve(id);
    expect(before.archived_at).toBeNull();
    expect((await readResults(client, id)).size).toBe(1);
    clock.advance(1);
    const after = await client.messages.batches.retrieve(id);
    expect(Date.parse(after.archived_at ?? "") - Date.parse(created_at)).toBe(29 * DAY);
    expect(after.processing_status).toBe("ended");
    await expect(client.messages.batches.results(id)).rejects.toBeInstanceOf(
      Anthropic.NotFoundError,
    );
  });
});

describe("cache TTL on the clock", () => {
  const LONG = "Shared rubric text for every case in the suite. ".repeat(100);
  const cachedParams = (ttl: "5m" | "1h", q: string) =>
    params(q, {
      model: "claude-sonnet-4-6",
      system: [{ type: "text", text: LONG, cache_control: { type: "ephemeral", ttl } }],
    });
  const once = async (client: Anthropic, clock: ManualClock, ttl: "5m" | "1h", q: string) => {
    const { id } = await client.messages.batches.create({
      requests: [{ custom_id: "c", params: cachedParams(ttl, q) }],
    });
    clock.advance(10);
    const r = (await readResults(client, id)).get("c")?.result;
    if (r?.type !== "succeeded") throw new Error("not succeeded");
    return r.message.usage;
  };

  test("5m entries lapse after 5 minutes; 1h entries live an hour; hits refresh them", async () => {
    const clock = new ManualClock();
    const { client } = await start({ clock, batchDurationMs: 10 });
    expect((await once(client, clock, "5m", "a")).cache_creation_input_tokens).toBeGreaterThan(0);
    clock.advance(4 * 60_000);
    expect((await once(client, clock, "5m", "b")).cache_read_input_tokens).toBeGreaterThan(0);
    clock.advance(4 * 60_000); // 8 min after the write, 4 after the refreshing hit
    expect((await once(client, clock, "5m", "c")).cache_read_input_tokens).toBeGreaterThan(0);
    clock.advance(6 * 60_000);
    expect((await once(client, clock, "5m", "d")).cache_read_input_tokens).toBe(0);
    clock.advance(6 * 60_000); // the key ignores the TTL: let d's 5m entry lapse first

    expect(
      (await once(client, clock, "1h", "e")).cache_creation?.ephemeral_1h_input_tokens,
    ).toBeGreaterThan(0);
    clock.advance(59 * 60_000);
    expect((await once(client, clock, "1h", "f")).cache_read_input_tokens).toBeGreaterThan(0);
    clock.advance(61 * 60_000);
    expect((await once(client, clock, "1h", "g")).cache_read_input_tokens).toBe(0);
  });
});
