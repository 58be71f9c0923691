/**
 * javascript assertions and transforms end to end: the built CLI on the embedded simulator,
 * with inline code, a `file:` module beside the suite, a case transform that parses JSON and
 * an assertion's own transform. report.json holds the grades and their reasons, and the
 * model's output as it was; code that does not compile stops the run before anything is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.js";
import { TempProject } from "../support/temp-project.js";

let project: TempProject;

beforeAll(async () => {
  project = await TempProject.create("batcheval-js-");
  await project.write(
    "batcheval.config.yaml",
    'models: [claude-haiku-4-5]\nsim: { fixtures: "fixtures/*.yaml" }\n',
  );
  await project.write(
    "fixtures/capitals.yaml",
    [
      "rules:",
      '  - { match: "Capital of France", reply: "{\\"city\\": \\"Paris\\"}" }',
      '  - { match: "Capital of Peru", reply: "Lima, café ☕" }',
      "",
    ].join("\n"),
  );
  await project.write(
    "evals/checks/capital.mjs",
    "export default (output, context) => output.includes(context.vars.city);\n",
  );
  await project.write(
    "evals/capitals.yaml",
    [
      "name: capitals",
      "params: { max_tokens: 20 }",
      'prompt: "Capital of {{country}}?"',
      "pass_threshold: 0.5",
      "cases:",
      "  - id: france",
      "    vars: { country: France, city: Paris }",
      "    transform: JSON.parse(output).city",
      "    assert:",
      "      - { type: equals, value: Paris }",
      '      - { type: javascript, value: "output === context.vars.city && context.usage.output_tokens > 0" }',
      "      - { type: javascript, value: file:checks/capital.mjs }",
      "      - { type: contains, value: PARIS, transform: output.toUpperCase() }",
      "  - id: peru",
      "    vars: { country: Peru, city: Lima }",
      "    assert:",
      "      - { type: javascript, value: file:checks/capital.mjs }",
      "      - { type: javascript, value: '[...output].length / 24', threshold: 0.5 }",
      "      - { type: not-javascript, value: JSON.parse(output) }",
      "",
    ].join("\n"),
  );
});

afterAll(async () => {
  await project.remove();
});

describe("javascript and transform through the CLI", () => {
  it("grades with the suite's code; the report keeps the model's output", async () => {
    const result = await runCli(["run", "--backend", "sim", "--no-cache"], { cwd: project.dir });
    expect(result.stderr).not.toMatch(/Error|at .*\.js:\d+/);
    const report = await project.report();
    const byCase = new Map(report.results.map((r) => [r.caseId, r]));
    const france = byCase.get("france");
    expect(france?.outcome).toBe("pass");
    expect(france?.output).toBe('{"city": "Paris"}');
    expect(france?.assertions.map((a) => a.pass)).toEqual([true, true, true, true]);
    const peru = byCase.get("peru");
    expect(peru?.outcome).toBe("fail");
    expect(peru?.output).toBe("Lima, café ☕");
    expect(peru?.assertions.map((a) => [a.pass, a.score])).toEqual([
      [true, 1],
      [true, 0.5],
      [false, 0],
    ]);
    expect(peru?.assertions[2]?.reason).toMatch(/threw SyntaxError: .*fails as not- too/);
    expect(result.code).toBe(0);
  });

  it("code that does not compile stops the run at load, located", async () => {
    await project.write(
      "evals/bad.yaml",
      [
        "name: bad",
        'prompt: "Capital of {{country}}?"',
        "cases:",
        "  - vars: { country: France }",
        "    transform: output.trim(",
        "",
      ].join("\n"),
    );
    const result = await runCli(["run", "--backend", "sim", "--no-cache", "evals/bad.yaml"], {
      cwd: project.dir,
    });
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toContain(
      "evals/bad.yaml:5:16: error: transform has a syntax error: Unexpected end of input (in `output.trim(`)",
    );
  });
});
