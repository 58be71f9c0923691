/**
 * The simulator refuses what the API refuses (model table limits, thinking, effort,
 * inference_geo, unknown parameters, retired models), through the real SDK: an errored batch
 * result, or a 400/404 on the synchronous endpoints. Valid neighbours of each case succeed.
 */
import Anthropic from "@anthropic-ai/sdk";
import type { MessageCreateParamsNonStreaming } from "@anthropic-ai/sdk/resources/messages";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ManualClock } from "../../src/sim/server.js";
import { params, readResults, runBatch, type SimHarness, startHarness } from "./helpers.js";

let h: SimHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.sim.close();
});

type Extra = Record<string, unknown>;
/** A request on `model` with extra (possibly invalid) top-level fields. */
const on = (model: string, extra: Extra = {}): MessageCreateParamsNonStreaming =>
  ({ ...params("hello", { model }), ...extra }) as MessageCreateParamsNonStreaming;
const enabled = (budget: number) => ({ thinking: { type: "enabled", budget_tokens: budget } });
const effort = (level: string) => ({ output_config: { effort: level } });
/** More text than a 200K-token context window holds (4 characters a token). */
const HUGE = "x".repeat(800_008);

const INVALID: [name: string, body: MessageCreateParamsNonStreaming, message: RegExp][] = [
  [
    "budget below 1024",
    on("claude-sonnet-4-6", { max_tokens: 4096, ...enabled(1023) }),
    /^thinking\.enabled\.budget_tokens: Input should be greater than or equal to 1024$/,
  ],
  [
    "budget not below max_tokens",
    on("claude-sonnet-4-6", { max_tokens: 2048, ...enabled(2048) }),
    /^max_tokens: must be greater than thinking\.budget_tokens/,
  ],
  [
    "manual thinking on an adaptive-only model",
    on("claude-opus-4-7", { max_tokens: 4096, ...enabled(1024) }),
    /^thinking\.type: 'enabled' is not supported on claude-opus-4-7/,
  ],
  [
    "adaptive thinking on a manual-only model",
    on("claude-haiku-4-5", { thinking: { type: "adaptive" } }),
    /^thinking\.type: 'adaptive' is not supported on claude-haiku-4-5/,
  ],
  [
    "thinking off on an always-on model",
    on("claude-fable-5-1", { thinking: { type: "disabled" } }),
    /^thinking\.type: 'disabled' is not supported on claude-fable-5-1/,
  ],
  [
    "unknown thinking type",
    on("claude-sonnet-4-6", { thinking: { type: "sometimes" } }),
    /^thinking: Input tag 'sometimes' found/,
  ],
  [
    "inference_geo on a model without it",
    on("claude-haiku-4-5", { inference_geo: "us" }),
    /^inference_geo: not supported on claude-haiku-4-5/,
  ],
  [
    "inference_geo global on a model without it",
    on("claude-opus-4-5", { inference_geo: "global" }),
    /^inference_geo: not supported on claude-opus-4-5/,
  ],
  [
    "unknown geography",
    on("claude-sonnet-4-6", { inference_geo: "eu" }),
    /^inference_geo: Input should be 'global' or 'us'$/,
  ],
  [
    "unknown effort",
    on("claude-opus-4-7", effort("extreme")),
    /^output_config\.effort: Input should be 'low', 'medium', 'high', 'xhigh', 'max'$/,
  ],
  [
    "effort on a model without it",
    on("claude-haiku-4-5", effort("high")),
    /^output_config\.effort: claude-haiku-4-5 does not support the effort parameter$/,
  ],
  [
    "an effort level the model lacks",
    on("claude-opus-4-6", effort("xhigh")),
    /^output_config\.effort: 'xhigh' is not supported on claude-opus-4-6/,
  ],
  [
    "between_tools at max effort",
    on("claude-sonnet-5-5", { thinking: { type: "between_tools" }, ...effort("max") }),
    /^thinking\.type: 'between_tools' cannot be combined with output_config\.effort 'max'/,
  ],
  [
    "misspelled parameter",
    on("claude-haiku-4-5", { stop_sequence: ["END"] }),
    /^stop_sequence: Extra inputs are not permitted$/,
  ],
  [
    "unknown parameter",
    on("claude-haiku-4-5", { temprature: 0.2 }),
    /^temprature: Extra inputs are not permitted$/,
  ],
  [
    "max_tokens above the model's max output",
    on("claude-opus-4-8", { max_tokens: 128_001 }),
    /^max_tokens: 128001 > 128000, the maximum for claude-opus-4-8$/,
  ],
  [
    "prompt above the context window",
    { ...on("claude-haiku-4-5"), messages: [{ role: "user", content: HUGE }] },
    /^prompt is too long: 200006 tokens > 200000 maximum$/,
  ],
];

const VALID: [name: string, body: MessageCreateParamsNonStreaming][] = [
  [
    "budget of 1024 below max_tokens",
    on("claude-sonnet-4-6", { max_tokens: 1025, ...enabled(1024) }),
  ],
  [
    "manual thinking where it is the only mode",
    on("claude-haiku-4-5", { max_tokens: 2048, ...enabled(1024) }),
  ],
  ["adaptive thinking", on("claude-opus-4-7", { thinking: { type: "adaptive" } })],
  ["thinking off", on("claude-opus-4-8", { thinking: { type: "disabled" } })],
  [
    "between_tools at high effort",
    on("claude-sonnet-5-5", { thinking: { type: "between_tools" }, ...effort("high") }),
  ],
  ["inference_geo us", on("claude-sonnet-4-6", { inference_geo: "us" })],
  ["inference_geo global", on("claude-opus-5-5", { inference_geo: "global" })],
  ["effort max where there is no xhigh", on("claude-opus-4-6", effort("max"))],
  ["effort medium on Opus 4.5", on("claude-opus-4-5", effort("medium"))],
  ["max_tokens at the cap", on("claude-opus-4-8", { max_tokens: 128_000 })],
  [
    "prompt at the context window",
    { ...on("claude-haiku-4-5"), messages: [{ role: "user", content: HUGE.slice(0, 799_984) }] },
  ],
];

const errorOf = (
  results: Awaited<ReturnType<typeof runBatch>>["results"],
  id: string,
): { type: string; message: string } => {
  const r = results.get(id)?.result;
  if (r?.type !== "errored") throw new Error(`${id}: ${JSON.stringify(r)}`);
  expect(r.error.request_id).toBeNull();
  return r.error.error;
};

describe("batch requests the API would refuse come back errored", () => {
  test("each invalid request is an invalid_request_error; each valid one succeeds", async () => {
    const requests = [
      ...INVALID.map(([, body], i) => ({ custom_id: `bad-${i}`, params: body })),
      ...VALID.map(([, body], i) => ({ custom_id: `good-${i}`, params: body })),
    ];
    const { results } = await runBatch(h.client, requests);
    INVALID.forEach(([name, , message], i) => {
      const error = errorOf(results, `bad-${i}`);
      expect({ name, ...error }).toEqual({
        name,
        type: "invalid_request_error",
        message: expect.stringMatching(message),
      });
    });
    VALID.forEach(([name], i) => {
      expect([name, results.get(`good-${i}`)?.result.type]).toEqual([name, "succeeded"]);
    });
  });

  test("usage.inference_geo echoes the request, global when unset", async () => {
    const { results } = await runBatch(h.client, [
      { custom_id: "us", params: on("claude-sonnet-4-6", { inference_geo: "us" }) },
      { custom_id: "global", params: on("claude-sonnet-4-6", { inference_geo: "global" }) },
      { custom_id: "unset", params: on("claude-sonnet-4-6") },
    ]);
    const geo = (id: string) => {
      const r = results.get(id)?.result;
      return r?.type === "succeeded" ? r.message.usage.inference_geo : r?.type;
    };
    expect([geo("us"), geo("global"), geo("unset")]).toEqual(["us", "global", "global"]);
  });
});

describe("the synchronous endpoints answer 400", () => {
  test.each(INVALID)("POST /v1/messages: %s", async (_name, body, message) => {
    const error = await h.client.messages
      .create(body, { timeout: 60_000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    const { error: body400 } = error as InstanceType<typeof Anthropic.BadRequestError>;
    expect(body400).toMatchObject({
      error: { type: "invalid_request_error", message: expect.stringMatching(message) },
    });
  });

  test("count_tokens takes its own, narrower parameter set", async () => {
    const base = {
      model: "claude-sonnet-4-6",
      messages: [{ role: "user" as const, content: "hi" }],
    };
    const count = (extra: Extra) =>
      h.client.messages.countTokens({ ...base, ...extra } as Parameters<
        typeof h.client.messages.countTokens
      >[0]);
    await expect(count({ max_tokens: 10 })).rejects.toThrow(
      /max_tokens: Extra inputs are not permitted/,
    );
    await expect(count({ inference_geo: "us" })).rejects.toThrow(/inference_geo: Extra inputs/);
    await expect(count(enabled(512))).rejects.toThrow(/budget_tokens: Input should be greater/);
    await expect(count({ ...enabled(4096), ...effort("max") })).resolves.toHaveProperty(
      "input_tokens",
    );
  });

  test("under 2023-06-01 the sampling parameters exist, a misspelling still does not", async () => {
    const old = new Anthropic({
      apiKey: "test",
      baseURL: h.sim.url,
      maxRetries: 0,
      defaultHeaders: { "anthropic-version": "2023-06-01" },
    });
    await expect(
      old.messages.create(on("claude-haiku-4-5", { temperature: 0.2 })),
    ).resolves.toHaveProperty("id");
    await expect(old.messages.create(on("claude-haiku-4-5", { temprature: 0.2 }))).rejects.toThrow(
      /temprature: Extra inputs are not permitted/,
    );
  });
});

describe("retired models are not found, as on the API", () => {
  /** Sends `model` in a batch and synchronously on a simulator whose clock reads `day`. */
  async function ask(day: string, model: string) {
    const clock = new ManualClock(Date.parse(`${day}T12:00:00Z`));
    const local = await startHarness({ clock, batchDurationMs: 1_000 });
    try {
      const { id } = await local.client.messages.batches.create({
        requests: [{ custom_id: "r", params: on(model) }],
      });
      clock.advance(1_000); // the batch ends; the clock stays on the same day
      const result = (await readResults(local.client, id)).get("r")?.result;
      const sync = await local.client.messages.create(on(model)).catch((e: unknown) => e);
      return { result, sync };
    } finally {
      await local.sim.close();
    }
  }

  test.each([
    ["2026-11-29", "claude-sonnet-4-5", "succeeded"],
    ["2026-11-30", "claude-sonnet-4-5", "retired"],
    ["2026-12-02", "claude-sonnet-4-5-20250929", "retired"],
    ["2026-12-02", "claude-3-5-haiku-20241022", "retired"],
    ["2026-12-02", "claude-opus-4-5", "succeeded"],
    ["2027-01-22", "claude-opus-4-5", "retired"],
  ])("on %s, %s: %s", async (day, model, expected) => {
    const { result, sync } = await ask(day, model);
    if (expected === "succeeded") {
      expect(result?.type).toBe("succeeded");
      expect(sync).toHaveProperty("type", "message");
      return;
    }
    expect(result).toEqual({
      type: "errored",
      error: {
        type: "error",
        error: { type: "not_found_error", message: `model: ${model}` },
        request_id: null,
      },
    });
    expect(sync).toBeInstanceOf(Anthropic.NotFoundError);
  });
});
