/**
 * Which results are final and which are resubmitted (DESIGN.md "Batch mechanics"):
 * `errored` with `overloaded_error` or `api_error`, and `expired`, are retried in a follow-up
 * batch; `invalid_request_error` (fix the request first) and `canceled` are final. Pure.
 */
import type { MessageBatchIndividualResponse } from "@anthropic-ai/sdk/resources/messages/batches";

const RETRYABLE_ERRORS = new Set(["overloaded_error", "api_error"]);

/** True when a result should be submitted again (attempts permitting). */
export function isRetryable(line: MessageBatchIndividualResponse | undefined): boolean {
  if (line === undefined) return true; // sent but no result line came back
  const result = line.result;
  if (result.type === "expired") return true;
  if (result.type === "errored") return RETRYABLE_ERRORS.has(result.error.error.type);
  return false;
}

/**
 * Whether a request still needs a submission: it has no final result and fewer than
 * `maxAttempts` submissions so far.
 */
export function needsSubmission(
  line: MessageBatchIndividualResponse | undefined,
  attempts: number,
  maxAttempts: number,
): boolean {
  if (attempts >= maxAttempts) return false;
  return attempts === 0 ? line === undefined : isRetryable(line);
}
