/**
 * How long the runner waits before sending a failed `create` again. The SDK does not retry
 * creates (see batch-api.ts), so the runner backs off itself: the server's `retry-after-ms` or
 * `retry-after` when it gives one that is small enough, else exponential backoff with jitter.
 * Pure.
 */
import Anthropic from "@anthropic-ai/sdk";
import { BatchevalError } from "../errors.js";

/** The longest server-requested wait honoured; a longer one falls back to the backoff below. */
export const MAX_RETRY_AFTER_MS = 60_000;
/** First backoff without a hint, doubled per attempt up to the cap. */
export const BASE_BACKOFF_MS = 1_000;
export const MAX_BACKOFF_MS = 30_000;

/**
 * The wait a response's headers ask for, in ms: `retry-after-ms`, else `retry-after` in
 * seconds or as an HTTP date. Undefined when absent, unparseable or negative.
 */
export function retryAfterMs(headers: Headers | undefined, now: number): number | undefined {
  const ms = Number.parseFloat(headers?.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const text = headers?.get("retry-after") ?? "";
  if (text === "") return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The response headers of an SDK error, or of the SDK error a BatchevalError wraps. */
function headersOf(error: unknown): Headers | undefined {
  const cause = error instanceof BatchevalError ? error.cause : error;
  return cause instanceof Anthropic.APIError ? cause.headers : undefined;
}

/**
 * The wait before create attempt `attempt + 1`, after attempt `attempt` (1-based) failed with
 * `error`: the server's hint when at most MAX_RETRY_AFTER_MS, else BASE_BACKOFF_MS × 2^(attempt-1)
 * capped at MAX_BACKOFF_MS, minus up to 25% jitter (so runs that failed together spread out).
 */
export function createBackoffMs(
  error: unknown,
  attempt: number,
  now: number,
  random: () => number = Math.random,
): number {
  const hinted = retryAfterMs(headersOf(error), now);
  if (hinted !== undefined && hinted <= MAX_RETRY_AFTER_MS) return hinted;
  const exponential = Math.min(BASE_BACKOFF_MS * 2 ** (attempt - 1), MAX_BACKOFF_MS);
  return exponential * (1 - 0.25 * random());
}
