/**
 * `batcheval init` in an empty folder, then the commands a new user runs next: the scaffolded
 * project validates and runs on the simulator. A second init overwrites nothing.
 */
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SCAFFOLD } from "../../src/cli/init-files.js";
import { ROOT, runCli } from "../support/run-cli.js";
import { TempProject } from "../support/temp-project.js";

let project: TempProject;
beforeEach(async () => {
  project = await TempProject.create("batcheval-init-");
});
afterEach(async () => {
  await project.remove();
});

describe("batcheval init", () => {
  it("scaffolds a project that validates and runs on the simulator", async () => {
    const init = await runCli(["init", "demo"], { cwd: project.dir });
    expect(init.code).toBe(0);
    expect(init.stdout).toContain("created evals/ticket-routing.yaml");
    const dir = join(project.dir, "demo");
    for (const file of SCAFFOLD) {
      expect(await readFile(join(dir, file.path), "utf8")).toBe(file.text);
    }
    const validate = await runCli(["validate"], { cwd: dir });
    expect(validate.stdout).toContain("OK: 1 suites, 4 cases");
    expect(validate.code).toBe(0);
    const run = await runCli(["run", "--backend", "sim"], { cwd: dir });
    expect(run.code).toBe(0);
    // Haiku misroutes the crushed parcel (3 of 4, at the 75% threshold); Sonnet gets all four.
    expect(run.stdout).toMatch(/claude-haiku-4-5\s+75\.0%/);
    expect(run.stdout).toMatch(/claude-sonnet-4-6\s+100\.0%/);
    expect(run.stdout).toContain("✔ Recommended: claude-haiku-4-5");
    expect(run.stderr).not.toContain("matched no rule");
  });

  it("never overwrites a file, and still writes the missing ones", async () => {
    await project.write("batcheval.config.yaml", "models: [claude-opus-4-8]\n");
    const init = await runCli(["init"], { cwd: project.dir });
    expect(init.code).toBe(0);
    expect(init.stdout).toContain("kept    batcheval.config.yaml (it exists; not overwritten)");
    expect(await readFile(join(project.dir, "batcheval.config.yaml"), "utf8")).toBe(
      "models: [claude-opus-4-8]\n",
    );
    expect(init.stdout).toContain("created evals/ticket-routing.yaml");
    await writeFile(join(project.dir, "evals/ticket-routing.yaml"), "# mine\n");
    const again = await runCli(["init"], { cwd: project.dir });
    expect(again.stdout).not.toContain("created");
    expect(await readFile(join(project.dir, "evals/ticket-routing.yaml"), "utf8")).toBe("# mine\n");
  });

  it("writes a CI workflow that caches results, keeps the report and gates on a baseline", async () => {
    await runCli(["init"], { cwd: project.dir });
    const workflow = parse(
      await readFile(join(project.dir, ".github/workflows/batcheval.yml"), "utf8"),
    ) as { on: Record<string, unknown>; jobs: { evals: { steps: Record<string, unknown>[] } } };
    expect(Object.keys(workflow.on)).toEqual(["pull_request", "push"]);
    const steps = workflow.jobs.evals.steps;
    const uses = (name: string) => steps.find((s) => String(s.uses).startsWith(name));
    expect(uses("actions/cache")?.with).toMatchObject({ path: ".batcheval/cache" });
    expect(uses("actions/upload-artifact")).toMatchObject({ if: "always()" });
    const run = String(steps.find((s) => s.name === "Run the evals")?.run);
    expect(run).toContain("--baseline batcheval-baseline.json");
    expect(run).toContain("--reporter summary");
    // The recipe in the README and in examples/ is this file.
    const written = await readFile(join(project.dir, ".github/workflows/batcheval.yml"), "utf8");
    expect(await readFile(join(ROOT, "examples/github-actions.yml"), "utf8")).toBe(written);
    expect(await readFile(join(ROOT, "README.md"), "utf8")).toContain(
      `\`\`\`yaml\n${written}\`\`\``,
    );
  });

  it("runs the workflow's eval step: on the simulator without a key, gated on the baseline", async () => {
    await runCli(["init"], { cwd: project.dir });
    const workflow = parse(
      await readFile(join(project.dir, ".github/workflows/batcheval.yml"), "utf8"),
    ) as { jobs: { evals: { steps: { name?: string; run?: string }[] } } };
    const script = String(workflow.jobs.evals.steps.find((s) => s.name === "Run the evals")?.run)
      // The project has no node_modules: the step runs this checkout's CLI.
      .replaceAll("npx batcheval", `"${process.execPath}" "${join(ROOT, "bin/batcheval.js")}"`);
    const step = (summary: string) =>
      new Promise<number | null>((done) => {
        const child = spawn("bash", ["-e", "-c", script], {
          cwd: project.dir,
          env: { PATH: process.env.PATH ?? "", CI: "true", GITHUB_STEP_SUMMARY: summary },
          stdio: "ignore",
        });
        child.once("exit", done);
      });
    const summary = join(project.dir, "step-summary.md");
    expect(await step(summary)).toBe(0);
    expect(await readFile(summary, "utf8")).toContain("SIMULATED");
    const runs = await project.runs();
    expect(
      await readFile(join(project.dir, "reports", runs[0] ?? "", "junit.xml"), "utf8"),
    ).toContain("<testsuites");
    // The baseline is the first run; the next one is compared with it and passes.
    await writeFile(
      join(project.dir, "batcheval-baseline.json"),
      await readFile(join(project.dir, "reports", runs[0] ?? "", "report.json")),
    );
    expect(await step(summary)).toBe(0);
    // A regression against it fails the step: Sonnet now misroutes the app crash.
    await writeFile(
      join(project.dir, "fixtures/sim/aaa-regression.yaml"),
      'rules:\n  - { model: claude-sonnet-*, match: "app closes", reply: billing }\n',
    );
    expect(await step(summary)).toBe(1);
  });

  it("finishes its work when the reader closes its output", async () => {
    const child = spawn(process.execPath, [join(ROOT, "bin/batcheval.js"), "init"], {
      cwd: project.dir,
    });
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.once("exit", done));
    expect(code).toBe(0);
    const last = SCAFFOLD.at(-1)?.path ?? "";
    expect(await readFile(join(project.dir, last), "utf8")).toContain("name: evals");
  });
});
