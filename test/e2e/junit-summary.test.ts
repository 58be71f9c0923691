/**
 * End to end: `run --reporter junit --reporter summary` on the simulator, then `report`, with
 * GITHUB_STEP_SUMMARY pointing at a temp file, as GitHub Actions sets it.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { xmlProblem } from "../../src/grade/well-formed-xml.js";
import type { Report } from "../../src/report/types.js";
import { runCli } from "../support/run-cli.js";

let temp: string;
beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), "batcheval-e2e-junit-"));
});
afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

describe("the junit and summary reporters", () => {
  it("write junit.xml and summary.md, and append the summary to GITHUB_STEP_SUMMARY", async () => {
    const out = join(temp, "reports");
    const step = join(temp, "step-summary.md");
    const args = ["run", "--backend", "sim", "--out", out, "--cache-dir", join(temp, "cache")];
    const env = { GITHUB_STEP_SUMMARY: step };
    const result = await runCli([...args, "--reporter", "junit", "--reporter", "summary"], { env });
    expect(result.stdout).toMatch(/✔ Recommended: /);
    expect(result.code).toBe(0);
    const latest = join(out, "latest");
    const report = JSON.parse(await readFile(join(latest, "report.json"), "utf8")) as Report;
    expect(existsSync(join(latest, "index.html"))).toBe(false);

    const xml = await readFile(join(latest, "junit.xml"), "utf8");
    expect(xmlProblem(xml)).toBeUndefined();
    expect(xml.match(/<testcase /g)).toHaveLength(report.results.length);
    const failures = report.results.filter((r) => r.outcome === "fail").length;
    expect(xml).toContain(
      `<testsuites name="batcheval ${report.runId} (simulated)" tests="${report.results.length}" failures="${failures}"`,
    );

    const summary = await readFile(join(latest, "summary.md"), "utf8");
    expect(summary).toContain("**SIMULATED**");
    expect(summary).toContain(`**✔ Recommended: ${report.recommendation.model}:**`);
    expect(await readFile(step, "utf8")).toBe(`\n${summary}`);

    // batcheval report re-renders from report.json and appends again.
    const again = await runCli(["report", latest, "--reporter", "summary"], { env });
    expect(again.code).toBe(0);
    expect(await readFile(step, "utf8")).toBe(`\n${summary}\n${summary}`);
    // Without the summary reporter, nothing is appended.
    await runCli(["report", latest, "--reporter", "junit"], { env });
    expect(await readFile(step, "utf8")).toBe(`\n${summary}\n${summary}`);
  });
});
