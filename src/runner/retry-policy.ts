/**
 * Which results are final and which are resubmitted in a follow-up batch. Pure.
 *
 * `expired` is retried (the batch ran out of time, the request never ran); `canceled` is final
 * (someone asked for it). An `errored` result carries one of the API's error types (the SDK's
 * `ErrorObject` union); each is classified below with the reason.
 */
import type { ResultOutcome } from "./read-results.js";

/**
 * | error type              | verdict   | why                                                     |
 * | ----------------------- | --------- | ------------------------------------------------------- |
 * | `api_error`             | retryable | a transient failure on the API's side                   |
 * | `overloaded_error`      | retryable | the API was overloaded; it passes                       |
 * | `timeout_error`         | retryable | the request timed out on the API's side                 |
 * | `rate_limit_error`      | retryable | a rate limit while the batch ran; it passes             |
 * | `invalid_request_error` | final     | the request itself is wrong: fix it first               |
 * | `not_found_error`       | final     | the model (or a resource it names) does not exist       |
 * | `authentication_error`  | final     | the key is wrong: resubmitting fails the same way       |
 * | `permission_error`      | final     | the key may not use this: same                          |
 * | `billing_error`         | final     | the account cannot pay: fix billing first               |
 *
 * A type not in this table (one a later API version adds) is final: resubmitting a failure we
 * cannot classify would spend money blindly; the report shows its type and message.
 */
export const RESULT_ERROR_VERDICTS: Readonly<Record<string, "retryable" | "final">> = {
  api_error: "retryable",
  overloaded_error: "retryable",
  timeout_error: "retryable",
  rate_limit_error: "retryable",
  invalid_request_error: "final",
  not_found_error: "final",
  authentication_error: "final",
  permission_error: "final",
  billing_error: "final",
};

/** True when an errored result's type is one worth resubmitting (unknown types are not). */
export function isRetryableErrorType(type: string): boolean {
  return RESULT_ERROR_VERDICTS[type] === "retryable";
}

/** True when a result should be submitted again (attempts permitting). */
export function isRetryable(line: ResultOutcome | undefined): boolean {
  if (line === undefined) return true; // sent but no result line came back
  const result = line.result;
  if (result.type === "expired") return true;
  if (result.type === "errored") return isRetryableErrorType(result.error.error.type);
  return false;
}

/**
 * Whether a request still needs a submission: it has no final result and fewer than
 * `maxAttempts` submissions so far.
 */
export function needsSubmission(
  line: ResultOutcome | undefined,
  attempts: number,
  maxAttempts: number,
): boolean {
  if (attempts >= maxAttempts) return false;
  return attempts === 0 ? line === undefined : isRetryable(line);
}
