/**
 * Fixture rules: how the simulator's "models" answer. A fixture file is YAML with a top-level
 * `rules:` list; the first rule (files in sorted order, rules in file order) whose `model` glob
 * and `match`/`system` patterns fit the request wins. See src/sim/README.md for the format.
 */
import path from "node:path";
import fg from "fast-glob";
import { invalidFileError } from "../errors.js";
import { diagnosticAt, fileLocation, sortDiagnostics } from "../source/diagnostics.js";
import { NOT_TEXT, readTextFile } from "../source/read-text-file.js";
import type { Diagnostic, SourceLocation } from "../source/types.js";
import { type PathSegment, parseYamlSource } from "../source/yaml-source.js";

/**
 * One fixture rule. Exactly one of `reply`, `replies`, `json` or `echo` gives the text (or
 * `toolUse` alone).
 */
export interface FixtureRule {
  /** Model glob (`*` and `?` wildcards), e.g. `claude-haiku-*`; absent = any model. */
  model?: string;
  /** Matches the last user message: a substring, or a RegExp (`/re/flags` in YAML). Absent = any. */
  match?: string | RegExp;
  /** Matches the system prompt, like `match`. Absent = any. */
  system?: string | RegExp;
  /** The reply text. */
  reply?: string;
  /**
   * The reply as several text blocks (`reply:` given as a list), as the API splits one answer
   * around citations; `reply` is then their concatenation.
   */
  replyBlocks?: string[];
  /** A `thinking` block to put before the answer (its tokens count as output). */
  thinking?: string;
  /** A value whose JSON (`JSON.stringify`) is the reply text. */
  json?: unknown;
  /**
   * Reply texts given in turn: the first request with a given model and prompt that the rule
   * answers gets the first, the next such request the second, and so on, round again at the
   * end. The samples of a case with `repeat:` see each in order: a flaky model, repeatably.
   */
  replies?: string[];
  /** Reply with the last user message's text. */
  echo?: boolean;
  /** Append a `tool_use` block (stop_reason `tool_use`). */
  toolUse?: { name: string; input: unknown };
  /** `max_tokens`: stop as if the output had hit `max_tokens` (the reply is truncated there). */
  stopReason?: "max_tokens";
  /** Where the rule was written. */
  source: SourceLocation;
}

/** What a rule is matched against. */
export interface FixtureQuery {
  model: string;
  lastUserText: string;
  systemText: string;
}

const KEYS = new Set([
  "model",
  "match",
  "system",
  "reply",
  "replies",
  "json",
  "echo",
  "tool_use",
  "stop_reason",
  "thinking",
]);

const HINT = "Fix the simulator fixture file; the format is described in src/sim/README.md.";

/** The rules of one fixture file and its problems, located with the shared YAML kit. */
export function readFixtures(
  text: string,
  file: string,
): { rules: FixtureRule[]; problems: Diagnostic[] } {
  const source = parseYamlSource(file, text);
  const syntax = source.diagnostics.filter((d) => d.severity === "error");
  if (syntax.length > 0) return { rules: [], problems: syntax };
  const root = source.data;
  // An empty file (or one holding only comments) has no rules, and no problem.
  if (root === undefined || root === null) return { rules: [], problems: [] };
  const problems: Diagnostic[] = [];
  const list = isRecord(root) ? root.rules : undefined;
  if (!Array.isArray(list)) {
    problems.push(diagnosticAt(source.locate(["rules"]), "expected a top-level `rules:` list"));
    return { rules: [], problems };
  }
  const rules: FixtureRule[] = [];
  for (const [index, item] of list.entries()) {
    const at: Report = (where, message, target = "value") => {
      problems.push(diagnosticAt(source.locate(["rules", index, ...where], target), message));
    };
    if (!isRecord(item)) at([], "a rule must be a mapping");
    else {
      const rule = readRule(item, source.locate(["rules", index]), at);
      if (rule) rules.push(rule);
    }
  }
  return { rules, problems };
}

/** Parses one fixture file. Throws BatchevalError("bad_input") listing `file:line:col: message`. */
export function parseFixtures(text: string, file: string): FixtureRule[] {
  const { rules, problems } = readFixtures(text, file);
  if (problems.length > 0) throw invalidFileError(problems, HINT);
  return rules;
}

/** Records a problem at `where` inside the rule (its key with `target: "key"`). */
type Report = (where: readonly PathSegment[], message: string, target?: "key" | "value") => void;

function readRule(
  item: Record<string, unknown>,
  source: SourceLocation,
  report: Report,
): FixtureRule | undefined {
  const rule: FixtureRule = { source };
  let ok = true;
  const fail: Report = (where, message, target) => {
    ok = false;
    report(where, message, target);
  };
  for (const [key, data] of Object.entries(item)) {
    if (!KEYS.has(key)) fail([key], `unknown rule key \`${key}\``, "key");
    else if (key === "reply" && Array.isArray(data)) {
      if (data.length === 0 || !data.every((t) => typeof t === "string")) {
        fail([key], "`reply` as a list must hold the text of each block, as strings");
      } else {
        rule.replyBlocks = data;
        rule.reply = data.join("");
      }
    } else if (key === "model" || key === "reply" || key === "thinking") {
      if (typeof data !== "string") {
        fail([key], `\`${key}\` must be a string${key === "reply" ? " or a list of strings" : ""}`);
      } else rule[key] = data;
    } else if (key === "match" || key === "system") {
      if (typeof data !== "string") fail([key], `\`${key}\` must be a string or /regex/flags`);
      else {
        const pattern = toPattern(data);
        if (pattern instanceof Error)
          fail([key], `invalid regex in \`${key}\`: ${pattern.message}`);
        else rule[key] = pattern;
      }
    } else if (key === "replies") {
      if (!Array.isArray(data) || data.length === 0 || !data.every((x) => typeof x === "string")) {
        fail([key], "`replies` must be a list of reply texts, given in turn");
      } else rule.replies = data;
    } else if (key === "json") rule.json = data;
    else if (key === "echo") {
      if (data !== true) fail([key], "`echo` must be true");
      else rule.echo = true;
    } else if (key === "stop_reason") {
      if (data !== "max_tokens") fail([key], "`stop_reason` must be `max_tokens`");
      else rule.stopReason = "max_tokens";
    } else {
      const tool = isRecord(data) ? data : undefined;
      if (tool === undefined || typeof tool.name !== "string") {
        fail([key], "`tool_use` must be a mapping with a string `name` (and an `input`)");
      } else rule.toolUse = { name: tool.name, input: tool.input ?? {} };
    }
  }
  const texts = ["reply" in rule, "json" in item, "echo" in rule, "replies" in rule].filter(
    Boolean,
  ).length;
  if (texts > 1) fail([], "a rule takes only one of `reply`, `replies`, `json` or `echo`");
  if (texts === 0 && !rule.toolUse) {
    fail([], "a rule needs `reply`, `replies`, `json`, `echo` or `tool_use`");
  }
  return ok ? rule : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** `/re/flags` → RegExp (without `g`/`y`, which would make matching stateful); else the string. */
function toPattern(text: string): string | RegExp | Error {
  const m = /^\/(.*)\/([a-z]*)$/s.exec(text);
  if (!m) return text;
  try {
    return new RegExp(m[1] ?? "", (m[2] ?? "").replace(/[gy]/g, ""));
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * Loads every file the globs match (relative to `cwd`, sorted), rules in file order. Throws
 * one BatchevalError("bad_input") listing the problems of every file, each once.
 */
export async function loadFixtures(globs: string | string[], cwd: string): Promise<FixtureRule[]> {
  const files = (await fg(globs, { cwd, onlyFiles: true, dot: false })).sort();
  const rules: FixtureRule[] = [];
  const problems: Diagnostic[] = [];
  for (const file of files) {
    const read = await readTextFile(path.resolve(cwd, file));
    if (!read.ok) {
      problems.push(unreadable(file, read));
      continue;
    }
    const parsed = readFixtures(read.text, file);
    // Loops, not push(...rules): a fixture file can hold more rules than a call takes arguments.
    for (const rule of parsed.rules) rules.push(rule);
    for (const problem of parsed.problems) problems.push(problem);
  }
  if (problems.length > 0) throw invalidFileError(sortDiagnostics(problems), HINT);
  return rules;
}

/** The diagnostic of a fixture file that has no text: binary, or not readable. */
function unreadable(file: string, read: { kind: string; reason: string }): Diagnostic {
  if (read.kind === "binary") {
    return diagnosticAt(
      { file, line: 1, col: 1 },
      `${NOT_TEXT}: ${read.reason}`,
      "fixture files must be UTF-8 YAML: re-save it as UTF-8, or narrow the fixtures glob",
    );
  }
  return diagnosticAt(fileLocation(file), `cannot read the fixture file: ${read.reason}`);
}

/**
 * Whether a rule fits the request: its `model` glob matches the model, its `match` the last
 * user message and its `system` the system prompt (each absent = any). The first rule that
 * fits wins; {@link RuleIndex} (rule-index.ts) finds it without testing every rule.
 */
export function ruleFits(rule: FixtureRule, query: FixtureQuery): boolean {
  return (
    (rule.model === undefined || globToRegExp(rule.model).test(query.model)) &&
    fits(rule.match, query.lastUserText) &&
    fits(rule.system, query.systemText)
  );
}

function fits(pattern: string | RegExp | undefined, text: string): boolean {
  if (pattern === undefined) return true;
  if (typeof pattern === "string") return text.includes(pattern);
  pattern.lastIndex = 0;
  return pattern.test(text);
}

const globCache = new Map<string, RegExp>();

/** `claude-haiku-*` → /^claude-haiku-.*$/ (`*` any run, `?` one character). */
export function globToRegExp(glob: string): RegExp {
  let re = globCache.get(glob);
  if (!re) {
    const body = glob
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    re = new RegExp(`^${body}$`);
    globCache.set(glob, re);
  }
  return re;
}
