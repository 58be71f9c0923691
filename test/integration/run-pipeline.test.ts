/**
 * The run pipeline through its command handler: the real SDK client against the in-process
 * simulator over loopback HTTP, in a temp project with its own suites and fixtures.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCommand } from "../../src/cli/run-command.js";
import type { Report } from "../../src/report/types.js";
import type { RunState } from "../../src/runner/run-store.js";
import { TempProject } from "../support/temp-project.js";

let project: TempProject;

/** The run's report.json (checked against the schema); the test made exactly one run. */
async function readReport(): Promise<Report> {
  expect(await project.runs()).toHaveLength(1);
  return project.report();
}

beforeEach(async () => {
  project = await TempProject.create("batcheval-run-");
  await project.write(
    "fixtures/sim/rules.yaml",
    `rules:
  - model: claude-haiku-*
    match: "capital of France"
    reply: "Lyon"
  - match: "capital of France"
    reply: "Paris"
  - match: "capital of Italy"
    reply: "Rome"
  - match: "/json please/i"
    json: { ok: true }
`,
  );
});

afterEach(async () => {
  await project.remove();
});

describe("run on the simulator", () => {
  it("grades each result by custom_id and prices it from usage", async () => {
    await project.write(
      "evals/capitals.yaml",
      `name: capitals
models: [claude-haiku-4-5, claude-sonnet-4-6]
params: { max_tokens: 20 }
prompt: "What is the capital of {{country}}?"
cases:
  - id: france
    vars: { country: France }
    assert: [{ type: equals, value: Paris }]
  - id: italy
    vars: { country: Italy }
    assert: [{ type: icontains, value: rome }]
  - id: json
    vars: { country: "nowhere, JSON please" }
    assert: [{ type: is-json }]
pass_threshold: 0.9
repeat: 2
`,
    );
    const t = project.io();
    const code = await runCommand({ paths: [], backend: "sim" }, t.io);
    expect(t.err()).toContain("embedded simulator");
    expect(code).toBe(0);
    const report = await readReport();
    expect(report.results).toHaveLength(2 * 3 * 2);
    const outcome = (model: string, caseId: string) =>
      report.results.filter((r) => r.model === model && r.caseId === caseId).map((r) => r.outcome);
    expect(outcome("claude-haiku-4-5", "france")).toEqual(["fail", "fail"]);
    expect(outcome("claude-sonnet-4-6", "france")).toEqual(["pass", "pass"]);
    expect(outcome("claude-haiku-4-5", "json")).toEqual(["pass", "pass"]);
    const haiku = report.models.find((m) => m.model === "claude-haiku-4-5")!;
    expect(haiku.passRate).toBeCloseTo(4 / 6, 10);
    expect(haiku.passes).toBe(false);
    expect(report.recommendation.model).toBe("claude-sonnet-4-6");
    for (const r of report.results) {
      expect(r.usage?.input_tokens).toBeGreaterThan(0);
      expect(r.cost.batchCached).toBeGreaterThan(0);
      expect(r.cost.batch).toBeCloseTo(r.cost.standard / 2, 15);
    }
    const failed = report.results.find((r) => r.outcome === "fail")!;
    expect(failed.assertions[0]!.reason).toBe('expected "Paris", got "Lyon"');
    const state = JSON.parse(
      await readFile(join(project.dir, "reports", report.runId, "run.json"), "utf8"),
    ) as RunState;
    expect(state.status).toBe("reported");
    // The two models submit concurrently: their batches are recorded in either order.
    const batches = state.batches.map((b) => [b.model, b.requestCount, b.collected]);
    expect(batches.sort()).toEqual([
      ["claude-haiku-4-5", 6, true],
      ["claude-sonnet-4-6", 6, true],
    ]);
    expect(t.out()).toContain("✔ Recommended: claude-sonnet-4-6");
  });

  it("reports cache writes and reads for a shared cached prefix", async () => {
    await project.write("evals/doc.md", "Northwind policy clause. ".repeat(1200));
    await project.write(
      "evals/qa.yaml",
      `name: qa
models: [claude-sonnet-4-6]
params: { max_tokens: 20 }
system:
  - file: doc.md
    cache: 1h
prompt: "Question {{n}}: what is the capital of Italy?"
cases:
${Array.from({ length: 12 }, (_, i) => `  - { id: q${i}, vars: { n: ${i} }, assert: [{ type: contains, value: Rome }] }`).join("\n")}
pass_threshold: 1
`,
    );
    const t = project.io();
    expect(await runCommand({ paths: [], backend: "sim" }, t.io)).toBe(0);
    const model = (await readReport()).models[0]!;
    expect(model.tokens.cacheWrite).toBeGreaterThan(0);
    expect(model.tokens.cacheRead).toBeGreaterThan(0);
    expect(model.cacheHitRate).toBeGreaterThan(0);
    expect(model.cost.batchCached).toBeLessThan(model.cost.batch);
    expect(model.cost.standardCached).toBeLessThan(model.cost.standard);
  });

  it("reports per-request API errors as errors, not failures", async () => {
    await project.write(
      "evals/huge.yaml",
      `name: huge
models: [claude-haiku-4-5]
params: { max_tokens: 2000, thinking: { type: enabled, budget_tokens: 500 } }
prompt: "What is the capital of Italy?"
cases:
  - id: a
    assert: [{ type: contains, value: Rome }]
`,
    );
    const t = project.io();
    const code = await runCommand({ paths: [], backend: "sim" }, t.io);
    expect(code).toBe(1);
    const report = await readReport();
    const [result] = report.results;
    expect(result?.outcome).toBe("error");
    expect(result?.error?.type).toBe("errored:invalid_request_error");
    expect(result?.error?.message).toContain("budget_tokens");
    expect(result?.cost.batchCached).toBe(0);
    expect(report.models[0]!.counts).toEqual({ total: 1, passed: 0, failed: 0, errored: 1 });
    expect(report.recommendation.reason).toContain("errored");
  });

  it("exits 2 and creates no run for a suite with an undefined variable", async () => {
    await project.write(
      "evals/bad.yaml",
      `name: bad
prompt: "Capital of {{country}}?"
cases:
  - id: a
    vars: { nation: France }
`,
    );
    const t = project.io();
    expect(await runCommand({ paths: [], backend: "sim" }, t.io)).toBe(2);
    expect(t.err()).toMatch(/evals\/bad\.yaml:\d+:\d+: error: .*country/);
    await expect(readdir(join(project.dir, "reports"))).rejects.toThrow();
  });
});
