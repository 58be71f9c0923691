/**
 * Durable runs against a simulator started apart from the run (as the real API is): retries of
 * injected faults, the result cache, warm-up, the budget guard, secrets, Ctrl-C, detach,
 * status and cancel. The run goes through the `anthropic` backend with ANTHROPIC_BASE_URL.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCommand } from "../../src/cli/run-command.js";
import { cancelCommand, statusCommand } from "../../src/cli/status-command.js";
import { BatchevalError } from "../../src/errors.js";
import { loadFixtures } from "../../src/sim/fixtures.js";
import { parseFaults, type Simulator, startSimulator } from "../../src/sim/server.js";
import { capitalsFixtures, capitalsSuite } from "../support/capitals.js";
import { POLICY_DOC, policySuite } from "../support/policy.js";
import { receivedCounts } from "../support/sim-received.js";
import { TempProject } from "../support/temp-project.js";

const KEY = "sk-ant-test-SECRET-7f3a9c";
let project: TempProject;
let sim: Simulator | undefined;

const CAPITALS = capitalsSuite();
const FIXTURES = capitalsFixtures(['{ match: "how many days", reply: "60 days." }']);

async function startSim(options: { faults?: string; batchDurationMs?: number } = {}) {
  sim = await startSimulator({
    rules: await loadFixtures("fixtures/**/*.yaml", project.dir),
    ...(options.faults ? { faults: parseFaults(options.faults) } : {}),
    batchDurationMs: options.batchDurationMs ?? 20,
  });
  return new Anthropic({ apiKey: KEY, baseURL: sim.url, maxRetries: 0 });
}

function env(): Record<string, string> {
  return { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: sim?.url ?? "" };
}

const base = { paths: [], backend: "anthropic" as const, pollInterval: 10 };

async function batchCount(client: Anthropic): Promise<number> {
  let n = 0;
  for await (const _ of client.messages.batches.list({ limit: 100 })) n++;
  return n;
}

/** The custom_ids of each batch of a run, from its manifests, checked to be eval batches. */
async function manifests(runId: string): Promise<string[][]> {
  const dir = join(project.dir, "reports", runId, "batches");
  const files = (await readdir(dir)).sort();
  return Promise.all(
    files.map(async (f) => {
      const manifest = JSON.parse(await readFile(join(dir, f), "utf8"));
      expect(manifest.purpose).toBe("eval");
      return manifest.customIds as string[];
    }),
  );
}

beforeEach(async () => {
  project = await TempProject.create("batcheval-durable-");
  await project.write("evals/capitals.yaml", CAPITALS);
  await project.write("fixtures/sim/capitals.yaml", FIXTURES);
});

afterEach(async () => {
  await sim?.close();
  sim = undefined;
  await project.remove();
});

describe("retries", () => {
  it("resubmits overloaded, api_error and expired results until they succeed or run out of attempts", async () => {
    await startSim({
      faults:
        "overloaded=0.3,api_error=0.1,expired=0.1,http429=0.1,http500=0.1,http529=0.05,break_results=0.3,seed=5",
    });
    const t = project.io(env());
    const code = await runCommand({ ...base, maxAttempts: 6 }, t.io);
    expect(code).toBe(0);
    const report = await project.report();
    const runId = report.runId;
    const sent = (await manifests(runId)).flat();
    const attempts = (id: string) => sent.filter((x) => x === id).length;
    expect(report.results).toHaveLength(8);
    // With this seed one request uses all 6 attempts, so the error branch runs; if
    // the draws change and it stops running, this says so. The "sent exactly that many times"
    // table below pins exhaustion without relying on a seed.
    expect(report.results.some((r) => r.outcome === "error")).toBe(true);
    for (const result of report.results) {
      if (result.outcome === "error") {
        // Only retryable failures can be left, and only after every attempt.
        expect(["errored:overloaded_error", "errored:api_error", "expired"]).toContain(
          result.error?.type,
        );
        expect(attempts(result.customId)).toBe(6);
      } else {
        expect(attempts(result.customId)).toBeGreaterThanOrEqual(1);
      }
    }
    const batches = report.models[0]!.batches;
    expect(batches.some((b) => b.kind === "retry" && b.attempt >= 2)).toBe(true);
    expect(report.models[0]!.counts.passed).toBe(8 - report.models[0]!.counts.errored);
    expect(report.models[0]!.counts.passed).toBeGreaterThanOrEqual(6);
  });

  it.each([
    ["overloaded=1", "--max-attempts 1", 1, "errored:overloaded_error", "Overloaded (simulated)"],
    ["overloaded=1", "--max-attempts 2", 2, "errored:overloaded_error", "Overloaded (simulated)"],
    ["overloaded=1", "--max-attempts 3", 3, "errored:overloaded_error", "Overloaded (simulated)"],
    [
      "expired=1",
      "--max-attempts 2",
      2,
      "expired",
      "the batch expired (24 h) before this request ran",
    ],
    [
      "api_error=1",
      "no --max-attempts (default 3)",
      undefined,
      "errored:api_error",
      "Internal server error (simulated)",
    ],
  ] as const)(
    "%s, %s: each request is sent exactly that many times, then reported as its retryable error",
    async (faults, _label, maxAttempts, type, message) => {
      const client = await startSim({ faults });
      const t = project.io(env());
      const flags = maxAttempts === undefined ? base : { ...base, maxAttempts };
      // Nothing was graded, so no model meets its threshold: exit 1, as documented.
      expect(await runCommand(flags, t.io)).toBe(1);
      const attempts = maxAttempts ?? 3;
      const report = await project.report();
      // What the simulator received, and what the run wrote down it sent.
      const received = await receivedCounts(client);
      expect(received.size).toBe(8);
      expect([...received.values()]).toEqual(Array(8).fill(attempts));
      const sent = (await manifests(report.runId)).flat();
      expect(sent).toHaveLength(8 * attempts);
      expect(new Set(sent)).toEqual(new Set(received.keys()));
      const model = report.models[0]!;
      expect(model.batches.map((b) => [b.kind, b.attempt, b.requests])).toEqual(
        Array.from({ length: attempts }, (_, i) => [i === 0 ? "main" : "retry", i + 1, 8]),
      );
      expect(report.results).toHaveLength(8);
      for (const result of report.results) {
        expect(result.outcome).toBe("error");
        expect(result.error).toEqual({ type, message });
        expect(result.cost.batchCached).toBe(0);
      }
      expect(model.counts).toEqual({ total: 8, passed: 0, failed: 0, errored: 8 });
      expect(model.passRate).toBe(0);
      expect(model.passes).toBe(false);
      expect(report.recommendation.model).toBeNull();
    },
  );

  it("does not retry invalid requests or canceled results, and says why", async () => {
    await project.write(
      "evals/capitals.yaml",
      CAPITALS.replace(
        "max_tokens: 20",
        "max_tokens: 2000, thinking: { type: enabled, budget_tokens: 500 }",
      ),
    );
    const client = await startSim();
    const t = project.io(env());
    expect(await runCommand(base, t.io)).toBe(1);
    const report = await project.report();
    expect(report.models[0]!.counts).toEqual({ total: 8, passed: 0, failed: 0, errored: 8 });
    expect(report.results[0]!.error?.type).toBe("errored:invalid_request_error");
    expect(report.results[0]!.error?.message).toContain("budget_tokens");
    expect(await batchCount(client)).toBe(1);
  });
});

describe("canceled and expired results", () => {
  it("are outcome error, counted as errors and not failures, and left out of the pass rate", async () => {
    const wrong = ["Peru", "Japan"];
    await project.write(
      "fixtures/sim/capitals.yaml",
      capitalsFixtures(wrong.map((c) => `{ match: "Capital of ${c}", reply: "Bogota." }`)),
    );
    const client = await startSim({ faults: "canceled=0.25,expired=0.25,seed=17" });
    const t = project.io(env());
    // One attempt, so the expired results are final too.
    const code = await runCommand({ ...base, maxAttempts: 1 }, t.io);
    const report = await project.report();
    // What the simulator answered for each request: the expected outcome follows from it alone.
    const answered = new Map<string, string>();
    for await (const batch of client.messages.batches.list({ limit: 100 })) {
      for await (const line of await client.messages.batches.results(batch.id)) {
        answered.set(line.custom_id, line.result.type);
      }
    }
    expect(answered.size).toBe(8);
    expect(report.results).toHaveLength(8);
    const expected = { pass: 0, fail: 0, expired: 0, canceled: 0 };
    for (const result of report.results) {
      const type = answered.get(result.customId);
      if (type === "expired" || type === "canceled") {
        expected[type]++;
        expect(result.outcome).toBe("error");
        expect(result.error?.type).toBe(type);
        expect(result.assertions).toEqual([]);
        expect(result.cost.batchCached).toBe(0);
      } else {
        expect(type).toBe("succeeded");
        const right = !wrong.some((c) => result.caseId === c.toLowerCase());
        expected[right ? "pass" : "fail"]++;
        expect(result.outcome).toBe(right ? "pass" : "fail");
      }
    }
    // The seed gives each kind at least once, so none of the checks above is vacuous.
    expect(Object.values(expected).every((n) => n > 0)).toBe(true);
    const model = report.models[0]!;
    expect(model.counts).toEqual({
      total: 8,
      passed: expected.pass,
      failed: expected.fail,
      errored: expected.expired + expected.canceled,
    });
    expect(model.suites[0]!.counts).toEqual(model.counts);
    // passed / (passed + failed): errors are counted apart (ModelSummary.passRate).
    const rate = expected.pass / (expected.pass + expected.fail);
    expect(model.passRate).toBe(rate);
    expect(model.suites[0]!.passRate).toBe(rate);
    // With this seed the errors decide the gate: counted as failures, the rate would fall
    // below the 0.5 threshold; left out, it meets it and the model is recommended.
    expect(expected.pass / 8).toBeLessThan(0.5);
    expect(rate).toBeGreaterThanOrEqual(0.5);
    expect(model.passes).toBe(true);
    expect(report.recommendation.model).toBe("claude-haiku-4-5");
    expect(code).toBe(0);
  });
});

describe("result cache", () => {
  it("answers a second identical run from the cache, submitting nothing", async () => {
    const client = await startSim();
    expect(await runCommand(base, project.io(env()).io)).toBe(0);
    const first = await project.report();
    expect(await batchCount(client)).toBe(1);
    expect(first.cost.replayed).toBe(0);

    const t = project.io(env());
    expect(await runCommand(base, t.io)).toBe(0);
    const second = await project.report();
    expect(second.runId).not.toBe(first.runId);
    expect(await batchCount(client)).toBe(1);
    expect(second.results).toHaveLength(8);
    expect(second.results.every((r) => r.source === "cache")).toBe(true);
    expect(second.cost.batchCached).toBe(first.cost.batchCached);
    expect(second.cost.replayed).toBe(second.cost.batchCached);
    expect(second.models[0]!.batches).toEqual([]);
    expect(t.out()).toContain("$0 billed by this run");
    expect(second.results.map((r) => r.outcome)).toEqual(first.results.map((r) => r.outcome));
  });

  it("submits again with --no-cache, writing nothing to the cache, and repeats are distinct samples", async () => {
    const client = await startSim();
    expect(await runCommand({ ...base, repeat: 2 }, project.io(env()).io)).toBe(0);
    expect((await receivedCounts(client)).size).toBe(16);
    const cacheDir = join(project.dir, ".batcheval", "cache");
    const before = await readdir(cacheDir);
    expect(before.length).toBeGreaterThan(0);
    expect(await runCommand({ ...base, repeat: 2, cache: false }, project.io(env()).io)).toBe(0);
    expect(await batchCount(client)).toBe(2);
    // --no-cache neither reads nor writes: the cache is as the first run left it.
    expect(await readdir(cacheDir)).toEqual(before);
    const fresh = (await project.report()).results;
    expect(fresh).toHaveLength(16);
    expect(fresh.every((r) => r.source === "batch")).toBe(true);
  });

  it("never replays simulator answers into a run on another origin", async () => {
    expect(await runCommand({ paths: [], backend: "sim" }, project.io().io)).toBe(0);
    const client = await startSim();
    expect(await runCommand(base, project.io(env()).io)).toBe(0);
    expect(await batchCount(client)).toBe(1);
  });
});

describe("warm-up", () => {
  it.each([
    ["always", 1],
    ["never", undefined],
  ] as const)("--warmup %s", async (warmup, warmupRequests) => {
    await project.write("evals/capitals.yaml", policySuite(10));
    await project.write("evals/policy.md", POLICY_DOC);
    await startSim();
    expect(await runCommand({ ...base, warmup }, project.io(env()).io)).toBe(0);
    const model = (await project.report()).models[0]!;
    const first = model.batches[0]!;
    expect(first.kind === "warmup" ? first.requests : undefined).toBe(warmupRequests);
    if (warmup === "always") expect(model.cacheHitRate).toBeCloseTo(9 / 10, 10);
    else expect(model.cacheHitRate).toBeLessThan(9 / 10);
  });
});

describe("budget guard", () => {
  it("refuses to start above --max-cost, with the estimate, submitting nothing", async () => {
    const client = await startSim();
    const error = await runCommand({ ...base, maxCost: 0.000001 }, project.io(env()).io).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BatchevalError);
    expect((error as BatchevalError).exitCode).toBe(2);
    expect((error as BatchevalError).message).toMatch(/could cost up to \$[\d.e-]+ in batch/);
    expect(await batchCount(client)).toBe(0);
    expect(await project.runs()).toEqual([]);
    expect(await runCommand({ ...base, maxCost: 5 }, project.io(env()).io)).toBe(0);
  });
});

describe("secrets", () => {
  it("never writes the API key to any file of the run or the cache", async () => {
    await startSim({ faults: "overloaded=0.3,seed=3" });
    expect(await runCommand(base, project.io(env()).io)).toBe(0);
    const files = await readdir(project.dir, { recursive: true, withFileTypes: true });
    const written = files.filter((f) => f.isFile() && !f.parentPath.includes("evals"));
    expect(written.length).toBeGreaterThan(5);
    for (const file of written) {
      const text = await readFile(join(file.parentPath, file.name), "utf8");
      expect(text, join(file.parentPath, file.name)).not.toContain(KEY);
      expect(text).not.toContain("SECRET");
    }
  });
});

describe("interruption, detach, status and cancel", () => {
  it("Ctrl-C leaves the batches running, and the next run finishes without resubmitting", async () => {
    const client = await startSim({ batchDurationMs: 400 });
    let interrupt: (() => void) | undefined;
    const interrupted = new Promise<void>((resolve) => {
      interrupt = resolve;
    });
    const t = project.io(env(), interrupted);
    const running = runCommand(base, t.io);
    setTimeout(() => interrupt?.(), 100);
    const error = (await running.catch((e: unknown) => e)) as BatchevalError;
    expect(error.code).toBe("interrupted");
    expect(error.exitCode).toBe(3);
    expect(error.hint).toContain("batcheval run --run-id");
    expect(await runCommand(base, project.io(env()).io)).toBe(0);
    expect(await project.runs()).toHaveLength(1);
    const received = await receivedCounts(client);
    expect(received.size).toBe(8);
    expect([...received.values()].every((n) => n === 1)).toBe(true);
  });

  it("--detach submits and exits; status shows the batches; run collects", async () => {
    await startSim({ batchDurationMs: 1_500 });
    const t = project.io(env());
    expect(await runCommand({ ...base, detach: true }, t.io)).toBe(0);
    expect(t.out()).toMatch(/batcheval status .*reports\/\d{8}-\d{6}-\w{4}/);
    const [runId] = await project.runs();
    const status = project.io(env());
    expect(await statusCommand({ runDir: `reports/${runId}` }, status.io)).toBe(0);
    expect(status.out()).toMatch(
      /b001 {2}claude-haiku-4-5 {2}main#1 {2}msgbatch_\w+ {2}in_progress/,
    );
    expect(await runCommand(base, project.io(env()).io)).toBe(0);
    expect((await project.report()).runId).toBe(runId);
  });

  it("refuses --detach on the embedded simulator", async () => {
    await expect(
      runCommand({ paths: [], backend: "sim", detach: true }, project.io().io),
    ).rejects.toThrow("--detach needs batches that outlive this process");
  });

  it("cancel stops in-flight batches; their requests are reported as canceled", async () => {
    await startSim({ batchDurationMs: 5_000 });
    expect(await runCommand({ ...base, detach: true }, project.io(env()).io)).toBe(0);
    const [runId] = await project.runs();
    const t = project.io(env());
    expect(await cancelCommand({ runDir: `reports/${runId}` }, t.io)).toBe(0);
    expect(t.out()).toContain("canceling");
    const code = await runCommand(base, project.io(env()).io);
    const report = await project.report();
    expect(report.results).toHaveLength(8);
    const canceled = report.results.filter((r) => r.error?.type === "canceled");
    // Requests already running when the cancel arrived may still finish.
    expect(canceled.length).toBeGreaterThanOrEqual(6);
    expect(report.results.every((r) => r.outcome === "pass" || r.error?.type === "canceled")).toBe(
      true,
    );
    expect(canceled.every((r) => r.outcome === "error")).toBe(true);
    const passed = 8 - canceled.length;
    const model = report.models[0]!;
    expect(model.counts).toEqual({ total: 8, passed, failed: 0, errored: canceled.length });
    // Canceled results are out of the pass rate: any finished answer makes it 100%; none, 0.
    expect(model.passRate).toBe(passed > 0 ? 1 : 0);
    expect(code).toBe(passed > 0 ? 0 : 1);
    expect(report.models[0]!.batches).toHaveLength(1);
  });
});
