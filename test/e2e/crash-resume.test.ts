/**
 * Kill -9 the CLI at each stage of a run (BATCHEVAL_FAILPOINT), then run the same command
 * again: it must finish the run, and the simulator (a separate `batcheval sim` process, like
 * the real API) must have received every request exactly once.
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
const KEY = "sk-ant-crash-test";

let sim: ChildProcess;
let url: string;

beforeAll(async () => {
  // Slow enough batches that the polling stage is reached; fast enough for a quick test.
  sim = spawn(
    process.execPath,
    [
      BIN,
      "sim",
      "--port",
      "0",
      "--quiet",
      "--batch-duration",
      "300",
      "--fixtures",
      "test/fixtures/echo/*.yaml",
    ],
    {
      cwd: ROOT,
    },
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

interface Exit {
  code: number | null;
  signal: string | null;
  stderr: string;
}

function run(project: TempProject, failpoint?: string): Promise<Exit> {
  const env = {
    PATH: process.env.PATH ?? "",
    ANTHROPIC_API_KEY: KEY,
    ANTHROPIC_BASE_URL: url,
    ...(failpoint ? { BATCHEVAL_FAILPOINT: failpoint } : {}),
  };
  const args = [
    BIN,
    "run",
    "--backend",
    "anthropic",
    "--poll-interval",
    "20",
    "--cache-dir",
    "cache",
  ];
  return new Promise((done) => {
    execFile(process.execPath, args, { cwd: project.dir, env }, (error, _stdout, stderr) => {
      const e = error as (Error & { code?: number; signal?: string }) | null;
      done({ code: e ? (e.code ?? null) : 0, signal: e?.signal ?? null, stderr });
    });
  });
}

/** custom_id → how many times the simulator received it, over every batch it holds. */
async function received(batchIds: readonly string[]): Promise<Map<string, number>> {
  const client = new Anthropic({ apiKey: KEY, baseURL: url });
  const counts = new Map<string, number>();
  for (const id of batchIds) {
    for await (const line of await client.messages.batches.results(id)) {
      const key = `${line.result.type === "succeeded" ? line.result.message.model : "?"} ${line.custom_id}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** Ids of every batch the simulator holds. */
async function allBatches(): Promise<string[]> {
  const client = new Anthropic({ apiKey: KEY, baseURL: url });
  const ids: string[] = [];
  for await (const batch of client.messages.batches.list({ limit: 100 })) ids.push(batch.id);
  return ids;
}

describe("kill -9 and resume", () => {
  it.each(["created", "submitted", "polling", "downloading", "collected"])(
    "finishes a run killed at %s without submitting any request twice",
    async (stage) => {
      const project = await TempProject.create(`batcheval-crash-${stage}-`);
      try {
        await project.write(
          "evals/numbers.yaml",
          `name: numbers
models: [claude-haiku-4-5, claude-sonnet-4-6]
params: { max_tokens: 16 }
prompt: "Say {{n}}"
cases:
${Array.from({ length: 6 }, (_, i) => `  - { id: n${i}, vars: { n: ${i} }, assert: [{ type: contains, value: "${i}" }] }`).join("\n")}
`,
        );
        const before = new Set(await allBatches());
        const killed = await run(project, stage);
        expect(killed.signal).toBe("SIGKILL");
        const resumed = await run(project);
        expect(resumed.stderr).toContain("Resuming run");
        expect(resumed.code).toBe(0);
        const runId = await readlink(join(project.dir, "reports", "latest"));
        const report = JSON.parse(
          await readFile(join(project.dir, "reports", runId, "report.json"), "utf8"),
        ) as Report;
        expect(report.results).toHaveLength(12);
        expect(report.results.every((r) => r.outcome === "pass")).toBe(true);
        const counts = await received((await allBatches()).filter((id) => !before.has(id)));
        expect(counts.size).toBe(12);
        expect([...counts.values()].every((n) => n === 1)).toBe(true);
      } finally {
        await project.remove();
      }
    },
  );
});
