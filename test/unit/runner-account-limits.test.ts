import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { BatchevalError } from "../../src/errors.js";
import { accountLimitOf } from "../../src/runner/account-limits.js";
import { isTransient, translateApiError } from "../../src/runner/api-errors.js";

function body(type: string, code?: string) {
  return {
    type: "error",
    error: { type, message: "m", ...(code ? { details: { error_code: code } } : {}) },
  };
}
const headers = () => new Headers();

// Each as the SDK builds it from a response (the class follows the status and error_code).
const CASES = [
  [
    "EnforcedSpendLimitReachedError",
    new Anthropic.EnforcedSpendLimitReachedError(
      429,
      body("rate_limit_error", "enforced_spend_limit_reached"),
      undefined,
      headers(),
    ),
    /monthly spend limit/,
  ],
  [
    "ContractSpendLimitReachedError",
    new Anthropic.ContractSpendLimitReachedError(
      429,
      body("rate_limit_error", "contract_spend_limit_reached"),
      undefined,
      headers(),
    ),
    /contract/,
  ],
  [
    "LinkedOrganizationSpendLimitReachedError",
    new Anthropic.LinkedOrganizationSpendLimitReachedError(
      402,
      body("billing_error", "linked_organization_spend_limit_reached"),
      undefined,
      headers(),
    ),
    /linked to the key/,
  ],
  [
    "PaymentRequiredError",
    new Anthropic.PaymentRequiredError(402, body("billing_error"), undefined, headers()),
    /billing problem/,
  ],
  [
    "RampLimitExceededError",
    new Anthropic.RampLimitExceededError(
      429,
      body("rate_limit_error", "ramp_limit_exceeded"),
      undefined,
      headers(),
    ),
    undefined,
  ],
  [
    "RateLimitError",
    new Anthropic.RateLimitError(429, body("rate_limit_error"), undefined, headers()),
    undefined,
  ],
  [
    "OverloadedError",
    new Anthropic.OverloadedError(529, body("overloaded_error"), undefined, headers()),
    undefined,
  ],
  [
    "BadRequestError (a 400 has no code for a self-set limit)",
    new Anthropic.BadRequestError(400, body("invalid_request_error"), undefined, headers()),
    undefined,
  ],
] as const;

describe("account limits", () => {
  it.each(CASES)("%s", (_name, error, limit) => {
    const translated = translateApiError(error, "submitting a batch of 8 for claude-haiku-4-5");
    if (limit === undefined) {
      expect(accountLimitOf(error)).toBeUndefined();
      expect(translated.code).toBe("api_error");
      return;
    }
    expect(accountLimitOf(error)?.limit).toMatch(limit);
    expect(translated).toBeInstanceOf(BatchevalError);
    expect(translated.code).toBe("spend_limit");
    expect(translated.exitCode).toBe(3);
    expect(translated.message).toMatch(limit);
    expect(translated.message).toMatch(/without retrying/);
    expect(translated.hint).toMatch(/Console/);
    expect(translated.cause).toBe(error);
  });

  it.each([
    ["EnforcedSpendLimitReachedError", false],
    ["ContractSpendLimitReachedError", false],
    ["LinkedOrganizationSpendLimitReachedError", false],
    ["PaymentRequiredError", false],
    ["RampLimitExceededError", true],
    ["RateLimitError", true],
    ["OverloadedError", true],
  ])("%s is transient (retried by polls): %s", (name, transient) => {
    const [, error] = CASES.find(([n]) => n === name) ?? [];
    expect(isTransient(error)).toBe(transient);
    expect(isTransient(translateApiError(error, "polling batch x"))).toBe(transient);
  });
});
