/**
 * One table per assertion type added for promptfoo users: each row grades a whole reply (text
 * blocks, tool calls, stop reason) through gradeResult, as a run does, so the context a grader
 * reads is the one the run builds (cost through buildRecord, which prices the result before
 * grading it). Every type is also checked in its `not-` form.
 */
import type { MessageBatchIndividualResponse } from "@anthropic-ai/sdk/resources/messages/batches";
import type {
  ContentBlock,
  Message,
  StopReason,
} from "@anthropic-ai/sdk/resources/messages/messages";
import { describe, expect, it } from "vitest";
import { plainCost } from "../../src/cost/exact-cost.js";
import { gradeAssertion } from "../../src/grade/grade-case.js";
import { gradeResult } from "../../src/grade/grade-result.js";
import { editDistance } from "../../src/grade/measure-graders.js";
import { checkAssertion } from "../../src/grade/registry.js";
import { type Graded, isPending } from "../../src/grade/types.js";
import { buildRecord } from "../../src/run/build-record.js";
import { succeededResult } from "../support/replies.js";

const text = (t: string): ContentBlock => ({ type: "text", text: t, citations: null });
const tool = (name: string, input: unknown): ContentBlock =>
  ({ type: "tool_use", id: `toolu_${name}`, name, input }) as ContentBlock;

/** A reply: its blocks (a string is one text block) and why the model stopped. */
interface Reply {
  blocks: string | ContentBlock[];
  stop?: StopReason;
}

function response(reply: Reply): MessageBatchIndividualResponse {
  const content = typeof reply.blocks === "string" ? [text(reply.blocks)] : reply.blocks;
  const message = {
    id: "msg_1",
    type: "message",
    role: "assistant",
    model: "claude-haiku-4-5",
    content,
    stop_reason: reply.stop ?? "end_turn",
    stop_sequence: null,
    usage: { input_tokens: 1, output_tokens: 1 },
  } as Message;
  return { custom_id: "c", result: { type: "succeeded", message } };
}

type Row = [value: unknown, reply: Reply | string, pass: boolean, threshold?: number];

function grade(type: string, row: Row): Graded {
  const [value, reply, , threshold] = row;
  const assertion = { type, value, ...(threshold === undefined ? {} : { threshold }) };
  const problem = checkAssertion(type, value, threshold);
  if (problem !== undefined) throw new Error(`the table's value is refused: ${problem}`);
  const graded = gradeResult(
    { assert: [assertion], vars: {} },
    response(typeof reply === "string" ? { blocks: reply } : reply),
  );
  if (isPending(graded)) throw new Error("expected a grade, got PENDING");
  return graded;
}

/** Runs a table for a type, and the same rows negated for `not-TYPE`. */
function table(type: string, rows: Row[]): void {
  describe(type, () => {
    it.each(rows)(`${type} %j on %j → pass=%s`, (...row) => {
      const [assertion] = grade(type, row as Row).assertions;
      expect(assertion?.pass).toBe(row[2]);
      expect(assertion?.score).toBe(row[2] ? 1 : 0);
      expect(assertion?.reason.length).toBeGreaterThan(0);
    });
    it.each(rows)(`not-${type} %j on %j → pass=!%s`, (...row) => {
      const [assertion] = grade(`not-${type}`, row as Row).assertions;
      expect(assertion?.pass).toBe(!row[2]);
      expect(assertion?.reason).toMatch(/^(as required, not:|expected not:) /);
    });
  });
}

const ONLY_TOOL: Reply = { blocks: [tool("lookup", { id: 7 })], stop: "tool_use" };
const SPLIT: Reply = { blocks: [text("Ref"), text("und issued")] };

table("icontains-any", [
  [["REFUND", "credit"], "We will refund you", true],
  [["Crédit"], "CRÉDIT accordé", true],
  [["refund"], "No money back", false],
  [["refund"], "", false],
  [["refund"], ONLY_TOOL, false],
  [["refund"], SPLIT, true],
]);

table("icontains-all", [
  [["REFUND", "today"], "Refund issued Today", true],
  [["refund", "today"], "Refund issued tomorrow", false],
  [["ÉTÉ"], "un été chaud", true],
  [["x"], "", false],
  [["refund", "issued"], SPLIT, true],
]);

table("word-count", [
  [3, "one two three", true],
  [3, "  one\ttwo\n\nthree  ", true],
  [3, "one two", false],
  [2, "naïve café", true],
  [0, "", true],
  [0, ONLY_TOOL, true],
  [{ min: 1 }, "", false],
  [{ min: 2, max: 4 }, "a b c", true],
  [{ max: 2 }, "a b c", false],
  [{ min: 2, max: 2 }, SPLIT, true],
]);

table("is-xml", [
  [undefined, '<order id="7"><item qty="2">tea &amp; cake</item></order>', true],
  [undefined, '<?xml version="1.0"?>\n<!-- note --><a><![CDATA[1 < 2]]></a>\n', true],
  [undefined, "```xml\n<a><b/></a>\n```", true],
  [undefined, "<größe einheit='cm'>ü</größe>", true],
  [undefined, '<!DOCTYPE a [<!ENTITY co "Acme">]><a>&co;</a>', true],
  [undefined, { blocks: [text("<a>"), text("</a>")] }, true],
  [undefined, "", false],
  [undefined, ONLY_TOOL, false],
  [undefined, "<a><b></a></b>", false],
  [undefined, "<a/><b/>", false],
  [undefined, "Here it is: <a/>", false],
  [undefined, "<a x=1/>", false],
  [undefined, '<a x="1" x="2"/>', false],
  [undefined, "<a>&nbsp;</a>", false],
  [undefined, "<a>1 < 2</a>", false],
  [undefined, "<a>", false],
]);

table("levenshtein", [
  ["kitten", "sitting", true],
  ["kitten", "sitting", false, 2],
  ["kitten", "kitten", true, 0],
  ["Paris", "", true],
  ["Paris, France", "", false],
  ["Refund issued", SPLIT, true, 0],
  ["café", "cafe\u0301", true, 0],
  ["😀😀", "😀", true, 1],
  ["日本語", "日本", true, 1],
  ["", ONLY_TOOL, true, 0],
]);

table("stop-reason", [
  ["end_turn", "done", true],
  ["max_tokens", { blocks: "cut of", stop: "max_tokens" }, true],
  ["max_tokens", "done", false],
  ["tool_use", ONLY_TOOL, true],
  ["refusal", { blocks: [], stop: "refusal" }, true],
  ["stop_sequence", { blocks: "", stop: "stop_sequence" }, true],
  ["pause_turn", { blocks: "", stop: "end_turn" }, false],
]);

// The core types, on the same edge cases: the empty output, a reply that is only a tool call,
// an answer split into several text blocks, and text beyond ASCII.
table("equals", [
  ["Paris", "  Paris\n", true],
  ["Paris", "paris", false],
  ["", "", true],
  ["", ONLY_TOOL, true],
  ["Refund issued", SPLIT, true],
  ["Zürich", "Zürich", true],
  [{ a: 1 }, '{"a": 1}', true],
]);

table("contains", [
  ["und iss", SPLIT, true],
  ["Paris", "", false],
  ["lookup", ONLY_TOOL, false],
  ["😀", "ok 😀", true],
  ["é", "cafe\u0301", false],
]);

table("icontains", [
  ["REFUND", SPLIT, true],
  ["ÉTÉ", "un été", true],
  ["x", "", false],
  ["lookup", ONLY_TOOL, false],
]);

table("starts-with", [
  ["Ref", SPLIT, true],
  ["Paris", "  Paris is", true],
  ["Paris", "", false],
  ["", ONLY_TOOL, true],
  ["日本", "日本語", true],
]);

table("regex", [
  ["^Refund issued$", SPLIT, true],
  ["/^paris$/i", "PARIS", true],
  ["\\d+", "", false],
  ["^$", ONLY_TOOL, true],
  ["/^\\p{L}+$/u", "Ελλάδα", true],
  ["^\\w+$", "Ελλάδα", false],
]);

table("contains-any", [
  [["und", "zzz"], SPLIT, true],
  [["a"], "", false],
  [["lookup"], ONLY_TOOL, false],
  [["東京", "大阪"], "大阪です", true],
]);

table("contains-all", [
  [["Ref", "issued"], SPLIT, true],
  [["a", "b"], "a", false],
  [["a"], "", false],
  [["ü", "ß"], "Grüße", true],
]);

table("is-json", [
  [undefined, '{"city": "Zürich"}', true],
  [undefined, { blocks: [text('{"a"'), text(": 1}")] }, true],
  [undefined, "", false],
  [undefined, ONLY_TOOL, true],
  [{ type: "object", required: ["id"] }, ONLY_TOOL, true],
  [{ type: "object", required: ["name"] }, ONLY_TOOL, false],
  [undefined, "not json", false],
]);

table("contains-json", [
  [undefined, 'Here: {"a": 1} done', true],
  [undefined, "", false],
  [undefined, ONLY_TOOL, true],
  [{ type: "array" }, "list: [1, 2]", true],
  [{ type: "array" }, 'obj: {"a": 1}', false],
  [undefined, '« {"ville": "Genève"} »', true],
]);

const LOOKUP_SCHEMA = { type: "object", required: ["id"], properties: { id: { type: "integer" } } };

table("tool-call", [
  ["lookup", ONLY_TOOL, true],
  ["search", ONLY_TOOL, false],
  ["lookup", "I would call lookup", false],
  ["lookup", "", false],
  [{ name: "lookup" }, ONLY_TOOL, true],
  [{ name: "lookup", input: LOOKUP_SCHEMA }, ONLY_TOOL, true],
  [{ name: "lookup", input: LOOKUP_SCHEMA }, { blocks: [tool("lookup", { id: "7" })] }, false],
  [
    { name: "lookup", input: LOOKUP_SCHEMA },
    { blocks: [text("Let me check."), tool("lookup", { q: 1 }), tool("lookup", { id: 2 })] },
    true,
  ],
  [{ name: "search", input: LOOKUP_SCHEMA }, ONLY_TOOL, false],
]);

describe("cost", () => {
  /** A cost whose billed figure (batch, with caching) is `femto` femto-USD; the others differ. */
  const billed = (femto: bigint) =>
    plainCost({
      standard: femto * 4n,
      standardCached: femto * 2n,
      batch: femto * 3n,
      batchCached: femto,
    });
  const rows: [value: number, cost: bigint, pass: boolean][] = [
    [0.001, 10n ** 12n, true], // exactly the limit
    [0.001, 10n ** 12n + 1n, false], // one femto-USD over
    [0, 0n, true],
    [0.5, 0n, true],
    [0.0003, 299_999_999_999n, true],
  ];
  it.each(rows)(
    "cost %j on %s femto-USD → pass=%s, and not-cost the opposite",
    (value, femto, pass) => {
      const context = { vars: {}, cost: billed(femto) };
      expect(gradeAssertion({ type: "cost", value }, "", context)).toMatchObject({ pass });
      expect(gradeAssertion({ type: "not-cost", value }, "", context)).toMatchObject({
        pass: !pass,
      });
    },
  );

  it("grades the cost the record is priced at", () => {
    // 100k tokens in at 1 USD/MTok and 100k out at 5: 0.6 USD standard, 0.3 in a batch.
    const base: Omit<Parameters<typeof buildRecord>[0], "evalCase"> = {
      request: {
        customId: "s_c_r0",
        suite: "s",
        caseId: "c",
        repeat: 0,
        model: "claude-haiku-4-5",
        params: { model: "claude-haiku-4-5", max_tokens: 16, messages: [] },
      },
      result: {
        custom_id: "s_c_r0",
        result: succeededResult("hi", { input_tokens: 100_000, output_tokens: 100_000 }),
      },
      price: {
        model: "claude-haiku-4-5",
        seen: "config",
        input: 1,
        output: 5,
        cacheWrite5m: 1.25,
        cacheWrite1h: 2,
        cacheRead: 0.1,
        geoUs: false,
      },
      replayed: false,
    };
    const record = (value: number) =>
      buildRecord({ ...base, evalCase: { vars: {}, assert: [{ type: "cost", value }] } });
    expect(record(0.3).cost.batchCached).toBe(0.3);
    expect(record(0.3).assertions[0]).toMatchObject({
      pass: true,
      reason: "batch cost 0.3 USD (at most 0.3 USD allowed)",
    });
    expect(record(0.2999).outcome).toBe("fail");
  });

  it("fails when a library caller grades without a cost", () => {
    expect(gradeAssertion({ type: "cost", value: 1 }, "", { vars: {} })).toMatchObject({
      pass: false,
      reason: "the result's cost is not known",
    });
  });
});

describe("reasons", () => {
  const reason = (type: string, row: Row) => grade(type, row).assertions[0]?.reason;

  it("word-count says what it counted", () => {
    expect(reason("word-count", [{ min: 5, max: 9 }, "naïve café", false])).toBe(
      'expected 5 to 9 words, got 2 in "naïve café"',
    );
  });

  it("is-xml says where the document breaks", () => {
    expect(reason("is-xml", [undefined, "<a>\n<b></a>", false])).toContain(
      "</a> closes <b> at line 2, column 4",
    );
  });

  it("levenshtein gives the distance, or that it is beyond the threshold", () => {
    expect(reason("levenshtein", ["kitten", "sitting", true])).toContain("edit distance 3");
    expect(reason("levenshtein", ["kitten", "a much longer reply", false, 2])).toContain(
      "edit distance more than 2 (at most 2 allowed)",
    );
  });

  it("tool-call names the calls it saw, and the input's schema errors", () => {
    expect(reason("tool-call", ["search", ONLY_TOOL, false])).toBe(
      'expected a call of tool `search`, got tool calls ["lookup"]',
    );
    expect(
      reason("tool-call", [
        { name: "lookup", input: LOOKUP_SCHEMA },
        { blocks: [tool("lookup", {})] },
        false,
      ]),
    ).toContain("input must have required property 'id'");
  });

  it("stop-reason names both", () => {
    expect(reason("stop-reason", ["max_tokens", "done", false])).toBe(
      "expected stop reason max_tokens, got end_turn",
    );
  });

  it("stop-reason fails when a library caller leaves the stop reason out", () => {
    const graded = gradeAssertion({ type: "stop-reason", value: "end_turn" }, "x", { vars: {} });
    expect(graded).toMatchObject({
      pass: false,
      reason: "expected stop reason end_turn, got none known",
    });
  });
});

describe("levenshtein counts code points of NFC text", () => {
  it.each([
    ["kitten", "sitting", 3],
    ["", "abc", 3],
    ["café", "cafe\u0301", 0],
    ["😀", "", 1],
    ["a😀b", "ab", 1],
    ["flaw", "lawn", 2],
  ])("%j → %j: %i", (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });

  it("stops once the distance is known to exceed the limit", () => {
    expect(editDistance("a".repeat(5000), "b".repeat(5000), 3)).toBe(4);
    expect(editDistance("short", "a far longer text", 2)).toBe(3);
  });
});

describe("values are checked at load", () => {
  it.each([
    ["icontains-any", [], "non-empty list"],
    ["icontains-all", "x", "non-empty list"],
    ["word-count", "ten", 'expects a whole number of words (0 or more) or {min, max}, got "ten"'],
    ["word-count", -1, "got -1"],
    ["word-count", 2.5, "got 2.5"],
    ["word-count", { min: 5, max: 2 }, "has min 5 above max 2"],
    ["word-count", { min: "5" }, 'expects min to be a whole number of words (0 or more), got "5"'],
    ["word-count", {}, "at least one bound"],
    ["word-count", { minimum: 2 }, "unknown key 'minimum'"],
    ["not-word-count", undefined, "got nothing"],
    ["is-xml", "root.child", "takes no value"],
    ["levenshtein", undefined, "expects the text to compare with, got nothing"],
    ["levenshtein", 42, "got 42"],
    [
      "stop-reason",
      "end-turn",
      'expects one of end_turn, max_tokens, stop_sequence, tool_use, pause_turn, refusal, got "end-turn"',
    ],
    ["tool-call", "", "expects a tool name"],
    ["tool-call", ["lookup"], "expects a tool name or {name, input: JSON Schema}"],
    ["tool-call", { input: {} }, "expects `name`"],
    ["tool-call", { name: "lookup", schema: {} }, "unknown key 'schema'"],
    [
      "tool-call",
      { name: "lookup", input: { type: "nonsense" } },
      "input has an invalid JSON Schema",
    ],
    ["tool-call", { name: "lookup", input: "object" }, "input expects a JSON Schema object"],
    ["cost", undefined, "promptfoo's `threshold` is `value` here), got nothing"],
    ["cost", -0.01, "got -0.01"],
    ["cost", "0.01", 'got "0.01"'],
  ])("%s %j: %s", (type, value, message) => {
    expect(checkAssertion(type, value)).toContain(message);
    expect(checkAssertion(type, value)).toMatch(new RegExp(`^assertion "${type}" `));
  });

  it.each([
    ["levenshtein", 5, undefined],
    ["levenshtein", 0, undefined],
    ["not-levenshtein", 12, undefined],
    ["levenshtein", 0.5, "largest edit distance allowed (a whole number, 0 or more), got 0.5"],
    ["levenshtein", -1, "got -1"],
    ["contains", 0.5, undefined],
    ["contains", 5, "expects threshold to be a minimum score from 0 to 1, got 5"],
  ])("%s threshold %j", (type, threshold, message) => {
    const problem = checkAssertion(type, "x", threshold);
    if (message === undefined) expect(problem).toBeUndefined();
    else expect(problem).toContain(message);
  });

  it("accepts zero bounds, a schema for the input, and is-xml without a value", () => {
    expect(checkAssertion("word-count", { min: 0, max: 0 })).toBeUndefined();
    expect(checkAssertion("tool-call", { name: "lookup", input: LOOKUP_SCHEMA })).toBeUndefined();
    expect(checkAssertion("is-xml", undefined)).toBeUndefined();
  });
});
