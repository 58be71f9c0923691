/**
 * Retiring models (finding 11), through the command handlers with an injected clock: a model
 * that retires within 30 days is a located warning; a retired one is a located error (exit 2,
 * nothing sent) in validate, estimate and run, or a bad_input error when `--models` names it.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { estimateCommand } from "../../src/cli/estimate-command.js";
import { runCommand } from "../../src/cli/run-command.js";
import { validateCommand } from "../../src/cli/validate-command.js";
import { TempProject } from "../support/temp-project.js";

let project: TempProject;

const SUITE = (models: string) => `name: capitals
${models}params: { max_tokens: 20 }
prompt: "What is the capital of France?"
cases:
  - id: france
    assert: [{ type: contains, value: Paris }]
`;

/** A CliIo whose clock reads noon UTC on `day`. */
function ioOn(day: string) {
  const t = project.io();
  t.io.now = () => new Date(`${day}T12:00:00Z`);
  return t;
}

beforeEach(async () => {
  project = await TempProject.create("batcheval-retire-");
  await project.write("fixtures/sim/echo.yaml", "rules:\n  - echo: true\n");
});

afterEach(async () => {
  await project.remove();
});

const RETIRED =
  "evals/capitals.yaml:2:10: error: model 'claude-sonnet-4-5' is retired since 2026-11-30: the API refuses requests to it\n  hint: use claude-sonnet-5-5, the replacement Anthropic recommends, instead";

describe("a suite naming a retired model", () => {
  beforeEach(async () => {
    await project.write("evals/capitals.yaml", SUITE("models: [claude-sonnet-4-5]\n"));
  });

  it.each([
    ["validate", (t: ReturnType<typeof ioOn>) => validateCommand({ paths: [] }, t.io)],
    ["estimate", (t: ReturnType<typeof ioOn>) => estimateCommand({ paths: [] }, t.io)],
    ["run", (t: ReturnType<typeof ioOn>) => runCommand({ paths: [], backend: "sim" }, t.io)],
  ])("%s exits 2 with the located error, and sends nothing", async (_name, command) => {
    const t = ioOn("2026-12-02");
    expect(await command(t)).toBe(2);
    expect(t.err()).toContain(RETIRED);
    expect(t.out()).toBe("");
    expect(await project.runs()).toEqual([]);
  });

  it("a month earlier, is a warning with the days left, and the run goes ahead", async () => {
    const t = ioOn("2026-11-15");
    expect(await validateCommand({ paths: [] }, t.io)).toBe(0);
    expect(t.err()).toContain(
      "evals/capitals.yaml:2:10: warning: model 'claude-sonnet-4-5' retires on 2026-11-30, in 15 days; requests to it will fail from then on\n  hint: use claude-sonnet-5-5, the replacement Anthropic recommends, before then",
    );
    const run = ioOn("2026-11-15");
    expect(await runCommand({ paths: [], backend: "sim" }, run.io)).not.toBe(2);
    expect(run.err()).toContain("warning: model 'claude-sonnet-4-5' retires on 2026-11-30");
    expect(await project.runs()).toHaveLength(1);
  });

  it("earlier still, says nothing", async () => {
    const t = ioOn("2026-10-01");
    expect(await validateCommand({ paths: [] }, t.io)).toBe(0);
    expect(t.err()).toBe("");
  });
});

describe("other places a model is named", () => {
  it("the config's models: located in the config file", async () => {
    await project.write(
      "batcheval.config.yaml",
      "models:\n  - claude-haiku-4-5\n  - claude-sonnet-4-5\n",
    );
    await project.write("evals/capitals.yaml", SUITE(""));
    const t = ioOn("2026-12-02");
    expect(await validateCommand({ paths: [] }, t.io)).toBe(2);
    expect(t.err()).toMatch(
      /^batcheval\.config\.yaml:3:\d+: error: model 'claude-sonnet-4-5' is retired since 2026-11-30/m,
    );
  });

  it("a retired model without a price is reported as retired, not as unknown", async () => {
    await project.write("evals/capitals.yaml", SUITE("models: [claude-opus-4-1]\n"));
    const t = ioOn("2026-12-02");
    expect(await validateCommand({ paths: [] }, t.io)).toBe(2);
    expect(t.err()).toContain("error: model 'claude-opus-4-1' is retired since 2026-08-05");
    expect(t.err()).not.toContain("unknown model");
  });

  it("--models: a retired model is a bad_input error before anything is sent", async () => {
    await project.write("evals/capitals.yaml", SUITE("models: [claude-haiku-4-5]\n"));
    const t = ioOn("2026-12-02");
    const run = runCommand({ paths: [], backend: "sim", models: ["claude-sonnet-4-5"] }, t.io);
    await expect(run).rejects.toMatchObject({
      code: "bad_input",
      exitCode: 2,
      message:
        "--models: model 'claude-sonnet-4-5' is retired since 2026-11-30: the API refuses requests to it",
      hint: "use claude-sonnet-5-5, the replacement Anthropic recommends, instead",
    });
    expect(await project.runs()).toEqual([]);
  });

  it("--models: a model retiring soon is a warning", async () => {
    await project.write("evals/capitals.yaml", SUITE("models: [claude-haiku-4-5]\n"));
    const t = ioOn("2027-01-02");
    expect(await estimateCommand({ paths: [], models: ["claude-opus-4-5"] }, t.io)).toBe(0);
    expect(t.err()).toContain(
      "--models: warning: model 'claude-opus-4-5' retires on 2027-01-22, in 20 days",
    );
  });
});
