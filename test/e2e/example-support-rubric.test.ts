/**
 * The promptfoo-style customer support rubric example (examples/customer-support-rubric), run
 * as a user runs it: five llm-rubric dimensions with a metric each, per-case thresholds from a
 * CSV `__threshold` column, graded in one grader batch on the simulator.
 */
import { cp } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/report/types.js";
import { ROOT, runCli } from "../support/run-cli.js";
import { TempProject } from "../support/temp-project.js";

let project: TempProject;
let report: Report;
let stdout: string;

beforeAll(async () => {
  project = await TempProject.create("batcheval-support-rubric-");
  await cp(join(ROOT, "examples/customer-support-rubric"), project.dir, { recursive: true });
  const result = await runCli(["run", "--backend", "sim"], { cwd: project.dir });
  stdout = result.stdout;
  expect(result.code).toBe(0);
  report = await project.report();
});

afterAll(async () => {
  await project.remove();
});

function resultsOf(model: string) {
  const own = report.results.filter((r) => r.model === model);
  expect(own).toHaveLength(8);
  return own;
}

describe("examples/customer-support-rubric", () => {
  it("fails a high-severity ticket on one missed dimension, and never a ticket at threshold 0", () => {
    const haiku = resultsOf("claude-haiku-4-5");
    expect(haiku.filter((r) => r.outcome === "fail").map((r) => r.caseId)).toEqual(["case-2"]);
    const failed = haiku.find((r) => r.caseId === "case-2");
    expect(failed?.assertions.filter((a) => !a.pass).map((a) => a.metric)).toEqual([
      "correct",
      "honest",
    ]);
    // The renewal ticket misses two dimensions but has __threshold 0: scored, not failed.
    const renewal = haiku.find((r) => r.caseId === "case-5");
    expect(renewal?.outcome).toBe("pass");
    expect(renewal?.assertions.filter((a) => !a.pass)).toHaveLength(2);
    expect(resultsOf("claude-sonnet-4-6").every((r) => r.outcome === "pass")).toBe(true);
  });

  it("reports each dimension as a metric, the grader apart, and the cheapest passing model", () => {
    const haiku = report.models.find((m) => m.model === "claude-haiku-4-5");
    expect(haiku?.passRate).toBe(7 / 8);
    expect(haiku?.metrics?.map((m) => [m.name, m.passed, m.assertions])).toEqual([
      ["correct", 6, 8],
      ["resolved", 7, 8],
      ["honest", 6, 8],
      ["handoff", 8, 8],
      ["language_fit", 7, 8],
    ]);
    // Sonnet's cancellation reply is the only output Haiku did not also give: 9 outputs × 5.
    expect(report.graders?.map((g) => [g.model, g.questions])).toEqual([["claude-sonnet-4-6", 45]]);
    expect(report.recommendation.model).toBe("claude-haiku-4-5");
    expect(stdout).toMatch(/^honest\s+0\.70 \(6\/8 passed\)\s+0\.79 \(7\/8 passed\)$/m);
  });
});
