/**
 * A table of bad suites and the exact `file:line:col` and message each must produce.
 * Line numbers can be read off the `lines(...)` calls: the first string is line 1.
 */
import { describe, expect, test } from "vitest";
import { formatDiagnostic } from "../../src/source/diagnostics.js";
import { loadSuites } from "../../src/suite/load-suites.js";
import { type BadProject, testDiagnosticTable } from "../fixtures/suites/diagnostic-table.js";
import { lines, loaderOptions, writeProject } from "../fixtures/suites/temp-project.js";

const HEAD = ["name: s", "prompt: 'Hi {{who}}'"];

const TABLE: BadProject[] = [
  {
    name: "invalid YAML",
    files: { "s.yaml": lines("name: s", "prompt: [unclosed", "cases: []") },
    errors: [{ at: "s.yaml:3:1", message: "invalid YAML" }],
  },
  {
    name: "duplicate YAML key",
    files: { "s.yaml": lines(...HEAD, "name: t", "cases: [{vars: {who: a}}]") },
    errors: [{ at: "s.yaml:3:1", message: "invalid YAML: Map keys must be unique" }],
  },
  {
    name: "wrong type",
    files: { "s.yaml": lines(...HEAD, "pass_threshold: high", "cases: [{vars: {who: a}}]") },
    errors: [
      { at: "s.yaml:3:17", message: 'pass_threshold must be a number, got a string ("high")' },
    ],
  },
  {
    name: "empty value",
    files: { "s.yaml": lines(...HEAD, "pass_threshold:", "cases: [{vars: {who: a}}]") },
    errors: [{ at: "s.yaml:3:1", message: "pass_threshold must be a number, got null" }],
  },
  {
    name: "pass_threshold above 1",
    files: { "s.yaml": lines(...HEAD, "pass_threshold: 1.5", "cases: [{vars: {who: a}}]") },
    errors: [{ at: "s.yaml:3:17", message: "pass_threshold must be <= 1" }],
  },
  {
    name: "unknown key with a close match",
    files: { "s.yaml": lines("name: s", "promt: hi", "cases: [{id: a}]") },
    errors: [
      {
        at: "s.yaml:2:1",
        message: "unknown key 'promt' — did you mean 'prompt'?",
        hint: "allowed keys here: name,",
      },
    ],
  },
  {
    name: "unknown key inside a case",
    files: { "s.yaml": lines(...HEAD, "cases:", "  - id: a", "    varz: {who: x}") },
    errors: [{ at: "s.yaml:5:5", message: "unknown key 'varz' — did you mean 'vars'?" }],
  },
  {
    name: "missing required key",
    files: { "s.yaml": lines("prompt: hi", "cases: [{id: a}]") },
    errors: [
      { at: "s.yaml:1:1", message: "the file is missing required key 'name'", hint: "Suite name" },
    ],
  },
  {
    name: "repeat must be at least 1",
    files: { "s.yaml": lines(...HEAD, "repeat: 0", "cases: [{vars: {who: a}}]") },
    errors: [{ at: "s.yaml:3:9", message: "repeat must be >= 1" }],
  },
  {
    name: "bad cache TTL",
    files: {
      "s.yaml": lines(
        ...HEAD,
        "system:",
        "  - text: x",
        "    cache: 1m",
        "cases: [{vars: {who: a}}]",
      ),
    },
    errors: [
      {
        at: "s.yaml:5:12",
        message: "system[0].cache must be one of true, 5m, 1h; got \"1m\" — did you mean '5m'?",
      },
    ],
  },
  {
    name: "temperature is removed",
    files: {
      "s.yaml": lines(
        ...HEAD,
        "params:",
        "  max_tokens: 10",
        "  temperature: 0.2",
        "cases: [{vars: {who: a}}]",
      ),
    },
    errors: [
      {
        at: "s.yaml:5:3",
        message: "API version 2026-10-21 removed temperature, top_p and top_k",
        hint: "repeat: N",
      },
    ],
  },
  {
    name: "top_p at the top level",
    files: { "s.yaml": lines(...HEAD, "top_p: 0.9", "cases: [{vars: {who: a}}]") },
    errors: [
      { at: "s.yaml:3:1", message: "top_p: API version 2026-10-21 removed", hint: "repeat: N" },
    ],
  },
  {
    name: "misspelt param",
    files: { "s.yaml": lines(...HEAD, "params: {max_token: 5}", "cases: [{vars: {who: a}}]") },
    errors: [
      { at: "s.yaml:3:10", message: "unknown key 'max_token' — did you mean 'max_tokens'?" },
    ],
  },
  {
    name: "empty cases list",
    files: { "s.yaml": lines(...HEAD, "cases: []") },
    errors: [{ at: "s.yaml:3:8", message: "cases must not be empty" }],
  },
  {
    name: "bad value in a JSONL case",
    files: {
      "s.yaml": lines(...HEAD, "cases: [{file: c.jsonl}]"),
      "c.jsonl": lines(
        '{"id": "a", "vars": {"who": "x"}, "assert": [{"type": "equals", "weight": "2"}]}',
      ),
    },
    errors: [{ at: "c.jsonl:1:65", message: "assert[0].weight must be a number" }],
  },
  {
    name: "model in params",
    files: {
      "s.yaml": lines(...HEAD, "params: {model: claude-opus-4-8}", "cases: [{vars: {who: a}}]"),
    },
    errors: [
      {
        at: "s.yaml:3:10",
        message: "params.model: this parameter is not allowed",
        hint: "models:",
      },
    ],
  },
  {
    name: "undefined template variable",
    files: {
      "s.yaml": lines(
        ...HEAD,
        "cases:",
        "  - id: a",
        "    vars: {who: x}",
        "  - id: b",
        "    vars: {whom: y}",
      ),
    },
    errors: [
      {
        at: "s.yaml:6:5",
        message: "case 'b': undefined template variable 'who' in prompt",
        hint: "s.yaml:2:9",
      },
    ],
  },
  {
    name: "undefined variable in a system file",
    files: {
      "s.yaml": lines(
        ...HEAD,
        "system:",
        "  - file: sys.md",
        "cases:",
        "  - id: a",
        "    vars: {who: x}",
      ),
      "sys.md": "Answer {{style}}.",
    },
    errors: [
      { at: "s.yaml:6:5", message: "undefined template variable 'style' in system file sys.md" },
    ],
  },
  {
    name: "undefined variable in an assertion value",
    files: {
      "s.yaml": lines(
        ...HEAD,
        "defaults:",
        "  assert: [{type: equals, value: '{{expected}}'}]",
        "cases:",
        "  - vars: {who: x}",
      ),
    },
    errors: [
      {
        at: "s.yaml:6:5",
        message:
          "case 'case-1': undefined template variable 'expected' in the value of assertion 'equals'",
      },
    ],
  },
  {
    name: "duplicate case ids",
    files: {
      "s.yaml": lines(
        ...HEAD,
        "cases:",
        "  - id: a",
        "    vars: {who: x}",
        "  - id: a",
        "    vars: {who: y}",
      ),
    },
    errors: [{ at: "s.yaml:6:9", message: "duplicate case id 'a' (first defined at line 4)" }],
  },
  {
    name: "duplicate ids across a case file",
    files: {
      "s.yaml": lines(...HEAD, "cases:", "  - id: a", "    vars: {who: x}", "  - file: more.jsonl"),
      "more.jsonl": lines('{"id": "b", "vars": {"who": "y"}}', '{"id": "a", "vars": {"who": "z"}}'),
    },
    errors: [
      { at: "more.jsonl:2:2", message: "duplicate case id 'a' (first defined at s.yaml:4:5)" },
    ],
  },
  {
    name: "missing system file",
    files: {
      "s.yaml": lines(...HEAD, "system:", "  - file: prompts/nope.md", "cases: [{vars: {who: a}}]"),
    },
    errors: [{ at: "s.yaml:4:11", message: "system file not found: prompts/nope.md" }],
  },
  {
    name: "missing case file",
    files: { "sub/s.yaml": lines(...HEAD, "cases:", "  - file: cases.csv") },
    paths: ["sub/s.yaml"],
    errors: [
      {
        at: "sub/s.yaml:4:11",
        message: "case file not found: sub/cases.csv",
        hint: "relative to the folder of the file they are written in: sub/",
      },
    ],
  },
  {
    name: "unsupported case file type",
    files: { "s.yaml": lines(...HEAD, "cases:", "  - file: cases.txt"), "cases.txt": "x" },
    errors: [{ at: "s.yaml:4:11", message: "unsupported case file type '.txt'" }],
  },
  {
    name: "prompt and messages both",
    files: {
      "s.yaml": lines(
        ...HEAD,
        "messages:",
        "  - {role: user, content: hi}",
        "cases: [{vars: {who: a}}]",
      ),
    },
    errors: [{ at: "s.yaml:3:1", message: "use either prompt or messages, not both" }],
  },
  {
    name: "neither prompt nor messages",
    files: { "s.yaml": lines("name: s", "cases: [{id: a}]") },
    errors: [{ at: "s.yaml:1:1", message: "the suite has neither prompt nor messages" }],
  },
  {
    name: "messages ending with an assistant turn",
    files: {
      "s.yaml": lines(
        "name: s",
        "messages:",
        "  - {role: user, content: hi}",
        "  - {role: assistant, content: hello}",
        "cases: [{id: a}]",
      ),
    },
    errors: [
      { at: "s.yaml:4:5", message: "messages must end with a user turn (the last is 'assistant')" },
    ],
  },
  {
    name: "two cache breakpoints",
    files: {
      "s.yaml": lines(
        ...HEAD,
        "system:",
        "  - {text: a, cache: 1h}",
        "  - {text: b, cache: 5m}",
        "cases: [{vars: {who: a}}]",
      ),
    },
    errors: [
      { at: "s.yaml:5:15", message: "more than one cache breakpoint (the first is at line 4)" },
    ],
  },
  {
    name: "unknown model",
    files: {
      "s.yaml": lines(
        ...HEAD,
        "models: [claude-haiku-4-5, claude-haiku-9]",
        "cases: [{vars: {who: a}}]",
      ),
    },
    errors: [{ at: "s.yaml:3:28", message: "unknown model 'claude-haiku-9'", hint: "pricing:" }],
  },
  {
    name: "misspelt model",
    files: {
      "s.yaml": lines(...HEAD, "models: [claude-sonet-4-6]", "cases: [{vars: {who: a}}]"),
    },
    errors: [
      {
        at: "s.yaml:3:10",
        message:
          "unknown model 'claude-sonet-4-6': it has no price (did you mean 'claude-sonnet-4-6'?)",
        hint: "pricing:",
      },
    ],
  },
  {
    name: "bad assertion type",
    files: {
      "s.yaml": lines(
        ...HEAD,
        "cases:",
        "  - vars: {who: a}",
        "    assert:",
        "      - type: containz",
        "        value: x",
      ),
    },
    errors: [{ at: "s.yaml:6:9", message: 'unknown assertion type "containz"' }],
  },
  {
    name: "bad assertion value in a CSV cell",
    files: {
      "s.yaml": lines(...HEAD, "cases: [{file: c.csv}]"),
      "c.csv": lines("who,assert:regex", "ann,(unclosed"),
    },
    errors: [{ at: "c.csv:2:5", message: "not a valid regular expression" }],
  },
  {
    name: "CSV row with too many cells",
    files: {
      "s.yaml": lines(...HEAD, "cases: [{file: c.csv}]"),
      "c.csv": lines("id,who", "a,b", "c,d,e"),
    },
    errors: [{ at: "c.csv:3:5", message: "row has 3 cells but the header has 2 columns" }],
  },
  {
    name: "CSV with an unterminated quote",
    files: { "s.yaml": lines(...HEAD, "cases: [{file: c.csv}]"), "c.csv": lines("id,who", 'a,"b') },
    errors: [{ at: "c.csv:2:3", message: "invalid CSV: unterminated quoted cell" }],
  },
  {
    name: "CSV column that is not a variable name: once, at the header",
    files: {
      "s.yaml": lines(...HEAD, "cases: [{file: c.csv}]"),
      "c.csv": lines("who,the who", "a,b", "c,d", "e,f"),
    },
    errors: [
      {
        at: "c.csv:1:5",
        message: "'the who' is not a valid variable name",
        hint: 'columns: {"the who": the_who}',
      },
    ],
  },
  {
    name: "invalid JSON line",
    files: {
      "s.yaml": lines(...HEAD, "cases: [{file: c.jsonl}]"),
      "c.jsonl": lines('{"vars": {"who": "a"}}', "", '{"vars": {"who": "a"},}'),
    },
    errors: [{ at: "c.jsonl:3:23", message: "invalid JSON" }],
  },
  {
    name: "schema error in a YAML case file",
    files: {
      "s.yaml": lines(...HEAD, "cases: [{file: c.yaml}]"),
      "c.yaml": lines("- id: a", "  vars: {who: x}", "- id: b", "  vars: [who]"),
    },
    errors: [{ at: "c.yaml:4:9", message: "vars must be a map, got a list" }],
  },
  {
    name: "YAML case file that is not a list",
    files: { "s.yaml": lines(...HEAD, "cases: [{file: c.yml}]"), "c.yml": lines("id: a") },
    errors: [{ at: "c.yml:1:1", message: "a YAML case file must be a list of cases" }],
  },
  {
    name: "empty case file",
    files: { "s.yaml": lines(...HEAD, "cases: [{file: c.csv}]"), "c.csv": "who\n" },
    errors: [{ at: "c.csv:1:1", message: "case file has no cases" }],
  },
  {
    name: "empty suite file",
    files: { "s.yaml": "# nothing yet\n" },
    errors: [{ at: "s.yaml:1:1", message: "the suite file is empty" }],
  },
  {
    name: "duplicate suite names",
    files: {
      "a.yaml": lines(...HEAD, "cases: [{vars: {who: a}}]"),
      "b.yaml": lines("description: again", ...HEAD, "cases: [{vars: {who: a}}]"),
    },
    paths: ["."],
    errors: [{ at: "b.yaml:2:7", message: "duplicate suite name 's' (first used at a.yaml:1:7)" }],
  },
  {
    name: "promptfoo's top-level keys name their equivalents (and 'cases' is not also missing)",
    files: {
      "s.yaml": lines(
        "name: s",
        "prompt: hi",
        "providers: [anthropic:messages:claude-haiku-4-5]",
        "defaultTest: {vars: {a: 1}}",
        "tests: [{vars: {a: 2}}]",
      ),
    },
    errors: [
      { at: "s.yaml:3:1", message: "promptfoo's `providers` is `models` here", hint: "models:" },
      { at: "s.yaml:4:1", message: "promptfoo's `defaultTest` is `defaults` here" },
      { at: "s.yaml:5:1", message: "unknown key 'tests' — promptfoo's `tests` is `cases` here" },
    ],
  },
  {
    name: "a case threshold outside 0 to 1, and a sample rule with both forms",
    files: {
      "s.yaml": lines(
        ...HEAD,
        "cases:",
        "  - vars: {who: a}",
        "    threshold: 1.5",
        "    assert: [{type: equals, value: x}]",
        "  - vars: {who: b}",
        "    pass: {at_least: 2, share: 0.5}",
      ),
    },
    errors: [
      { at: "s.yaml:5:16", message: "threshold must be <= 1" },
      { at: "s.yaml:8:11", message: "`{at_least: k}` or `{share: s}`, one of the two" },
    ],
  },
  {
    name: "promptfoo's grader provider, on an assertion and in defaultTest options",
    files: {
      "s.yaml": lines(
        ...HEAD,
        "defaults:",
        "  options: {provider: anthropic:messages:claude-sonnet-4-6}",
        "cases:",
        "  - vars: {who: a}",
        "    assert: [{type: llm-rubric, value: polite, provider: claude-sonnet-4-6}]",
      ),
    },
    errors: [
      {
        at: "s.yaml:4:3",
        message: "promptfoo's `options` is not supported",
        hint: "a grader `provider` is `grader:` on the suite",
      },
      {
        at: "s.yaml:7:48",
        message: "unknown key 'provider' — promptfoo's `provider` is `grader` here",
        hint: "`grader: claude-sonnet-4-6` on the assertion, or on the suite",
      },
    ],
  },
  {
    name: "a system turn in messages",
    files: {
      "s.yaml": lines(
        "name: s",
        "messages:",
        "  - {role: system, content: Be brief.}",
        "  - {role: user, content: hi}",
        "cases: [{id: a}]",
      ),
    },
    errors: [
      {
        at: "s.yaml:3:12",
        message: 'messages[0].role must be one of user, assistant; got "system"',
        hint: "a system prompt goes in the suite's `system:` key",
      },
    ],
  },
  {
    name: "a path that matches nothing",
    files: {},
    paths: ["evals/*.yaml"],
    errors: [{ at: "evals/*.yaml:0:0", message: "no suite files match this path" }],
  },
];

describe("suite diagnostics", () => {
  testDiagnosticTable(TABLE);

  test("more than five cases missing the same variable are summarized", async () => {
    const cases = Array.from({ length: 8 }, (_, i) => `  - id: c${i}`);
    const dir = await writeProject({ "s.yaml": lines(...HEAD, "cases:", ...cases) });
    const { diagnostics } = await loadSuites(["s.yaml"], loaderOptions(dir));
    expect(diagnostics).toHaveLength(6);
    expect(formatDiagnostic(diagnostics[0]!)).toMatch(
      /^s\.yaml:2:9: error: undefined template variable 'who' in 3 more cases$/,
    );
  });

  test("a glob skips YAML case files that a suite reads", async () => {
    const dir = await writeProject({
      "evals/s.yaml": lines(...HEAD, "cases: [{file: cases/c.yaml}]"),
      "evals/cases/c.yaml": lines("- vars: {who: a}"),
    });
    const result = await loadSuites([], loaderOptions(dir));
    expect(result.diagnostics).toEqual([]);
    expect(result.files).toEqual(["evals/s.yaml"]);
  });

  test("a YAML list found by a glob is reported as not a suite", async () => {
    const dir = await writeProject({ "evals/c.yaml": lines("- vars: {who: a}") });
    const result = await loadSuites([], loaderOptions(dir));
    expect(result.diagnostics.map(formatDiagnostic)[0]).toContain(
      "evals/c.yaml:1:1: error: this file is a YAML list, not a suite",
    );
  });

  test("no suites at all names the glob and the fix", async () => {
    const dir = await writeProject({});
    const { diagnostics } = await loadSuites([], loaderOptions(dir));
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]?.message).toContain(
      "no suite files match the evals glob 'evals/**/*.{yaml,yml}'",
    );
    expect(diagnostics[0]?.hint).toContain("evals/my-suite.yaml");
  });
});
