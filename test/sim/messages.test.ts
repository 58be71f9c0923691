import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { params, runBatch, type SimHarness, startHarness } from "./helpers.js";

let h: SimHarness;
beforeAll(async () => {
  h = await startHarness({
    rules: [{ match: "ping", reply: "pong", source: { file: "inline", line: 1, col: 1 } }],
  });
});
afterAll(async () => {
  await h.sim.close();
});

describe("POST /v1/messages (synchronous)", () => {
  test("answers with a full Message, service_tier standard", async () => {
    const message = await h.client.messages.create(params("ping"));
    expect(message.content).toEqual([{ type: "text", text: "pong", citations: null }]);
    expect(message._request_id).toMatch(/^req_/);
    expect(message.usage).toMatchObject({ service_tier: "standard", cache_read_input_tokens: 0 });
  });

  test("invalid params are a 400; an unknown model a 404", async () => {
    await expect(
      h.client.messages.create(
        params("x", { model: "claude-haiku-4-5", max_tokens: 64_001 }),
        // A timeout of our own: the SDK refuses a large non-streaming max_tokens without one.
        { timeout: 60_000 },
      ),
    ).rejects.toBeInstanceOf(Anthropic.BadRequestError);
    const temperature = { ...params("x"), temperature: 1 } as ReturnType<typeof params>;
    await expect(h.client.messages.create(temperature)).rejects.toBeInstanceOf(
      Anthropic.BadRequestError,
    );
    await expect(
      h.client.messages.create(params("x", { model: "claude-nope" })),
    ).rejects.toBeInstanceOf(Anthropic.NotFoundError);
  });

  test("shares the prompt cache: a sync write is read by the next call", async () => {
    const system = [
      {
        type: "text" as const,
        text: "Long shared instructions. ".repeat(200),
        cache_control: { type: "ephemeral" as const, ttl: "1h" as const },
      },
    ];
    const first = await h.client.messages.create(
      params("a", { model: "claude-sonnet-4-6", system }),
    );
    const second = await h.client.messages.create(
      params("b", { model: "claude-sonnet-4-6", system }),
    );
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(1024);
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
  });
});

describe("POST /v1/messages/count_tokens", () => {
  test("counts the whole prompt, as the batch usage does without caching", async () => {
    const body = params("How many tokens is this?", { system: "Be brief." });
    const counted = await h.client.messages.countTokens({
      model: body.model,
      messages: body.messages,
      system: "Be brief.",
    });
    const { results } = await runBatch(h.client, [{ custom_id: "c", params: body }]);
    const r = results.get("c")?.result;
    expect(r?.type === "succeeded" && r.message.usage.input_tokens).toBe(counted.input_tokens);
  });

  test("a missing model is a 400", async () => {
    const bad = { messages: [{ role: "user", content: "x" }] } as unknown as Parameters<
      typeof h.client.messages.countTokens
    >[0];
    await expect(h.client.messages.countTokens(bad)).rejects.toBeInstanceOf(
      Anthropic.BadRequestError,
    );
  });
});
