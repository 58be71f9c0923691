/**
 * Translation of SDK errors into batcheval errors at the runner's boundary, by class and never
 * by message text. The SDK has already retried what it retries (429, 5xx, connection errors).
 */
import Anthropic from "@anthropic-ai/sdk";
import { BatchevalError } from "../errors.js";
import { accountLimitError, accountLimitOf } from "./account-limits.js";

function hintFor(error: unknown): string {
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

/**
 * What the API said, once: `401 authentication_error: invalid x-api-key`. The SDK's own
 * message already starts with the status and holds the whole body, so it is used only when
 * the body had no message.
 */
function describeError(error: unknown): string {
  if (error instanceof Anthropic.APIError) {
    const status = [error.status, error.type].filter((x) => x !== undefined && x !== null);
    const said = error.apiMessage ?? error.message;
    return status.length === 0 ? said : `${status.join(" ")}: ${said}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Refused credentials are a configuration error, not a failed run: nothing can succeed until
 * the variable is fixed, and retrying spends nothing but time.
 */
function authError(error: unknown, doing: string): BatchevalError | undefined {
  const variable = "ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN for an OAuth token)";
  if (error instanceof Anthropic.AuthenticationError) {
    return new BatchevalError(
      "auth_failed",
      `The API did not accept the credentials while ${doing} (${describeError(error)}).`,
      {
        hint: `Set ${variable} to a valid key for this API, and check ANTHROPIC_BASE_URL if you set one.`,
        cause: error,
      },
    );
  }
  if (error instanceof Anthropic.PermissionDeniedError) {
    return new BatchevalError(
      "auth_failed",
      `The API refused this key permission while ${doing} (${describeError(error)}).`,
      {
        hint: `Set ${variable} to a key whose workspace may use the Message Batches API and the suite's models.`,
        cause: error,
      },
    );
  }
  return undefined;
}

/** Wraps an SDK (or network) error thrown while `doing` something. */
export function translateApiError(error: unknown, doing: string): BatchevalError {
  if (error instanceof BatchevalError) return error;
  const limit = accountLimitError(error, doing);
  if (limit) return limit;
  const auth = authError(error, doing);
  if (auth !== undefined) return auth;
  return new BatchevalError("api_error", `Failed while ${doing}: ${describeError(error)}`, {
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
