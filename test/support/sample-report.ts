/** A one-result report (one case, passed, on Haiku), as `run` would write it. */
import { ZERO_COST } from "../../src/cost/price-usage.js";
import { summarize } from "../../src/report/summarize.js";
import type { Report } from "../../src/report/types.js";

export function sampleReport(output = "Paris", runId = "r1"): Report {
  return summarize({
    runId,
    createdAt: "2026-12-01T00:00:00Z",
    backend: "sim",
    sdkVersion: "x",
    suites: [{ name: "s", file: "s.yaml", passThreshold: 1, caseCount: 1 }],
    models: ["claude-haiku-4-5"],
    results: [
      {
        suite: "s",
        caseId: "c",
        model: "claude-haiku-4-5",
        repeat: 0,
        customId: "s_c_r0",
        outcome: "pass",
        source: "batch",
        score: 1,
        output,
        stopReason: "end_turn",
        assertions: [{ type: "equals", pass: true, score: 1, reason: "ok" }],
        usage: null,
        cost: ZERO_COST,
      },
    ],
    batches: new Map(),
  });
}
