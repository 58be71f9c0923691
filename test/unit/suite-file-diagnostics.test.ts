/**
 * Files a suite names: binary or non-UTF-8 files are refused once, at the file or the key that
 * names it; case-file options (`columns:`, `vars_from:`) and `.json` files report their own
 * mistakes; YAML that cannot become data (an alias bomb, an unclosed quote) is one located error.
 */
import { describe } from "vitest";
import { type BadProject, testDiagnosticTable } from "../fixtures/suites/diagnostic-table.js";
import { lines } from "../fixtures/suites/temp-project.js";

const HEAD = ["name: s", "models: [claude-haiku-4-5]"];
const BINARY = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00]);
const LATIN1 = Uint8Array.from(Buffer.from("q\ncaf\xe9\n", "latin1"));

const BINARY_FILES: BadProject[] = [
  {
    name: "a binary suite file",
    files: { "s.yaml": BINARY },
    errors: [
      { at: "s.yaml:1:1", message: "not a UTF-8 text file: it has a NUL byte (byte 9, line 3)" },
    ],
  },
  {
    name: "a Latin-1 suite file",
    files: { "s.yaml": Uint8Array.from(Buffer.from("name: caf\xe9\n", "latin1")) },
    errors: [
      {
        at: "s.yaml:1:1",
        message: "not valid UTF-8 at byte 10, line 1",
        hint: "re-save it as UTF-8",
      },
    ],
  },
  {
    name: "a binary case file",
    files: { "s.yaml": lines(...HEAD, "prompt: hi", "cases:", "  - file: c.csv"), "c.csv": BINARY },
    errors: [{ at: "s.yaml:5:11", message: "case file c.csv is not a UTF-8 text file" }],
  },
  {
    name: "a Latin-1 case file",
    files: { "s.yaml": lines(...HEAD, "prompt: hi", "cases:", "  - file: c.csv"), "c.csv": LATIN1 },
    errors: [{ at: "s.yaml:5:11", message: "not valid UTF-8 at byte 6, line 2" }],
  },
  {
    name: "a binary system file",
    files: {
      "s.yaml": lines(...HEAD, "system:", "  - file: logo.png", "prompt: hi", "cases: [{id: a}]"),
      "logo.png": BINARY,
    },
    errors: [{ at: "s.yaml:4:11", message: "system file logo.png is not a UTF-8 text file" }],
  },
  {
    name: "a binary prompt file",
    files: {
      "s.yaml": lines(...HEAD, "prompt: {file: p.bin}", "cases: [{id: a}]"),
      "p.bin": BINARY,
    },
    errors: [{ at: "s.yaml:3:16", message: "prompt file p.bin is not a UTF-8 text file" }],
  },
  {
    name: "a binary var file named by a CSV cell",
    files: {
      "s.yaml": lines(...HEAD, "prompt: '{{doc}}'", "cases: [{file: data/c.csv}]"),
      "data/c.csv": lines("id,doc", "a,file:docs/a.pdf"),
      "data/docs/a.pdf": BINARY,
    },
    errors: [
      { at: "data/c.csv:2:3", message: "var file (doc) data/docs/a.pdf is not a UTF-8 text file" },
    ],
  },
];

const FILE_REFS: BadProject[] = [
  {
    name: "a missing prompt file",
    files: { "s.yaml": lines(...HEAD, "prompt: {file: prompts/p.txt}", "cases: [{id: a}]") },
    errors: [{ at: "s.yaml:3:16", message: "prompt file not found: prompts/p.txt" }],
  },
  {
    name: "a missing var file, relative to the suite",
    files: {
      "sub/s.yaml": lines(...HEAD, "prompt: '{{doc}}'", "cases:", "  - vars: {doc: {file: a.txt}}"),
    },
    paths: ["sub/s.yaml"],
    errors: [
      { at: "sub/s.yaml:5:24", message: "var file (doc) not found: sub/a.txt", hint: "sub/" },
    ],
  },
  {
    name: "a missing var file in a JSONL case, relative to the case file",
    files: {
      "s.yaml": lines(...HEAD, "prompt: '{{doc}}'", "cases: [{file: data/c.jsonl}]"),
      "data/c.jsonl": lines('{"vars": {"doc": {"file": "a.txt"}}}'),
    },
    errors: [{ at: "data/c.jsonl:1:19", message: "not found: data/a.txt", hint: "data/" }],
  },
  {
    name: "a prompt given as a map",
    files: { "s.yaml": lines(...HEAD, "prompt: {role: user, content: hi}", "cases: [{id: a}]") },
    errors: [
      {
        at: "s.yaml:3:9",
        message: "prompt must be a template string or `{file: path}`, got a map",
        hint: "use `messages:`",
      },
    ],
  },
];

const CASE_FILES: BadProject[] = [
  {
    name: "columns: names a column the file lacks",
    files: {
      "s.yaml": lines(
        ...HEAD,
        "prompt: '{{q}}'",
        "cases:",
        "  - file: c.csv",
        '    columns: {"Question ": q}',
      ),
      "c.csv": lines("Question,q", "a,b"),
    },
    errors: [
      {
        at: "s.yaml:6:15",
        message: "columns: the file has no column 'Question ' — did you mean 'Question'?",
        hint: "the file's columns are: Question, q",
      },
    ],
  },
  {
    name: "columns: on a JSONL file read as cases",
    files: {
      "s.yaml": lines(...HEAD, "prompt: hi", "cases:", "  - file: c.jsonl", "    columns: {a: b}"),
      "c.jsonl": lines('{"id": "x"}'),
    },
    errors: [
      { at: "s.yaml:6:5", message: "columns: applies to .csv files", hint: "vars_from: row" },
    ],
  },
  {
    name: "columns: renaming to something that is not a name",
    files: {
      "s.yaml": lines(
        ...HEAD,
        "prompt: hi",
        "cases:",
        "  - file: c.csv",
        '    columns: {a: "b c"}',
      ),
      "c.csv": lines("a", "x"),
    },
    errors: [
      { at: "s.yaml:6:18", message: "cases[0].columns.a must match pattern", hint: "new name" },
    ],
  },
  {
    name: "a JSONL key that is not a case key, on every row: five listed, then a count",
    files: {
      "s.yaml": lines(...HEAD, "prompt: hi", "cases: [{file: c.jsonl}]"),
      "c.jsonl": lines(...Array.from({ length: 9 }, (_, i) => `{"question": "q${i}"}`)),
    },
    errors: [
      ...[1, 2, 3, 4, 5].map((line) => ({
        at: `c.jsonl:${line}:2`,
        message: "unknown key 'question'",
        hint: "add `vars_from: row`",
      })),
      { at: "c.jsonl:6:2", message: "— and 3 more like it in c.jsonl" },
    ],
  },
  {
    name: "a .json case file that is not an array",
    files: {
      "s.yaml": lines(...HEAD, "prompt: hi", "cases: [{file: c.json}]"),
      "c.json": '\n {"id": "a"}\n',
    },
    errors: [{ at: "c.json:2:2", message: "a .json case file must be an array of cases" }],
  },
  {
    name: "a schema error in a .json case file",
    files: {
      "s.yaml": lines(...HEAD, "prompt: hi", "cases: [{file: c.json}]"),
      "c.json": lines("[", '  {"id": "a"},', '  {"id": "b",', '   "vars": [1]}', "]"),
    },
    errors: [{ at: "c.json:4:4", message: "vars must be a map, got a list" }],
  },
  {
    name: "a promptfoo column in a vars_from: row file",
    files: {
      "s.yaml": lines(...HEAD, "prompt: hi", "cases:", "  - file: c.jsonl", "    vars_from: row"),
      "c.jsonl": lines('{"q": "a", "__expected": "x"}', '{"q": "b", "__expected": "y"}'),
    },
    errors: [
      { at: "c.jsonl:1:12", message: "column '__expected' is promptfoo's assertion column" },
    ],
  },
];

const YAML: BadProject[] = [
  {
    name: "an alias bomb",
    files: {
      "s.yaml": lines(
        "name: s",
        "a: &a [x, x, x, x, x, x, x, x, x, x]",
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
        "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
        "cases: [{id: a}]",
      ),
    },
    errors: [{ at: "s.yaml:3:8", message: "aliases (*name) expand to more than 100 nodes" }],
  },
  {
    name: "an unclosed double quote, where it opens",
    files: { "s.yaml": lines(...HEAD, 'prompt: "Hello {{who}}', "cases:", "  - vars: {who: a}") },
    errors: [{ at: "s.yaml:3:9", message: 'Missing closing "quote', hint: "never closed" }],
  },
  {
    name: "an unclosed single quote with an escaped quote inside",
    files: { "s.yaml": lines(...HEAD, "prompt: 'it''s {{who}}", "cases:", "  - vars: {who: a}") },
    errors: [{ at: "s.yaml:3:9", message: "Missing closing 'quote" }],
  },
];

describe("binary and non-UTF-8 files are refused once", () => {
  testDiagnosticTable(BINARY_FILES);
});

describe("prompt and var files", () => {
  testDiagnosticTable(FILE_REFS);
});

describe("case files: columns, vars_from, .json", () => {
  testDiagnosticTable(CASE_FILES);
});

describe("YAML that cannot become data", () => {
  testDiagnosticTable(YAML);
});
