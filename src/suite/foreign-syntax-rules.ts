/**
 * Named rules that refuse text the engine would send literally: template syntax it cannot
 * render (see foreign-syntax.ts) in system blocks, prompts, messages and assertion values, and
 * promptfoo's `file://` references in those and in vars. Each error names the fix.
 */
import { extname } from "node:path";
import { DiagnosticCap } from "../source/diagnostic-cap.js";
import { diagnosticAt } from "../source/diagnostics.js";
import type { Diagnostic, SourceLocation } from "../source/types.js";
import {
  describeForeignSyntax,
  type ForeignSyntax,
  fileUrlPath,
  foreignSyntax,
} from "./foreign-syntax.js";
import type { SuiteDraft } from "./normalize-suite.js";
import type { SuiteRule } from "./suite-rules.js";
import { valueTemplates } from "./template.js";
import type { VarValue } from "./types.js";

interface Template {
  text: string;
  /** Where the template is written (its node in the suite, or a cell). */
  source: SourceLocation;
  /** The file the text was read from, when it came from one: errors point into it. */
  file?: string | undefined;
  /** What replaces `file://path` here. */
  fileHint: (path: string) => string;
}

/** System blocks, prompt and messages, and the defaults' assertion values. */
export const renderableSuiteTemplates: SuiteRule = (draft) =>
  suiteTemplates(draft).flatMap(templateProblems);

/** Each case's own assertion values (defaults are checked once, above). */
export const renderableCaseAssertions: SuiteRule = (draft) => {
  const own = draft.raw.defaults?.assert?.length ?? 0;
  const cap = new DiagnosticCap();
  for (const testCase of draft.suite.cases) {
    for (const assertion of testCase.assert.slice(own)) {
      for (const text of valueTemplates(assertion.value)) {
        const template = { text, source: assertion.source, fileHint: inlineText };
        for (const problem of templateProblems(template))
          cap.add(`${problem.file}\0assert`, problem);
      }
    }
  }
  return cap.diagnostics();
};

/** Vars whose value is a `file://path` string (promptfoo's file reference). */
export const noFileUrlVars: SuiteRule = (draft) => {
  const defaults = draft.raw.defaults?.vars ?? {};
  const diagnostics = Object.entries(defaults).flatMap(([name, value]) =>
    fileUrlVar(name, value, draft.locate(["defaults", "vars", name]), "yaml"),
  );
  const cap = new DiagnosticCap();
  for (const entry of draft.entries) {
    for (const [name, value] of Object.entries(entry.data.vars ?? {})) {
      const where = entry.locate(["vars", name]);
      const format = extname(where.file).toLowerCase() === ".csv" ? "csv" : "yaml";
      for (const problem of fileUrlVar(name, value, where, format)) {
        cap.add(`${where.file}\0${name}`, problem);
      }
    }
  }
  return [...diagnostics, ...cap.diagnostics()];
};

function fileUrlVar(
  name: string,
  value: VarValue,
  where: SourceLocation,
  format: "csv" | "yaml",
): Diagnostic[] {
  if (typeof value !== "string" || !/^\s*file:\/\//.test(value)) return [];
  const path = fileUrlPath(value);
  const message = `var '${name}' is the literal text \`${value.trim()}\`: \`file://\` references are promptfoo's`;
  const hint =
    format === "csv"
      ? `to read the file into the var, write the cell as \`file:${path}\` (relative to this CSV file)`
      : `to read the file into the var, write \`${name}: {file: ${path}}\` (relative to this file)`;
  return [diagnosticAt(where, message, hint)];
}

function suiteTemplates({ suite, raw, locate }: SuiteDraft): Template[] {
  const system = suite.system.map((block) => ({
    text: block.text,
    source: block.source,
    file: block.file,
    fileHint:
      typeof raw.system === "string"
        ? (path: string) => `write \`system: [{file: ${path}}]\` (relative to this suite file)`
        : (path: string) => `write the block as \`- file: ${path}\` (relative to this suite file)`,
  }));
  const messages = suite.messages.map((message) => ({
    text: message.content,
    source: message.source,
    file: message.file,
    fileHint:
      raw.prompt !== undefined
        ? (path: string) => `write \`prompt: {file: ${path}}\` (relative to this suite file)`
        : () => "write the turn's text inline (a single-turn suite can use `prompt: {file: path}`)",
  }));
  const defaults = (raw.defaults?.assert ?? []).flatMap((assertion, index) =>
    valueTemplates(assertion.value).map((text) => ({
      text,
      source: locate(["defaults", "assert", index, "value"]),
      fileHint: inlineText,
    })),
  );
  return [...system, ...messages, ...defaults];
}

function inlineText(): string {
  return "write the expected text inline: assertion values are not read from files";
}

/** One diagnostic per kind of foreign construct in a template, at its first use. */
function templateProblems(template: Template): Diagnostic[] {
  const firstOfKind = new Map<ForeignSyntax["kind"], { found: ForeignSyntax; count: number }>();
  for (const found of foreignSyntax(template.text)) {
    const seen = firstOfKind.get(found.kind);
    if (seen === undefined) firstOfKind.set(found.kind, { found, count: 1 });
    else seen.count++;
  }
  return [...firstOfKind.values()].map(({ found, count }) => {
    const described = describeForeignSyntax(found);
    const firstLine = template.text.trim().split("\n")[0] ?? "";
    const hint =
      found.kind === "file-url" ? template.fileHint(fileUrlPath(firstLine)) : described.hint;
    const more = count > 1 ? ` (${count} in this template)` : "";
    const where =
      template.file === undefined
        ? template.source
        : { file: template.file, ...lineCol(template.text, found.offset) };
    return diagnosticAt(where, `${described.message}${more}`, hint);
  });
}

/** 1-based line and column of a 0-based offset in `text`. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}
