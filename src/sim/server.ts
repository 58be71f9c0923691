/**
 * The embedded Anthropic API simulator: a real `node:http` server on 127.0.0.1 speaking the
 * Message Batches API (plus `POST /v1/messages` and `count_tokens`), so that the official SDK
 * works against it unchanged with `new Anthropic({ apiKey: "test", baseURL: sim.url })`.
 * See src/sim/README.md for what it models and what it does not.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiError, invalidRequest, notFound } from "./api-errors.js";
import { BatchStore } from "./batch-store.js";
import { type SimClock, systemClock } from "./clock.js";
import { FaultInjector, type FaultSpec } from "./faults.js";
import type { FixtureRule } from "./fixtures.js";
import { readJsonBody, readSplitJsonBody, sendError, sendJson, sendJsonl } from "./http-io.js";
import { PromptCache } from "./prompt-cache.js";
import type { DefaultReply } from "./respond.js";
import * as routes from "./routes.js";
import { RuleIndex } from "./rule-index.js";
import { newId } from "./seeded.js";

/** Options of {@link startSimulator}. All optional. */
export interface SimulatorOptions {
  /** Port on 127.0.0.1; default 0 = a free port. */
  port?: number;
  /** Fixture rules, already loaded (first fit wins); indexed once, at start. */
  rules?: FixtureRule[];
  /** Time from create until a batch ends (default 20 ms). */
  batchDurationMs?: number;
  /** Called with one line per request, `METHOD path status`. */
  log?: (line: string) => void;
  /** The source of "now" (default: the wall clock). Pass a ManualClock to jump ahead. */
  clock?: SimClock;
  /** Share (0–1) of requests that miss a cache entry written by their own batch (default 0.3). */
  cacheMissShare?: number;
  /** Seed of every simulated coin flip (default 42). */
  seed?: number;
  /** Reply when no rule matches: `digest` (a labelled hash-derived text, default) or `echo`. */
  defaultReply?: DefaultReply;
  /** Injected faults (see parseFaults); none by default. */
  faults?: FaultSpec;
  /** Largest accepted batch-create body in bytes (default 256 MB, the API's limit). */
  maxBatchBytes?: number;
  /** Largest accepted Messages / count_tokens body in bytes (default 32 MB). */
  maxMessageBytes?: number;
  /** The only credential accepted (as `x-api-key` or a Bearer token); default: any non-empty one. */
  apiKey?: string;
}

/** A running simulator. */
export interface Simulator {
  /** Base URL, `http://127.0.0.1:PORT`: the SDK's `baseURL`. */
  url: string;
  port: number;
  /**
   * Stops listening, drops open connections and removes the results folder (calling it again
   * is harmless).
   */
  close(): Promise<void>;
  /** Replaces the injected faults from the next API call on (tests: a fault that clears). */
  setFaults(faults: FaultSpec): void;
}

export { ManualClock, type SimClock, systemClock } from "./clock.js";
export { type FaultSpec, parseFaults } from "./faults.js";
export type { DefaultReply } from "./respond.js";

const VERSIONS = new Set(["2023-06-01", "2026-10-21"]);
const MB = 1024 * 1024;

/** Starts a simulator; resolves once it listens. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const clock = options.clock ?? systemClock;
  const durationMs = options.batchDurationMs ?? 20;
  const route: routes.RouteContext = {
    store: new BatchStore({
      clock,
      durationMs,
      cancelGraceMs: Math.min(durationMs / 4, 1_000),
      process: (ctx) => routes.processBatchRequest(route, ctx),
    }),
    cache: new PromptCache(),
    rules: new RuleIndex(options.rules ?? []),
    defaultReply: options.defaultReply ?? "digest",
    cacheMissShare: options.cacheMissShare ?? 0.3,
    seed: options.seed ?? 42,
    faults: new FaultInjector(options.faults ?? {}, options.seed ?? 42),
    baseUrl: "",
    now: () => clock.now(),
  };
  const limits = {
    batch: options.maxBatchBytes ?? 256 * MB,
    message: options.maxMessageBytes ?? 32 * MB,
  };
  const server = createServer((req, res) => {
    const requestId = newId("req");
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (options.log) {
      const log = options.log;
      res.on("close", () => log(`${req.method ?? "GET"} ${path} ${res.statusCode}`));
    }
    handle(req, res, requestId, route, limits, options.apiKey).catch((error: unknown) => {
      const apiError =
        error instanceof ApiError
          ? error
          : new ApiError(500, "api_error", "Internal simulator error");
      if (!(error instanceof ApiError)) console.error("[batcheval sim]", error);
      if (!res.headersSent) sendError(res, apiError, requestId);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  }).catch((error: unknown) => {
    route.store.dispose();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  route.baseUrl = `http://127.0.0.1:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url: route.baseUrl,
    port,
    setFaults: (faults) => {
      route.faults = new FaultInjector(faults, options.seed ?? 42);
    },
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => {
          route.store.dispose(); // the results files go with the server
          if (error) reject(error);
          else resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function checkHeaders(req: IncomingMessage, accepted: string | undefined): string {
  const apiKey = req.headers["x-api-key"];
  const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
  const given = typeof apiKey === "string" && apiKey !== "" ? apiKey : bearer;
  if (given === undefined) {
    throw new ApiError(
      401,
      "authentication_error",
      "x-api-key or Authorization: Bearer header is required",
    );
  }
  if (accepted !== undefined && given !== accepted) {
    throw new ApiError(401, "authentication_error", "invalid x-api-key");
  }
  const version = req.headers["anthropic-version"];
  if (typeof version !== "string") throw invalidRequest("anthropic-version: header is required");
  if (!VERSIONS.has(version))
    throw invalidRequest(`anthropic-version: unsupported version '${version}'`);
  return version;
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  route: routes.RouteContext,
  limits: { batch: number; message: number },
  apiKey: string | undefined,
): Promise<void> {
  const url = new URL(req.url ?? "/", route.baseUrl);
  const method = req.method ?? "GET";
  const version = checkHeaders(req, apiKey);
  const fault = route.faults.httpFault();
  if (fault) {
    req.resume();
    throw fault;
  }
  route.store.advance();
  const parts = url.pathname.replace(/\/+$/, "").split("/").slice(1);
  const [v1, messages, batches, id, action] = parts;
  if (v1 !== "v1" || messages !== "messages" || parts.length > 5) throw unknownRoute(method, url);
  const ok = (body: unknown): void => sendJson(res, 200, body, requestId);
  if (batches === undefined) {
    if (method !== "POST") throw unknownRoute(method, url);
    return ok(routes.createMessage(route, await readJsonBody(req, limits.message), version));
  }
  if (batches === "count_tokens" && id === undefined && method === "POST") {
    return ok(routes.countTokens(await readJsonBody(req, limits.message), version, route.now()));
  }
  if (batches !== "batches") throw unknownRoute(method, url);
  if (id === undefined) {
    if (method === "GET") return ok(routes.listBatches(route, url.searchParams));
    if (method !== "POST") throw unknownRoute(method, url);
    return createBatch(req, res, route, limits.batch, version, ok);
  }
  const batchId = decodeURIComponent(id);
  if (action === undefined && method === "GET")
    return ok(route.store.toJson(route.store.get(batchId), route.baseUrl));
  if (action === undefined && method === "DELETE") return ok(routes.deleteBatch(route, batchId));
  if (action === "cancel" && method === "POST") return ok(routes.cancelBatch(route, batchId));
  if (action === "results" && method === "GET") {
    const reading = routes.batchResults(route, batchId);
    // Drawn before the file is read, so no other call's draw can come in between.
    const breaks = route.faults.breakResults();
    const rows = await reading;
    const cut = breaks ? Math.floor(rows.length / 2) : undefined;
    return await sendJsonl(res, rows, requestId, cut);
  }
  throw unknownRoute(method, url);
}

/**
 * POST /v1/messages/batches, with its create faults: an injected error before anything is
 * created, or a batch that is created and whose answer is then lost (a 500, or the socket
 * destroyed before any byte of a response), as when the API accepted a create whose response
 * never arrived.
 */
async function createBatch(
  req: IncomingMessage,
  res: ServerResponse,
  route: routes.RouteContext,
  maxBytes: number,
  version: string,
  ok: (body: unknown) => void,
): Promise<void> {
  // The requests are checked as they stream in; their verdict is given after the fault draw,
  // as a create fault comes before a validation error (a body that is not JSON, before both).
  const requests = new routes.CreateRequests();
  await readSplitJsonBody(req, maxBytes, "requests", requests);
  const fault = route.faults.createFault();
  if (fault instanceof ApiError) throw fault;
  const batch = route.store.create(requests.entries(), version);
  if (fault === "accept_then_reset") {
    res.destroy();
    return;
  }
  if (fault === "accept_then_500") {
    throw new ApiError(500, "api_error", "Internal server error (simulated, after the create)", {
      "retry-after": "0.02",
    });
  }
  ok(route.store.toJson(batch, route.baseUrl));
}

function unknownRoute(method: string, url: URL): ApiError {
  return notFound(`Not found: ${method} ${url.pathname}`);
}
