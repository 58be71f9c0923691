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
  - match: grade this
    json: { pass: true, score: 1, reason: fine }
  - match: say hello
    reply: Hello there.
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

  test("a forced tool call is the reply alone: a json rule's value, or the text kept in {text}", async () => {
    const tools = [
      { name: "submit", input_schema: { type: "object" as const } },
      { name: "other", input_schema: { type: "object" as const } },
    ];
    const forced = { tools, tool_choice: { type: "tool" as const, name: "submit" } };
    const { results } = await runBatch(h.client, [
      { custom_id: "json", params: params("grade this", forced) },
      { custom_id: "text", params: params("say hello", forced) },
      { custom_id: "tool", params: params("what is the weather in Paris?", forced) },
      { custom_id: "any", params: params("grade this", { tools, tool_choice: { type: "any" } }) },
      { custom_id: "auto", params: params("grade this", { tools, tool_choice: { type: "auto" } }) },
    ]);
    const call = (id: string) => message(results.get(id)).content;
    expect(call("json")).toEqual([
      expect.objectContaining({
        type: "tool_use",
        name: "submit",
        input: { pass: true, score: 1, reason: "fine" },
      }),
    ]);
    expect(message(results.get("json")).stop_reason).toBe("tool_use");
    expect(call("text")).toEqual([
      expect.objectContaining({
        type: "tool_use",
        name: "submit",
        input: { text: "Hello there." },
      }),
    ]);
    // A rule that calls another tool is overruled: the API prefills the forced call.
    expect(call("tool")).toEqual([
      expect.objectContaining({ type: "tool_use", name: "submit", input: { text: "" } }),
    ]);
    expect(call("any")).toEqual([expect.objectContaining({ name: "submit" })]);
    expect(call("auto").map((b) => b.type)).toEqual(["text"]);
  });

  test("a forced tool must be offered, and does not go with extended thinking", async () => {
    const tools = [{ name: "submit", input_schema: { type: "object" as const } }];
    const refused = async (extra: Record<string, unknown>) =>
      h.client.messages.create(params("grade this", { tools, ...extra }) as never).catch((e) => e);
    const missing = await refused({ tool_choice: { type: "tool", name: "nope" } });
    expect(missing.status).toBe(400);
    expect(String(missing.message)).toContain("no tool named 'nope'");
    const thinking = await refused({
      tool_choice: { type: "tool", name: "submit" },
      thinking: { type: "enabled", budget_tokens: 1024 },
      max_tokens: 2000,
    });
    expect(thinking.status).toBe(400);
    expect(String(thinking.message)).toContain(
      "Thinking may not be enabled when tool_choice forces tool use",
    );
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
