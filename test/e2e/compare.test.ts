/**
 * End to end: `batcheval compare` on two runs of the capitals suite on the embedded simulator,
 * and `batcheval run --baseline`, where a fixture changed between the runs decides whether the
 * second run regresses.
 */
import { readFile, readlink } from "node:fs/promises";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Comparison } from "../../src/report/compare.js";
import { capitalsFixtures, capitalsSuite } from "../support/capitals.js";
import { runCli } from "../support/run-cli.js";
import { TempProject } from "../support/temp-project.js";

const WRONG_PERU = '{ match: "Capital of Peru", reply: "Bogota." }';
const WRONG_CHILE = '{ match: "Capital of Chile", reply: "Lima." }';

let project: TempProject;
/** Run directories, relative to the project: every capital right, then Peru wrong. */
let good: string;
let worse: string;

async function runWith(wrong: string[], extra: string[] = []) {
  await project.write("fixtures/sim/capitals.yaml", capitalsFixtures(wrong));
  return runCli(["run", "--backend", "sim", "--no-cache", "--fresh", ...extra], {
    cwd: project.dir,
  });
}

async function latest(): Promise<string> {
  return join("reports", await readlink(join(project.dir, "reports", "latest")));
}

beforeAll(async () => {
  project = await TempProject.create("batcheval-compare-");
  await project.write("evals/capitals.yaml", capitalsSuite());
  expect((await runWith([])).code).toBe(0);
  good = await latest();
  expect((await runWith([WRONG_PERU])).code).toBe(0);
  worse = await latest();
});

afterAll(async () => {
  await project.remove();
});

describe("batcheval compare", () => {
  it("exits 1 on a regression and names the flipped case", async () => {
    const result = await runCli(["compare", good, worse], { cwd: project.dir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /claude-haiku-4-5 +capitals +100\.0% +87\.5% +-12\.5 pts +1 +0 +1 +REGRESSION/,
    );
    expect(result.stdout).toContain("pass → fail:\n  claude-haiku-4-5 capitals/peru\n");
    expect(result.stdout).toContain("✘ 1 regression against the baseline");
  });

  it("exits 0 the other way round, and within the tolerance", async () => {
    const better = await runCli(["compare", worse, good], { cwd: project.dir });
    expect(better.code).toBe(0);
    expect(better.stdout).toContain("fail → pass:\n  claude-haiku-4-5 capitals/peru\n");
    expect(better.stdout).toContain("✔ No regression against the baseline.");
    const tolerated = ["compare", good, worse, "--tolerance", "0.125"];
    expect((await runCli(tolerated, { cwd: project.dir })).code).toBe(0);
    const same = await runCli(["compare", good, good], { cwd: project.dir });
    expect(same.code).toBe(0);
  });

  it("prints the comparison as JSON with --json, from report.json files", async () => {
    const args = ["compare", join(good, "report.json"), join(worse, "report.json"), "--json"];
    const result = await runCli(args, { cwd: project.dir });
    expect(result.code).toBe(1);
    const comparison = JSON.parse(result.stdout) as Comparison;
    expect(comparison.regressions).toBe(1);
    const [group] = comparison.groups;
    expect(group?.mcnemar).toEqual({ b: 1, c: 0, pValue: 1 });
    expect(group?.passToFail).toEqual([
      { suite: "capitals", caseId: "peru", model: "claude-haiku-4-5", repeat: 0 },
    ]);
  });

  it("exits 2 on a missing file or a bad --tolerance", async () => {
    const missing = await runCli(["compare", "reports/nope", worse], { cwd: project.dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("error: Cannot read reports/nope");
    const bad = await runCli(["compare", good, worse, "--tolerance", "2"], { cwd: project.dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--tolerance must be a rate from 0 to 1");
  });
});

describe("batcheval run --baseline", () => {
  it("exits 1 when the run regresses against the baseline, though the gate passes", async () => {
    const result = await runWith([WRONG_PERU, WRONG_CHILE], ["--baseline", good]);
    expect(result.stdout).toContain("✔ Recommended: claude-haiku-4-5");
    expect(result.stdout).toContain(`Compared with baseline ${basename(good)}`);
    expect(result.stdout).toContain("  claude-haiku-4-5 capitals/chile\n");
    expect(result.code).toBe(1);
    // report.json carries the comparison, for the page and for scripts.
    const report = await project.report();
    expect(report.baseline).toMatchObject({ runId: basename(good), regressions: 1 });
    expect(report.baseline?.groups[0]?.passToFail.map((r) => r.caseId).sort()).toEqual([
      "chile",
      "peru",
    ]);
    // …and index.html shows the flips first, before the verdict.
    const html = await readFile(join(project.dir, await latest(), "index.html"), "utf8");
    expect(html).toContain(`✘ 1 regression against baseline ${basename(good)}`);
    expect(html).toMatch(
      /<h3>pass → fail \(2\)<\/h3><ul id="pass-to-fail"><li>claude-haiku-4-5 · capitals\/(peru|chile)<\/li>/,
    );
    expect(html.indexOf('id="baseline"')).toBeLessThan(html.indexOf('class="figures"'));
  });

  it("exits 0 when the run keeps up with the baseline or stays within the tolerance", async () => {
    const same = await runWith([], ["--baseline", good]);
    expect(same.stdout).toContain("✔ No regression against the baseline.");
    expect(same.code).toBe(0);
    const tolerated = await runWith([WRONG_PERU], ["--baseline", good, "--tolerance", "0.2"]);
    expect(tolerated.code).toBe(0);
  });

  it("exits 2 before sending anything when the baseline is missing", async () => {
    const before = await project.runs();
    const result = await runWith([], ["--baseline", "reports/nope"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error: Cannot read reports/nope");
    expect(await project.runs()).toEqual(before);
  });
});
