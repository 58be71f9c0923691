/**
 * The API's endpoints: request handlers on top of the batch store, the prompt cache and the
 * responder. Every handler returns the status and JSON body, or throws an ApiError.
 */
import type { MessageBatchResult } from "@anthropic-ai/sdk/resources/messages";
import type { ErrorObject } from "@anthropic-ai/sdk/resources/shared";
import { ApiError, invalidRequest, notFound } from "./api-errors.js";
import type { BatchEntry, BatchStore, ProcessContext, ResultLines } from "./batch-store.js";
import type { FaultInjector } from "./faults.js";
import { type PromptCache, promptHash } from "./prompt-cache.js";
import { buildMessage, type DefaultReply, planReply } from "./respond.js";
import type { RuleIndex } from "./rule-index.js";
import { digest, newId, unitHash } from "./seeded.js";
import { parseSimRequest, type SimRequest } from "./sim-request.js";

/** Most requests in one batch. */
export const MAX_BATCH_REQUESTS = 100_000;
const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;

/** What the handlers share. */
export interface RouteContext {
  store: BatchStore;
  cache: PromptCache;
  /** The fixture rules, indexed once when the simulator starts. */
  rules: RuleIndex;
  defaultReply: DefaultReply;
  /** Share (0–1) of same-batch requests that miss a cache entry written by their own batch. */
  cacheMissShare: number;
  seed: number;
  faults: FaultInjector;
  /** `http://127.0.0.1:PORT`, for absolute `results_url`s. */
  baseUrl: string;
  now: () => number;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The `requests` of a create body, checked one by one as the body streams in (an ElementSink
 * of the body reader), with the checks and messages of a whole-body validation: `entries()`
 * throws the error the API gives for the whole list. The first failing request is remembered,
 * not thrown, since a count above the limit (known only at the end) and a body that turns out
 * not to be JSON both come first.
 */
export class CreateRequests {
  private present = false;
  private isList = false;
  private count = 0;
  private list: BatchEntry[] = [];
  private failure: ApiError | undefined;
  private seen = new Set<string>();
  private interned = new SharedTexts();

  /** `requests` is there, a list or not; again when it repeats (the last one counts). */
  begin(isList: boolean): void {
    this.present = true;
    this.isList = isList;
    this.count = 0;
    this.list = [];
    this.failure = undefined;
    this.seen = new Set();
    this.interned = new SharedTexts();
  }

  /** The next request of the list. */
  element(request: unknown): void {
    const i = this.count++;
    if (this.failure !== undefined) return;
    if (i >= MAX_BATCH_REQUESTS) {
      this.list = []; // the batch is refused whatever its requests are
      return;
    }
    try {
      this.list.push(checkRequest(request, i, this.seen, this.interned));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.failure = error;
      this.list = [];
    }
  }

  /** The batch's entries, or the first validation error, in the order the API checks. */
  entries(): BatchEntry[] {
    if (!this.present) throw invalidRequest("requests: Field required");
    if (!this.isList) throw invalidRequest("requests: Input should be a valid list");
    if (this.count === 0) {
      throw invalidRequest("requests: List should have at least 1 item after validation, not 0");
    }
    if (this.count > MAX_BATCH_REQUESTS) {
      throw invalidRequest(
        `requests: List should have at most ${MAX_BATCH_REQUESTS} items after validation, not ${this.count}`,
      );
    }
    if (this.failure !== undefined) throw this.failure;
    return this.list;
  }
}

/** Request `i` of a create body as an entry: its custom_id checked, its system text shared. */
function checkRequest(
  request: unknown,
  i: number,
  seen: Set<string>,
  interned: SharedTexts,
): BatchEntry {
  const customId = isRecord(request) ? request.custom_id : undefined;
  if (typeof customId !== "string" || !CUSTOM_ID.test(customId)) {
    throw invalidRequest(
      `requests.${i}.custom_id: String should match pattern '${CUSTOM_ID.source}'`,
    );
  }
  if (seen.has(customId)) {
    throw invalidRequest(
      `requests.${i}.custom_id: duplicate custom_id '${customId}' in this batch`,
    );
  }
  seen.add(customId);
  const params = isRecord(request) ? request.params : undefined;
  if (isRecord(params)) shareSystemText(params, interned);
  return { customId, params };
}

/**
 * Makes equal system texts of a batch one string. A batch of 100,000 requests that share a
 * long system prompt parses into 100,000 copies of it; the simulator holds its requests until
 * they run, and the embedded one shares the run's memory. Done as each request is parsed, so
 * the copies never pile up.
 */
function shareSystemText(params: Record<string, unknown>, interned: SharedTexts): void {
  if (typeof params.system === "string") params.system = interned.intern(params.system);
  if (!Array.isArray(params.system)) return;
  for (const block of params.system) {
    if (isRecord(block) && typeof block.text === "string") block.text = interned.intern(block.text);
  }
}

/** One string per distinct text. */
class SharedTexts {
  private readonly known = new Map<string, string>();
  private last = "";

  intern(text: string): string {
    // Requests of a batch mostly share one system text: comparing with the last one is a
    // memory compare, where a Map lookup first hashes every character of a fresh string.
    if (text === this.last) return this.last;
    let known = this.known.get(text);
    if (known === undefined) {
      known = text;
      this.known.set(text, text);
    }
    this.last = known;
    return known;
  }
}

/**
 * What seeded draws key on: the request's content, not its custom_id (which a client may make
 * unique per run), so the same requests meet the same faults and cache misses every time. The
 * prompt goes in as its chained hash (see promptHash) with its cache markers, the other params
 * as JSON: serializing and hashing every request whole would go over its shared system prompt
 * again each time.
 */
function contentKey(request: SimRequest, params: Record<string, unknown>): string {
  const { tools: _, system: __, messages: ___, ...rest } = params;
  const markers = request.blocks.map((b) => b.ttl ?? "-").join("");
  return digest(promptHash(request), markers, JSON.stringify(rest));
}

/**
 * Answers one batch request: errored on bad params (with the error's type:
 * `invalid_request_error`, or `not_found_error` for an unknown or retired model), else a
 * succeeded Message.
 */
export function processBatchRequest(route: RouteContext, ctx: ProcessContext): MessageBatchResult {
  let request: SimRequest;
  try {
    request = parseSimRequest(ctx.entry.params, ctx.version, "batch", ctx.at);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return {
      type: "errored",
      error: {
        type: "error",
        error: {
          type: error.type === "not_found_error" ? error.type : "invalid_request_error",
          message: error.message,
        },
        request_id: null,
      },
    };
  }
  const requestKey = contentKey(request, ctx.entry.params as Record<string, unknown>);
  const fault = route.faults.resultFault(requestKey);
  if (fault?.type === "expired" || fault?.type === "canceled") return { type: fault.type };
  if (fault) {
    const error: ErrorObject = { type: fault.errorType, message: fault.message };
    return { type: "errored", error: { type: "error", error, request_id: newId("req") } };
  }
  const sameBatchVisible =
    unitHash(String(route.seed), "cache-miss", requestKey) >= route.cacheMissShare;
  const usage = route.cache.account(request, {
    now: ctx.at,
    batchId: ctx.batchId,
    sameBatchVisible,
  });
  const plan = planReply(request, route.rules, route.defaultReply);
  return { type: "succeeded", message: buildMessage(request, plan, usage, "batch") };
}

/** GET /v1/messages/batches: newest first, `limit` 1–1000 (default 20), `after_id`/`before_id`. */
export function listBatches(route: RouteContext, query: URLSearchParams): unknown {
  const limitText = query.get("limit") ?? "20";
  const limit = Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw invalidRequest("limit: Input should be an integer between 1 and 1000");
  }
  const ids = route.store.ids();
  const afterId = query.get("after_id");
  const beforeId = query.get("before_id");
  let page: readonly string[];
  let hasMore: boolean;
  if (beforeId !== null) {
    const end = ids.indexOf(beforeId);
    const start = Math.max(0, end - limit);
    page = end === -1 ? [] : ids.slice(start, end);
    hasMore = end !== -1 && start > 0;
  } else {
    const start = afterId === null ? 0 : ids.indexOf(afterId) + 1;
    page = afterId !== null && start === 0 ? [] : ids.slice(start, start + limit);
    hasMore = page.length > 0 && start + limit < ids.length;
  }
  return {
    data: page.map((id) => route.store.toJson(route.store.get(id), route.baseUrl)),
    has_more: hasMore,
    first_id: page[0] ?? null,
    last_id: page.at(-1) ?? null,
  };
}

/** POST /v1/messages/batches/:id/cancel. Cancelling an ended batch is a 400 (a choice: unverified). */
export function cancelBatch(route: RouteContext, id: string): unknown {
  const batch = route.store.get(id);
  if (!route.store.cancel(batch)) {
    throw invalidRequest(`message_batch ${id} has already ended and cannot be canceled`);
  }
  route.store.advance();
  return route.store.toJson(batch, route.baseUrl);
}

/** DELETE /v1/messages/batches/:id: only once ended (else 400, a choice: unverified); then 404. */
export function deleteBatch(route: RouteContext, id: string): unknown {
  const batch = route.store.get(id);
  if (batch.endedAt === null) {
    throw invalidRequest(
      `message_batch ${id} is still processing; cancel it and wait until it has ended`,
    );
  }
  route.store.delete(batch);
  return { id, type: "message_batch_deleted" };
}

/**
 * The JSONL lines of GET …/results, read from the batch's results file. Not ended → 400;
 * archived (29 days) → 404 (a choice: unverified), both thrown at once, before any read.
 */
export function batchResults(route: RouteContext, id: string): Promise<ResultLines> {
  const batch = route.store.get(id);
  if (batch.endedAt === null) {
    throw invalidRequest(
      `message_batch ${id} has not ended yet; results are available once it has`,
    );
  }
  if (route.store.isArchived(batch)) {
    throw notFound(
      `results of message_batch ${id} are no longer available (archived 29 days after creation)`,
    );
  }
  return route.store.results(batch);
}

/** POST /v1/messages: a synchronous answer (service_tier "standard"). */
export function createMessage(route: RouteContext, body: unknown, version: string): unknown {
  const request = parseSimRequest(body, version, "sync", route.now());
  const usage = route.cache.account(request, {
    now: route.now(),
    batchId: null,
    sameBatchVisible: true,
  });
  return buildMessage(
    request,
    planReply(request, route.rules, route.defaultReply),
    usage,
    "standard",
  );
}

/**
 * POST /v1/messages/count_tokens: the prompt's total input tokens (caching ignored). `now` is
 * the simulator's clock, which decides retired models.
 */
export function countTokens(body: unknown, version: string, now: number = Date.now()): unknown {
  const request = parseSimRequest(body, version, "count", now);
  return { input_tokens: request.blocks.reduce((sum, b) => sum + b.tokens, 0) };
}
