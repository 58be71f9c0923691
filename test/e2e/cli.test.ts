/**
 * End to end: the built CLI as a process (`npm test` builds first), in the repo and in temp
 * directories, reading the files it writes.
 */
import { execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/report/types.js";
import { capitalsFixtures, capitalsSuite } from "../support/capitals.js";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/batcheval.js");

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const env = { PATH: process.env.PATH ?? "", CI: "true", ...options.env };
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env,
    });
    return { code: 0, stdout, stderr } satisfies Outcome;
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr } satisfies Outcome;
  }
}

let temp: string;
beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), "batcheval-e2e-"));
});
afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

describe("batcheval run", () => {
  it("runs the example suites on the simulator and writes the report", async () => {
    const out = join(temp, "reports");
    const result = await cli([
      "run",
      "--backend",
      "sim",
      "--out",
      out,
      "--cache-dir",
      join(temp, "cache"),
    ]);
    expect(result.stderr).toContain("embedded simulator");
    expect(result.stdout).toMatch(/✔ Recommended: claude-sonnet-4-6/);
    expect(result.code).toBe(0);
    const runId = await readlink(join(out, "latest"));
    const report = JSON.parse(await readFile(join(out, runId, "report.json"), "utf8")) as Report;
    expect(report.backend).toBe("sim");
    expect(report.runId).toBe(runId);
    expect(report.sdkVersion).toBe("1.14.0");
    expect(report.models.length).toBeGreaterThanOrEqual(3);
    for (const model of report.models) {
      expect(model.passRate).toBeGreaterThan(0);
      expect(model.cost.batchCached).toBeGreaterThan(0);
      expect(model.batches.length).toBeGreaterThan(0);
      expect(model.batches.every((b) => b.id.startsWith("msgbatch_"))).toBe(true);
    }
    expect(report.recommendation.model).toBe("claude-sonnet-4-6");
    const html = await readFile(join(out, runId, "index.html"), "utf8");
    expect(html).toContain("claude-sonnet-4-6");
    const files = await readdir(join(out, runId, "results"));
    const haiku = files.filter((f) => f.startsWith("claude-haiku-4-5--b"));
    expect(haiku.length).toBeGreaterThan(0);
    let lines = 0;
    for (const file of haiku) {
      lines += (await readFile(join(out, runId, "results", file), "utf8"))
        .trim()
        .split("\n").length;
    }
    expect(lines).toBeGreaterThan(0);
    expect(lines).toBe(report.results.filter((r) => r.model === "claude-haiku-4-5").length);
  });

  it("refuses the simulator in CI without --backend sim, submitting nothing", async () => {
    const out = join(temp, "refused");
    const result = await cli(["run", "--out", out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("No ANTHROPIC_API_KEY in CI");
    expect(result.stderr).toContain("--backend sim");
  });

  it("exits 2 with located errors for a malformed suite and submits nothing", async () => {
    const dir = await mkdtemp(join(temp, "bad-"));
    await writeFile(
      join(dir, "broken.yaml"),
      'name: broken\nprompt: "Hello {{who}}"\ncases:\n  - id: a\n    vars: {whom: x}\npass_threshold: 2\n',
    );
    const result = await cli(["run", "--backend", "sim", "broken.yaml", "--out", "out"], {
      cwd: dir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/broken\.yaml:6:17: error: .*pass_threshold/);
    expect(result.stderr).toContain("Nothing was submitted");
    await expect(readFile(join(dir, "out", "latest"))).rejects.toThrow();
  });

  it("names the fix for an unknown model", async () => {
    const result = await cli([
      "run",
      "--backend",
      "sim",
      "--models",
      "claude-imaginary-9",
      "--out",
      join(temp, "u"),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No price for model "claude-imaginary-9"');
    expect(result.stderr).toContain("pricing:");
  });
});

describe("batcheval validate and --help", () => {
  it("validates the example suites", async () => {
    const result = await cli(["validate"]);
    expect(result.stdout).toMatch(/^OK: 3 suites, \d+ cases/);
    expect(result.code).toBe(0);
  });

  it("lists every command in --help", async () => {
    const result = await cli(["--help"]);
    expect(result.code).toBe(0);
    for (const command of ["run", "validate", "report", "sim"]) {
      expect(result.stdout).toContain(command);
    }
  });

  it("exits 2 on an unknown flag", async () => {
    const result = await cli(["run", "--bogus"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option");
  });
});

describe("batcheval sim", () => {
  /** `batcheval sim --port 0 --quiet ...args` in `cwd`: its URL, and how it exited once killed. */
  async function startSim(args: string[] = [], cwd = ROOT) {
    const sim = spawn(process.execPath, [BIN, "sim", "--port", "0", "--quiet", ...args], { cwd });
    const exited = new Promise<number | null>((r) => sim.once("exit", (code) => r(code)));
    const url = await new Promise<string>((resolveUrl, reject) => {
      sim.stdout.setEncoding("utf8");
      sim.stdout.once("data", (chunk: string) => resolveUrl(chunk.split("\n")[0] ?? ""));
      sim.once("exit", (code) => reject(new Error(`sim exited ${code}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    return { sim, url, exited };
  }

  it("serves the API for --backend anthropic through ANTHROPIC_BASE_URL", async () => {
    const { sim, url, exited } = await startSim();
    try {
      const out = join(temp, "via-url");
      const result = await cli(
        [
          "run",
          "--backend",
          "anthropic",
          "evals/support-triage.yaml",
          "--out",
          out,
          "--poll-interval",
          "20",
          // Not the repo's own .batcheval/cache.
          "--cache-dir",
          join(temp, "via-url-cache"),
        ],
        { env: { ANTHROPIC_BASE_URL: url, ANTHROPIC_API_KEY: "x" } },
      );
      expect(result.stderr).not.toContain("embedded simulator");
      expect(result.code).toBe(0);
      const runId = await readlink(join(out, "latest"));
      const report = JSON.parse(await readFile(join(out, runId, "report.json"), "utf8")) as Report;
      expect(report.backend).toBe("anthropic");
      expect(report.models.length).toBeGreaterThan(0);
      expect(report.models.every((m) => m.counts.errored === 0)).toBe(true);
    } finally {
      sim.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });

  it("--max-attempts 2 on a simulator whose results all fail retryably: each request sent twice, exit 1", async () => {
    const dir = await mkdtemp(join(temp, "attempts-"));
    await mkdir(join(dir, "evals"));
    await mkdir(join(dir, "fixtures"));
    await writeFile(join(dir, "evals", "capitals.yaml"), capitalsSuite());
    await writeFile(join(dir, "fixtures", "capitals.yaml"), capitalsFixtures());
    const args = [
      "--fixtures",
      "fixtures/*.yaml",
      "--faults",
      "overloaded=1",
      "--batch-duration",
      "20",
    ];
    const { sim, url, exited } = await startSim(args, dir);
    try {
      const flags = ["--max-attempts", "2", "--poll-interval", "20", "--cache-dir", "cache"];
      const result = await cli(["run", "--backend", "anthropic", ...flags], {
        cwd: dir,
        env: { ANTHROPIC_BASE_URL: url, ANTHROPIC_API_KEY: "x" },
      });
      // Nothing could be graded, so no model meets its threshold.
      expect(result.code).toBe(1);
      const client = new Anthropic({ apiKey: "x", baseURL: url });
      const received = new Map<string, number>();
      for await (const batch of client.messages.batches.list({ limit: 100 })) {
        for await (const line of await client.messages.batches.results(batch.id)) {
          received.set(line.custom_id, (received.get(line.custom_id) ?? 0) + 1);
        }
      }
      expect(received.size).toBe(8);
      expect([...received.values()]).toEqual(Array(8).fill(2));
      const runId = await readlink(join(dir, "reports", "latest"));
      const report = JSON.parse(
        await readFile(join(dir, "reports", runId, "report.json"), "utf8"),
      ) as Report;
      expect(report.models[0]!.counts).toEqual({ total: 8, passed: 0, failed: 0, errored: 8 });
      expect(report.results.map((r) => r.error?.type)).toEqual(
        Array(8).fill("errored:overloaded_error"),
      );
    } finally {
      sim.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });
});
