/**
 * Translation of SDK errors into batcheval errors at the runner's boundary, by class and never
 * by message text. The SDK has already retried what it retries (429, 5xx, connection errors).
 */
import Anthropic from "@anthropic-ai/sdk";
import { BatchevalError } from "../errors.js";
import { accountLimitError, accountLimitOf } from "./account-limits.js";

function hintFor(error: unknown): string {
  if (error instanceof Anthropic.AuthenticationError) {
    return "Check ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL if you set one).";
  }
  if (error instanceof Anthropic.PermissionDeniedError) {
    return "The key's workspace may not have access to this model or to the Batches API.";
  }
  if (error instanceof Anthropic.RateLimitError) {
    return "The API rate-limited every retry. Wait, then run the same command again to resume.";
  }
  if (error instanceof Anthropic.APIConnectionError) {
    return "Could not reach the API. Check the network or ANTHROPIC_BASE_URL, then run the same command again to resume.";
  }
  if (error instanceof Anthropic.InternalServerError) {
    return "The API failed on its side after retries. Run the same command again to resume.";
  }
  if (error instanceof Anthropic.BadRequestError) {
    return "The API rejected the request; the message says which field.";
  }
  return "Run the same command again to resume.";
}

/** Wraps an SDK (or network) error thrown while `doing` something. */
export function translateApiError(error: unknown, doing: string): BatchevalError {
  if (error instanceof BatchevalError) return error;
  const limit = accountLimitError(error, doing);
  if (limit) return limit;
  const detail =
    error instanceof Anthropic.APIError
      ? `${error.status ?? "no status"} ${error.type ?? error.name}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
  return new BatchevalError("api_error", `Failed while ${doing}: ${detail}`, {
    hint: hintFor(error),
    cause: error,
  });
}

/**
 * Whether an error (or the SDK error it wraps) is one the API may not repeat: rate limits,
 * server errors, overload, timeouts and lost connections. The SDK has already retried these;
 * the runner retries idempotent calls (polls, downloads) a few more times before giving up.
 * A spend limit is a 429 but not transient (see account-limits.ts).
 */
export function isTransient(error: unknown): boolean {
  const cause = error instanceof BatchevalError ? error.cause : error;
  if (accountLimitOf(cause) !== undefined) return false;
  return (
    cause instanceof Anthropic.RateLimitError ||
    cause instanceof Anthropic.InternalServerError ||
    cause instanceof Anthropic.APIConnectionError ||
    (cause instanceof Anthropic.APIError && (cause.status === 408 || cause.status === 409))
  );
}
