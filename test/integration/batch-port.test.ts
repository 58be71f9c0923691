/**
 * A run reaches the API only through its batch port: `runBatches` is driven through a wrapper
 * of `sdkBatches` (the real SDK client, against the simulator over loopback) that records every
 * call, and every HTTP request the simulator received must be one of those calls. The grep
 * side of the same rule is test/unit/runner-batch-port.test.ts.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { planBatches } from "../../src/compile/plan-batches.js";
import type { BatchPlan } from "../../src/compile/types.js";
import { type BatchBackend, collectedResults, runBatches, sdkBatches } from "../../src/index.js";
import type { RunOptions } from "../../src/runner/run-context.js";
import { type RunState, RunStore } from "../../src/runner/run-store.js";
import { parseFixtures } from "../../src/sim/fixtures.js";
import { parseFaults, type Simulator, startSimulator } from "../../src/sim/server.js";
import type { EvalCase } from "../../src/suite/types.js";
import { CAPITALS, capitalsFixtures } from "../support/capitals.js";

const MODEL = "claude-haiku-4-5";
const KEY = "sk-ant-test-port";

let dir: string;
let sim: Simulator | undefined;
/** The simulator's log: `METHOD path status`, one line per HTTP request. */
let httpLog: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "batcheval-port-"));
  httpLog = [];
});

afterEach(async () => {
  await sim?.close();
  sim = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function startSim(faults?: string): Promise<Anthropic> {
  sim = await startSimulator({
    rules: parseFixtures(capitalsFixtures(), "capitals.yaml"),
    batchDurationMs: 20,
    log: (line) => httpLog.push(line),
    ...(faults ? { faults: parseFaults(faults) } : {}),
  });
  return new Anthropic({ apiKey: KEY, baseURL: sim.url, maxRetries: 0 });
}

/** One case per country asking for its capital. */
function capitalsPlan(count: number): BatchPlan {
  const cases: EvalCase[] = CAPITALS.slice(0, count).map(([country]) => ({
    suite: "capitals",
    caseId: country.toLowerCase(),
    vars: { country },
    system: [],
    messages: [{ role: "user", content: `Capital of ${country}?` }],
    params: { max_tokens: 20 },
    assert: [],
    repeat: 1,
    source: { file: "capitals.yaml", line: 1, col: 1 },
  }));
  return planBatches([{ suite: "capitals", models: [MODEL], cases }]);
}

/** A port that records each call (`create`, `retrieve`…) before passing it on to `inner`. */
function recording(inner: BatchBackend, calls: string[]): BatchBackend {
  return {
    create: (requests, model) => {
      calls.push("create");
      return inner.create(requests, model);
    },
    retrieve: (id) => {
      calls.push("retrieve");
      return inner.retrieve(id);
    },
    list: (since) => {
      calls.push("list");
      return inner.list(since);
    },
    results: (id, onLine) => {
      calls.push("results");
      return inner.results(id, onLine);
    },
    cancel: (id) => {
      calls.push("cancel");
      return inner.cancel(id);
    },
    checkAccess: () => {
      calls.push("checkAccess");
      return inner.checkAccess();
    },
    countTokens: (params) => {
      calls.push("countTokens");
      return inner.countTokens(params);
    },
  };
}

/** The port operation an HTTP request of the simulator's log belongs to. */
function operationOf(line: string): string {
  const [method, path = ""] = line.split(" ");
  if (path === "/v1/messages/batches") return method === "POST" ? "create" : "list";
  if (path === "/v1/messages/count_tokens") return "countTokens";
  if (path.endsWith("/results")) return "results";
  if (path.endsWith("/cancel")) return "cancel";
  if (/^\/v1\/messages\/batches\/[^/]+$/.test(path)) return "retrieve";
  return `not a port call: ${line}`;
}

async function run(api: BatchBackend, plan: BatchPlan) {
  const runId = "port-test";
  const store = await RunStore.create(dir, runId);
  const state: RunState = {
    version: 1,
    runId,
    createdAt: new Date().toISOString(),
    status: "planned",
    backend: "anthropic",
    origin: sim?.url ?? "",
    planHash: "test",
    suites: ["capitals"],
    models: [MODEL],
    settings: { maxAttempts: 3, cache: false, warmup: "never" },
    batches: [],
  };
  await store.save(state);
  const options: RunOptions = {
    maxAttempts: 3,
    detach: false,
    warmupFor: () => [],
    pollIntervalMs: 10,
    maxPollIntervalMs: 20,
    batchesMayVanish: false,
  };
  const lanes = plan.models.map((m) => ({ ...m, purpose: "eval" as const }));
  const outcome = await runBatches(api, lanes, store, state, options);
  const results = await collectedResults(store, state, [{ model: MODEL, purpose: "eval" }]);
  return { outcome, state, results };
}

/**
 * The HTTP requests a list of port calls makes, in order, with no SDK retries: one each, except
 * `results`, which batch-api.ts sends as a retrieve (for the batch's `results_url`) and then the
 * download, as the SDK's own `messages.batches.results` does (SDK 1.14.0).
 */
function httpOf(calls: readonly string[]): string[] {
  return calls.flatMap((call) => (call === "results" ? ["retrieve", "results"] : [call]));
}

/**
 * Checks that the simulator received exactly the HTTP requests of `calls`, in order. It logs a
 * request when its response closes, which can be a moment after the client has read it.
 */
async function expectHttpOf(calls: readonly string[]): Promise<void> {
  await vi.waitFor(() => expect(httpLog.map(operationOf)).toEqual(httpOf(calls)), {
    timeout: 2_000,
  });
}

describe("the batch port", () => {
  it("carries every API request of a run", async () => {
    const client = await startSim();
    const calls: string[] = [];
    const { outcome, state, results } = await run(
      recording(sdkBatches(client), calls),
      capitalsPlan(3),
    );
    expect(outcome).toBe("complete");
    expect(results.byKey.size).toBe(3);
    expect(state.batches.map((b) => [b.kind, b.collected])).toEqual([["main", true]]);
    // One create, polls until the end, one download; nothing lost, so no reconciliation.
    expect(calls[0]).toBe("create");
    expect(calls.at(-1)).toBe("results");
    expect(calls.filter((c) => c === "create" || c === "results")).toEqual(["create", "results"]);
    expect(calls).not.toContain("list");
    // What the simulator received is exactly what went through the port, call for call.
    await expectHttpOf(calls);
  });

  it("reconciles a create whose answer was lost through the port's list", async () => {
    // Every create is accepted, then answered with a 500: the run must find the batch by
    // listing, adopt it, and never send the requests a second time.
    const client = await startSim("accept_then_500=1");
    const calls: string[] = [];
    const { outcome, state, results } = await run(
      recording(sdkBatches(client), calls),
      capitalsPlan(2),
    );
    expect(outcome).toBe("complete");
    expect(results.byKey.size).toBe(2);
    expect(state.batches.map((b) => [b.adopted, b.collected])).toEqual([[true, true]]);
    expect(calls.slice(0, 2)).toEqual(["create", "list"]);
    expect(calls.filter((c) => c === "create")).toHaveLength(1);
    await expectHttpOf(calls);
  });

  it("downloads the next line only once the last one's promise settles, and stops on false", async () => {
    const client = await startSim();
    const { state } = await run(sdkBatches(client), capitalsPlan(3));
    const id = state.batches[0]?.id ?? "";
    const api = sdkBatches(client);
    let busy = false;
    const seen: string[] = [];
    const slow = async (customId: string, more: boolean) => {
      expect(busy).toBe(false);
      busy = true;
      seen.push(customId);
      await new Promise((resolve) => setTimeout(resolve, 5));
      busy = false;
      return more;
    };
    expect(await api.results(id, (line) => slow(JSON.parse(line).custom_id, true))).toBe(3);
    expect(seen).toHaveLength(3);
    seen.length = 0;
    expect(await api.results(id, (line) => slow(JSON.parse(line).custom_id, seen.length < 1))).toBe(
      2,
    );
    expect(seen).toHaveLength(2);
  });

  it("keeps result lines as sent, rewrites one not led by its custom_id, downloads again after a line that is not JSON", async () => {
    const client = await startSim();
    const inner = sdkBatches(client);
    let downloads = 0;
    const port: BatchBackend = {
      ...inner,
      results: (id, onLine) => {
        downloads++;
        let lines = 0;
        return inner.results(id, (line) => {
          if (++lines > 1) return onLine(line);
          // The first download is cut inside its first line; the second sends that line with
          // its keys the other way round.
          if (downloads === 1) return onLine(line.slice(0, 40));
          const { custom_id, result } = JSON.parse(line);
          return onLine(JSON.stringify({ result, custom_id }));
        });
      },
    };
    const { outcome, state, results } = await run(port, capitalsPlan(3));
    expect(outcome).toBe("complete");
    expect(downloads).toBe(2);
    expect(results.byKey.size).toBe(3);
    const { store } = await RunStore.open(join(dir, "port-test"));
    const lines = (await readFile(store.resultsPath(state.batches[0]!), "utf8")).trim().split("\n");
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line.startsWith('{"custom_id":"')).toBe(true);
    const sent = [...results.byKey.values()];
    expect(lines.map((l) => JSON.parse(l).custom_id).sort()).toEqual(
      sent.map((r) => r.custom_id).sort(),
    );
  });
});
