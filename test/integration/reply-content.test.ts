/**
 * What the graders see of a reply, through the whole run on the simulator: an answer split into
 * several text blocks is joined with nothing between them, thinking is left out, and a reply
 * that is only a tool call is the empty text with the call as structured content.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCommand } from "../../src/cli/run-command.js";
import { TempProject } from "../support/temp-project.js";

let project: TempProject;

beforeEach(async () => {
  project = await TempProject.create("batcheval-content-");
  await project.write(
    "fixtures/sim/rules.yaml",
    `rules:
  - match: "cited"
    reply: ["The capital of France is ", "Paris", "."]
  - match: "think first"
    thinking: "The user wants a single word. Answer: Oslo"
    reply: "Oslo"
  - match: "weather"
    tool_use: { name: get_weather, input: { city: Paris } }
`,
  );
  await project.write(
    "evals/content.yaml",
    `name: content
models: [claude-sonnet-4-6]
params: { max_tokens: 200 }
prompt: "{{q}}"
cases:
  - id: cited
    vars: { q: "cited answer please" }
    assert: [{ type: equals, value: "The capital of France is Paris." }]
  - id: thinking
    vars: { q: "think first, then answer" }
    assert: [{ type: equals, value: "Oslo" }]
  - id: tool-json
    vars: { q: "weather in Paris?" }
    assert:
      - type: is-json
        value: { type: object, required: [city], properties: { city: { const: Paris } } }
  - id: tool-text
    vars: { q: "weather in Paris, as text?" }
    assert: [{ type: contains, value: Paris }]
pass_threshold: 0.5
`,
  );
});

afterEach(async () => {
  await project.remove();
});

describe("reply content as the graders see it", () => {
  it("joins text blocks with nothing, skips thinking, and grades a tool call by its input", async () => {
    const t = project.io();
    expect(await runCommand({ paths: [], backend: "sim" }, t.io)).toBe(0);
    const report = await project.report();
    const byCase = new Map(report.results.map((r) => [r.caseId, r]));

    expect(byCase.get("cited")).toMatchObject({
      outcome: "pass",
      output: "The capital of France is Paris.",
    });
    const thinking = byCase.get("thinking");
    expect(thinking).toMatchObject({ outcome: "pass", output: "Oslo" });
    // The thinking tokens are billed as output, though the text is one word.
    expect(thinking?.usage?.output_tokens).toBeGreaterThan(5);

    const toolJson = byCase.get("tool-json");
    expect(toolJson).toMatchObject({
      outcome: "pass",
      output: "",
      stopReason: "tool_use",
      toolCalls: [{ name: "get_weather", input: { city: "Paris" } }],
    });
    expect(toolJson?.assertions[0]?.reason).toContain("tool call `get_weather`");
    // A text assertion sees the empty text: the call's JSON is not text the model wrote.
    expect(byCase.get("tool-text")).toMatchObject({ outcome: "fail", output: "" });
  });
});
