/**
 * The javascript assertion and the transform modifier, graded directly: what the code's return
 * value makes of the grade, the not- form, code that throws or returns nonsense (a fail either
 * way, never a crash), the context the code sees (vars, usage, stop reason, tool calls, cost),
 * `file:` modules, and transforms per case and per assertion, in that order.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { costOf } from "../../src/cost/exact-cost.js";
import { gradeAssertion, gradeCase } from "../../src/grade/grade-case.js";
import { gradeResult } from "../../src/grade/grade-result.js";
import { checkAssertion } from "../../src/grade/registry.js";
import {
  type AssertionResult,
  type CaseGrade,
  type GraderContext,
  isPending,
  type Pending,
} from "../../src/grade/types.js";
import { compileCode } from "../../src/source/javascript-code.js";
import { succeededResult } from "../support/replies.js";

const context: GraderContext = { vars: { city: "Paris", n: 3 } };

function settled<T extends object>(grade: T | Pending): T {
  if (isPending(grade)) throw new Error("expected a grade, got PENDING");
  return grade;
}

function grade(
  type: string,
  value: unknown,
  output: string,
  options: { threshold?: number; transform?: string; context?: GraderContext } = {},
): AssertionResult {
  const spec = {
    type,
    value,
    ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
    ...(options.transform === undefined ? {} : { transform: options.transform }),
  };
  return settled(gradeAssertion(spec, output, options.context ?? context));
}

describe("javascript: what the code returns", () => {
  const table: [
    name: string,
    type: string,
    code: string,
    output: string,
    threshold: number | undefined,
    pass: boolean,
    score: number,
    reason: RegExp,
  ][] = [
    ["true", "javascript", "output.length < 10", "short", undefined, true, 1, /returned true$/],
    ["false", "javascript", "output.length < 3", "short", undefined, false, 0, /returned false$/],
    [
      "a body with return",
      "javascript",
      "const n = output.length;\nreturn n === 5;",
      "short",
      undefined,
      true,
      1,
      /returned true/,
    ],
    [
      "a one-line statement",
      "javascript",
      "output.includes('or');",
      "short",
      undefined,
      true,
      1,
      /returned true/,
    ],
    [
      "a multi-line expression",
      "javascript",
      "output.startsWith('s') &&\n  output.endsWith('t')",
      "short",
      undefined,
      true,
      1,
      /returned true/,
    ],
    [
      "a score above 0",
      "javascript",
      "0.25",
      "x",
      undefined,
      true,
      0.25,
      /score 0.25 \(above 0 passes\)/,
    ],
    ["a score of 0", "javascript", "0", "x", undefined, false, 0, /score 0 \(above 0 passes\)/],
    [
      "a score under the threshold",
      "javascript",
      "output.length / 10",
      "abcd",
      0.5,
      false,
      0.4,
      /score 0.4 \(at least 0.5 passes\)/,
    ],
    [
      "a score at the threshold",
      "javascript",
      "output.length / 10",
      "abcde",
      0.5,
      true,
      0.5,
      /score 0.5 \(at least 0.5 passes\)/,
    ],
    [
      "an object",
      "javascript",
      "({pass: true, score: 0.7, reason: 'fine: ' + output})",
      "ok",
      undefined,
      true,
      0.7,
      /^fine: ok$/,
    ],
    [
      "an object without score",
      "javascript",
      "({pass: false})",
      "ok",
      undefined,
      false,
      0,
      /returned pass: false/,
    ],
    [
      "an object whose pass ignores the threshold",
      "javascript",
      "({pass: true, score: 0.1})",
      "ok",
      0.9,
      true,
      0.1,
      /pass: true/,
    ],
    [
      "not-, on false",
      "not-javascript",
      "output === 'no'",
      "yes",
      undefined,
      true,
      1,
      /^as required, not: .*returned false/,
    ],
    [
      "not-, on true",
      "not-javascript",
      "output === 'yes'",
      "yes",
      undefined,
      false,
      0,
      /^expected not: .*returned true/,
    ],
    ["not-, on a score", "not-javascript", "0.3", "yes", undefined, false, 0.7, /score 0.3/],
    ["empty output", "javascript", "output === ''", "", undefined, true, 1, /returned true/],
    [
      "unicode, counted in code points",
      "javascript",
      "[...output].length === 6",
      "café ☕",
      undefined,
      true,
      1,
      /returned true/,
    ],
    [
      "vars in scope",
      "javascript",
      "output.includes(context.vars.city) && context.vars.n === 3",
      "Paris!",
      undefined,
      true,
      1,
      /returned true/,
    ],
  ];

  it.each(table)("%s", (_name, type, code, output, threshold, pass, score, reason) => {
    const result = grade(type, code, output, threshold === undefined ? {} : { threshold });
    expect(result).toMatchObject({ type, pass, score });
    expect(result.reason).toMatch(reason);
  });

  const broken: [name: string, type: string, code: string, reason: RegExp][] = [
    ["a throw", "javascript", "throw new Error('boom')", /threw Error: boom/],
    ["a throw, not- form", "not-javascript", "null.x", /threw TypeError: .*fails as not- too/],
    [
      "a string",
      "javascript",
      "'yes'",
      /returned "yes" \(expected a boolean, a score from 0 to 1, or \{pass, score, reason\}\)/,
    ],
    ["undefined (no return)", "javascript", "const a = 1;\na;", /returned undefined \(expected/],
    ["null", "javascript", "null", /returned null \(expected/],
    ["an array", "javascript", "[true]", /returned \[true\] \(expected/],
    ["a score above 1", "javascript", "1.5", /returned 1.5: a score is a number from 0 to 1/],
    ["a negative score, not- form", "not-javascript", "-1", /returned -1: a score/],
    ["NaN", "javascript", "NaN", /returned NaN: a score/],
    ["an object without pass", "javascript", "({score: 1})", /without a boolean `pass`/],
    [
      "an object with a bad score",
      "javascript",
      "({pass: true, score: 2})",
      /returned score 2: a score is from 0 to 1/,
    ],
    ["an object with a bad reason", "javascript", "({pass: true, reason: 3})", /returned reason 3/],
    ["a promise", "javascript", "Promise.resolve(true)", /returned a Promise/],
  ];

  it.each(broken)("%s is a fail with a reason, in either form", (_name, type, code, reason) => {
    const result = grade(type, code, "output");
    expect(result).toEqual({ type, pass: false, score: 0, reason: expect.stringMatching(reason) });
  });

  it("sees the output and context, never other arguments", () => {
    const result = grade(
      "javascript",
      "typeof output + ':' + arguments.length === 'string:2'",
      "x",
    );
    expect(result.pass).toBe(true);
  });

  it("compiles each text once", () => {
    const first = compileCode("output.length === 42");
    expect(compileCode("output.length === 42")).toBe(first);
    expect(compileCode("output.length === 43")).not.toBe(first);
  });
});

describe("javascript: the context of a graded result", () => {
  it("holds usage, stop reason, tool calls, cost in USD and the prompt", () => {
    const code = [
      "const c = context;",
      "return c.usage.input_tokens === 11 && c.usage.output_tokens === 7",
      "  && c.stopReason === 'end_turn' && Array.isArray(c.toolCalls) && c.toolCalls.length === 0",
      "  && c.cost === 0.25 && c.prompt === 'Capital of France?' && c.vars.city === 'Paris';",
    ].join("\n");
    const cost = costOf({ standard: 0.5, standardCached: 0.5, batch: 0.25, batchCached: 0.25 });
    const graded = gradeResult(
      {
        assert: [{ type: "javascript", value: code }],
        vars: { city: "Paris" },
        messages: [{ role: "user", content: "Capital of France?" }],
      },
      { custom_id: "r", result: succeededResult("Paris.", { input_tokens: 11, output_tokens: 7 }) },
      undefined,
      undefined,
      cost,
    );
    expect(settled(graded).assertions[0]).toMatchObject({ pass: true });
  });

  it("tells the code when the cost is not known", () => {
    expect(
      grade("javascript", "context.cost === undefined && context.usage === undefined", "x").pass,
    ).toBe(true);
  });

  it("passes the tool calls", () => {
    const withTools: GraderContext = { vars: {}, toolCalls: [{ name: "lookup", input: { q: 1 } }] };
    const code = "context.toolCalls[0].name === 'lookup' && context.toolCalls[0].input.q === 1";
    expect(grade("javascript", code, "", { context: withTools }).pass).toBe(true);
  });
});

describe("javascript: file: modules", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "batcheval-js-"));
    await writeFile(
      join(dir, "checks.mjs"),
      [
        "export default (output, context) => output.includes(context.vars.city);",
        "export function score(output) { return output.length / 10; }",
        "export const notAFunction = 1;",
      ].join("\n"),
    );
    await writeFile(
      join(dir, "common.cjs"),
      "module.exports = (output) => ({ pass: output === 'ok', reason: 'cjs says ' + output });",
    );
    await writeFile(join(dir, "named.js"), "exports.short = (output) => output.length < 3;");
    await writeFile(join(dir, "broken.mjs"), "export default (output => ;");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    ["the default export", "checks.mjs", "Paris", true, 1, /checks\.mjs returned true/],
    ["the default export, failing", "checks.mjs", "Rome", false, 0, /returned false/],
    [
      "a named export",
      "checks.mjs:score",
      "abcdefg",
      true,
      0.7,
      /checks\.mjs:score returned score 0.7/,
    ],
    ["a CommonJS module.exports function", "common.cjs", "ok", true, 1, /^cjs says ok$/],
    ["a CommonJS named export", "named.js:short", "abcd", false, 0, /returned false/],
  ])("%s", (_name, file, output, pass, score, reason) => {
    const value = `file:${join(dir, file)}`;
    expect(checkAssertion("javascript", value)).toBeUndefined();
    const result = grade("javascript", value, output);
    expect(result).toMatchObject({ pass, score });
    expect(result.reason).toMatch(reason);
  });

  it.each([
    ["a missing file", "nope.mjs", /names a module that does not exist: .*nope\.mjs/],
    [
      "a missing named export",
      "checks.mjs:other",
      /expects a function exported as `other` in .*\(its exports: default, notAFunction, score\)/,
    ],
    [
      "an export that is no function",
      "checks.mjs:notAFunction",
      /expects a function exported as `notAFunction`/,
    ],
    [
      "no default export",
      "named.js",
      /expects a default export function in .*named\.js \(its exports: short\); name one as file:path\.js:functionName/,
    ],
    ["a module that does not parse", "broken.mjs", /cannot load .*broken\.mjs: SyntaxError/],
    ["not a .js, .mjs or .cjs file", "checks.ts", /expects file:path\.js \(or \.mjs, \.cjs\)/],
  ])("%s is reported at load and fails when graded", (_name, file, problem) => {
    const value = `file:${join(dir, file)}`;
    expect(checkAssertion("javascript", value)).toMatch(problem);
    const result = grade("not-javascript", value, "x");
    expect(result).toMatchObject({ pass: false, score: 0 });
    expect(result.reason).toMatch(problem);
  });
});

describe("javascript: checked at load", () => {
  it.each([
    ["output.length <", /has a syntax error: Unexpected end of input \(in `output.length <`\)/],
    ["const a = 1;\nreturn a +;", /Unexpected token ';' \(line 2 of the code: `return a \+;`\)/],
    ["", /expects JavaScript code/],
    [42, /expects JavaScript code .*got 42/],
  ])("%j", (value, problem) => {
    expect(checkAssertion("javascript", value)).toMatch(problem);
    expect(checkAssertion("not-javascript", value)).toMatch(problem);
  });

  it("accepts code that compiles, and thresholds that are scores", () => {
    expect(checkAssertion("javascript", "output.length > 0")).toBeUndefined();
    expect(checkAssertion("javascript", "output.length > 0", 0.5)).toBeUndefined();
    expect(checkAssertion("javascript", "1", 2)).toMatch(
      /threshold to be a minimum score from 0 to 1/,
    );
  });
});

describe("transform", () => {
  function caseGrade(
    assert: { type: string; value?: unknown; transform?: string; weight?: number }[],
    output: string,
    caseTransform?: string,
  ): CaseGrade {
    return settled(gradeCase(assert, output, context, undefined, caseTransform));
  }

  it("an assertion's transform changes what it grades, and only for it", () => {
    const grade = caseGrade(
      [
        { type: "equals", value: "PARIS", transform: "output.toUpperCase()" },
        { type: "equals", value: "paris" },
      ],
      "paris",
    );
    expect(grade.assertions.map((a) => a.pass)).toEqual([true, true]);
  });

  it("sees the vars", () => {
    const result = grade("equals", "Paris!", "x", { transform: "context.vars.city + '!'" });
    expect(result.pass).toBe(true);
  });

  it("a case transform applies to every assertion", () => {
    const grade = caseGrade(
      [
        { type: "equals", value: "Paris" },
        { type: "javascript", value: "output === 'Paris'" },
      ],
      '{"city": "Paris"}',
      "JSON.parse(output).city",
    );
    expect(grade.pass).toBe(true);
    expect(grade.assertions.every((a) => a.pass)).toBe(true);
  });

  it("the case's transform runs first, then the assertion's", () => {
    const grade = caseGrade(
      [{ type: "equals", value: "ab-c", transform: "output + '-c'" }],
      "a",
      "output + 'b'",
    );
    expect(grade.assertions[0]).toMatchObject({
      pass: true,
      reason: 'expected "ab-c", got "ab-c"',
    });
  });

  it("a result that is not a string is graded as its JSON", () => {
    const grade = caseGrade(
      [
        { type: "equals", value: '{"n":5}', transform: "({n: output.length})" },
        { type: "is-json", transform: "[1, 2]" },
        { type: "equals", value: "7", transform: "7" },
      ],
      "hello",
    );
    expect(grade.assertions.map((a) => a.pass)).toEqual([true, true, true]);
  });

  it("a throwing assertion transform fails that assertion, whatever its form", () => {
    const grade = caseGrade(
      [
        { type: "not-contains", value: "x", transform: "JSON.parse(output).a" },
        { type: "contains", value: "not json" },
      ],
      "not json",
    );
    expect(grade.pass).toBe(false);
    expect(grade.assertions[0]).toMatchObject({ type: "not-contains", pass: false, score: 0 });
    expect(grade.assertions[0]?.reason).toMatch(
      /^transform "JSON.parse\(output\).a" threw SyntaxError/,
    );
    expect(grade.assertions[1]).toMatchObject({ pass: true });
    expect(grade.error).toBeUndefined();
  });

  it("a throwing case transform fails every assertion with its reason", () => {
    const grade = caseGrade(
      [
        { type: "not-contains", value: "x" },
        { type: "javascript", value: "true" },
      ],
      "plain",
      "JSON.parse(output).city",
    );
    expect(grade).toMatchObject({ pass: false, score: 0 });
    for (const assertion of grade.assertions) {
      expect(assertion).toMatchObject({ pass: false, score: 0 });
      expect(assertion.reason).toMatch(
        /^case transform "JSON.parse\(output\).city" threw SyntaxError/,
      );
    }
  });

  it("a transform that returns nothing fails, saying so", () => {
    const result = grade("contains", "a", "a", { transform: "const b = output;\nb;" });
    expect(result).toMatchObject({ pass: false, score: 0 });
    expect(result.reason).toMatch(/returned undefined \(does its body `return` the new output\?\)/);
  });

  it("report output stays the model's own output", () => {
    const graded = settled(
      gradeResult(
        {
          assert: [{ type: "equals", value: "B", transform: "output.slice(1)" }],
          vars: {},
          transform: "output.toUpperCase()",
        },
        { custom_id: "r", result: succeededResult("ab") },
      ),
    );
    expect(graded.outcome).toBe("pass");
    expect(graded.output).toBe("ab");
  });
});
