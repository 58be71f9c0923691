/**
 * Text the engine would send literally is refused, at its file:line:col, with the fix: promptfoo's
 * `file://` references, template syntax other than {{var}}, and promptfoo's CSV columns.
 * Line numbers can be read off the `lines(...)` calls: the first string is line 1.
 */
import { describe, expect, test } from "vitest";
import { foreignSyntax } from "../../src/suite/foreign-syntax.js";
import { type BadProject, testDiagnosticTable } from "../fixtures/suites/diagnostic-table.js";
import { lines } from "../fixtures/suites/temp-project.js";

const HEAD = ["name: s", "models: [claude-haiku-4-5]"];

const FILE_URLS: BadProject[] = [
  {
    name: "prompt: file://",
    files: { "s.yaml": lines(...HEAD, "prompt: file://prompt.txt", "cases: [{id: a}]") },
    errors: [
      {
        at: "s.yaml:3:9",
        message: "`file://prompt.txt` is literal text here",
        hint: "write `prompt: {file: prompt.txt}`",
      },
    ],
  },
  {
    name: "system: file:// as a string",
    files: {
      "s.yaml": lines(...HEAD, "system: file://sys.md", "prompt: hi", "cases: [{id: a}]"),
    },
    errors: [{ at: "s.yaml:3:9", message: "`file://sys.md`", hint: "`system: [{file: sys.md}]`" }],
  },
  {
    name: "a var holding file:// in the suite",
    files: {
      "s.yaml": lines(...HEAD, "prompt: '{{doc}}'", "cases:", "  - vars: {doc: file://doc.txt}"),
    },
    errors: [
      {
        at: "s.yaml:5:17",
        message: "var 'doc' is the literal text `file://doc.txt`",
        hint: "`doc: {file: doc.txt}`",
      },
    ],
  },
  {
    name: "a defaults var holding file://",
    files: {
      "s.yaml": lines(
        ...HEAD,
        "prompt: '{{doc}}'",
        "defaults:",
        "  vars: {doc: 'file://docs/a.txt'}",
        "cases: [{id: a}, {id: b}]",
      ),
    },
    errors: [{ at: "s.yaml:5:15", message: "var 'doc'", hint: "`doc: {file: docs/a.txt}`" }],
  },
  {
    name: "a CSV cell holding file://",
    files: {
      "s.yaml": lines(...HEAD, "prompt: '{{doc}}'", "cases: [{file: c.csv}]"),
      "c.csv": lines("id,doc", "a,file://docs/a.txt"),
    },
    errors: [
      { at: "c.csv:2:3", message: "var 'doc'", hint: "write the cell as `file:docs/a.txt`" },
    ],
  },
  {
    name: "an assertion value holding file://",
    files: {
      "s.yaml": lines(
        ...HEAD,
        "prompt: hi",
        "cases:",
        "  - assert: [{type: equals, value: 'file://expected.txt'}]",
      ),
    },
    errors: [{ at: "s.yaml:5:14", message: "`file://expected.txt`", hint: "inline" }],
  },
];

const TEMPLATES: BadProject[] = [
  {
    name: "a filter",
    files: {
      "s.yaml": lines(...HEAD, "prompt: 'Hi {{ who | upper }}'", "cases: [{vars: {who: a}}]"),
    },
    errors: [
      {
        at: "s.yaml:3:9",
        message: "`{{ who | upper }}` uses a filter: the template engine only substitutes {{var}}",
        hint: "compute the value into a var",
      },
    ],
  },
  {
    name: "a load expression",
    files: {
      "s.yaml": lines(...HEAD, "prompt: 'Tone: {{ (x | load).tone }}'", "cases: [{vars: {x: a}}]"),
    },
    errors: [{ at: "s.yaml:3:9", message: "`{{ (x | load).tone }}`" }],
  },
  {
    name: "{% for %} and {% if %} blocks, one diagnostic for all tags",
    files: {
      "s.yaml": lines(
        ...HEAD,
        "prompt: |",
        "  {% for item in items %}{{ item }}{% endfor %}",
        "  {% if urgent %}Hurry.{% endif %}",
        "cases: [{vars: {items: [a], urgent: true}}]",
      ),
    },
    errors: [
      {
        at: "s.yaml:3:9",
        message: "`{% for item in items %}` is a template tag",
        hint: "build the text in a var",
      },
    ],
  },
  {
    name: "a template comment",
    files: { "s.yaml": lines(...HEAD, "prompt: 'Hi {# note #}'", "cases: [{id: a}]") },
    errors: [
      { at: "s.yaml:3:9", message: "`{# note #}` is a template comment", hint: "delete it" },
    ],
  },
  {
    name: "an unclosed placeholder",
    files: { "s.yaml": lines(...HEAD, "prompt: 'Hi {{who}'", "cases: [{vars: {who: a}}]") },
    errors: [{ at: "s.yaml:3:9", message: "opens {{ without a closing }}" }],
  },
  {
    name: "a filter in a system file is located in that file",
    files: {
      "s.yaml": lines(...HEAD, "system: [{file: sys.md}]", "prompt: hi", "cases: [{id: a}]"),
      "sys.md": lines("You help.", "Reply in {{ lang | lower }}."),
    },
    errors: [{ at: "sys.md:2:10", message: "`{{ lang | lower }}` uses a filter" }],
  },
  {
    name: "a tag in a prompt file is located in that file",
    files: {
      "s.yaml": lines(...HEAD, "prompt: {file: p.txt}", "cases: [{id: a}]"),
      "p.txt": lines("Question:", "", "  {% include 'x' %}"),
    },
    errors: [{ at: "p.txt:3:3", message: "`{% include 'x' %}` is a template tag" }],
  },
  {
    name: "a filter in CSV assertion cells: five listed, then a count",
    files: {
      "s.yaml": lines(...HEAD, "prompt: hi", "cases: [{file: c.csv}]"),
      "c.csv": lines(
        "assert:equals",
        ...Array.from({ length: 8 }, (_, i) => `"{{ x${i} | trim }}"`),
      ),
    },
    errors: [
      ...[2, 3, 4, 5, 6].map((line) => ({ at: `c.csv:${line}:1`, message: "uses a filter" })),
      { at: "c.csv:7:1", message: "— and 2 more like it in c.csv" },
    ],
  },
];

const CSV_COLUMNS: BadProject[] = [
  {
    name: "promptfoo's __expected column, once at the header",
    files: {
      "s.yaml": lines(...HEAD, "prompt: '{{q}}'", "cases: [{file: c.csv}]"),
      "c.csv": lines("q,__expected", "a,Paris", "b,contains: Rome"),
    },
    errors: [
      {
        at: "c.csv:1:3",
        message: "column '__expected' is promptfoo's assertion column",
        hint: "name the column assert:TYPE",
      },
    ],
  },
  {
    name: "__expected2, __prefix and __metadata:topic",
    files: {
      "s.yaml": lines(...HEAD, "prompt: '{{q}}'", "cases: [{file: c.csv}]"),
      "c.csv": lines("q,__expected2,__threshold,__prefix,__metadata:topic", "a,x,0.5,p,m"),
    },
    errors: [
      { at: "c.csv:1:3", message: "'__expected2' is promptfoo's assertion column" },
      { at: "c.csv:1:27", message: "prompt prefix", hint: "{{prefix}}" },
      { at: "c.csv:1:36", message: "case metadata is not supported", hint: "null" },
    ],
  },
];

describe("promptfoo's file:// references are errors with the file: form", () => {
  testDiagnosticTable(FILE_URLS);
});

describe("template syntax other than {{var}} is an error", () => {
  testDiagnosticTable(TEMPLATES);
});

describe("promptfoo's special CSV columns are errors", () => {
  testDiagnosticTable(CSV_COLUMNS);
});

describe("foreignSyntax", () => {
  test.each([
    ["Hi {{who}} and {{ a.b.0 }}", []],
    ["{ not a template } {#anchor} {% alone", []],
    ['JSON: {"a": {"b": 1}}', []],
    ["{{{who}}}", ["expression"]],
    ["{{ a b }}", ["expression"]],
    ["{{ x | upper }}", ["filter"]],
    ["{{who}", ["unclosed"]],
    ["{% if x %}y{% endif %}", ["tag", "tag"]],
    ["{# c #}", ["comment"]],
    ["  file://x.txt", ["file-url"]],
    ["see file://x.txt", []],
  ])("%j", (template, kinds) => {
    expect(foreignSyntax(template).map((f) => f.kind)).toEqual(kinds);
  });
});
