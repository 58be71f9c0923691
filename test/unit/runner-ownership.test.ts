import type {
  MessageBatch,
  MessageBatchIndividualResponse,
} from "@anthropic-ai/sdk/resources/messages/batches";
import { describe, expect, it } from "vitest";
import { loadPricing } from "../../src/run/load-pricing.js";
import {
  adoptionCandidates,
  CLOCK_SLACK_MS,
  foreignResult,
  sameModel,
} from "../../src/runner/batch-ownership.js";

const SENT = Date.parse("2026-11-25T12:00:00.000Z");

function batch(id: string, createdOffsetMs: number, requests = 8, canceled = false): MessageBatch {
  return {
    id,
    type: "message_batch",
    processing_status: "in_progress",
    request_counts: { processing: requests, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
    created_at: new Date(SENT + createdOffsetMs).toISOString(),
    expires_at: "",
    ended_at: null,
    cancel_initiated_at: canceled ? new Date(SENT).toISOString() : null,
    archived_at: null,
    results_url: null,
  };
}

describe("adoptionCandidates", () => {
  const query = { sentAt: SENT, requestCount: 8, known: new Set(["mine"]) };

  it.each([
    ["created after the send began", batch("b", 150), true],
    ["created at the send", batch("b", 0), true],
    ["created within the clock slack before it", batch("b", -CLOCK_SLACK_MS), true],
    ["created before the send (beyond the slack)", batch("b", -CLOCK_SLACK_MS - 1), false],
    ["created a minute before (another run's)", batch("b", -60_000), false],
    ["of another size", batch("b", 150, 7), false],
    ["already this run's", batch("mine", 150), false],
    ["being canceled (not a fresh create)", batch("b", 150, 8, true), false],
  ])("a batch %s → candidate: %s", (_name, b, expected) => {
    expect(adoptionCandidates([b], query).map((c) => c.id)).toEqual(expected ? ["b"] : []);
  });

  it("ranks the batch created nearest the send first", () => {
    const list = [batch("late", 5_000), batch("near", 40), batch("early", -1_500)];
    expect(adoptionCandidates(list, query).map((b) => b.id)).toEqual(["near", "early", "late"]);
  });
});

const pricing = await loadPricing({});
const canonical = (id: string) => pricing.lookup(id)?.model;

describe("sameModel", () => {
  it.each([
    ["claude-sonnet-4-5", "claude-sonnet-4-5", true],
    ["claude-sonnet-4-5", "claude-sonnet-4-5-20250929", true], // the dated id, an alias in the table
    ["claude-sonnet-4-5-20250929", "claude-sonnet-4-5", true],
    ["claude-haiku-4-5", "claude-haiku-4-5-20991231", true], // a snapshot the table does not know
    ["claude-haiku-4-5", "claude-sonnet-4-5", false],
    ["claude-haiku-4-5", "claude-sonnet-4-5-20250929", false],
    ["claude-opus-4-5", "claude-opus-4-1", false],
    ["my-model", "my-model", true], // not in the table at all
    ["my-model", "other-model", false],
  ])("%s answered as %s → %s", (requested, answered, expected) => {
    expect(sameModel(requested, answered, canonical)).toBe(expected);
  });

  it("without a table, matches equal and dated ids only", () => {
    expect(sameModel("claude-x-1", "claude-x-1-20250101")).toBe(true);
    expect(sameModel("claude-x-1", "claude-x-2")).toBe(false);
  });
});

describe("foreignResult", () => {
  const manifest = new Set(["t_a", "t_b"]);
  const succeeded = (id: string, model: string) =>
    ({
      custom_id: id,
      result: { type: "succeeded", message: { model } },
    }) as MessageBatchIndividualResponse;
  const errored = (id: string) =>
    ({
      custom_id: id,
      result: {
        type: "errored",
        error: { type: "error", error: { type: "api_error", message: "x" }, request_id: null },
      },
    }) as MessageBatchIndividualResponse;

  it.each([
    ["this run's id, the model sent to", succeeded("t_a", "claude-haiku-4-5"), undefined],
    ["this run's id, a dated id of it", succeeded("t_a", "claude-haiku-4-5-20251001"), undefined],
    ["this run's id, errored (no model to check)", errored("t_b"), undefined],
    [
      "an id not in the manifest",
      succeeded("other_a", "claude-haiku-4-5"),
      /other_a, which this run did not send/,
    ],
    ["an errored id not in the manifest", errored("other_b"), /other_b/],
    [
      "this run's id, another model",
      succeeded("t_a", "claude-sonnet-4-5"),
      /answered by claude-sonnet-4-5, not claude-haiku-4-5/,
    ],
  ])("%s → %s", (_name, line, expected) => {
    const reason = foreignResult(line, manifest, "claude-haiku-4-5");
    if (expected === undefined) expect(reason).toBeUndefined();
    else expect(reason).toMatch(expected);
  });
});
