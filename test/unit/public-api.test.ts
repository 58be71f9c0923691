import { describe, expect, it } from "vitest";
import * as batcheval from "../../src/index.js";

describe("the public library API", () => {
  it("runs a suite's cases through compile, grade and summarize without the CLI", async () => {
    const pricing = await batcheval.loadPricing({});
    const price = batcheval.requirePrice(pricing, "claude-haiku-4-5");
    const evalCase: batcheval.EvalCase = {
      suite: "s",
      caseId: "c",
      vars: {},
      system: [],
      messages: [{ role: "user", content: "hi" }],
      params: { max_tokens: 5 },
      assert: [{ type: "icontains", value: "HELLO", source: { file: "s", line: 1, col: 1 } }],
      repeat: 1,
      source: { file: "s.yaml", line: 1, col: 1 },
    };
    const plan = batcheval.planBatches([
      { suite: "s", models: ["claude-haiku-4-5"], cases: [evalCase] },
    ]);
    const [request] = plan.models[0]!.requests;
    const record = batcheval.buildRecord({
      request: request!,
      evalCase,
      price,
      replayed: false,
      result: {
        custom_id: request!.customId,
        result: {
          type: "succeeded",
          message: {
            id: "msg_1",
            type: "message",
            role: "assistant",
            model: "claude-haiku-4-5",
            content: [{ type: "text", text: "Hello!", citations: null }],
            stop_reason: "end_turn",
            stop_sequence: null,
            usage: { input_tokens: 1_000_000, output_tokens: 0 },
          },
        },
      } as never,
    });
    expect(record.outcome).toBe("pass");
    // 1M input tokens on Haiku 4.5: $1 standard, $0.50 batch.
    expect(record.cost).toEqual({
      standard: 1,
      standardCached: 1,
      batch: 0.5,
      batchCached: 0.5,
      // The exact amounts as plain data (femto-USD), kept by a copy of the record.
      femtoUsd: {
        standard: "1000000000000000",
        standardCached: "1000000000000000",
        batch: "500000000000000",
        batchCached: "500000000000000",
      },
    });
    const report = batcheval.summarize({
      runId: "r",
      createdAt: "2026-11-25T00:00:00Z",
      backend: "sim",
      sdkVersion: "x",
      suites: [{ name: "s", file: "s.yaml", passThreshold: 1, caseCount: 1 }],
      models: ["claude-haiku-4-5"],
      results: [record],
      batches: new Map(),
    });
    expect(report.recommendation.model).toBe("claude-haiku-4-5");
    expect(batcheval.renderJson(report)).toContain('"schemaVersion": 1');
  });
});
