/**
 * The run as a library: runEval from the package root with no CLI, grading as a stage whose
 * questions go out as grader batches (and resume after a crash like any batch), and the
 * settings a run records when it starts, used when it is resumed.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as batcheval from "../../src/index.js";
import { loadFixtures } from "../../src/sim/fixtures.js";
import { judged } from "../support/ask-grader.js";
import { CAPITALS, capitalsFixtures, capitalsSuite } from "../support/capitals.js";
import { POLICY_DOC, policySuite } from "../support/policy.js";
import { receivedCounts } from "../support/sim-received.js";
import { TempProject } from "../support/temp-project.js";

const KEY = "sk-ant-test-library";
let project: TempProject;
let sim: batcheval.Simulator | undefined;

beforeEach(async () => {
  project = await TempProject.create("batcheval-library-");
});

afterEach(async () => {
  await sim?.close();
  sim = undefined;
  await project.remove();
});

/** A simulator apart from the run (as the real API is), with the project's fixtures. */
async function startSim(faults?: string): Promise<Anthropic> {
  sim = await batcheval.startSimulator({
    rules: await loadFixtures("fixtures/**/*.yaml", project.dir),
    ...(faults ? { faults: batcheval.parseFaults(faults) } : {}),
    batchDurationMs: 10,
  });
  return new Anthropic({ apiKey: KEY, baseURL: sim.url, maxRetries: 0 });
}

function io(extra: Partial<batcheval.RunIo> = {}): Partial<batcheval.RunIo> {
  const env = { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: sim?.url ?? "" };
  return { cwd: project.dir, env, ...extra };
}

/** What runEval threw. */
async function failure(run: Promise<unknown>): Promise<batcheval.BatchevalError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(batcheval.BatchevalError);
  return error as batcheval.BatchevalError;
}

/** A stage hook that throws once, the first time `purpose` reaches `stage`: a crash there. */
function crashAt(stage: batcheval.RunStage, purpose: batcheval.Purpose) {
  let crashed = false;
  return (at: batcheval.RunStage, of: batcheval.Purpose) => {
    if (crashed || at !== stage || of !== purpose) return;
    crashed = true;
    throw new batcheval.BatchevalError("run_failed", `crash at ${purpose}:${stage}`);
  };
}

describe("runEval", () => {
  it("runs a suite on the embedded simulator and returns its report, with no CLI", async () => {
    await project.write("evals/capitals.yaml", capitalsSuite());
    await project.write(
      "fixtures/sim/capitals.yaml",
      capitalsFixtures(['{ match: "Capital of Peru", reply: "Bogota." }']),
    );
    const lines: string[] = [];
    const result = await batcheval.runEval(
      { backend: "sim" },
      { cwd: project.dir, env: {}, log: (text) => lines.push(text) },
    );
    expect(result.exitCode).toBe(0);
    const report = result.report;
    if (report === undefined) throw new Error("no report");
    expect(report.backend).toBe("sim");
    expect(report.results).toHaveLength(CAPITALS.length);
    const failed = report.results.filter((r) => r.outcome === "fail").map((r) => r.caseId);
    expect(failed).toEqual(["peru"]);
    expect(report.models[0]?.passRate).toBe(7 / 8);
    expect(report.recommendation.model).toBe("claude-haiku-4-5");
    // What it returned is what it wrote.
    expect(result.written.map((p) => p.slice(result.runDir.length + 1))).toEqual([
      "report.json",
      "index.html",
    ]);
    expect(JSON.parse(await readFile(join(result.runDir, "report.json"), "utf8"))).toEqual(report);
    expect(lines.join("")).toContain("8 requests on claude-haiku-4-5");
  });

  it("throws bad input with located diagnostics, having written nothing", async () => {
    await project.write("evals/capitals.yaml", "name: capitals\ncases: [{ id: a, vars: {} }]\n");
    await project.write("fixtures/sim/capitals.yaml", capitalsFixtures());
    const error = await failure(batcheval.runEval({ backend: "sim" }, { cwd: project.dir }));
    expect(error.exitCode).toBe(2);
    expect(error.diagnostics.length).toBeGreaterThan(0);
    expect(error.diagnostics[0]?.file).toMatch(/capitals\.yaml$/);
    expect(error.hint).toContain("Nothing was submitted");
    expect(await project.runs()).toEqual([]);
  });

  it("compares with a baseline and returns the comparison; a regression exits 1", async () => {
    await project.write("evals/capitals.yaml", capitalsSuite());
    await project.write("fixtures/sim/capitals.yaml", capitalsFixtures());
    const quiet = { cwd: project.dir, env: {}, log: () => undefined };
    const first = await batcheval.runEval({ backend: "sim", cache: false }, quiet);
    expect(first.comparison).toBeUndefined();
    await project.write(
      "fixtures/sim/capitals.yaml",
      capitalsFixtures(['{ match: "Capital of Peru", reply: "Bogota." }']),
    );
    const options = { backend: "sim" as const, cache: false, baseline: first.runDir };
    const second = await batcheval.runEval(options, quiet);
    expect(second.gate?.pass).toBe(true);
    expect(second.exitCode).toBe(1);
    expect(second.comparison?.regressions).toBe(1);
    expect(second.comparison?.groups[0]?.passToFail.map((k) => k.caseId)).toEqual(["peru"]);
    const tolerated = await batcheval.runEval({ ...options, tolerance: 0.125 }, quiet);
    expect(tolerated.exitCode).toBe(0);
    expect(tolerated.comparison?.regressions).toBe(0);
  });

  it("refuses --tolerance without --baseline, before anything is sent", async () => {
    await project.write("evals/capitals.yaml", capitalsSuite());
    await project.write("fixtures/sim/capitals.yaml", capitalsFixtures());
    const run = batcheval.runEval({ backend: "sim", tolerance: 0.1 }, { cwd: project.dir });
    const error = await failure(run);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain("--tolerance applies to a comparison with --baseline");
    expect(await project.runs()).toEqual([]);
  });

  it("checks a library caller's options as the flags are checked", async () => {
    const error = await failure(batcheval.runEval({ maxAttempts: 0 }, { cwd: project.dir }));
    expect(error.message).toBe("--max-attempts must be a whole number >= 1, got 0");
  });
});

describe("grading as a stage with grader batches", () => {
  beforeEach(async () => {
    const suite = capitalsSuite().replace(
      /assert: \[\{ type: contains, value: (\w+) \}\]/g,
      "assert: [{ type: judged }]",
    );
    await project.write("evals/capitals.yaml", suite);
    // The judge fails the wrong answer for Peru and passes everything else.
    await project.write(
      "fixtures/sim/capitals.yaml",
      capitalsFixtures([
        '{ match: "Capital of Peru", reply: "Bogota." }',
        '{ match: "Judge: Bogota", reply: "FAIL" }',
        '{ match: "Judge:", reply: "PASS" }',
      ]),
    );
  });

  it("resumes a run killed mid-grading: no request is sent twice, eval or grader", async () => {
    const client = await startSim();
    const options = { backend: "anthropic" as const, pollInterval: 5, graders: { judged } };
    const crashed = await failure(
      batcheval.runEval(options, io({ onStage: crashAt("submitted", "grader") })),
    );
    expect(crashed.hint).toMatch(/Continue with: batcheval run --run-id \S+ --backend anthropic/);
    const [runId] = await project.runs();
    const state = await project.state(runId ?? "");
    expect(state.status).toBe("grading");
    const graderBatches = state.batches.filter((b) => b.purpose === "grader");
    expect(graderBatches).toHaveLength(1);
    expect(graderBatches[0]).toMatchObject({ model: "claude-haiku-4-5", collected: false });
    const manifest = JSON.parse(
      await readFile(join(project.dir, "reports", runId ?? "", "batches", "b002.json"), "utf8"),
    );
    expect(manifest).toMatchObject({ model: "claude-haiku-4-5", purpose: "grader" });
    expect(manifest.customIds).toHaveLength(CAPITALS.length);

    const result = await batcheval.runEval(options, io());
    expect(result.runDir).toBe(join(project.dir, "reports", runId ?? ""));
    const report = result.report;
    if (report === undefined) throw new Error("no report");
    const outcomes = Object.fromEntries(report.results.map((r) => [r.caseId, r.outcome]));
    expect(outcomes).toMatchObject({ peru: "fail", france: "pass", japan: "pass" });
    expect(report.results.find((r) => r.caseId === "peru")?.assertions[0]?.reason).toBe(
      'the judge said "FAIL"',
    );
    // The grader model is the model under test: its two kinds of requests never mix.
    const counts = await receivedCounts(client);
    const evalIds = report.results.map((r) => r.customId);
    const graderIds = [...counts.keys()].filter((id) => !evalIds.includes(id));
    expect(evalIds.map((id) => counts.get(id))).toEqual(evalIds.map(() => 1));
    expect(graderIds).toHaveLength(CAPITALS.length);
    expect(graderIds.every((id) => /^[0-9a-f]{8}-g_[0-9a-f]{48}$/.test(id))).toBe(true);
    expect(graderIds.map((id) => counts.get(id))).toEqual(graderIds.map(() => 1));
    expect((await project.state(runId ?? "")).status).toBe("reported");
    // Grader cost is its own figure: priced from the grader batch's usage, not the eval's.
    const model = report.models[0];
    expect(model?.cost.grader).toBeGreaterThan(0);
    expect(model?.batches.map((b) => b.kind)).toEqual(["main"]);
    const files = await readdir(join(result.runDir, "results"));
    expect(files.sort()).toEqual([
      "claude-haiku-4-5--b001.jsonl",
      "grader--claude-haiku-4-5--b002.jsonl",
    ]);
  });

  it("answers the same questions from the result cache on the next run", async () => {
    const client = await startSim();
    const options = { backend: "anthropic" as const, pollInterval: 5, graders: { judged } };
    const first = await batcheval.runEval(options, io());
    expect(first.exitCode).toBe(0);
    expect(first.report?.graders?.[0]?.replayed).toBe(0);
    const again = await batcheval.runEval({ ...options, fresh: true }, io());
    expect(again.report?.results.map((r) => r.outcome)).toEqual(
      CAPITALS.map(([country]) => (country === "Peru" ? "fail" : "pass")),
    );
    const batches = [];
    for await (const batch of client.messages.batches.list({ limit: 100 })) batches.push(batch);
    expect(batches).toHaveLength(2);
    // The grader's answers came from the cache: their cost is shown, as not billed again.
    const [grader] = again.report?.graders ?? [];
    expect(grader?.questions).toBeGreaterThan(0);
    expect(grader?.replayed).toBe(grader?.cost.batchCached);
    expect(grader?.replayed).toBeGreaterThan(0);
  });
});

describe("settings recorded when a run starts", () => {
  const bare = { backend: "anthropic" as const, pollInterval: 5 };

  beforeEach(async () => {
    await project.write("evals/policy.yaml", policySuite(6, true));
    await project.write("evals/policy.md", POLICY_DOC);
    await project.write(
      "fixtures/sim/policy.yaml",
      'rules:\n  - { match: "how many days", reply: "60 days." }\n',
    );
  });

  /** Submissions per custom_id, from every manifest of the run. */
  async function submissions(runDir: string): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const file of await readdir(join(runDir, "batches"))) {
      const manifest = JSON.parse(await readFile(join(runDir, "batches", file), "utf8"));
      for (const id of manifest.customIds as string[]) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }

  /**
   * Starts a run with `flags` on an always-overloaded simulator and interrupts it (as Ctrl-C
   * does: the run's signal aborts) once its first batch is submitted.
   */
  async function startAndInterrupt(flags: batcheval.RunFlags): Promise<string> {
    await startSim("overloaded=1");
    const stop = new AbortController();
    const interrupt = io({
      signal: stop.signal,
      onStage: (stage) => (stage === "submitted" ? stop.abort() : undefined),
    });
    const error = await failure(batcheval.runEval({ ...bare, ...flags }, interrupt));
    expect(error.code).toBe("interrupted");
    const [runId] = await project.runs();
    return runId ?? "";
  }

  it("--max-attempts 5 --warmup never, interrupted, then the bare command uses them", async () => {
    const runId = await startAndInterrupt({ maxAttempts: 5, warmup: "never" });
    expect((await project.state(runId)).settings).toMatchObject({
      maxAttempts: 5,
      warmup: "never",
    });
    const result = await batcheval.runEval(bare, io());
    expect(result.runDir).toMatch(new RegExp(`${runId}$`));
    const counts = await submissions(result.runDir);
    expect(counts.size).toBe(6);
    expect([...counts.values()]).toEqual([5, 5, 5, 5, 5, 5]);
    expect(result.report?.models[0]?.batches.some((b) => b.kind === "warmup")).toBe(false);
    expect(result.report?.results.map((r) => r.error?.type)).toEqual(
      Array(6).fill("errored:overloaded_error"),
    );
    expect(result.exitCode).toBe(1);
    // The control: a new run with the bare command warms up (auto) and stops at 3 attempts.
    const fresh = await batcheval.runEval({ ...bare, fresh: true }, io());
    expect(fresh.report?.models[0]?.batches[0]?.kind).toBe("warmup");
    expect(Math.max(...(await submissions(fresh.runDir)).values())).toBe(3);
  });

  it("refuses a flag that differs from the recorded one, naming both, unless --override", async () => {
    const runId = await startAndInterrupt({ maxAttempts: 5, warmup: "never" });
    const clash = await failure(batcheval.runEval({ ...bare, maxAttempts: 2 }, io()));
    expect(clash.exitCode).toBe(2);
    expect(clash.message).toBe(
      "This run was started with other settings: --max-attempts 2 (the run started with --max-attempts 5).",
    );
    expect(clash.hint).toContain("--override");
    // The same value again is no clash.
    const same = await batcheval.runEval({ ...bare, maxAttempts: 2, override: true }, io());
    expect(Math.max(...(await submissions(same.runDir)).values())).toBe(2);
    expect((await project.state(runId)).settings).toMatchObject({
      maxAttempts: 2,
      warmup: "never",
    });
  });
});
