import type { MessageBatchIndividualResponse } from "@anthropic-ai/sdk/resources/messages/batches";
import { describe, expect, it } from "vitest";
import { cacheKey, canonicalJson } from "../../src/runner/result-cache.js";
import {
  isRetryable,
  isRetryableErrorType,
  needsSubmission,
} from "../../src/runner/retry-policy.js";

function errored(type: string): MessageBatchIndividualResponse {
  return {
    custom_id: "c",
    result: {
      type: "errored",
      error: { type: "error", error: { type, message: "x" }, request_id: null },
    },
  } as MessageBatchIndividualResponse;
}
const expired = { custom_id: "c", result: { type: "expired" } } as MessageBatchIndividualResponse;
const canceled = { custom_id: "c", result: { type: "canceled" } } as MessageBatchIndividualResponse;
const succeeded = {
  custom_id: "c",
  result: { type: "succeeded" },
} as MessageBatchIndividualResponse;

describe("retry policy", () => {
  // Every type of the SDK's ErrorObject union, and one it does not know yet.
  it.each([
    ["api_error", true],
    ["overloaded_error", true],
    ["timeout_error", true],
    ["rate_limit_error", true],
    ["invalid_request_error", false],
    ["not_found_error", false],
    ["authentication_error", false],
    ["permission_error", false],
    ["billing_error", false],
    ["some_future_error", false],
    ["toString", false], // not fooled by Object.prototype
  ])("errored with %s → retryable: %s", (type, retryable) => {
    expect(isRetryableErrorType(type)).toBe(retryable);
    expect(isRetryable(errored(type))).toBe(retryable);
  });

  it.each([
    ["expired", expired, true],
    ["no result line", undefined, true],
    ["canceled", canceled, false],
    ["succeeded", succeeded, false],
  ])("%s retryable: %s", (_name, line, retryable) => {
    expect(isRetryable(line)).toBe(retryable);
  });

  it.each([
    [undefined, 0, 3, true],
    [succeeded, 0, 3, false], // replayed from the cache
    [errored("overloaded_error"), 1, 3, true],
    [errored("overloaded_error"), 3, 3, false],
    [errored("invalid_request_error"), 1, 3, false],
    [undefined, 1, 3, true], // sent, but its line never came back
  ])("line %j after %d of %d attempts → %s", (line, attempts, max, expected) => {
    expect(needsSubmission(line, attempts, max)).toBe(expected);
  });
});

describe("cacheKey", () => {
  const params = {
    model: "claude-haiku-4-5",
    max_tokens: 5,
    messages: [{ role: "user" as const, content: "hi" }],
  };

  it("ignores key order but not content, sample or origin", () => {
    const key = cacheKey({ origin: "sim:abc", params, repeat: 0 });
    const reordered = { messages: params.messages, max_tokens: 5, model: "claude-haiku-4-5" };
    expect(cacheKey({ origin: "sim:abc", params: reordered, repeat: 0 })).toBe(key);
    expect(cacheKey({ origin: "sim:abc", params, repeat: 1 })).not.toBe(key);
    expect(cacheKey({ origin: "https://api.anthropic.com", params, repeat: 0 })).not.toBe(key);
    expect(
      cacheKey({ origin: "sim:abc", params: { ...params, max_tokens: 6 }, repeat: 0 }),
    ).not.toBe(key);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
  });

  it("sorts nested keys and keeps arrays in order", () => {
    expect(canonicalJson({ b: [2, 1], a: { d: 1, c: null } })).toBe(
      '{"a":{"c":null,"d":1},"b":[2,1]}',
    );
  });

  it("is JSON.stringify with every object's keys sorted, undefined and toJSON as JSON treats them", () => {
    const sortedCopy = (_key: string, value: unknown): unknown =>
      value !== null && typeof value === "object" && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : value;
    const values: unknown[] = [
      {},
      [],
      { z: undefined, y: [undefined, () => 1, 3], x: { "": 1, é: 2, e: 3, E: 4 } },
      { when: new Date(0), text: 'quote " and \\ and \n', n: -0, big: 1e21, nan: Number.NaN },
      [{ b: { d: [{ f: 1, e: 2 }] }, a: null }, "s", true, false, null],
      { messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }], max_tokens: 5 },
      // Few keys (sorted by insertion) and many (by Array.prototype.sort), in scrambled orders.
      Object.fromEntries(["k9", "k1", "K", "k10", "_", "k2", "a", "k1a"].map((k, i) => [k, i])),
      Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`key${(i * 17) % 40}`, i])),
    ];
    for (const value of values) {
      expect(canonicalJson(value)).toBe(JSON.stringify(value, sortedCopy));
    }
  });
});
