import { describe, expect, it } from "vitest";
import { gradeAssertion, gradeCase } from "../../src/grade/grade-case.js";
import { checkAssertion, GraderRegistry } from "../../src/grade/registry.js";
import {
  type Grader,
  type GraderAnswer,
  type GraderQuestion,
  isPending,
  PENDING,
  type Pending,
} from "../../src/grade/types.js";

import { textMessage } from "../support/replies.js";

const context = { vars: {} };

/** A grade that must not be waiting for a grader model. */
function settled<T extends object>(grade: T | Pending): T {
  if (isPending(grade)) throw new Error("expected a grade, got PENDING");
  return grade;
}

describe("graders", () => {
  const table: [type: string, value: unknown, output: string, pass: boolean][] = [
    ["equals", "billing", "billing", true],
    ["equals", "billing", "  billing\n", true],
    ["equals", "billing", "Billing", false],
    ["equals", { a: 1 }, '{ "a": 1 }', true],
    ["equals", { a: 1 }, '{"a":2}', false],
    ["contains", "refund", "We will refund you", true],
    ["contains", "refund", "We will Refund you", false],
    ["icontains", "refund", "We will REFUND you", true],
    ["regex", "/^cat(egory)?: \\w+$/i", "Category: billing", true],
    ["regex", "^\\d+$", "12a", false],
    ["starts-with", "Yes", "  Yes, indeed", true],
    ["starts-with", "Yes", "No, yes", false],
    ["contains-any", ["a1", "b2"], "xx b2 yy", true],
    ["contains-any", ["a1", "b2"], "none", false],
    ["contains-all", ["a1", "b2"], "a1 b2", true],
    ["contains-all", ["a1", "b2"], "a1 only", false],
    ["is-json", undefined, '{"ok": true}', true],
    ["is-json", undefined, '```json\n{"ok": true}\n```', true],
    ["is-json", undefined, "{ok: true}", false],
    ["is-json", { type: "object", required: ["name"] }, '{"name": "x"}', true],
    ["is-json", { type: "object", required: ["name"] }, '{"nome": "x"}', false],
    ["contains-json", undefined, 'Here you go: {"a": [1, 2]} hope it helps', true],
    ["contains-json", undefined, "no json here {", false],
    ["not-contains", "sorry", "Happy to help", true],
    ["not-contains", "sorry", "I'm sorry", false],
    ["not-is-json", undefined, "plain", true],
    ["not-regex", "/error/i", "ERROR 5", false],
  ];

  it.each(table)("%s %j on %j → pass=%s", (type, value, output, pass) => {
    const result = settled(gradeAssertion({ type, value }, output, context));
    expect(result.pass).toBe(pass);
    expect(result.score).toBe(pass ? 1 : 0);
    expect(result.type).toBe(type);
    expect(result.reason.length).toBeGreaterThan(0);
  });

  it("explains what was expected and what came back", () => {
    const result = settled(
      gradeAssertion({ type: "contains", value: "refund" }, "no luck", context),
    );
    expect(result.reason).toBe('expected output to contain "refund", got "no luck"');
  });
});

describe("checkAssertion", () => {
  it.each([
    ["contains", "x", undefined],
    ["not-icontains", "x", undefined],
    ["contains", undefined, 'assertion "contains" expects a text value'],
    ["regex", "/(/", "is not a valid regular expression"],
    ["contains-any", [], "non-empty list"],
    ["is-json", { type: "nonsense" }, "invalid JSON Schema"],
    ["is-json", { properties: { at: { format: "date-time" } } }, "uses `format: date-time`"],
    ["is-json", { properties: { format: { type: "string" } } }, undefined],
    ["smells-right", "x", 'unknown assertion type "smells-right"'],
    ["not-smells-right", "x", 'unknown assertion type "not-smells-right"'],
  ])("%s %j", (type, value, message) => {
    const problem = checkAssertion(type, value);
    if (message === undefined) expect(problem).toBeUndefined();
    else expect(problem).toContain(message);
  });
});

describe("an unknown assertion type", () => {
  const KNOWN = "; known types: equals, contains, icontains, regex,";
  it.each([
    // typos: the closest known type, `not-` kept
    ["llm-rubrik", 'unknown assertion type "llm-rubrik" — did you mean "llm-rubric"?'],
    ["not-contans", 'unknown assertion type "not-contans" — did you mean "not-contains"?'],
    ["nto-contains", 'unknown assertion type "nto-contains" — did you mean "not-contains"?'],
    ["containz", 'unknown assertion type "containz" — did you mean "contains"?'],
    ["factuallity", 'unknown assertion type "factuallity" — did you mean "factuality"?'],
    // promptfoo's types with an equivalent here
    ["finish-reason", "— promptfoo's `finish-reason` is `stop-reason` here"],
    ["not-finish-reason", "— promptfoo's `not-finish-reason` is `not-stop-reason` here"],
    ["model-graded-factuality", "— promptfoo's `model-graded-factuality` is `factuality` here"],
    ["is-valid-openai-tools-call", "is `tool-call` here"],
    // promptfoo's types without one: said so, with the nearest alternative where there is one
    [
      "python",
      "promptfoo's `python` is not supported here: no Python runs in a suite; write the check as a `javascript` assertion",
    ],
    ["not-python", "promptfoo's `python` is not supported here"],
    ["latency", "promptfoo's `latency` is not supported here: batches have no per-request latency"],
    ["similar", "not supported here: no embeddings are computed; `llm-rubric`"],
    ["answer-relevance", "not supported here: use `model-graded-closedqa`"],
    [
      "context-faithfulness",
      "not supported here: use `factuality` with the context as the reference",
    ],
    ["g-eval", "not supported here: use `llm-rubric`"],
    ["select-best", "not supported here: each result is graded on its own"],
    ["perplexity", "not supported here: the Messages API returns no token log-probabilities"],
    ["moderation", "not supported here: no moderation API is called"],
    ["webhook", "not supported here: no assertion calls a URL"],
    ["rouge-n", "not supported here: no n-gram overlap metrics; `levenshtein`"],
    ["bleu", "not supported here: no n-gram overlap metrics"],
    ["classifier", "not supported here: no classifier model runs"],
    ["is-sql", 'unknown assertion type "is-sql" — promptfoo\'s `is-sql` is not supported here'],
    // nothing close: every known type
    ["smells-right", `unknown assertion type "smells-right"${KNOWN}`],
    ["not-smells-right", `unknown assertion type "not-smells-right"${KNOWN}`],
  ])("%s", (type, message) => {
    expect(checkAssertion(type, "x")).toContain(message);
  });

  it("ends where the note ends: no list of types after a suggestion", () => {
    expect(checkAssertion("llm-rubrik", "x")).not.toContain("known types");
    expect(checkAssertion("python", "x")).not.toContain("known types");
  });

  it("leaves a registered type alone, even one that promptfoo also has", () => {
    const registry = new GraderRegistry({
      python: { checkValue: () => undefined, grade: () => ({ pass: true, score: 1, reason: "" }) },
    });
    expect(registry.check("python", "x")).toBeUndefined();
    expect(registry.check("pythn", "x")).toContain('did you mean "python"?');
  });
});

describe("gradeCase", () => {
  it("passes only when every assertion passes, with a weighted score", () => {
    const grade = settled(
      gradeCase(
        [
          { type: "contains", value: "a", weight: 3 },
          { type: "contains", value: "z", weight: 1 },
        ],
        "abc",
        context,
      ),
    );
    expect(grade.pass).toBe(false);
    expect(grade.score).toBe(0.75);
    expect(grade.assertions.map((a) => a.pass)).toEqual([true, false]);
  });

  it("passes a case without assertions", () => {
    expect(gradeCase([], "anything", context)).toEqual({ pass: true, score: 1, assertions: [] });
  });

  it("carries an assertion's metric into its result, and none where none is named", () => {
    const grade = settled(
      gradeCase(
        [
          { type: "contains", value: "a", metric: "mentions-a" },
          { type: "not-contains", value: "b" },
        ],
        "abc",
        context,
      ),
    );
    expect(grade.assertions.map((a) => a.metric)).toEqual(["mentions-a", undefined]);
    expect(grade.assertions[1]).not.toHaveProperty("metric");
  });
});

describe("graders that ask a grader model", () => {
  /** Asks whether the output is polite; passes when the grader's reply says "yes". */
  const polite: Grader = {
    checkValue: () => undefined,
    grade: (output, _value, ctx) => {
      const question: GraderQuestion = {
        model: "claude-haiku-4-5",
        params: {
          model: "claude-haiku-4-5",
          max_tokens: 5,
          messages: [{ role: "user", content: `Polite? ${output}` }],
        },
      };
      const answer = ctx.ask?.(question);
      if (answer === undefined) return PENDING;
      if ("error" in answer) return { pass: false, score: 0, reason: answer.error.message };
      const text = answer.message.content.map((b) => (b.type === "text" ? b.text : "")).join("");
      const pass = /yes/i.test(text);
      return { pass, score: pass ? 1 : 0, reason: `grader said ${JSON.stringify(text)}` };
    },
  };
  const registry = new GraderRegistry({ polite });
  const reply = (text: string): GraderAnswer => ({ message: textMessage(text) });

  it("waits while a question is unanswered, and asks it even when another assertion failed", () => {
    const asked: GraderQuestion[] = [];
    const grade = gradeCase(
      [{ type: "contains", value: "zzz" }, { type: "polite" }],
      "Thank you",
      { vars: {}, ask: (q) => void asked.push(q) },
      registry,
    );
    expect(grade).toBe(PENDING);
    expect(asked.map((q) => q.params.messages)).toEqual([
      [{ role: "user", content: "Polite? Thank you" }],
    ]);
  });

  it("grades with the answer, and negates it as any assertion", () => {
    const yes = { vars: {}, ask: () => reply("Yes.") };
    expect(settled(gradeCase([{ type: "polite" }], "Thanks", yes, registry)).pass).toBe(true);
    expect(settled(gradeCase([{ type: "not-polite" }], "Thanks", yes, registry)).pass).toBe(false);
    const failed = { vars: {}, ask: () => ({ error: { type: "expired", message: "expired" } }) };
    expect(settled(gradeCase([{ type: "polite" }], "Thanks", failed, registry))).toMatchObject({
      pass: false,
      assertions: [{ type: "polite", pass: false, reason: "expired" }],
    });
  });

  it("is known to the registry it is added to only, and cannot replace a built-in type", () => {
    expect(registry.check("not-polite", undefined)).toBeUndefined();
    expect(checkAssertion("polite", undefined)).toContain('unknown assertion type "polite"');
    expect(() => new GraderRegistry({ contains: polite })).toThrow(/built in/);
  });
});
