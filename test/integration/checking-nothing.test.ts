/**
 * No run passes by checking nothing: a suite that asserts nothing is refused where green must
 * mean something (CI, --strict); under --strict (or `strict: true`) an uncertain pass or an
 * errored result exits 1; and simulator fixtures that answer nothing are refused or reported.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCommand } from "../../src/cli/run-command.js";
import { validateCommand } from "../../src/cli/validate-command.js";
import { BatchevalError } from "../../src/errors.js";
import { loadFixtures } from "../../src/sim/fixtures.js";
import { type Simulator, startSimulator } from "../../src/sim/server.js";
import { capitalsFixtures, capitalsSuite } from "../support/capitals.js";
import { TempProject } from "../support/temp-project.js";

let project: TempProject;
let sim: Simulator | undefined;

/** Five capitals (the fixtures answer Peru wrongly), with or without assertions. */
function capitals(threshold: number, asserts = true): string {
  return capitalsSuite({ count: 5, threshold, asserts });
}

const FIXTURES = capitalsFixtures(['{ match: "Capital of Peru", reply: "Bogota." }']);

beforeEach(async () => {
  project = await TempProject.create("batcheval-gate-");
  await project.write("fixtures/sim/capitals.yaml", FIXTURES);
});

afterEach(async () => {
  await sim?.close();
  sim = undefined;
  await project.remove();
});

describe("cases that assert nothing", () => {
  it("are a warning locally and an error under CI=true or --strict, with nothing submitted", async () => {
    await project.write("evals/capitals.yaml", capitals(0.5, false));
    const local = project.io();
    expect(await validateCommand({ paths: [] }, local.io)).toBe(0);
    expect(local.err()).toMatch(
      /evals\/capitals\.yaml:6:5: warning: suite "capitals": all 5 cases assert nothing \("france", "italy", "spain" and 2 more\)/,
    );
    for (const [env, strict] of [[{ CI: "true" }, false] as const, [{}, true] as const]) {
      const t = project.io(env);
      expect(await validateCommand({ paths: [], strict }, t.io)).toBe(2);
      expect(t.err()).toContain('error: suite "capitals": all 5 cases assert nothing');
      const run = project.io(env);
      expect(await runCommand({ paths: [], backend: "sim", strict }, run.io)).toBe(2);
      expect(run.err()).toContain("Nothing was submitted");
    }
    expect(await project.runs()).toEqual([]);
  });
});

describe("--strict", () => {
  it("fails an uncertain recommendation that passes without it", async () => {
    // 4 of 5 pass: 80% against 0.5, but the 95% interval of 4/5 reaches below 0.5.
    await project.write("evals/capitals.yaml", capitals(0.5));
    const loose = project.io();
    expect(await runCommand({ paths: [], backend: "sim" }, loose.io)).toBe(0);
    const report = await project.report();
    expect(report.models[0]?.uncertain).toBe(true);

    const strict = project.io();
    expect(await runCommand({ paths: [], backend: "sim", strict: true }, strict.io)).toBe(1);
    expect(strict.err()).toContain("Gate failed: strict: claude-haiku-4-5 passes only uncertainly");

    await project.write("batcheval.config.yaml", "strict: true\n");
    expect(await runCommand({ paths: [], backend: "sim" }, project.io().io)).toBe(1);
  });

  it("fails a run with results still errored after retries", async () => {
    await project.write("evals/capitals.yaml", capitals(0.2));
    sim = await startSimulator({
      rules: await loadFixtures("fixtures/**/*.yaml", project.dir),
      batchDurationMs: 10,
      faults: { canceled: 0.4, seed: 3 },
    });
    const env = { ANTHROPIC_API_KEY: "k", ANTHROPIC_BASE_URL: sim.url };
    const strict = project.io(env);
    const options = { paths: [], backend: "anthropic" as const, pollInterval: 10, strict: true };
    expect(await runCommand(options, strict.io)).toBe(1);
    const report = await project.report();
    // Canceled results are final: the model still passes on the results that came back.
    expect(report.models[0]?.counts.errored).toBeGreaterThan(0);
    expect(report.recommendation.model).toBe("claude-haiku-4-5");
    expect(strict.err()).toMatch(
      /Gate failed: strict: results still errored after retries \(claude-haiku-4-5 \d+\)/,
    );
  });
});

describe("fixtures that answer nothing", () => {
  it("a fixture glob that finds no rules stops the run before anything starts", async () => {
    await project.write("evals/capitals.yaml", capitals(0.5));
    await project.write("batcheval.config.yaml", 'sim:\n  fixtures: "fixtures/none/*.yaml"\n');
    const error = await runCommand({ paths: [], backend: "sim" }, project.io().io).catch(
      (e: unknown) => e as BatchevalError,
    );
    expect(error).toBeInstanceOf(BatchevalError);
    expect((error as BatchevalError).exitCode).toBe(2);
    expect((error as BatchevalError).message).toContain("fixtures/none/*.yaml");
    expect(await project.runs()).toEqual([]);

    const t = project.io();
    expect(await validateCommand({ paths: [] }, t.io)).toBe(2);
    expect(t.err()).toContain(
      "batcheval.config.yaml:2:13: error: sim.fixtures `fixtures/none/*.yaml` matches no fixture file",
    );
  });

  it("validate reports a broken fixture file at its line", async () => {
    await project.write("evals/capitals.yaml", capitals(0.5));
    await project.write("fixtures/sim/broken.yaml", "rules:\n  - match: x\n    repyl: y\n");
    const t = project.io();
    expect(await validateCommand({ paths: [] }, t.io)).toBe(2);
    expect(t.err()).toContain("fixtures/sim/broken.yaml:3:5: error: unknown rule key `repyl`");
  });

  it("a run says how many requests no rule matched, and names the first few", async () => {
    await project.write("evals/capitals.yaml", capitals(0.5).replace("Capital of", "Capitol of"));
    const t = project.io();
    // The default reply names no capital: every case fails, so no model passes (exit 1).
    expect(await runCommand({ paths: [], backend: "sim" }, t.io)).toBe(1);
    expect(t.err()).toContain(
      "warning: 5 of 5 requests matched no simulator fixture and were graded on the default reply (capitals/france on claude-haiku-4-5, capitals/italy on claude-haiku-4-5, capitals/spain on claude-haiku-4-5, and 2 more)",
    );
  });
});
