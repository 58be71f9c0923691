/**
 * The result cache store: append-only logs, safe under kill -9 (a torn last line is skipped),
 * one log per writer, and cheap keys that still tell every differing request apart.
 */
import { appendFile, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MessageCreateParamsNonStreaming } from "@anthropic-ai/sdk/resources/messages/messages";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CompiledRequest } from "../../src/compile/types.js";
import { requestBytes } from "../../src/runner/chunk-requests.js";
import { planHash } from "../../src/runner/find-run.js";
import { cacheKey, ResultCache } from "../../src/runner/result-cache.js";
import { succeededResult } from "../support/replies.js";

let dir: string;
const now = new Date("2026-12-02T00:00:00Z");

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "batcheval-cache-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const result = (text: string) => succeededResult(text, { input_tokens: 3, output_tokens: 2 });

const key = (n: number) => n.toString(16).padStart(64, "0");

describe("the store", () => {
  it("answers what an earlier cache wrote, the latest line of a key winning", async () => {
    const first = ResultCache.open(dir);
    await first.put(key(1), result("one"), now);
    await first.put(key(2), result("two ünï 😀"), now);
    await first.put(key(1), result("one again"), now);
    await first.close();
    const again = ResultCache.open(dir);
    expect(await again.get(key(1))).toEqual(result("one again"));
    expect(await again.get(key(2))).toEqual(result("two ünï 😀"));
    expect(await again.get(key(3))).toBeUndefined();
    await again.close();
    expect((await readdir(dir)).filter((f) => f.endsWith(".log"))).toHaveLength(1);
  });

  it("skips a torn last line (a run killed mid-write) and keeps every entry before it", async () => {
    const cache = ResultCache.open(dir);
    await cache.put(key(1), result("kept"), now);
    await cache.close();
    const [log] = await readdir(dir);
    const torn = `${key(2)} ${JSON.stringify(result("torn"))}`.slice(0, 90);
    await appendFile(join(dir, log ?? ""), torn);
    await appendFile(join(dir, "broken.log"), `not-a-key {}\n${key(3)} {"type":"succ\n`);
    const reader = ResultCache.open(dir);
    expect(await reader.get(key(1))).toEqual(result("kept"));
    expect(await reader.get(key(2))).toBeUndefined();
    expect(await reader.get(key(3))).toBeUndefined();
    await reader.close();
  });

  it("gives each writer its own log, so two runs at once never share a file", async () => {
    const a = ResultCache.open(dir);
    const b = ResultCache.open(dir);
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).put(key(i), result(`r${i}`), now)),
    );
    await Promise.all([a.close(), b.close()]);
    expect((await readdir(dir)).filter((f) => f.endsWith(".log"))).toHaveLength(2);
    const reader = ResultCache.open(dir);
    for (const i of [0, 1, 98, 199]) expect(await reader.get(key(i))).toEqual(result(`r${i}`));
    await reader.close();
  });

  it("finds what it put itself before the index was built, and after", async () => {
    const cache = ResultCache.open(dir);
    await cache.put(key(1), result("before"), now);
    expect(await cache.get(key(1))).toEqual(result("before"));
    await cache.put(key(2), result("after"), now);
    expect(await cache.get(key(2))).toEqual(result("after"));
    await cache.close();
  });

  it("writes nothing until something is put", async () => {
    const cache = ResultCache.open(join(dir, "unused"));
    expect(await cache.get(key(1))).toBeUndefined();
    await cache.close();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe("keys", () => {
  const system = [
    {
      type: "text",
      text: "A long shared policy.",
      cache_control: { type: "ephemeral", ttl: "1h" },
    },
  ];
  const params = (over: Record<string, unknown> = {}): MessageCreateParamsNonStreaming =>
    ({
      model: "claude-haiku-4-5",
      max_tokens: 16,
      system: structuredClone(system),
      messages: [{ role: "user", content: "Q1" }],
      ...over,
    }) as MessageCreateParamsNonStreaming;
  const base = { origin: "sim:abc", params: params(), repeat: 0 };

  it("are equal for equal content built as different objects", () => {
    expect(cacheKey({ ...base, params: params() })).toBe(cacheKey(base));
    const reordered = {
      messages: base.params.messages,
      max_tokens: 16,
      model: "claude-haiku-4-5",
      system,
    };
    expect(cacheKey({ ...base, params: reordered as MessageCreateParamsNonStreaming })).toBe(
      cacheKey(base),
    );
  });

  it.each([
    ["system text", { params: params({ system: [{ ...system[0], text: "Another policy." }] }) }],
    [
      "cache ttl",
      {
        params: params({
          system: [{ ...system[0], cache_control: { type: "ephemeral", ttl: "5m" } }],
        }),
      },
    ],
    ["no system", { params: params({ system: undefined }) }],
    ["a message", { params: params({ messages: [{ role: "user", content: "Q2" }] }) }],
    ["max_tokens", { params: params({ max_tokens: 17 }) }],
    ["model", { params: params({ model: "claude-sonnet-4-6" }) }],
    ["repeat", { repeat: 1 }],
    ["origin", { origin: "https://api.anthropic.com" }],
  ])("differ when the %s differs", (_name, change) => {
    expect(cacheKey({ ...base, ...change })).not.toBe(cacheKey(base));
  });

  it("stay equal when a shared system array changes identity but not content", () => {
    const shared = params();
    const first = cacheKey({ ...base, params: shared });
    expect(cacheKey({ ...base, params: params({ system: structuredClone(shared.system) }) })).toBe(
      first,
    );
  });

  it("make the plan hash tell plans apart by content only", () => {
    const plan = (p: MessageCreateParamsNonStreaming) => ({
      models: [
        {
          model: "m",
          requests: [{ customId: "c", suite: "s", caseId: "c", repeat: 0, model: "m", params: p }],
        },
      ],
      diagnostics: [],
    });
    expect(planHash(plan(params()), "o")).toBe(planHash(plan(params()), "o"));
    expect(planHash(plan(params({ max_tokens: 9 })), "o")).not.toBe(planHash(plan(params()), "o"));
    expect(planHash(plan(params()), "o2")).not.toBe(planHash(plan(params()), "o"));
  });
});

describe("requestBytes", () => {
  it("is the request's JSON size and a comma, exactly, unicode and shared prefixes included", () => {
    const shared = [{ type: "text", text: "Pölicy 😀 ".repeat(50) }];
    for (let i = 0; i < 50; i++) {
      const request: CompiledRequest = {
        customId: `s_c${i}_r0`,
        suite: "s",
        caseId: `c${i}`,
        repeat: 0,
        model: "m",
        params: {
          model: "m",
          max_tokens: i + 1,
          messages: [{ role: "user", content: "ü".repeat(i) }],
          ...(i % 3 === 0 ? {} : { system: i % 3 === 1 ? shared : structuredClone(shared) }),
        } as unknown as MessageCreateParamsNonStreaming,
      };
      const exact = Buffer.byteLength(
        JSON.stringify({ custom_id: request.customId, params: request.params }),
      );
      expect(requestBytes(request)).toBe(exact + 1);
    }
  });
});
