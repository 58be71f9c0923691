/**
 * The benchmark's generated project stays a valid suite that passes for real: a small one is
 * validated and run through the built CLI on the simulator, every result answered by a fixture
 * rule (few rules, or one per case) and passing. The benchmark's timings live in bench/.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error: a plain JavaScript module of the benchmark, typed by this test's use.
import { generateProject } from "../../bench/generate-project.js";
// @ts-expect-error: a plain JavaScript module of the benchmark, typed by this test's use.
import { checkPromptfooOutput, writePromptfooProject } from "../../bench/promptfoo.js";
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

  it("writes the same cases for promptfoo, with a provider that answers as the fixtures do", async () => {
    dir = await mkdtemp(join(tmpdir(), "batcheval-bench-project-"));
    const project = await generateProject(dir, { cases: 6, models: 2 });
    const config = await writePromptfooProject(dir, project.models);
    const yaml = await readFile(config, "utf8");
    expect(yaml).toContain("label: claude-haiku-4-5");
    expect(yaml).toContain("label: claude-sonnet-4-6");
    expect(yaml).not.toContain("claude-opus-4-8");
    expect(yaml).toContain("You are the support triage assistant of Northwind Traders.");
    const cases = (await readFile(join(dir, "evals", "cases.jsonl"), "utf8")).trim().split("\n");
    const tests = (await readFile(join(dir, "promptfoo", "tests.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(tests).toHaveLength(6);
    tests.forEach((test, i) => {
      const row = JSON.parse(cases[i] as string);
      expect(test).toEqual({ description: row.id, vars: row.vars, assert: row.assert });
      expect(test.assert.map((a: { type: string }) => a.type)).toEqual([
        "is-json",
        "contains-json",
        "icontains",
      ]);
    });
    const Provider = createRequire(import.meta.url)(join(dir, "promptfoo", "provider.js"));
    const provider = new Provider({
      label: "claude-haiku-4-5",
      config: { model: "claude-haiku-4-5" },
    });
    expect(provider.id()).toBe("bench:claude-haiku-4-5");
    const reply = await provider.callApi("Ticket 4 about shipping: my order is late");
    expect(JSON.parse(reply.output)).toEqual({ category: "shipping", urgent: false });
    expect((await provider.callApi("no kind here")).error).toBeDefined();
  });

  it("refuses a promptfoo output that did not grade every result", async () => {
    dir = await mkdtemp(join(tmpdir(), "batcheval-bench-project-"));
    const result = (success: boolean, assertions: number) => ({
      success,
      gradingResult: { componentResults: Array.from({ length: assertions }, () => ({})) },
    });
    const write = async (results: unknown[], errors = 0) => {
      await writeFile(
        join(dir as string, "out.json"),
        JSON.stringify({ results: { results, stats: { errors } } }),
      );
      return checkPromptfooOutput(join(dir as string, "out.json"), 2);
    };
    expect((await write([result(true, 3), result(true, 3)])).problems).toEqual([]);
    expect((await write([result(true, 3)])).problems).toContain("1 results, expected 2");
    expect((await write([result(true, 3), result(false, 3)])).problems).toContain(
      "1 of 2 results passed, expected all",
    );
    expect((await write([result(true, 3), result(true, 0)])).problems).toContain(
      "1 of 2 results were graded on three assertions",
    );
    expect((await write([result(true, 3), result(true, 3)], 1)).problems).toContain(
      "1 results were errors",
    );
  });
});
