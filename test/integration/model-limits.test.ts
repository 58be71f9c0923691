/**
 * Requests a model cannot take are errors before anything is sent: `max_tokens` above the
 * model's output limit and a prompt above its context window, located at the case, in
 * `validate`, `estimate` and `run` alike (exit 2, no run directory).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { estimateCommand } from "../../src/cli/estimate-command.js";
import { runCommand } from "../../src/cli/run-command.js";
import { validateCommand } from "../../src/cli/validate-command.js";
import { findModelSpec } from "../../src/models/model-table.js";
import { TempProject } from "../support/temp-project.js";

let project: TempProject;

function suite(params: string, system = ""): string {
  return `name: limits
models: [claude-haiku-4-5]
params: { ${params} }
${system}prompt: "Capital of {{country}}?"
cases:
  - { id: france, vars: { country: France }, assert: [{ type: contains, value: Paris }] }
  - { id: italy, vars: { country: Italy }, assert: [{ type: contains, value: Rome }] }
`;
}

beforeEach(async () => {
  project = await TempProject.create("batcheval-limits-");
  await project.write("fixtures/sim/echo.yaml", "rules:\n  - echo: true\n");
});

afterEach(async () => {
  await project.remove();
});

const commands = [
  ["validate", (io: ReturnType<TempProject["io"]>["io"]) => validateCommand({ paths: [] }, io)],
  ["estimate", (io: ReturnType<TempProject["io"]>["io"]) => estimateCommand({ paths: [] }, io)],
  [
    "run",
    (io: ReturnType<TempProject["io"]>["io"]) => runCommand({ paths: [], backend: "sim" }, io),
  ],
] as const;

describe("model limits at compile time", () => {
  const haiku = findModelSpec("claude-haiku-4-5");

  it.each(commands)(
    "%s: max_tokens above the output limit → exit 2 at the case",
    async (_name, command) => {
      expect(haiku).toBeDefined();
      await project.write("evals/limits.yaml", suite(`max_tokens: ${(haiku?.maxOutput ?? 0) + 1}`));
      const t = project.io();
      expect(await command(t.io)).toBe(2);
      expect(t.err()).toContain(
        `evals/limits.yaml:6:5: error: max_tokens ${(haiku?.maxOutput ?? 0) + 1} is above claude-haiku-4-5's output limit of ${haiku?.maxOutput} (and 1 more case)`,
      );
      expect(await project.runs()).toEqual([]);
    },
  );

  it.each(commands)(
    "%s: a prompt above the context window → exit 2 at the case",
    async (_name, command) => {
      const chars = (haiku?.contextWindow ?? 0) * 4 + 100;
      await project.write("evals/big.txt", "x".repeat(chars));
      await project.write(
        "evals/limits.yaml",
        suite("max_tokens: 20", "system:\n  - file: big.txt\n"),
      );
      const t = project.io();
      expect(await command(t.io)).toBe(2);
      expect(t.err()).toMatch(
        /evals\/limits\.yaml:8:5: error: case "france" has a prompt of about \d+ tokens, above claude-haiku-4-5's context window of \d+ \(and 1 more case\)/,
      );
      expect(await project.runs()).toEqual([]);
    },
  );

  it("a request within the limits runs", async () => {
    await project.write("evals/limits.yaml", suite(`max_tokens: ${haiku?.maxOutput}`));
    expect(await runCommand({ paths: [], backend: "sim" }, project.io().io)).not.toBe(2);
  });
});
