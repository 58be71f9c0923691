/** End to end: `batcheval report` as a process, on a report.json written into a temp dir. */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderJson } from "../../src/report/render-json.js";
import { runCli } from "../support/run-cli.js";
import { sampleReport } from "../support/sample-report.js";

let temp: string;

const REPORT = sampleReport();

async function writeRun(name: string, text: string): Promise<void> {
  await mkdir(join(temp, "reports", name), { recursive: true });
  await writeFile(join(temp, "reports", name, "report.json"), text);
}

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), "batcheval-e2e-report-"));
  await writeRun("good", renderJson(REPORT));
  const bad = structuredClone(REPORT) as unknown as { models: { counts: { passed: unknown } }[] };
  bad.models[0]!.counts.passed = "1";
  await writeRun("bad", JSON.stringify(bad));
});

afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

describe("batcheval report", () => {
  it("re-renders index.html from a report.json of this version", async () => {
    const result = await runCli(["report", "reports/good"], { cwd: temp });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Wrote ");
    expect(await readFile(join(temp, "reports/good/index.html"), "utf8")).toContain("<html");
  });

  it("exits 2 on a field of the wrong type, naming its JSON path", async () => {
    const result = await runCli(["report", "reports/bad"], { cwd: temp });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('$.models[0].counts.passed: expected integer, got string "1"');
    expect(result.stderr).toContain("hint: The file may come from another batcheval version");
    expect(result.stdout).toBe("");
  });

  it("exits 2 on an unknown --reporter, with did-you-mean", async () => {
    const result = await runCli(["report", "reports/good", "--reporter", "htm"], { cwd: temp });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown reporter 'htm' — did you mean 'html'?");
  });

  it("takes --reporter more than once", async () => {
    const args = ["report", "reports/good", "--reporter", "json", "--reporter", "html"];
    const result = await runCli(args, { cwd: temp });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(join("reports", "good", "index.html"));
  });
});
