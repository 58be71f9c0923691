/**
 * JavaScript a suite carries: the code of a `javascript` assertion and of a `transform`. It is
 * inline code (an expression, or a function body with `return`) or `file:path.js` (`.mjs`,
 * `.cjs`; `file:path.js:name` for a named export), a module whose export is the function.
 * Either way it becomes a function of `(output, context)`.
 *
 * Suites are trusted code: this runs with the CLI's full permissions, as promptfoo does.
 *
 * Compiled once per text: a suite of 100,000 cases checks (at load) and runs (at grading) the
 * same code for every case, so both must hit a cache rather than compile again. Modules load
 * synchronously (`require`, which loads ES modules too, since Node 20.19), so the loader can
 * report a missing file or export while it checks the suite, like a syntax error.
 */
import { createRequire } from "node:module";
import { isAbsolute, resolve } from "node:path";
import { compileFunction } from "node:vm";

/** The function a piece of code becomes. */
export type CodeFunction = (output: unknown, context: unknown) => unknown;

/** A compiled piece of code, or why it cannot run (a sentence fragment for a diagnostic). */
export type Compiled = { fn: CodeFunction } | { problem: string };

const FILE_PREFIX = /^file:(?:\/\/)?/;

/** `path.js`, `path.mjs` or `path.cjs`, then optionally `:exportName`. */
const FILE_REF = /^(.+\.[cm]?js)(?::([A-Za-z_$][\w$]*))?$/;

/** A `file:` reference, split. */
export interface CodeFileRef {
  path: string;
  /** The named export; absent: the default export (or a CommonJS `module.exports` function). */
  name?: string;
}

/** Whether the code is a `file:` reference rather than inline code. */
export function isCodeFile(code: string): boolean {
  return FILE_PREFIX.test(code);
}

/** Splits `file:path.js:name`; undefined when the path does not end in .js, .mjs or .cjs. */
export function parseCodeFile(code: string): CodeFileRef | undefined {
  const match = FILE_REF.exec(code.replace(FILE_PREFIX, ""));
  if (match === null) return undefined;
  const [, path = "", name] = match;
  return name === undefined ? { path } : { path, name };
}

/**
 * The code with a relative `file:` path made absolute against `folder` (the folder of the file
 * the code is written in), so that grading, which knows no suite file, finds the module.
 * Inline code and unparsable references come back unchanged (the check reports the latter).
 */
export function resolveCodeFile(code: string, folder: string): string {
  if (!isCodeFile(code)) return code;
  const ref = parseCodeFile(code);
  if (ref === undefined || isAbsolute(ref.path)) return code;
  const path = resolve(folder, ref.path);
  return ref.name === undefined ? `file:${path}` : `file:${path}:${ref.name}`;
}

/**
 * Past this many distinct texts the cache starts over: a suite whose code is a template holds
 * one text per case, and the cache should not keep every one of a million cases' functions.
 */
const CACHE_LIMIT = 50_000;

const cache = new Map<string, Compiled>();

/** The code's function, compiled (or loaded) once per text. */
export function compileCode(code: string): Compiled {
  const cached = cache.get(code);
  if (cached !== undefined) return cached;
  const compiled = isCodeFile(code) ? loadFile(code) : compileInline(code);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(code, compiled);
  return compiled;
}

/** Why the code cannot run, or undefined when it compiles (or its module loads). */
export function codeProblem(code: unknown): string | undefined {
  if (typeof code !== "string" || code.trim() === "") {
    return `expects JavaScript code (an expression, a function body with \`return\`, or file:path.js), got ${JSON.stringify(code) ?? "nothing"}`;
  }
  const compiled = compileCode(code);
  return "problem" in compiled ? compiled.problem : undefined;
}

function message(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message.split("\n")[0]}`;
  return String(error);
}

/**
 * Inline code, read as promptfoo reads it and a little more: an expression (on one line or
 * several), else a one-line statement such as `output.length < 100;`, else a function body
 * that returns its result. The first form that compiles is the one that runs.
 */
function compileInline(code: string): Compiled {
  const forms = [`return (${code}\n);`, ...(code.includes("\n") ? [] : [`return ${code}`]), code];
  let error: unknown;
  for (const body of forms) {
    try {
      // compileFunction parses the body alone: its errors name the code's own line, where
      // `new Function` would blame the brace it adds.
      return {
        fn: compileFunction(body, ["output", "context"], { filename: "code" }) as CodeFunction,
      };
    } catch (thrown) {
      error = thrown;
    }
  }
  // The last form is the code as written: its error is the one that reads right.
  return { problem: `has a syntax error: ${syntaxError(error, code)}` };
}

/** The error's message and the line of the code it is on, quoted. */
function syntaxError(error: unknown, code: string): string {
  const text = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error ? (error.stack ?? "") : "";
  const lineNumber = Number(/^code:(\d+)/.exec(stack)?.[1] ?? "1");
  const lines = code.split("\n");
  const line = (lines[lineNumber - 1] ?? "").trim();
  const quoted = `\`${line.length > 60 ? `${line.slice(0, 60)}…` : line}\``;
  return lines.length > 1
    ? `${text} (line ${lineNumber} of the code: ${quoted})`
    : `${text} (in ${quoted})`;
}

const requireModule = createRequire(import.meta.url);

function loadFile(code: string): Compiled {
  const ref = parseCodeFile(code);
  if (ref === undefined) {
    return {
      problem: `expects file:path.js (or .mjs, .cjs), optionally file:path.js:functionName, got ${JSON.stringify(code)}`,
    };
  }
  let exports: unknown;
  try {
    exports = requireModule(resolve(ref.path));
  } catch (error) {
    const missing = (error as { code?: unknown }).code === "MODULE_NOT_FOUND";
    return {
      problem: missing
        ? `names a module that does not exist: ${ref.path}`
        : `cannot load ${ref.path}: ${message(error)}`,
    };
  }
  return exportedFunction(exports, ref);
}

function exportedFunction(exports: unknown, ref: CodeFileRef): Compiled {
  const record =
    typeof exports === "object" && exports !== null ? (exports as Record<string, unknown>) : {};
  // A CommonJS module may export the function itself.
  const fn =
    ref.name !== undefined
      ? record[ref.name]
      : typeof exports === "function"
        ? exports
        : record.default;
  if (typeof fn === "function") return { fn: fn as CodeFunction };
  const names = Object.keys(record).filter((key) => key !== "__esModule");
  const has = names.length === 0 ? "it exports nothing" : `its exports: ${names.join(", ")}`;
  const wanted =
    ref.name === undefined ? "a default export function" : `a function exported as \`${ref.name}\``;
  const fix = ref.name === undefined ? "; name one as file:path.js:functionName" : "";
  return { problem: `expects ${wanted} in ${ref.path} (${has})${fix}` };
}

/** What running the code gave: its return value, or what it threw. */
export type CodeRun = { value: unknown } | { thrown: string };

/** Calls the code's function; a throw is caught and described, never passed on. */
export function runCode(fn: CodeFunction, output: unknown, context: unknown): CodeRun {
  try {
    return { value: fn(output, context) };
  } catch (error) {
    return { thrown: message(error) };
  }
}
