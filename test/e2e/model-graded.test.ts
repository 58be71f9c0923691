/**
 * Model-graded assertions end to end through the built CLI, against a separate `batcheval sim`
 * process (as the real API is): llm-rubric, model-graded-closedqa and factuality are graded in
 * a second batch on the grader model, one grader verdict does not parse and is reported as an
 * error with its text, and a kill -9 while the grader batch runs resumes without sending any
 * request twice.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { readFile, readlink } from "node:fs/promises";
import { join, resolve } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/report/types.js";
import { TempProject } from "../support/temp-project.js";

const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/batcheval.js");
const KEY = "sk-ant-graded-test";
const GRADER = "claude-sonnet-4-6";

let sim: ChildProcess;
let url: string;

beforeAll(async () => {
  sim = spawn(
    process.execPath,
    [BIN, "sim", "--port", "0", "--quiet", "--batch-duration", "300"].concat([
      "--fixtures",
      "test/fixtures/graded/*.yaml",
    ]),
    { cwd: ROOT },
  );
  url = await new Promise<string>((resolveUrl, reject) => {
    sim.stdout?.setEncoding("utf8");
    sim.stdout?.once("data", (chunk: string) => resolveUrl(chunk.split("\n")[0] ?? ""));
    sim.once("exit", (code) => reject(new Error(`sim exited ${code}`)));
  });
});

afterAll(() => {
  sim.kill("SIGTERM");
});

const SUITE = `name: capitals
models: [claude-haiku-4-5]
params: { max_tokens: 20 }
prompt: "Capital of {{country}}?"
pass_threshold: 0.5
defaults:
  assert:
    - { type: llm-rubric, value: "Names the capital of {{country}}" }
    - { type: model-graded-closedqa, value: "Answers with the name of a city" }
    - { type: factuality, value: "The capital of {{country}} is {{city}}." }
cases:
  - { id: france, vars: { country: France, city: Paris } }
  - { id: spain, vars: { country: Spain, city: Madrid } }
  - { id: peru, vars: { country: Peru, city: Lima } }
  - { id: chile, vars: { country: Chile, city: Santiago } }
`;

interface Exit {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

function run(project: TempProject, failpoint?: string): Promise<Exit> {
  const env = {
    PATH: process.env.PATH ?? "",
    ANTHROPIC_API_KEY: KEY,
    ANTHROPIC_BASE_URL: url,
    ...(failpoint ? { BATCHEVAL_FAILPOINT: failpoint } : {}),
  };
  const args = [BIN, "run", "--backend", "anthropic", "--poll-interval", "20", "--no-cache"];
  return new Promise((done) => {
    execFile(process.execPath, args, { cwd: project.dir, env }, (error, stdout, stderr) => {
      const e = error as (Error & { code?: number; signal?: string }) | null;
      done({ code: e ? (e.code ?? null) : 0, signal: e?.signal ?? null, stdout, stderr });
    });
  });
}

/** Each request the simulator answered, as `model custom_id`, with how often. */
async function received(): Promise<Map<string, number>> {
  const client = new Anthropic({ apiKey: KEY, baseURL: url });
  const counts = new Map<string, number>();
  for await (const batch of client.messages.batches.list({ limit: 100 })) {
    for await (const line of await client.messages.batches.results(batch.id)) {
      const model = line.result.type === "succeeded" ? line.result.message.model : "?";
      const key = `${model} ${line.custom_id}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

describe("model-graded assertions", () => {
  it("are graded in a grader batch, resume after kill -9 without resending, and report apart", async () => {
    const project = await TempProject.create("batcheval-graded-");
    try {
      await project.write("evals/capitals.yaml", SUITE);
      const killed = await run(project, "grader:submitted");
      expect(killed.signal).toBe("SIGKILL");
      const resumed = await run(project);
      expect(resumed.stderr).toContain("Resuming run");
      expect(resumed.code).toBe(0);
      const runId = await readlink(join(project.dir, "reports", "latest"));
      const report = JSON.parse(
        await readFile(join(project.dir, "reports", runId, "report.json"), "utf8"),
      ) as Report;

      const byCase = Object.fromEntries(report.results.map((r) => [r.caseId, r]));
      expect(Object.fromEntries(report.results.map((r) => [r.caseId, r.outcome]))).toEqual({
        france: "pass",
        spain: "pass",
        peru: "fail",
        chile: "error",
      });
      expect(byCase.peru?.assertions.map((a) => [a.type, a.pass])).toEqual([
        ["llm-rubric", false],
        ["model-graded-closedqa", false],
        ["factuality", false],
      ]);
      expect(byCase.peru?.assertions[2]?.reason).toBe(
        `${GRADER}: (D) the output and the reference disagree: The reference says Lima.`,
      );
      // The verdict that does not parse is an error carrying the grader's raw answer.
      expect(byCase.chile?.error?.type).toBe("grader_error");
      expect(byCase.chile?.error?.message).toContain('{"verdict":"yes"}');
      expect(byCase.chile?.assertions.map((a) => a.error === undefined)).toEqual([
        true,
        false,
        true,
      ]);

      // The grader's batch, questions and cost are reported apart from the model under test.
      const [model] = report.models;
      expect(model?.counts).toMatchObject({ passed: 2, failed: 1, errored: 1 });
      expect(model?.batches.map((b) => b.kind)).toEqual(["main"]);
      expect(model?.cost.grader).toBeGreaterThan(0);
      expect(report.graders).toHaveLength(1);
      const grader = report.graders?.[0];
      expect(grader).toMatchObject({ model: GRADER, questions: 12 });
      expect(grader?.batches).toHaveLength(1);
      expect(grader?.batches[0]?.requests).toBe(12);
      expect(grader?.cost.batchCached).toBeCloseTo(model?.cost.grader ?? -1, 12);
      expect(report.cost.grader).toBeCloseTo(grader?.cost.batchCached ?? -1, 12);
      expect(resumed.stdout).toContain(
        `Graders (billed apart from the models under test): ${GRADER} answered 12 questions`,
      );

      // Every request, eval and grader, reached the simulator (this file's own) once: the
      // grader batch submitted before the kill was picked up, not sent again.
      const counts = await received();
      const evalIds = report.results.map((r) => `claude-haiku-4-5 ${r.customId}`);
      expect(evalIds.map((id) => counts.get(id))).toEqual([1, 1, 1, 1]);
      const graderKeys = [...counts].filter(([key]) => key.startsWith(`${GRADER} `));
      expect(graderKeys).toHaveLength(12);
      expect(graderKeys.every(([key, n]) => key.includes("-g_") && n === 1)).toBe(true);
      expect(counts.size).toBe(16);
    } finally {
      await project.remove();
    }
  });
});
