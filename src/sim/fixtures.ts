/**
 * Fixture rules: how the simulator's "models" answer. A fixture file is YAML with a top-level
 * `rules:` list; the first rule (files in sorted order, rules in file order) whose `model` glob
 * and `match`/`system` patterns fit the request wins. See src/sim/README.md for the format.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import fg from "fast-glob";
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type YAMLMap } from "yaml";
import { BatchevalError } from "../errors.js";
import type { Diagnostic, SourceLocation } from "../source/types.js";

/** One fixture rule. Exactly one of `reply`, `json` or `echo` gives the text (or `toolUse` alone). */
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
  "json",
  "echo",
  "tool_use",
  "stop_reason",
  "thinking",
]);

/** Parses one fixture file. Throws BatchevalError("bad_input") listing `file:line:col: message`. */
export function parseFixtures(text: string, file: string): FixtureRule[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const problems: Diagnostic[] = [];
  const at = (offset: number | undefined, message: string): void => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    problems.push({ file, line, col, severity: "error", message });
  };
  for (const error of doc.errors)
    at(error.pos[0], error.message.split(" at line ")[0] ?? error.message);
  const rules: FixtureRule[] = [];
  if (problems.length === 0) {
    const root = doc.contents;
    const list = isMap(root) ? root.get("rules", true) : undefined;
    if (root === null) return [];
    if (!isSeq(list)) at(root.range?.[0], "expected a top-level `rules:` list");
    else {
      for (const item of list.items) {
        const node = item as Node;
        const { line, col } = lineCounter.linePos(node.range?.[0] ?? 0);
        if (!isMap(node)) at(node.range?.[0], "a rule must be a mapping");
        else {
          const rule = parseRule(node, { file, line, col }, at);
          if (rule) rules.push(rule);
        }
      }
    }
  }
  if (problems.length > 0) {
    const lines = problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`);
    throw new BatchevalError("bad_input", lines.join("\n"), {
      hint: "Fix the simulator fixture file; the format is described in src/sim/README.md.",
      diagnostics: problems,
    });
  }
  return rules;
}

type Report = (offset: number | undefined, message: string) => void;

function parseRule(node: YAMLMap, source: SourceLocation, at: Report): FixtureRule | undefined {
  const rule: FixtureRule = { source };
  let ok = true;
  const fail = (n: Node | null | undefined, message: string): void => {
    ok = false;
    at(n?.range?.[0] ?? node.range?.[0], message);
  };
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    const value = pair.value as Node | null;
    const data: unknown = value === null ? null : value.toJSON();
    if (!KEYS.has(key)) fail(pair.key as Node, `unknown rule key \`${key}\``);
    else if (key === "reply" && Array.isArray(data)) {
      if (data.length === 0 || !data.every((t) => typeof t === "string")) {
        fail(value, "`reply` as a list must hold the text of each block, as strings");
      } else {
        rule.replyBlocks = data;
        rule.reply = data.join("");
      }
    } else if (key === "model" || key === "reply" || key === "thinking") {
      if (typeof data !== "string") {
        fail(value, `\`${key}\` must be a string${key === "reply" ? " or a list of strings" : ""}`);
      } else rule[key] = data;
    } else if (key === "match" || key === "system") {
      if (typeof data !== "string") fail(value, `\`${key}\` must be a string or /regex/flags`);
      else {
        const pattern = toPattern(data);
        if (pattern instanceof Error)
          fail(value, `invalid regex in \`${key}\`: ${pattern.message}`);
        else rule[key] = pattern;
      }
    } else if (key === "json") rule.json = data;
    else if (key === "echo") {
      if (data !== true) fail(value, "`echo` must be true");
      else rule.echo = true;
    } else if (key === "stop_reason") {
      if (data !== "max_tokens") fail(value, "`stop_reason` must be `max_tokens`");
      else rule.stopReason = "max_tokens";
    } else {
      const tool = data as { name?: unknown; input?: unknown } | null;
      if (typeof tool !== "object" || tool === null || typeof tool.name !== "string") {
        fail(value, "`tool_use` must be a mapping with a string `name` (and an `input`)");
      } else rule.toolUse = { name: tool.name, input: tool.input ?? {} };
    }
  }
  const texts = ["reply" in rule, node.has("json"), "echo" in rule].filter(Boolean).length;
  if (texts > 1) fail(node, "a rule takes only one of `reply`, `json` or `echo`");
  if (texts === 0 && !rule.toolUse)
    fail(node, "a rule needs `reply`, `json`, `echo` or `tool_use`");
  return ok ? rule : undefined;
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

/** Loads every file the globs match (relative to `cwd`, sorted), rules in file order. */
export async function loadFixtures(globs: string | string[], cwd: string): Promise<FixtureRule[]> {
  const files = (await fg(globs, { cwd, onlyFiles: true, dot: false })).sort();
  const rules: FixtureRule[] = [];
  for (const file of files) {
    // A loop, not push(...rules): a fixture file can hold more rules than a call takes arguments.
    for (const rule of parseFixtures(await readFile(path.resolve(cwd, file), "utf8"), file)) {
      rules.push(rule);
    }
  }
  return rules;
}

/** The first rule that fits the request, or undefined. */
export function findRule(
  rules: readonly FixtureRule[],
  query: FixtureQuery,
): FixtureRule | undefined {
  return rules.find(
    (rule) =>
      (rule.model === undefined || globToRegExp(rule.model).test(query.model)) &&
      fits(rule.match, query.lastUserText) &&
      fits(rule.system, query.systemText),
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
