/**
 * The batch port (batch-port.ts) on the SDK client: every call batcheval makes to the Message
 * Batches API, with SDK errors translated by class at this boundary. No call lets the SDK
 * retry a spend-limit 429, and `create` is never retried by the SDK at all (see createBatch).
 * This is the only module that holds an SDK client.
 */

import Anthropic from "@anthropic-ai/sdk";
import type { MessageBatch } from "@anthropic-ai/sdk/resources/messages/batches";
import type { MessageCreateParamsNonStreaming } from "@anthropic-ai/sdk/resources/messages/messages";
import type { CompiledRequest } from "../compile/types.js";
import { BatchevalError } from "../errors.js";
import { noSpendLimitRetries } from "./account-limits.js";
import { translateApiError } from "./api-errors.js";
import type { Credentials } from "./backend.js";
import { batchBody } from "./batch-body.js";
import type { BatchBackend } from "./batch-port.js";
import { bodyLineBatches } from "./body-lines.js";
import { gathered } from "./run-store.js";

/** Options of every call: the SDK's own retries, minus spend-limit 429s. */
const CALL = { middleware: [noSpendLimitRetries] };

/**
 * Options of `create`: no SDK retries. When the API accepted a create but its response was
 * lost (a 5xx, a dropped connection), an SDK retry would send it again and a second batch
 * would be billed; the runner reconciles with the list endpoint instead, then retries itself.
 */
const CREATE = { ...CALL, maxRetries: 0 };

/** The batch port on the SDK client `client`. */
export function sdkBatches(client: Anthropic): BatchBackend {
  return {
    create: (requests, model) => createBatch(client, requests, model),
    retrieve: (id) => retrieveBatch(client, id),
    list: (since) => batchesCreatedSince(client, since),
    results: (id, onLine) => streamResults(client, id, onLine),
    cancel: (id) => cancelBatch(client, id),
    checkAccess: () => checkAccess(client),
    countTokens: (params) => countTokens(client, params),
  };
}

/**
 * The batch port on a new SDK client for `baseURL` with the one credential `pickCredentials`
 * chose (the other one null, so the SDK does not read it from `process.env`).
 */
export function batchesAt(
  baseURL: string,
  credentials: Pick<Credentials, "apiKey" | "authToken">,
): BatchBackend {
  const { apiKey, authToken } = credentials;
  return sdkBatches(new Anthropic({ apiKey, authToken, baseURL }));
}

/**
 * Creates a batch of `requests`, once: the caller backs off, reconciles and retries. The body
 * is the same JSON `messages.batches.create` would send, streamed in pieces (batch-body.ts):
 * the SDK sends an iterable body as it comes, with `content-type` as given.
 */
async function createBatch(
  client: Anthropic,
  requests: readonly CompiledRequest[],
  model: string,
): Promise<MessageBatch> {
  try {
    return await client.post<MessageBatch>("/v1/messages/batches", {
      // Pieces of about a megabyte: a stream chunk per request would cost more than the bytes.
      body: gathered(batchBody(requests)),
      headers: { "content-type": "application/json" },
      ...CREATE,
    });
  } catch (error) {
    throw translateApiError(error, `submitting a batch of ${requests.length} for ${model}`);
  }
}

/** Retrieves a batch; undefined when the API no longer knows it (404). */
async function retrieveBatch(client: Anthropic, id: string): Promise<MessageBatch | undefined> {
  try {
    return await client.messages.batches.retrieve(id, {}, CALL);
  } catch (error) {
    if (error instanceof Anthropic.NotFoundError) return undefined;
    throw translateApiError(error, `polling batch ${id}`);
  }
}

/**
 * Streams a batch's result lines, as the API sent them (JSONL, one result per line), to
 * `onLine`, until the end or until `onLine` returns (or resolves to) false: the rest is not
 * read. A cut stream throws (the caller downloads again).
 *
 * This is the SDK's `messages.batches.results` without its JSON decoder: the same retrieve for
 * the `results_url` and the same GET of it, but the body is split into lines here and each
 * line handed over as text. The runner writes a line to its results file as it came, and
 * parses it only where it needs the reply; decoding every line and serializing it again cost
 * two passes over every byte of a download.
 */
async function streamResults(
  client: Anthropic,
  id: string,
  onLine: (line: string) => boolean | Promise<boolean>,
): Promise<number> {
  let count = 0;
  try {
    const batch = await client.messages.batches.retrieve(id, {}, CALL);
    if (!batch.results_url) {
      throw new Anthropic.AnthropicError(
        `No batch \`results_url\`; has it finished processing? ${batch.processing_status} - ${batch.id}`,
      );
    }
    const response = (await client.get(batch.results_url, {
      ...CALL,
      headers: { Accept: "application/binary" },
      __binaryResponse: true,
    })) as Response;
    if (response.body === null)
      throw new Anthropic.AnthropicError("The results response has no body.");
    reading: for await (const lines of bodyLineBatches(response.body)) {
      for (const line of lines) {
        count++;
        const more = onLine(line);
        if (!(typeof more === "boolean" ? more : await more)) break reading;
      }
    }
  } catch (error) {
    throw translateApiError(error, `downloading the results of batch ${id}`);
  }
  return count;
}

/** Asks the API to cancel a batch. */
async function cancelBatch(client: Anthropic, id: string): Promise<MessageBatch> {
  try {
    return await client.messages.batches.cancel(id, {}, CALL);
  } catch (error) {
    throw translateApiError(error, `canceling batch ${id}`);
  }
}

/**
 * Batches created at or after `since`, newest first, as the list endpoint pages them. Used to
 * reconcile a create whose response never arrived (an error, a dropped connection, a crash).
 */
async function batchesCreatedSince(client: Anthropic, since: Date): Promise<MessageBatch[]> {
  const found: MessageBatch[] = [];
  try {
    for await (const batch of client.messages.batches.list({ limit: 100 }, CALL)) {
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
async function checkAccess(client: Anthropic): Promise<void> {
  try {
    await client.messages.batches.list({ limit: 1 }, CALL);
  } catch (error) {
    const failed = translateApiError(error, `reaching the API at ${client.baseURL}`);
    if (failed.code !== "api_error") throw failed;
    throw new BatchevalError(failed.code, failed.message, {
      hint: "Nothing was started. Check the network and ANTHROPIC_BASE_URL, then run the command again.",
      cause: error,
    });
  }
}

/** The fields of a Messages request that count_tokens takes (it refuses the others). */
const COUNTED = ["model", "messages", "system", "tools", "tool_choice", "thinking"] as const;

/** The API's count of a request's prompt tokens. */
async function countTokens(
  client: Anthropic,
  params: MessageCreateParamsNonStreaming,
): Promise<number> {
  const body: Record<string, unknown> = {};
  for (const key of COUNTED) if (params[key] !== undefined) body[key] = params[key];
  try {
    const counted = await client.messages.countTokens(
      body as unknown as Parameters<typeof client.messages.countTokens>[0],
      CALL,
    );
    return counted.input_tokens;
  } catch (error) {
    throw translateApiError(error, `counting the tokens of a ${params.model} request`);
  }
}
