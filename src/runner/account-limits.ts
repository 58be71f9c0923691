/**
 * Spend-limit and billing errors: the API takes no more work until someone raises a limit or
 * pays, or the period rolls over. Retrying cannot help (and a create retried in a loop would
 * start billing the moment the limit lifts, unattended), so they stop the run at once, with
 * exit code 3; the run stays resumable. They are told apart by SDK class, which the SDK picks
 * from the response's `error.details.error_code`:
 *
 * | class (status)                                  | error_code                                | verdict   |
 * | ----------------------------------------------- | ----------------------------------------- | --------- |
 * | `EnforcedSpendLimitReachedError` (429)          | `enforced_spend_limit_reached`            | stop      |
 * | `ContractSpendLimitReachedError` (429)          | `contract_spend_limit_reached`            | stop      |
 * | `LinkedOrganizationSpendLimitReachedError` (402)| `linked_organization_spend_limit_reached` | stop      |
 * | `PaymentRequiredError` (402, `billing_error`)   | any                                       | stop      |
 * | `RampLimitExceededError` (429)                  | `ramp_limit_exceeded`                     | retryable |
 * | any other `RateLimitError` (429)                | none                                      | retryable |
 *
 * A self-set spend limit can also come back as a 400 `invalid_request_error`, but with no code
 * that tells it from any other bad request; 400s keep their generic handling (not retried).
 */
import Anthropic, { type Middleware } from "@anthropic-ai/sdk";
import { BatchevalError } from "../errors.js";

/** Which limit stopped the run, and what the user can do about it. */
export interface AccountLimit {
  /** e.g. "the organization's monthly spend limit". */
  limit: string;
  /** What to do before resuming. */
  todo: string;
}

const RESUME = "then run the same command again to resume.";

/** The account limit an error reports, or undefined for any other error. */
export function accountLimitOf(error: unknown): AccountLimit | undefined {
  if (error instanceof Anthropic.EnforcedSpendLimitReachedError) {
    return {
      limit: "the organization's monthly spend limit (429 enforced_spend_limit_reached)",
      todo: `Raise the spend limit in the Claude Console (Settings → Limits), or wait until it resets next month; ${RESUME}`,
    };
  }
  if (error instanceof Anthropic.ContractSpendLimitReachedError) {
    return {
      limit: "the spend limit of the organization's contract (429 contract_spend_limit_reached)",
      todo: `Have the limit raised (Claude Console, or your Anthropic account team), or wait for the next period; ${RESUME}`,
    };
  }
  if (error instanceof Anthropic.LinkedOrganizationSpendLimitReachedError) {
    return {
      limit:
        "the spend limit or credit of the organization linked to the key's user profile (402 linked_organization_spend_limit_reached)",
      todo: `That organization must raise its spend limit or add credit in the Claude Console; ${RESUME}`,
    };
  }
  if (error instanceof Anthropic.PaymentRequiredError) {
    return {
      limit: "a billing problem of the organization, e.g. no credit left (402 billing_error)",
      todo: `Add credit or fix the payment method in the Claude Console (Settings → Billing); ${RESUME}`,
    };
  }
  return undefined;
}

/** A `spend_limit` error for an account-limit SDK error met while `doing`, else undefined. */
export function accountLimitError(error: unknown, doing: string): BatchevalError | undefined {
  const found = accountLimitOf(error);
  if (found === undefined) return undefined;
  return new BatchevalError(
    "spend_limit",
    `The API refused ${doing}: ${found.limit}. Stopped at once, without retrying.`,
    { hint: found.todo, cause: error },
  );
}

/** The `error_code`s of the 429 classes above: the SDK retries every 429 it is not told not to. */
const NO_RETRY_429_CODES = new Set([
  "enforced_spend_limit_reached",
  "contract_spend_limit_reached",
]);

/**
 * Per-request SDK middleware that stops the SDK's own retries of a spend-limit 429. The SDK
 * retries every 429 unless the response says `x-should-retry: false`, and it picks the error
 * class only after its retries; so this reads the code of a 429 and adds that header. Every
 * other response passes through untouched. (402s are not retried by the SDK anyway.)
 */
export const noSpendLimitRetries: Middleware = async (request, next, ctx) => {
  const response = await next(request);
  if (response.status !== 429) return response;
  const body = await ctx
    .parse<{ error?: { details?: { error_code?: unknown } } }>(response)
    .catch(() => undefined);
  const code = body?.error?.details?.error_code;
  if (typeof code !== "string" || !NO_RETRY_429_CODES.has(code)) return response;
  const headers = new Headers(response.headers);
  headers.set("x-should-retry", "false");
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
};
