/**
 * `repeat:` with a flaky fixture, end to end through the built CLI on the embedded simulator:
 * per case, k of N samples passed with its interval in report.json, the terminal and the HTML;
 * a case with `pass: {at_least: k}` counts once in the pass rate, a case without counts each
 * sample; a promptfoo-style case `threshold` passes a sample on its weighted score.
 */
import { readFile, readlink } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wilsonInterval } from "../../src/report/pass-rate.js";
import type { Report } from "../../src/report/types.js";
import { htmlData } from "../support/html-data.js";
import { runCli } from "../support/run-cli.js";
import { TempProject } from "../support/temp-project.js";

const SUITE = `name: flaky
models: [claude-haiku-4-5]
params: { max_tokens: 20 }
prompt: "Capital of {{country}}?"
repeat: 5
pass_threshold: 0.5
cases:
  - id: steady
    vars: { country: France }
    assert: [{ type: contains, value: Paris }]
  - id: three-of-five
    vars: { country: Peru }
    pass: { at_least: 3 }
    assert: [{ type: contains, value: Lima }]
  - id: two-of-five
    vars: { country: Chile }
    pass: { share: 0.6 }
    assert: [{ type: contains, value: Santiago }]
  - id: per-sample
    vars: { country: Spain }
    assert: [{ type: contains, value: Madrid }]
  - id: scored
    vars: { country: Italy }
    threshold: 0.5
    assert:
      - { type: contains, value: Rome }
      - { type: contains, value: Italy }
`;

const FIXTURES = `rules:
  - match: France
    reply: Paris.
  - match: Peru
    replies: [Lima., Lima., Cusco., Lima., Cusco.]
  - match: Chile
    replies: [Santiago., Valparaiso., Valparaiso., Santiago., Valparaiso.]
  - match: Spain
    replies: [Madrid., Madrid., Madrid., Madrid., Barcelona.]
  - match: Italy
    replies: [Rome., Milan., Rome., Italy., Milan.]
`;

let project: TempProject;
let report: Report;
let stdout: string;
let html: string;

beforeAll(async () => {
  project = await TempProject.create("batcheval-repeat-");
  await project.write("evals/flaky.yaml", SUITE);
  await project.write("fixtures/sim/flaky.yaml", FIXTURES);
  const result = await runCli(["run", "--backend", "sim", "--no-cache"], { cwd: project.dir });
  stdout = result.stdout;
  expect(result.stderr).not.toContain("Error");
  expect(result.code).toBe(0);
  report = await project.report();
  const runId = await readlink(join(project.dir, "reports", "latest"));
  html = await readFile(join(project.dir, "reports", runId, "index.html"), "utf8");
});

afterAll(async () => {
  await project.remove();
});

function samples(caseId: string) {
  const found = report.cases?.find((c) => c.caseId === caseId);
  expect(found, caseId).toBeDefined();
  return found as NonNullable<Report["cases"]>[number];
}

describe("repeat: 5 with a flaky fixture", () => {
  it("reports k of N per case, with the interval and the case's outcome", () => {
    expect(report.suites[0]?.repeat).toBe(5);
    expect(report.results).toHaveLength(25);
    expect(
      (report.cases ?? []).map((c) => [c.caseId, c.passed, c.failed, c.toPass, c.outcome]),
    ).toEqual([
      ["steady", 5, 0, undefined, "pass"],
      ["three-of-five", 3, 2, 3, "pass"],
      ["two-of-five", 2, 3, 3, "fail"],
      ["per-sample", 4, 1, undefined, "fail"],
      ["scored", 3, 2, undefined, "fail"],
    ]);
    expect(samples("three-of-five").passRateInterval).toEqual(wilsonInterval(3, 5));
    expect(samples("three-of-five").flaky).toBe(true);
    expect(samples("steady").flaky).toBe(false);
  });

  it("counts a case with pass: once and the others per sample in the pass rate", () => {
    const model = report.models[0];
    // steady 5 + per-sample 4 + scored 3 passing samples, and three-of-five as one passed trial.
    expect(model?.trials).toEqual({ total: 17, passed: 13, failed: 4, errored: 0 });
    expect(model?.counts).toEqual({ total: 25, passed: 17, failed: 8, errored: 0 });
    expect(model?.passRate).toBe(13 / 17);
    expect(model?.costPerPass).toBeCloseTo((model?.cost.batchCached ?? 0) / 13, 12);
  });

  it("passes a sample of a case with a threshold on its weighted score", () => {
    // "Rome" and "Italy" each carry half the score: a sample with either passes at 0.5.
    const scored = report.results.filter((r) => r.caseId === "scored");
    expect(scored.map((r) => [r.output, r.outcome])).toEqual(
      expect.arrayContaining([
        ["Rome.", "pass"],
        ["Milan.", "fail"],
        ["Italy.", "pass"],
      ]),
    );
    expect(scored.find((r) => r.output === "Italy.")?.assertions.map((a) => a.pass)).toEqual([
      false,
      true,
    ]);
  });

  it("shows the failing and flaky cases in the terminal and k/N in the HTML", () => {
    expect(stdout).toContain("Samples per case: 5 case × model pairs run more than once");
    expect(stdout).toMatch(
      /fail {2}flaky\/two-of-five on claude-haiku-4-5: 2\/5 passed \(\d+–\d+%\), needs 3/,
    );
    expect(stdout).toMatch(/pass {2}flaky\/three-of-five on claude-haiku-4-5: 3\/5 passed/);
    expect(stdout).not.toContain("flaky/steady");
    // index.html draws k/N from its embedded rows: passed, samples, outcome, toPass, flaky.
    const rows = new Map(htmlData(html).cases.rows.map((r) => [r[1], r[3][0]]));
    const [lo, hi] = samples("three-of-five").passRateInterval;
    expect(rows.get("three-of-five")).toEqual([3, 5, "pass", 3, 1, lo, hi]);
    expect(rows.get("per-sample")).toEqual([
      4,
      5,
      "fail",
      null,
      1,
      ...samples("per-sample").passRateInterval,
    ]);
    expect(rows.get("steady")).toEqual([
      5,
      5,
      "pass",
      null,
      0,
      ...samples("steady").passRateInterval,
    ]);
  });
});
