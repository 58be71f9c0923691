import type { Message, MessageBatchIndividualResponse } from "@anthropic-ai/sdk/resources/messages";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseFixtures } from "../../src/sim/fixtures.js";
import { params, runBatch, type SimHarness, startHarness, textOf } from "./helpers.js";

const YAML = `
rules:
  - match: weather in
    tool_use: { name: get_weather, input: { city: Paris } }
  - match: look it up
    reply: Let me check.
    tool_use: { name: search, input: { q: cats } }
  - match: ramble
    reply: This answer goes on and on.
    stop_reason: max_tokens
  - model: claude-opus-*
    echo: true
`;

let h: SimHarness;
beforeAll(async () => {
  h = await startHarness({ rules: parseFixtures(YAML, "inline.yaml") });
});
afterAll(async () => {
  await h.sim.close();
});

function message(line: MessageBatchIndividualResponse | undefined): Message {
  if (line?.result.type !== "succeeded") throw new Error(`not succeeded: ${JSON.stringify(line)}`);
  return line.result.message;
}

describe("richer fixture rules", () => {
  test("tool_use rules answer with a tool_use block and stop_reason tool_use", async () => {
    const { results } = await runBatch(h.client, [
      { custom_id: "tool", params: params("what is the weather in Paris?") },
      { custom_id: "text-tool", params: params("please look it up") },
    ]);
    const tool = message(results.get("tool"));
    expect(tool.stop_reason).toBe("tool_use");
    expect(tool.content).toEqual([
      {
        type: "tool_use",
        id: expect.stringMatching(/^toolu_/),
        name: "get_weather",
        input: { city: "Paris" },
        caller: { type: "direct" },
      },
    ]);
    const both = message(results.get("text-tool"));
    expect(both.content.map((b) => b.type)).toEqual(["text", "tool_use"]);
    expect(both.stop_reason).toBe("tool_use");
  });

  test("stop_reason max_tokens truncates as if the limit was hit", async () => {
    const { results } = await runBatch(h.client, [
      { custom_id: "long", params: params("ramble", { max_tokens: 3 }) },
      { custom_id: "roomy", params: params("ramble", { max_tokens: 100 }) },
    ]);
    const long = message(results.get("long"));
    expect(long.stop_reason).toBe("max_tokens");
    expect(long.usage.output_tokens).toBe(3);
    expect(textOf(results.get("long"))).toBe("This answer ");
    const roomy = message(results.get("roomy"));
    expect(roomy.stop_reason).toBe("max_tokens");
    expect(roomy.usage.output_tokens).toBe(100);
  });

  test("echo rules repeat the last user message; the echo default does too", async () => {
    const { results } = await runBatch(h.client, [
      { custom_id: "echo", params: params("say this back", { model: "claude-opus-4-6" }) },
      { custom_id: "haiku", params: params("say this back") },
    ]);
    expect(textOf(results.get("echo"))).toBe("say this back");
    expect(textOf(results.get("haiku"))).toMatch(/^\[sim default reply\]/);
    const echo = await startHarness({ defaultReply: "echo" });
    try {
      const again = await runBatch(echo.client, [{ custom_id: "e", params: params("parrot me") }]);
      expect(textOf(again.results.get("e"))).toBe("parrot me");
    } finally {
      await echo.sim.close();
    }
  });
});
