/**
 * A throwaway batcheval project for tests: a temp directory with suites and fixtures, a CliIo
 * that records output, and helpers to read what a run wrote.
 */
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import AjvModule from "ajv";
import { expect } from "vitest";
import type { CliIo } from "../../src/cli/io.js";
import type { Report } from "../../src/report/types.js";
import type { RunState } from "../../src/runner/run-store.js";

const validateReport = new AjvModule.default({ allErrors: true, strict: true }).compile(
  JSON.parse(await readFile(new URL("../../schema/report.schema.json", import.meta.url), "utf8")),
);

export class TempProject {
  private constructor(readonly dir: string) {}

  static async create(prefix = "batcheval-"): Promise<TempProject> {
    return new TempProject(await mkdtemp(join(tmpdir(), prefix)));
  }

  async write(path: string, text: string): Promise<void> {
    await mkdir(dirname(join(this.dir, path)), { recursive: true });
    await writeFile(join(this.dir, path), text);
  }

  /** A CliIo rooted here; `out()`/`err()` return everything written so far. */
  io(env: Record<string, string> = {}, interrupted: Promise<void> = new Promise(() => undefined)) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      cwd: this.dir,
      env,
      isTty: false,
      interrupted,
    };
    return { io, out: () => out.join(""), err: () => err.join("") };
  }

  /** Run directories under `reports/`, oldest first. */
  async runs(out = "reports"): Promise<string[]> {
    try {
      return (await readdir(join(this.dir, out))).filter((d) => d !== "latest").sort();
    } catch {
      return [];
    }
  }

  /** The latest run's report.json, checked against the published schema. */
  async report(out = "reports"): Promise<Report> {
    const runId = await readlink(join(this.dir, out, "latest"));
    const report = JSON.parse(await readFile(join(this.dir, out, runId, "report.json"), "utf8"));
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    return report as Report;
  }

  async state(runId: string, out = "reports"): Promise<RunState> {
    return JSON.parse(await readFile(join(this.dir, out, runId, "run.json"), "utf8")) as RunState;
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
