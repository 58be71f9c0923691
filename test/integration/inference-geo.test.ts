/**
 * `inference_geo: us` end to end: a suite's params → the request → the simulator's usage
 * (`inference_geo: "us"`) → the report's cost, 1.1 × the same run in the default geography,
 * compared exactly in femto-USD.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCommand } from "../../src/cli/run-command.js";
import { exactOf } from "../../src/cost/exact-cost.js";
import type { ResultRecord } from "../../src/report/types.js";
import { TempProject } from "../support/temp-project.js";

let project: TempProject;

/** A suite on `model` whose params add `extra`; the same prompt and cases in every suite. */
function suite(name: string, model: string, extra: string): string {
  return `name: ${name}
models: [${model}]
params: { max_tokens: 40${extra} }
system: "You answer geography questions in one word."
prompt: "What is the capital of {{country}}?"
cases:
  - id: france
    vars: { country: France }
  - id: italy
    vars: { country: Italy }
defaults:
  assert: [{ type: contains, value: capital }]
`;
}

beforeEach(async () => {
  project = await TempProject.create("batcheval-geo-");
  await project.write("fixtures/sim/echo.yaml", "rules:\n  - echo: true\n");
});

afterEach(async () => {
  await project.remove();
});

describe("inference_geo: us", () => {
  it("is echoed in usage and priced at exactly 1.1 × the global run", async () => {
    await project.write(
      "evals/us.yaml",
      suite("geo-us", "claude-sonnet-4-6", ", inference_geo: us"),
    );
    await project.write("evals/global.yaml", suite("geo-global", "claude-sonnet-4-6", ""));
    const t = project.io();
    // The echoed prompt contains "capital": every case passes and a model is recommended.
    expect(await runCommand({ paths: [], backend: "sim" }, t.io)).toBe(0);
    const { results } = await project.report();
    const bySuite = (name: string): ResultRecord[] =>
      results.filter((r) => r.suite === name).sort((a, b) => a.caseId.localeCompare(b.caseId));
    const us = bySuite("geo-us");
    const global = bySuite("geo-global");
    expect(us.map((r) => r.usage?.inference_geo)).toEqual(["us", "us"]);
    expect(global.map((r) => r.usage?.inference_geo)).toEqual(["global", "global"]);
    expect(global).toHaveLength(us.length);
    us.forEach((r, i) => {
      const base = global[i]!;
      // Same prompt, same answer: only the geography differs.
      expect(r.usage?.input_tokens).toBe(base.usage?.input_tokens);
      expect(r.usage?.output_tokens).toBe(base.usage?.output_tokens);
      const [got, plain] = [exactOf(r.cost), exactOf(base.cost)];
      expect(plain.batchCached).toBeGreaterThan(0n);
      for (const figure of ["standard", "standardCached", "batch", "batchCached"] as const) {
        expect(got[figure] * 10n).toBe(plain[figure] * 11n);
      }
    });
  });

  it("on a model without it, every request comes back errored, priced at $0", async () => {
    await project.write(
      "evals/us.yaml",
      suite("geo-us", "claude-haiku-4-5", ", inference_geo: us"),
    );
    const t = project.io();
    expect(await runCommand({ paths: [], backend: "sim" }, t.io)).toBe(1);
    const { results } = await project.report();
    expect(results.map((r) => [r.error?.type, r.cost.batchCached])).toEqual([
      ["errored:invalid_request_error", 0],
      ["errored:invalid_request_error", 0],
    ]);
    expect(results[0]?.error?.message).toMatch(/^inference_geo: not supported on claude-haiku-4-5/);
  });
});
