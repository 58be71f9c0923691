import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  params,
  readResults,
  runBatch,
  type SimHarness,
  startHarness,
  textOf,
  waitForEnd,
} from "./helpers.js";

let h: SimHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.sim.close();
});

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

describe("batch life cycle over the real SDK", () => {
  test("create returns an in_progress MessageBatch with every field", async () => {
    const created = await h.client.messages.batches.create({
      requests: [
        { custom_id: "one", params: params("hi") },
        { custom_id: "two", params: params("yo") },
      ],
    });
    expect(Object.keys(created).sort()).toEqual(
      [
        "archived_at",
        "cancel_initiated_at",
        "created_at",
        "ended_at",
        "expires_at",
        "id",
        "processing_status",
        "request_counts",
        "results_url",
        "type",
      ].sort(),
    );
    expect(created).toMatchObject({
      type: "message_batch",
      processing_status: "in_progress",
      request_counts: { processing: 2, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
      ended_at: null,
      cancel_initiated_at: null,
      archived_at: null,
      results_url: null,
    });
    expect(created.id).toMatch(/^msgbatch_/);
    expect(created.created_at).toMatch(RFC3339);
    expect(Date.parse(created.expires_at) - Date.parse(created.created_at)).toBe(24 * 3_600_000);
    const ended = await waitForEnd(h.client, created.id);
    expect(ended.request_counts).toEqual({
      processing: 0,
      succeeded: 2,
      errored: 0,
      canceled: 0,
      expired: 0,
    });
    expect(ended.ended_at).toMatch(RFC3339);
    expect(ended.results_url).toBe(`${h.sim.url}/v1/messages/batches/${created.id}/results`);
  });

  test("succeeded results carry a full Message with batch usage", async () => {
    const { results } = await runBatch(h.client, [
      { custom_id: "full", params: params("hello there") },
    ]);
    const line = results.get("full");
    expect(line?.result.type).toBe("succeeded");
    if (line?.result.type !== "succeeded") return;
    const message = line.result.message;
    expect(message).toMatchObject({
      type: "message",
      role: "assistant",
      model: "claude-haiku-4-5",
      stop_reason: "end_turn",
      stop_sequence: null,
      stop_details: null,
      container: null,
      diagnostics: null,
    });
    expect(message.id).toMatch(/^msg_/);
    expect(message.content).toEqual([{ type: "text", text: expect.any(String), citations: null }]);
    expect(message.usage).toEqual({
      input_tokens: expect.any(Number),
      output_tokens: expect.any(Number),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      service_tier: "batch",
      inference_geo: "global",
      server_tool_use: null,
      output_tokens_details: null,
      speed: "standard",
    });
    expect(message.usage.input_tokens).toBeGreaterThan(0);
  });

  test("bad params become errored results, not create failures", async () => {
    const bad = (p: Record<string, unknown>) => p as unknown as ReturnType<typeof params>;
    const { batch, results } = await runBatch(h.client, [
      { custom_id: "ok", params: params("fine") },
      {
        custom_id: "no-model",
        params: bad({ max_tokens: 10, messages: [{ role: "user", content: "x" }] }),
      },
      { custom_id: "no-messages", params: bad({ model: "claude-haiku-4-5", max_tokens: 10 }) },
      { custom_id: "zero-max", params: params("x", { max_tokens: 0 }) },
      { custom_id: "over-cap", params: params("x", { max_tokens: 999_999 }) },
      { custom_id: "unknown-model", params: params("x", { model: "claude-nonexistent-9" }) },
      { custom_id: "temperature", params: bad({ ...params("x"), temperature: 0.5 }) },
      { custom_id: "top_k", params: bad({ ...params("x"), top_k: 5 }) },
      { custom_id: "top_p", params: bad({ ...params("x"), top_p: 0.9 }) },
      { custom_id: "stream", params: bad({ ...params("x"), stream: true }) },
      {
        custom_id: "ttl-order",
        params: params("x", {
          system: [
            { type: "text", text: "a", cache_control: { type: "ephemeral", ttl: "5m" } },
            { type: "text", text: "b", cache_control: { type: "ephemeral", ttl: "1h" } },
          ],
        }),
      },
    ]);
    expect(batch.request_counts).toMatchObject({ succeeded: 1, errored: 10 });
    const message = (id: string, type = "invalid_request_error"): string => {
      const r = results.get(id)?.result;
      if (r?.type !== "errored") throw new Error(`${id} not errored`);
      expect(r.error).toMatchObject({ type: "error", error: { type }, request_id: null });
      return r.error.error.message;
    };
    expect(message("no-model")).toMatch(/^model:/);
    expect(message("no-messages")).toMatch(/^messages:/);
    expect(message("zero-max")).toMatch(/^max_tokens:/);
    expect(message("over-cap")).toMatch(/999999 > 64000/);
    expect(message("unknown-model", "not_found_error")).toBe("model: claude-nonexistent-9");
    expect(message("temperature")).toMatch(/^temperature:/);
    expect(message("top_k")).toMatch(/^top_k:/);
    expect(message("top_p")).toMatch(/^top_p:/);
    expect(message("stream")).toMatch(/^stream:/);
    expect(message("ttl-order")).toMatch(/1h.*must not come after.*5m/);
  });

  test("max_tokens truncates the output, and stop sequences cut it", async () => {
    const rules = [
      { reply: "alpha beta gamma STOP delta ".repeat(20), source: { file: "t", line: 1, col: 1 } },
    ];
    const local = await startHarness({ rules });
    try {
      const { results } = await runBatch(local.client, [
        { custom_id: "short", params: params("q", { max_tokens: 5 }) },
        { custom_id: "stop", params: params("q", { stop_sequences: ["STOP"] }) },
      ]);
      const short = results.get("short")?.result;
      expect(short?.type === "succeeded" && short.message.stop_reason).toBe("max_tokens");
      expect(short?.type === "succeeded" && short.message.usage.output_tokens).toBe(5);
      expect(textOf(results.get("short"))).toBe("alpha beta gamma STO");
      const stop = results.get("stop")?.result;
      expect(stop?.type === "succeeded" && stop.message.stop_reason).toBe("stop_sequence");
      expect(stop?.type === "succeeded" && stop.message.stop_sequence).toBe("STOP");
      expect(textOf(results.get("stop"))).toBe("alpha beta gamma ");
    } finally {
      await local.sim.close();
    }
  });
});

describe("create-time validation maps to SDK error classes", () => {
  const create = (requests: unknown) =>
    h.client.messages.batches.create({ requests } as Parameters<
      typeof h.client.messages.batches.create
    >[0]);

  test.each([
    ["empty requests", []],
    ["bad custom_id", [{ custom_id: "has space", params: params("x") }]],
    ["too long custom_id", [{ custom_id: "x".repeat(65), params: params("x") }]],
    [
      "duplicate custom_id",
      [
        { custom_id: "dup", params: params("x") },
        { custom_id: "dup", params: params("y") },
      ],
    ],
  ])("%s → 400 BadRequestError", async (_name, requests) => {
    const error = await create(requests).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as InstanceType<typeof Anthropic.BadRequestError>).type).toBe(
      "invalid_request_error",
    );
  });

  test("more than 100,000 requests → 400", async () => {
    const requests = Array.from({ length: 100_001 }, (_, i) => ({
      custom_id: `r${i}`,
      params: {},
    }));
    await expect(create(requests)).rejects.toBeInstanceOf(Anthropic.BadRequestError);
  });

  test("a body above the batch size cap → 413 ContentTooLargeError", async () => {
    const small = await startHarness({ maxBatchBytes: 1_000 });
    try {
      const error = await small.client.messages.batches
        .create({ requests: [{ custom_id: "big", params: params("x".repeat(2_000)) }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.ContentTooLargeError);
    } finally {
      await small.sim.close();
    }
  });

  test("unknown batch id → 404 NotFoundError with a request id", async () => {
    const error = await h.client.messages.batches
      .retrieve("msgbatch_nope")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect((error as InstanceType<typeof Anthropic.NotFoundError>).requestID).toMatch(/^req_/);
  });
});

describe("raw HTTP: headers, auth and envelopes", () => {
  const post = (headers: Record<string, string>) =>
    fetch(`${h.sim.url}/v1/messages/batches`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ requests: [{ custom_id: "raw", params: params("hi") }] }),
    });

  test("no credentials → 401 authentication_error envelope", async () => {
    const res = await post({ "anthropic-version": "2026-10-21" });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/json");
    const requestId = res.headers.get("request-id");
    expect(requestId).toMatch(/^req_/);
    expect(await res.json()).toEqual({
      type: "error",
      error: { type: "authentication_error", message: expect.any(String) },
      request_id: requestId,
    });
  });

  test("the SDK surfaces 401 as AuthenticationError", async () => {
    const client = new Anthropic({
      apiKey: "x",
      baseURL: h.sim.url,
      maxRetries: 0,
      defaultHeaders: { authorization: null },
    });
    await expect(client.messages.batches.list()).rejects.toBeInstanceOf(
      Anthropic.AuthenticationError,
    );
  });

  test("x-api-key and the 2023-06-01 version are accepted (temperature allowed there)", async () => {
    const res = await post({ "x-api-key": "k", "anthropic-version": "2023-06-01" });
    expect(res.status).toBe(200);
    expect(res.headers.get("request-id")).toMatch(/^req_/);
    const old = new Anthropic({
      apiKey: "k",
      baseURL: h.sim.url,
      defaultHeaders: { "anthropic-version": "2023-06-01" },
    });
    const p = { ...params("x"), temperature: 0.2 } as ReturnType<typeof params>;
    const { results } = await runBatch(old, [{ custom_id: "t", params: p }]);
    expect(results.get("t")?.result.type).toBe("succeeded");
  });

  test("an unsupported anthropic-version → 400", async () => {
    const res = await post({ "x-api-key": "k", "anthropic-version": "1999-01-01" });
    expect(res.status).toBe(400);
  });

  test("results are JSONL without blank lines", async () => {
    const { batch } = await runBatch(h.client, [
      { custom_id: "l1", params: params("a") },
      { custom_id: "l2", params: params("b") },
    ]);
    const res = await fetch(batch.results_url ?? "", {
      headers: { "x-api-key": "k", "anthropic-version": "2026-10-21" },
    });
    expect(res.headers.get("content-type")).toBe("application/x-jsonl");
    const lines = (await res.text()).split("\n");
    expect(lines.at(-1)).toBe("");
    expect(
      lines
        .slice(0, -1)
        .map((l) => JSON.parse(l).custom_id)
        .sort(),
    ).toEqual(["l1", "l2"]);
  });
});

describe("the create body, streamed in pieces (no content-length)", () => {
  /** POSTs the body in these pieces, each written on its own, and reads the answer. */
  async function postPieces(
    url: string,
    pieces: (string | Buffer)[],
  ): Promise<{ status: number; body: { id?: string; error?: { type: string; message: string } } }> {
    const { request } = await import("node:http");
    return new Promise((resolve, reject) => {
      const req = request(`${url}/v1/messages/batches`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-api-key": "k",
          "anthropic-version": "2026-10-21",
        },
      });
      req.on("error", reject);
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
          }),
        );
      });
      const write = (i: number): void => {
        const piece = pieces[i];
        if (piece === undefined) {
          req.end();
          return;
        }
        req.write(piece, () => setTimeout(() => write(i + 1), 1));
      };
      write(0);
    });
  }
  const bytes = Buffer.from(
    JSON.stringify({
      requests: [
        { custom_id: "p1", params: params('caf\u00e9 😀 ["]') },
        { custom_id: "p2", params: params("two") },
      ],
    }),
  );
  const cut = (body: Buffer, size: number): Buffer[] =>
    Array.from({ length: Math.ceil(body.length / size) }, (_, i) =>
      body.subarray(i * size, (i + 1) * size),
    );

  test("a valid body in small pieces creates the batch", async () => {
    const { status, body } = await postPieces(h.sim.url, cut(bytes, 7));
    expect(status).toBe(200);
    const results = await readResults(h.client, (await waitForEnd(h.client, body.id ?? "")).id);
    expect([...results.keys()].sort()).toEqual(["p1", "p2"]);
    expect(textOf(results.get("p2"))).not.toBe("");
  });

  test("invalid JSON after a bad request is invalid JSON, read to the end", async () => {
    const body = '{"requests": [{"custom_id": "has space"}, {"custom_id": ]}';
    const answer = await postPieces(h.sim.url, [...cut(Buffer.from(body), 5), " ".repeat(50_000)]);
    expect(answer).toEqual({
      status: 400,
      body: {
        type: "error",
        error: { type: "invalid_request_error", message: "request body: invalid JSON" },
        request_id: expect.stringMatching(/^req_/),
      },
    });
  });

  test("a bad request in a valid body is that request's error", async () => {
    const body = '{"requests": [{"custom_id": "ok"}, {"custom_id": "has space"}]}';
    const answer = await postPieces(h.sim.url, cut(Buffer.from(body), 3));
    expect(answer.status).toBe(400);
    expect(answer.body.error?.message).toBe(
      "requests.1.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'",
    );
  });

  test("a counted body above the cap → 413, answered to the client", async () => {
    const small = await startHarness({ maxBatchBytes: 100 });
    try {
      const answer = await postPieces(small.sim.url, cut(bytes, 30));
      expect(answer.status).toBe(413);
      expect(answer.body.error?.type).toBe("request_too_large");
    } finally {
      await small.sim.close();
    }
  });
});

describe("list", () => {
  test("newest first, and the SDK's auto-pagination walks every page", async () => {
    const local = await startHarness();
    try {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.unshift(
          (
            await local.client.messages.batches.create({
              requests: [{ custom_id: "x", params: params("x") }],
            })
          ).id,
        );
      }
      const page = await local.client.messages.batches.list({ limit: 2 });
      expect(page.data.map((b) => b.id)).toEqual(ids.slice(0, 2));
      expect(page.has_more).toBe(true);
      expect(page.first_id).toBe(ids[0]);
      expect(page.last_id).toBe(ids[1]);
      const all: string[] = [];
      for await (const b of local.client.messages.batches.list({ limit: 2 })) all.push(b.id);
      expect(all).toEqual(ids);
      const before = await local.client.messages.batches.list({
        before_id: ids[3] ?? "",
        limit: 2,
      });
      expect(before.data.map((b) => b.id)).toEqual(ids.slice(1, 3));
      expect(before.has_more).toBe(true);
      await expect(local.client.messages.batches.list({ limit: 1001 })).rejects.toBeInstanceOf(
        Anthropic.BadRequestError,
      );
    } finally {
      await local.sim.close();
    }
  });
});
