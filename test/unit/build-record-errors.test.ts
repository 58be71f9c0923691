/**
 * The record of a result that did not succeed: every errored type, expired, canceled and a
 * missing line are outcome `error` with their reason, cost nothing and grade nothing, even
 * though the case has an assertion that the empty output would fail.
 */
import type { ErrorObject } from "@anthropic-ai/sdk/resources/shared";
import { describe, expect, it } from "vitest";
// The one line to change when buildRecord moves: everything else is typed from it.
import { buildRecord, OUTPUT_CHARS } from "../../src/run/build-record.js";
import type { EvalCase } from "../../src/suite/types.js";
import { succeededResult } from "../support/replies.js";

type Input = Parameters<typeof buildRecord>[0];
type Line = NonNullable<Input["result"]>;

const request: Input["request"] = {
  customId: "triage_c1_r0",
  suite: "triage",
  caseId: "c1",
  repeat: 0,
  model: "claude-haiku-4-5",
  params: {
    model: "claude-haiku-4-5",
    max_tokens: 16,
    messages: [{ role: "user", content: "hi" }],
  },
};

const evalCase: EvalCase = {
  suite: "triage",
  caseId: "c1",
  vars: {},
  system: [],
  messages: [{ role: "user", content: "hi" }],
  params: { max_tokens: 16 },
  // An output of "" fails this, so a record graded by mistake would show up as `fail`.
  assert: [{ type: "contains", value: "Paris", source: { file: "s.yaml", line: 3, col: 5 } }],
  repeat: 1,
  source: { file: "s.yaml", line: 2, col: 3 },
};

// Any price above zero: a record priced by mistake would cost something.
const price: Input["price"] = {
  model: "claude-haiku-4-5",
  seen: "config",
  input: 1,
  output: 5,
  cacheWrite5m: 1.25,
  cacheWrite1h: 2,
  cacheRead: 0.1,
  geoUs: false,
};

function errored(type: string, message: string): Line {
  return {
    custom_id: request.customId,
    result: {
      type: "errored",
      error: { type: "error", error: { type, message }, request_id: "req_1" },
    },
  } as Line;
}

/** Every type of the SDK's ErrorObject union: the typecheck fails if one is left out. */
const SDK_ERROR_TYPES = {
  invalid_request_error: true,
  authentication_error: true,
  billing_error: true,
  permission_error: true,
  not_found_error: true,
  rate_limit_error: true,
  timeout_error: true,
  api_error: true,
  overloaded_error: true,
} satisfies Record<ErrorObject["type"], true>;

// ... and one a later API version might add.
const ERROR_TYPES = [...Object.keys(SDK_ERROR_TYPES), "some_future_error"];

const TABLE: [name: string, line: Line | undefined, type: string, message: string | RegExp][] = [
  ...ERROR_TYPES.map(
    (t) =>
      [`errored ${t}`, errored(t, `${t} happened`), `errored:${t}`, `${t} happened`] as [
        string,
        Line,
        string,
        string,
      ],
  ),
  ["expired", { custom_id: request.customId, result: { type: "expired" } }, "expired", /expired/],
  [
    "canceled",
    { custom_id: request.customId, result: { type: "canceled" } },
    "canceled",
    /canceled/,
  ],
  ["missing (no result line)", undefined, "missing", /no line for this request/],
];

/** A succeeded result whose reply is `text`. */
function succeeded(text: string): Line {
  const usage = { input_tokens: 1_000_000, output_tokens: 0 };
  return { custom_id: request.customId, result: succeededResult(text, usage) } as Line;
}

describe("buildRecord of a result that did not succeed", () => {
  it.each(TABLE)(
    "%s → outcome error, its reason, zero cost, nothing graded",
    (_n, line, type, message) => {
      for (const replayed of [false, true]) {
        const record = buildRecord({ request, evalCase, result: line, price, replayed });
        expect(record).toMatchObject({
          suite: "triage",
          caseId: "c1",
          model: "claude-haiku-4-5",
          repeat: 0,
          customId: "triage_c1_r0",
          outcome: "error",
          score: 0,
          output: "",
          stopReason: null,
          assertions: [],
          usage: null,
          cost: { standard: 0, standardCached: 0, batch: 0, batchCached: 0 },
        });
        expect(record.error?.type).toBe(type);
        expect(record.error?.message).toMatch(message);
        expect(record.toolCalls).toBeUndefined();
      }
    },
  );

  it("grades the same case as fail when it did succeed with a wrong answer (the contrast)", () => {
    const line = succeeded("Lyon.");
    const record = buildRecord({ request, evalCase, result: line, price, replayed: false });
    expect(record.outcome).toBe("fail");
    expect(record.assertions).toHaveLength(1);
    expect(record.cost.batch).toBe(0.5);
    expect(record.error).toBeUndefined();
  });
});

describe("buildRecord of a long reply", () => {
  it("grades the whole output and keeps its first 4,000 characters, with the whole length", () => {
    // The answer the assertion wants comes after the part the report keeps.
    const text = `${"x".repeat(OUTPUT_CHARS + 10)} Paris`;
    const record = buildRecord({
      request,
      evalCase,
      result: succeeded(text),
      price,
      replayed: false,
    });
    expect(record.outcome).toBe("pass");
    expect(record.output).toBe("x".repeat(OUTPUT_CHARS));
    expect(record.outputChars).toBe(text.length);
  });

  it("never cuts a surrogate pair in half, and leaves a reply of the limit alone", () => {
    const emoji = `${"x".repeat(OUTPUT_CHARS - 1)}\u{1F600} Paris`;
    const cut = buildRecord({
      request,
      evalCase,
      result: succeeded(emoji),
      price,
      replayed: false,
    });
    expect(cut.output).toBe("x".repeat(OUTPUT_CHARS - 1));
    const exact = `Paris${"x".repeat(OUTPUT_CHARS - 5)}`;
    const kept = buildRecord({
      request,
      evalCase,
      result: succeeded(exact),
      price,
      replayed: false,
    });
    expect(kept.output).toBe(exact);
    expect(kept.outputChars).toBeUndefined();
  });
});
