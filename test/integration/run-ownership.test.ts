/**
 * A run's batches are its own, and a create is never paid twice: lost create responses
 * (accept_then_500 / accept_then_reset), spend limits, other runs' batches of the same size in
 * the workspace, and which result error types are resubmitted. Runs go through the `anthropic`
 * backend against a simulator started apart from them (as the real API is), with the real SDK.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import type {
  MessageBatch,
  MessageBatchIndividualResponse,
} from "@anthropic-ai/sdk/resources/messages/batches";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCommand } from "../../src/cli/run-command.js";
import { BatchevalError } from "../../src/errors.js";
import { noSpendLimitRetries } from "../../src/runner/account-limits.js";
import { CREATE_ATTEMPTS } from "../../src/runner/submit-batch.js";
import { loadFixtures } from "../../src/sim/fixtures.js";
import { parseFaults, type Simulator, startSimulator } from "../../src/sim/server.js";
import { type ApiProxy, startProxy } from "../support/api-proxy.js";
import { capitalsFixtures, capitalsSuite, CAPITALS as PAIRS } from "../support/capitals.js";
import { TempProject } from "../support/temp-project.js";

const KEY = "sk-ant-test-ownership";
const HAIKU = "claude-haiku-4-5";
const SONNET = "claude-sonnet-4-6";
let project: TempProject;
let sim: Simulator | undefined;
let proxy: ApiProxy | undefined;
/** `METHOD path status` of every call the simulator answered. */
let calls: string[] = [];

const CAPITALS = capitalsSuite({ models: [HAIKU], threshold: 0.4 });

// Haiku gets the first four wrong, every other model none: haiku's own pass rate is 4/8.
const FIXTURES = capitalsFixtures(
  PAIRS.slice(0, 4).map(
    ([country]) => `{ model: "claude-haiku-*", match: "Capital of ${country}", reply: "Unsure." }`,
  ),
);

async function startSim(faults?: string): Promise<Anthropic> {
  sim = await startSimulator({
    rules: await loadFixtures("fixtures/**/*.yaml", project.dir),
    ...(faults ? { faults: parseFaults(faults) } : {}),
    batchDurationMs: 20,
    log: (line) => calls.push(line),
  });
  return new Anthropic({ apiKey: KEY, baseURL: sim.url, maxRetries: 0 });
}

function env(): Record<string, string> {
  return { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: proxy?.url ?? sim?.url ?? "" };
}

const base = { paths: [], backend: "anthropic" as const, pollInterval: 10 };
const creates = () => calls.filter((c) => c.startsWith("POST /v1/messages/batches ")).length;

async function allBatches(client: Anthropic): Promise<MessageBatch[]> {
  const found: MessageBatch[] = [];
  for await (const batch of client.messages.batches.list({ limit: 100 })) found.push(batch);
  return found;
}

/** Every result line the simulator holds: what the workspace was billed for. */
async function billedLines(client: Anthropic): Promise<number> {
  let n = 0;
  for (const batch of await allBatches(client)) {
    for await (const _ of await client.messages.batches.results(batch.id)) n++;
  }
  return n;
}

/** Each batch's results file of the run, in batch order. */
async function batchResults(runId: string): Promise<MessageBatchIndividualResponse[][]> {
  const dir = join(project.dir, "reports", runId, "results");
  const files = (await readdir(dir)).filter((f) => /--b\d+\.jsonl$/.test(f)).sort();
  return Promise.all(
    files.map(async (f) =>
      (await readFile(join(dir, f), "utf8"))
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as MessageBatchIndividualResponse),
    ),
  );
}

beforeEach(async () => {
  calls = [];
  project = await TempProject.create("batcheval-ownership-");
  await project.write("evals/capitals.yaml", CAPITALS);
  await project.write("fixtures/sim/capitals.yaml", FIXTURES);
});

afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await sim?.close();
  sim = undefined;
  await project.remove();
});

describe("a create whose answer is lost is never paid twice", () => {
  it.each(["accept_then_500", "accept_then_reset"])(
    "%s: the requests billed are the requests reported, and no batch is a duplicate",
    async (fault) => {
      const client = await startSim(`${fault}=1,overloaded=0.3,seed=5`);
      const t = project.io(env());
      // Six attempts: a request overloaded every time is left with odds 0.3^6 (none here).
      expect(await runCommand({ ...base, maxAttempts: 6 }, t.io)).toBe(0);
      const report = await project.report();
      const state = await project.state(report.runId);
      // Every create was answered with an error, and every batch was found and adopted.
      expect(state.batches.length).toBeGreaterThan(1);
      expect(state.batches.every((b) => b.adopted === true && b.disowned === undefined)).toBe(true);
      const onApi = await allBatches(client);
      const reported = report.models[0]!.batches;
      expect(onApi.map((b) => b.id).sort()).toEqual(reported.map((b) => b.id).sort());
      expect(creates()).toBe(onApi.length);
      const billed = await billedLines(client);
      expect(billed).toBe(reported.reduce((n, b) => n + b.requests, 0));
      expect(billed).toBe(state.batches.reduce((n, b) => n + b.requestCount, 0));
      expect(report.results).toHaveLength(8);
      expect(report.models[0]!.counts.passed).toBe(4);
    },
  );
});

describe("spend limits", () => {
  it("a spend-limit 429 on create stops the run at once with exit 3; it resumes once lifted", async () => {
    await startSim("spend_limit=1");
    const error = (await runCommand(base, project.io(env()).io).catch((e) => e)) as BatchevalError;
    expect(error).toBeInstanceOf(BatchevalError);
    expect(error.exitCode).toBe(3);
    expect(error.code).toBe("spend_limit");
    expect(error.message).toMatch(/monthly spend limit/);
    expect(error.hint).toMatch(/Raise the spend limit in the Claude Console/);
    expect(error.hint).toMatch(/Continue with: batcheval run --run-id /);
    expect(creates()).toBe(1);

    sim!.setFaults({});
    const t = project.io(env());
    expect(await runCommand(base, t.io)).toBe(0);
    expect(t.err()).toContain("Resuming run");
    expect(await project.runs()).toHaveLength(1);
    expect((await project.report()).models[0]!.counts.passed).toBe(4);
  });

  it.each([
    ["with", 1, [noSpendLimitRetries]],
    ["without", 3, []],
  ])(
    "%s the runner's middleware, the SDK (maxRetries 2) sends a spend-limited create %d times",
    async (_w, sends, middleware) => {
      await startSim("spend_limit=1");
      const client = new Anthropic({ apiKey: KEY, baseURL: sim!.url, maxRetries: 2 });
      const messages = [{ role: "user" as const, content: "hi" }];
      const body = {
        requests: [{ custom_id: "a", params: { model: HAIKU, max_tokens: 5, messages } }],
      };
      const error = await client.messages.batches.create(body, { middleware }).catch((e) => e);
      expect(error).toBeInstanceOf(Anthropic.EnforcedSpendLimitReachedError);
      expect(creates()).toBe(sends);
    },
  );
});

describe("another run's batches are never adopted", () => {
  async function expectLeftAlone(client: Anthropic, ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const batch = await client.messages.batches.retrieve(id);
      expect(batch.cancel_initiated_at).toBeNull();
      expect(batch.processing_status).toBe("ended");
      expect(batch.request_counts.canceled).toBe(0);
    }
  }

  it("a sonnet run, then a haiku run whose creates all get 529: haiku is graded on its own answers", async () => {
    const client = await startSim();
    expect(await runCommand({ ...base, models: [SONNET] }, project.io(env()).io)).toBe(0);
    expect((await project.report()).models[0]!.counts.passed).toBe(8);
    const [sonnet] = await allBatches(client);

    sim!.setFaults({ create529: 1 });
    const error = (await runCommand(base, project.io(env()).io).catch((e) => e)) as BatchevalError;
    expect(error.exitCode).toBe(3);
    expect(creates()).toBeGreaterThanOrEqual(1 + CREATE_ATTEMPTS);

    sim!.setFaults({});
    const t = project.io(env());
    expect(await runCommand(base, t.io)).toBe(0);
    expect(t.err()).toContain("Resuming run");
    const report = await project.report();
    expect(report.models.map((m) => m.model)).toEqual([HAIKU]);
    expect(report.models[0]!.counts).toMatchObject({ total: 8, passed: 4 });
    expect(report.models[0]!.batches.map((b) => b.id)).not.toContain(sonnet!.id);
    await expectLeftAlone(client, [sonnet!.id]);
  });

  it("batches another run creates while this run's create is in flight are checked and left alone", async () => {
    const client = await startSim();
    let seen = 0;
    const foreign: string[] = [];
    proxy = await startProxy(sim!.url, async (body) => {
      if (foreign.length === 0 && body.requests[0]?.params.model === SONNET) return undefined;
      seen++;
      if (seen > 2) return undefined;
      // The other run's batch, of the same size: first with this run's very custom_ids but
      // another model, then with its own custom_ids. This run's create then gets a 529.
      const requests = body.requests.map((r, i) => ({
        custom_id: seen === 1 ? r.custom_id : `other_run_${i}`,
        params: { ...r.params, model: seen === 1 ? SONNET : HAIKU },
      }));
      foreign.push((await client.messages.batches.create({ requests } as never)).id);
      const error = { type: "overloaded_error", message: "Overloaded (test)" };
      return { status: 529, body: { type: "error", error }, headers: { "retry-after": "0.01" } };
    });
    expect(await runCommand({ ...base, models: [SONNET] }, project.io(env()).io)).toBe(0);
    const [sonnet] = await allBatches(client);

    const t = project.io(env());
    expect(await runCommand(base, t.io)).toBe(0);
    const report = await project.report();
    expect(report.models[0]!.counts).toMatchObject({ total: 8, passed: 4 });
    expect(foreign).toHaveLength(2);
    const state = await project.state(report.runId);
    expect(state.batches.map((b) => b.disowned)).toEqual([
      expect.stringMatching(/answered by claude-sonnet-4-6, not claude-haiku-4-5/),
      expect.stringMatching(/holds other_run_\d, which this run did not send/),
      undefined,
    ]);
    expect(state.batches.map((b) => b.id)).toEqual([foreign[0], foreign[1], expect.any(String)]);
    expect(t.err().match(/is not this run's batch/g)).toHaveLength(2);
    const own = report.models[0]!.batches.map((b) => b.id);
    expect(own).toHaveLength(1);
    for (const id of [sonnet!.id, ...foreign]) expect(own).not.toContain(id);
    await expectLeftAlone(client, [sonnet!.id, ...foreign]);
    // The run's custom_ids carry its tag, so the sonnet run's never match this run's.
    const sent = report.results.map((r) => r.customId);
    expect(sent).toHaveLength(8);
    expect(sent.every((id) => id.startsWith(`${state.customIdTag}_`))).toBe(true);
  });
});

describe("result error types", () => {
  it("resubmits a retryable type (timeout_error), never a final one (permission_error)", async () => {
    await startSim("timeout_error=0.4,permission_error=0.3,seed=3");
    const code = await runCommand({ ...base, maxAttempts: 3 }, project.io(env()).io);
    const report = await project.report();
    // Errors are out of the pass rate: the run passes when a model is recommended (exit 0).
    expect(code).toBe(report.recommendation.model === null ? 1 : 0);
    const history = new Map<string, string[]>();
    for (const lines of await batchResults(report.runId)) {
      for (const line of lines) {
        const r = line.result;
        const outcome = r.type === "errored" ? r.error.error.type : r.type;
        history.set(line.custom_id, [...(history.get(line.custom_id) ?? []), outcome]);
      }
    }
    const sequences = [...history.values()];
    expect(sequences).toHaveLength(8);
    // Each kind happened at least once, so the checks below are not vacuous.
    expect(sequences.some((s) => s[0] === "timeout_error" && s.length > 1)).toBe(true);
    expect(sequences.some((s) => s.includes("permission_error"))).toBe(true);
    for (const s of sequences) {
      // Only a timeout is followed by another attempt; a permission_error ends the request.
      for (const outcome of s.slice(0, -1)) expect(outcome).toBe("timeout_error");
      if (s.at(-1) === "timeout_error") expect(s).toHaveLength(3);
    }
  });
});
