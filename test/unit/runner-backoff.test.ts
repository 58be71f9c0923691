import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { BatchevalError } from "../../src/errors.js";
import {
  BASE_BACKOFF_MS,
  createBackoffMs,
  MAX_BACKOFF_MS,
  MAX_RETRY_AFTER_MS,
  retryAfterMs,
} from "../../src/runner/backoff.js";

const NOW = Date.parse("2026-11-25T12:00:00.000Z");

describe("retryAfterMs", () => {
  it.each([
    [{}, undefined],
    [{ "retry-after-ms": "250" }, 250],
    [{ "retry-after-ms": "12.5", "retry-after": "9" }, 12.5], // the ms header wins
    [{ "retry-after": "2" }, 2_000],
    [{ "retry-after": "0.02" }, 20],
    [{ "retry-after": new Date(NOW + 3_000).toUTCString() }, 3_000],
    [{ "retry-after": new Date(NOW - 3_000).toUTCString() }, 0], // a date in the past: now
    [{ "retry-after": "soon" }, undefined],
    [{ "retry-after": "-1" }, undefined],
    [{ "retry-after-ms": "nope" }, undefined],
  ])("%j → %s", (headers, expected) => {
    expect(retryAfterMs(new Headers(headers as Record<string, string>), NOW)).toBe(expected);
  });
});

function overloaded(headers: Record<string, string> = {}): BatchevalError {
  const cause = new Anthropic.OverloadedError(529, {}, "overloaded", new Headers(headers));
  return new BatchevalError("api_error", "overloaded", { cause });
}

describe("createBackoffMs", () => {
  const noJitter = () => 0;

  it("honours a small server hint, on the SDK error or wrapped", () => {
    expect(createBackoffMs(overloaded({ "retry-after": "0.5" }), 1, NOW)).toBe(500);
    expect(createBackoffMs(overloaded({ "retry-after-ms": "40" }).cause, 3, NOW)).toBe(40);
  });

  it("falls back to exponential backoff above MAX_RETRY_AFTER_MS", () => {
    const long = overloaded({ "retry-after": String(MAX_RETRY_AFTER_MS / 1000 + 1) });
    expect(createBackoffMs(long, 2, NOW, noJitter)).toBe(2 * BASE_BACKOFF_MS);
  });

  it.each([
    [1, BASE_BACKOFF_MS],
    [2, 2 * BASE_BACKOFF_MS],
    [3, 4 * BASE_BACKOFF_MS],
    [5, 16 * BASE_BACKOFF_MS],
    [12, MAX_BACKOFF_MS],
  ])("without a hint, attempt %d waits %d ms (before jitter)", (attempt, ms) => {
    expect(createBackoffMs(overloaded(), attempt, NOW, noJitter)).toBe(ms);
    expect(createBackoffMs(new Error("reset"), attempt, NOW, noJitter)).toBe(ms);
  });

  it("jitters down by at most a quarter", () => {
    expect(createBackoffMs(overloaded(), 1, NOW, () => 0.999)).toBeGreaterThan(
      0.75 * BASE_BACKOFF_MS,
    );
    expect(createBackoffMs(overloaded(), 1, NOW, () => 0.5)).toBe(0.875 * BASE_BACKOFF_MS);
  });
});
