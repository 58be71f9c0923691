/**
 * The runner's calls to the Message Batches API, all through the SDK client, with SDK errors
 * translated by class at this boundary.
 */
import Anthropic from "@anthropic-ai/sdk";
import type {
  MessageBatch,
  MessageBatchIndividualResponse,
} from "@anthropic-ai/sdk/resources/messages/batches";
import type { CompiledRequest } from "../compile/types.js";
import { translateApiError } from "./api-errors.js";

/** Creates a batch of `requests`. */
export async function createBatch(
  client: Anthropic,
  requests: readonly CompiledRequest[],
  model: string,
): Promise<MessageBatch> {
  try {
    return await client.messages.batches.create({
      requests: requests.map((r) => ({ custom_id: r.customId, params: r.params })),
    });
  } catch (error) {
    throw translateApiError(error, `submitting a batch of ${requests.length} for ${model}`);
  }
}

/** Retrieves a batch; undefined when the API no longer knows it (404). */
export async function retrieveBatch(
  client: Anthropic,
  id: string,
): Promise<MessageBatch | undefined> {
  try {
    return await client.messages.batches.retrieve(id);
  } catch (error) {
    if (error instanceof Anthropic.NotFoundError) return undefined;
    throw translateApiError(error, `polling batch ${id}`);
  }
}

/** Streams a batch's results to `onLine`; a cut stream throws (the caller downloads again). */
export async function streamResults(
  client: Anthropic,
  id: string,
  onLine: (line: MessageBatchIndividualResponse) => void,
): Promise<number> {
  let count = 0;
  try {
    const stream = await client.messages.batches.results(id);
    for await (const line of stream) {
      onLine(line);
      count++;
    }
  } catch (error) {
    throw translateApiError(error, `downloading the results of batch ${id}`);
  }
  return count;
}

/** Asks the API to cancel a batch. */
export async function cancelBatch(client: Anthropic, id: string): Promise<MessageBatch> {
  try {
    return await client.messages.batches.cancel(id);
  } catch (error) {
    throw translateApiError(error, `canceling batch ${id}`);
  }
}

/**
 * Batches created at or after `since`, newest first, as the list endpoint pages them. Used to
 * reconcile a crash between `create` returning and its id being saved.
 */
export async function batchesCreatedSince(client: Anthropic, since: Date): Promise<MessageBatch[]> {
  const found: MessageBatch[] = [];
  try {
    for await (const batch of client.messages.batches.list({ limit: 100 })) {
      if (new Date(batch.created_at) < since) break;
      found.push(batch);
    }
  } catch (error) {
    throw translateApiError(error, "listing recent batches to reconcile an interrupted submit");
  }
  return found;
}

/**
 * One cheap authenticated call (the newest batch of the workspace), made before a run starts,
 * so that refused credentials are reported before a run directory exists or `latest` moves.
 */
export async function checkAccess(client: Anthropic): Promise<void> {
  try {
    await client.messages.batches.list({ limit: 1 });
  } catch (error) {
    throw translateApiError(error, "checking the credentials");
  }
}

/** Total requests of a batch, whatever their state. */
export function totalRequests(batch: MessageBatch): number {
  const c = batch.request_counts;
  return c.processing + c.succeeded + c.errored + c.canceled + c.expired;
}
