import type { MessageCreateParamsNonStreaming, Usage } from "@anthropic-ai/sdk/resources/messages";
import { afterEach, describe, expect, test } from "vitest";
import type { SimulatorOptions } from "../../src/sim/server.js";
import { params, runBatch, type SimHarness, startHarness } from "./helpers.js";

// ~1,250 tokens on Sonnet 4.6 (min cacheable 1,024).
const LONG = "You grade answers carefully and explain your reasoning. ".repeat(90);

let h: SimHarness | undefined;
afterEach(async () => {
  await h?.sim.close();
  h = undefined;
});

async function start(options: SimulatorOptions = {}): Promise<SimHarness> {
  h = await startHarness(options);
  return h;
}

function cached(
  question: string,
  ttl?: "5m" | "1h",
  model = "claude-sonnet-4-6",
): MessageCreateParamsNonStreaming {
  return params(question, {
    model,
    system: [
      {
        type: "text",
        text: LONG,
        cache_control: ttl ? { type: "ephemeral", ttl } : { type: "ephemeral" },
      },
    ],
  });
}

async function usages(
  harness: SimHarness,
  n: number,
  make: (i: number) => MessageCreateParamsNonStreaming,
) {
  const requests = Array.from({ length: n }, (_, i) => ({ custom_id: `q${i}`, params: make(i) }));
  const { results } = await runBatch(harness.client, requests);
  return requests.map(({ custom_id }) => {
    const r = results.get(custom_id)?.result;
    if (r?.type !== "succeeded") throw new Error(`${custom_id}: ${JSON.stringify(r)}`);
    return r.message.usage;
  });
}

const prompt = (u: Usage): number =>
  u.input_tokens + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0);

describe("prompt caching", () => {
  test("a batch writes the shared 1h prefix; a later batch reads it on every request", async () => {
    const harness = await start();
    const first = await usages(harness, 20, (i) => cached(`Question ${i}?`, "1h"));
    const writer = first[0]!;
    const prefix = writer.cache_creation_input_tokens ?? 0;
    expect(prefix).toBeGreaterThan(1024);
    expect(writer.cache_creation).toEqual({
      ephemeral_5m_input_tokens: 0,
      ephemeral_1h_input_tokens: prefix,
    });
    expect(writer.cache_read_input_tokens).toBe(0);
    // Inside the writer's batch, hits are best effort: some read, some write again.
    const reads = first.filter((u) => (u.cache_read_input_tokens ?? 0) > 0).length;
    expect(reads).toBeGreaterThan(0);
    expect(reads).toBeLessThan(19);
    for (const u of first) {
      expect((u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0)).toBe(prefix);
      expect(u.input_tokens).toBeLessThan(20);
    }
    const second = await usages(harness, 20, (i) => cached(`Another question ${i}?`, "1h"));
    for (const u of second) {
      expect(u.cache_read_input_tokens).toBe(prefix);
      expect(u.cache_creation_input_tokens).toBe(0);
      expect(prompt(u)).toBe(u.input_tokens + prefix);
    }
  });

  test("warm-up: a one-request 1h batch, then every request of the next batch reads", async () => {
    const harness = await start();
    const [warm] = await usages(harness, 1, () => cached("warm-up", "1h"));
    const prefix = warm?.cache_creation?.ephemeral_1h_input_tokens ?? 0;
    expect(prefix).toBeGreaterThan(1024);
    const rest = await usages(harness, 50, (i) => cached(`case ${i}`, "1h"));
    expect(
      rest.every(
        (u) => u.cache_read_input_tokens === prefix && u.cache_creation_input_tokens === 0,
      ),
    ).toBe(true);
  });

  test("the default TTL is 5m", async () => {
    const harness = await start();
    const [u] = await usages(harness, 1, () => cached("q"));
    expect(u?.cache_creation?.ephemeral_5m_input_tokens).toBeGreaterThan(1024);
    expect(u?.cache_creation?.ephemeral_1h_input_tokens).toBe(0);
  });

  test("a prefix below the model's minimum is not cached: both counters 0", async () => {
    const harness = await start();
    // The same ~1,250-token prefix is below Haiku 4.5's 4,096 minimum.
    const all = await usages(harness, 3, (i) => cached(`q${i}`, "1h", "claude-haiku-4-5"));
    for (const u of all) {
      expect(u.cache_creation_input_tokens).toBe(0);
      expect(u.cache_read_input_tokens).toBe(0);
      expect(u.cache_creation).toEqual({
        ephemeral_5m_input_tokens: 0,
        ephemeral_1h_input_tokens: 0,
      });
      expect(u.input_tokens).toBeGreaterThan(1024);
    }
  });

  test("cacheMissShare 0: every same-batch request after the writer reads; 1: all write", async () => {
    const harness = await start({ cacheMissShare: 0 });
    const all = await usages(harness, 10, (i) => cached(`q${i}`, "1h"));
    expect(all.filter((u) => (u.cache_creation_input_tokens ?? 0) > 0)).toHaveLength(1);
    await harness.sim.close();
    const missing = await start({ cacheMissShare: 1 });
    const writes = await usages(missing, 10, (i) => cached(`q${i}`, "1h"));
    expect(writes.every((u) => (u.cache_read_input_tokens ?? 0) === 0)).toBe(true);
  });

  test("caches are per model and per prefix", async () => {
    const harness = await start();
    await usages(harness, 1, () => cached("warm", "1h"));
    const [otherModel] = await usages(harness, 1, () => cached("q", "1h", "claude-sonnet-5"));
    expect(otherModel?.cache_read_input_tokens).toBe(0);
    const [otherPrefix] = await usages(harness, 1, () => ({
      ...cached("q", "1h"),
      system: [
        { type: "text", text: `${LONG} Changed.`, cache_control: { type: "ephemeral", ttl: "1h" } },
      ],
    }));
    expect(otherPrefix?.cache_read_input_tokens).toBe(0);
  });

  test("newer tokenizers count ~30% more for the same text", async () => {
    const harness = await start();
    const [old] = await usages(harness, 1, () => params(LONG, { model: "claude-sonnet-4-6" }));
    const [fresh] = await usages(harness, 1, () => params(LONG, { model: "claude-opus-4-7" }));
    const ratio = (fresh?.input_tokens ?? 0) / (old?.input_tokens ?? 1);
    expect(ratio).toBeGreaterThan(1.25);
    expect(ratio).toBeLessThan(1.35);
  });

  test("a breakpoint looks back for an entry written at an earlier block (multi-turn)", async () => {
    const harness = await start();
    const mark = { type: "ephemeral" as const };
    const turn1: MessageCreateParamsNonStreaming["messages"] = [
      { role: "user", content: LONG },
      { role: "assistant", content: "Noted." },
      { role: "user", content: [{ type: "text", text: "First question?", cache_control: mark }] },
    ];
    const [first] = await usages(harness, 1, () => ({
      ...params(""),
      model: "claude-sonnet-4-6",
      messages: turn1,
    }));
    const written = first?.cache_creation_input_tokens ?? 0;
    expect(written).toBeGreaterThan(1024);
    const turn2: MessageCreateParamsNonStreaming["messages"] = [
      { role: "user", content: LONG },
      { role: "assistant", content: "Noted." },
      { role: "user", content: [{ type: "text", text: "First question?" }] },
      { role: "assistant", content: "An answer." },
      { role: "user", content: [{ type: "text", text: "Second question?", cache_control: mark }] },
    ];
    const [second] = await usages(harness, 1, () => ({
      ...params(""),
      model: "claude-sonnet-4-6",
      messages: turn2,
    }));
    expect(second?.cache_read_input_tokens).toBe(written);
    expect(second?.cache_creation_input_tokens).toBeGreaterThan(0);
    expect(second?.cache_creation_input_tokens).toBeLessThan(20);
    expect(second?.input_tokens).toBe(0);
  });

  test("more than 4 breakpoints → errored invalid_request_error", async () => {
    const harness = await start();
    const block = {
      type: "text" as const,
      text: "x",
      cache_control: { type: "ephemeral" as const },
    };
    const { results } = await runBatch(harness.client, [
      { custom_id: "five", params: params("q", { system: [block, block, block, block, block] }) },
      { custom_id: "four", params: params("q", { system: [block, block, block, block] }) },
    ]);
    const five = results.get("five")?.result;
    expect(five?.type === "errored" && five.error.error).toMatchObject({
      type: "invalid_request_error",
      message: expect.stringMatching(/maximum of 4 blocks with cache_control/),
    });
    expect(results.get("four")?.result.type).toBe("succeeded");
  });
});
