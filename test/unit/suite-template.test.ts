/** `{{var}}` templating and diagnostic formatting: pure functions, table-driven. */
import { describe, expect, test } from "vitest";
import { formatDiagnostic, formatDiagnostics, hasErrors } from "../../src/source/diagnostics.js";
import type { Diagnostic } from "../../src/source/types.js";
import { renderTemplate, templateVariables } from "../../src/suite/template.js";
import type { VarValue } from "../../src/suite/types.js";

const VARS: Record<string, VarValue> = {
  name: "Ada",
  n: 3,
  ok: false,
  none: null,
  user: { name: "Bob", tags: ["a", "b"] },
  list: [1, "two"],
};

describe("renderTemplate", () => {
  test.each([
    ["Hi {{name}}", "Hi Ada"],
    ["Hi {{ name }}!", "Hi Ada!"],
    ["{{n}} {{ok}} {{none}}", "3 false null"],
    ["{{user.name}} has {{user.tags.1}}", "Bob has b"],
    ["{{user}}", '{"name":"Bob","tags":["a","b"]}'],
    ["{{list}}", '[1,"two"]'],
    ["{{name}}{{name}}", "AdaAda"],
    ["no placeholders {{ not a name }} {single}", "no placeholders {{ not a name }} {single}"],
  ])("%j → %j", (template, expected) => {
    expect(renderTemplate(template, VARS)).toBe(expected);
  });

  test.each([
    ["{{missing}}", "missing"],
    ["{{user.age}}", "user.age"],
    ["{{name.length}}", "name.length"],
    ["{{constructor}}", "constructor"],
    ["{{list.5}}", "list.5"],
  ])("%j throws naming %j", (template, name) => {
    expect(() => renderTemplate(template, VARS)).toThrow(`undefined template variable '${name}'`);
  });
});

describe("templateVariables", () => {
  test.each([
    ["plain text", []],
    ["{{a}} {{ b.c }} {{a}}", ["a", "b.c"]],
    ["{{snake_case}} {{kebab-case}} {{_x1}}", ["snake_case", "kebab-case", "_x1"]],
    ["{{1abc}} {{a b}}", []],
  ])("%j → %j", (template, expected) => {
    expect(templateVariables(template)).toEqual(expected);
  });
});

describe("formatDiagnostic", () => {
  const error: Diagnostic = {
    file: "evals/a.yaml",
    line: 3,
    col: 17,
    severity: "error",
    message: "pass_threshold must be <= 1",
  };
  const warning: Diagnostic = {
    file: "batcheval.config.yaml",
    line: 0,
    col: 0,
    severity: "warning",
    message: "something odd",
    hint: "do this",
  };

  test("compiler style, hint on its own line, no position when line is 0", () => {
    expect(formatDiagnostic(error)).toBe("evals/a.yaml:3:17: error: pass_threshold must be <= 1");
    expect(formatDiagnostic(warning)).toBe(
      "batcheval.config.yaml: warning: something odd\n  hint: do this",
    );
    expect(formatDiagnostics([error, warning])).toBe(
      `${formatDiagnostic(error)}\n${formatDiagnostic(warning)}\n1 error, 1 warning`,
    );
    expect(formatDiagnostics([])).toBe("");
  });

  test("hasErrors ignores warnings", () => {
    expect(hasErrors([warning])).toBe(false);
    expect(hasErrors([warning, error])).toBe(true);
  });
});
