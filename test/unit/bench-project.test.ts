/**
 * The benchmark's generated project stays a valid suite that passes for real: a small one is
 * validated and run through the built CLI on the simulator, every result answered by a fixture
 * rule (few rules, or one per case) and passing. The benchmark's timings live in bench/.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error: a plain JavaScript module of the benchmark, typed by this test's use.
import { generateProject } from "../../bench/generate-project.js";
import type { Report } from "../../src/report/types.js";
import { runCli } from "../support/run-cli.js";

let dir: string | undefined;

afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("the benchmark's project", () => {
  it.each([false, true])(
    "validates and passes on every model (one rule per case: %s)",
    async (rulePerCase) => {
      dir = await mkdtemp(join(tmpdir(), "batcheval-bench-project-"));
      const project = await generateProject(dir, { cases: 20, models: 2, rulePerCase });
      expect(project.requests).toBe(40);
      const validate = await runCli(["validate"], { cwd: dir });
      expect(validate.code).toBe(0);
      expect(validate.stdout).toContain("20 cases");
      const run = await runCli(["run", "--backend", "sim", "--no-cache"], { cwd: dir });
      expect(run.code).toBe(0);
      const report = JSON.parse(
        await readFile(join(dir, "reports", "latest", "report.json"), "utf8"),
      ) as Report;
      expect(report.results).toHaveLength(40);
      expect(report.results.filter((r) => r.outcome === "pass")).toHaveLength(40);
      expect(report.results.every((r) => r.assertions.length === 3)).toBe(true);
      expect(report.results.some((r) => r.output.startsWith("[sim default reply]"))).toBe(false);
    },
  );
});
