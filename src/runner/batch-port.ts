/**
 * The port through which the runner, `batcheval status` and `batcheval cancel` reach the
 * Message Batches API: the five batch operations they use, and the credentials check made
 * before a run starts. The runner holds a `BatchBackend` (in its RunContext), never an SDK
 * client, so a test can wrap it to record or alter the calls (test/unit/runner-batch-port.test.ts
 * checks that nothing else in src/runner reaches the SDK client).
 *
 * The one implementation is on the SDK, in batch-api.ts (`sdkBatches`). Its contract, which a
 * wrapper must keep: every method throws BatchevalError, translated from the SDK's error by
 * class; `create` is sent exactly once (no SDK retries, see batch-api.ts), the other calls
 * keep the SDK's own retries except for spend-limit 429s.
 */

import type { MessageBatch } from "@anthropic-ai/sdk/resources/messages/batches";
import type { MessageCreateParamsNonStreaming } from "@anthropic-ai/sdk/resources/messages/messages";
import type { CompiledRequest } from "../compile/types.js";

/** The Message Batches API as the runner uses it. */
export interface BatchBackend {
  /**
   * Creates a batch of `requests` (all for `model`, named in errors), once: the caller backs
   * off, reconciles with `list` and retries itself (docs/api-facts.md, "HTTP errors and SDK
   * retries").
   */
  create(requests: readonly CompiledRequest[], model: string): Promise<MessageBatch>;
  /** The batch now; undefined when the API no longer knows it (404). */
  retrieve(id: string): Promise<MessageBatch | undefined>;
  /**
   * Batches of the workspace created at or after `since`, newest first, as the list endpoint
   * pages them. Used to reconcile a create whose response never arrived.
   */
  list(since: Date): Promise<MessageBatch[]>;
  /**
   * Streams a batch's result lines to `onLine`, each as the API sent it (the JSON text of one
   * MessageBatchIndividualResponse, without its line end), until the end or until `onLine`
   * returns false (the rest is not read). When `onLine` returns a promise, the next line waits
   * for it (the caller's writes push back on the download). Resolves with the number of lines
   * read; a cut stream throws (the caller downloads again).
   */
  results(id: string, onLine: (line: string) => boolean | Promise<boolean>): Promise<number>;
  /** Asks the API to cancel a batch; resolves with the batch as the API then shows it. */
  cancel(id: string): Promise<MessageBatch>;
  /**
   * One cheap authenticated call, made before a run starts, so that refused credentials are
   * reported before a run directory exists or `latest` moves.
   */
  checkAccess(): Promise<void>;
  /**
   * The prompt tokens the API counts for a request's params (`POST /v1/messages/count_tokens`,
   * free): what sizing measures a sample of a suite with.
   */
  countTokens(params: MessageCreateParamsNonStreaming): Promise<number>;
}
