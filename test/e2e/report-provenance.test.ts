/**
 * report.json says where it came from and what each case was: the command line, the git
 * commit, the base URL, start and end, the hashes of the files that made it; each case's vars,
 * rendered messages and expected values; the failing results; the cost per suite and model.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCosts } from "../../src/cost/exact-cost.js";
import type { Report } from "../../src/report/types.js";
import { capitalsFixtures, capitalsSuite } from "../support/capitals.js";
import { ROOT, runCli } from "../support/run-cli.js";
import { TempProject } from "../support/temp-project.js";

let project: TempProject;
let report: Report;
let commit: string;

const git = (...args: string[]) =>
  execFileSync("git", args, { cwd: project.dir, encoding: "utf8" }).trim();

beforeAll(async () => {
  project = await TempProject.create("batcheval-provenance-");
  await project.write("evals/capitals.yaml", capitalsSuite({ count: 4 }));
  await project.write(
    "fixtures/sim/capitals.yaml",
    capitalsFixtures(['{ match: "Capital of Peru", reply: "Bogota." }']),
  );
  git("init", "-q");
  git("add", ".");
  git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "suites");
  commit = git("rev-parse", "HEAD");
  const result = await runCli(["run", "--backend", "sim", "--no-cache"], { cwd: project.dir });
  expect(result.code).toBe(0);
  report = await project.report();
});

afterAll(async () => {
  await project.remove();
});

const sha256 = async (path: string) =>
  createHash("sha256")
    .update(await readFile(join(project.dir, path)))
    .digest("hex");

describe("report.json provenance and inputs", () => {
  it("records the command, the commit, the backend and the files' hashes", async () => {
    const p = report.provenance;
    const version = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")).version;
    expect(p?.batchevalVersion).toBe(version);
    expect(p?.command).toEqual(["batcheval", "run", "--backend", "sim", "--no-cache"]);
    expect(p?.git).toEqual({ commit, dirty: false });
    expect(p?.baseUrl).toMatch(/^sim:/);
    expect(Date.parse(p?.endedAt ?? "")).toBeGreaterThanOrEqual(Date.parse(p?.startedAt ?? ""));
    expect(p?.files).toEqual({
      "evals/capitals.yaml": await sha256("evals/capitals.yaml"),
      "fixtures/sim/capitals.yaml": await sha256("fixtures/sim/capitals.yaml"),
    });
  });

  it("gives each case's vars, rendered messages and expected values once", () => {
    expect(report.inputs).toHaveLength(4);
    expect(report.inputs?.find((c) => c.caseId === "peru")).toEqual({
      suite: "capitals",
      caseId: "peru",
      vars: { country: "Peru" },
      messages: [{ role: "user", content: "Capital of Peru?" }],
      assert: [{ type: "contains", value: "Lima" }],
    });
  });

  it("lists the failing results and the cost per suite and model", () => {
    expect(report.failures).toEqual([
      { suite: "capitals", caseId: "peru", model: "claude-haiku-4-5", repeat: 0, outcome: "fail" },
    ]);
    const model = report.models[0];
    const suite = model?.suites[0];
    expect(suite?.cost?.femtoUsd).toEqual(model?.cost.femtoUsd);
    expect(addCosts(report.results.map((r) => r.cost)).femtoUsd).toEqual(suite?.cost?.femtoUsd);
  });
});
