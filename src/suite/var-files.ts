/**
 * Var files: a var whose value is `{file: path}` (a map with the single key `file`) takes the
 * text of that file, relative to the folder of the file the var is written in (the suite, or
 * the case file; in a CSV, a `file:path` cell). The text is inserted as-is, like any string
 * var: it is not a template. Only top-level var values are read.
 */

import type { Diagnostic, SourceLocation } from "../source/types.js";
import { type FileRefContext, readFileRef } from "./file-refs.js";
import type { CaseEntry } from "./raw-suite.js";
import type { VarValue } from "./types.js";

/** True for a var value that names a file: `{file: "path"}` and nothing else. */
export function isVarFileRef(value: unknown): value is { file: string } {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return (
    keys.length === 1 && keys[0] === "file" && typeof (value as { file: unknown }).file === "string"
  );
}

/**
 * Returns `vars` with every `{file: path}` value replaced by the file's text (the same object
 * when there are none). `from` is the file holding the vars; `where` locates one var.
 */
export async function readVarFiles(
  vars: Readonly<Record<string, VarValue>> | undefined,
  from: string,
  where: (name: string) => SourceLocation,
  ctx: FileRefContext,
): Promise<{ vars: Record<string, VarValue> | undefined; diagnostics: Diagnostic[] }> {
  if (vars === undefined) return { vars, diagnostics: [] };
  const names = Object.keys(vars).filter((name) => isVarFileRef(vars[name]));
  if (names.length === 0) return { vars: vars as Record<string, VarValue>, diagnostics: [] };
  const read: Record<string, VarValue> = { ...vars };
  const diagnostics: Diagnostic[] = [];
  for (const name of names) {
    const ref = vars[name] as { file: string };
    const what = `var file (${name})`;
    const result = await readFileRef({ path: ref.file, from, where: where(name), what }, ctx);
    if ("diagnostic" in result) diagnostics.push(result.diagnostic);
    else read[name] = result.text;
  }
  return { vars: read, diagnostics };
}

function hasVarFileRef(vars: Readonly<Record<string, VarValue>>): boolean {
  for (const name in vars) if (isVarFileRef(vars[name])) return true;
  return false;
}

/** Reads the var files of case entries (in place); returns the problems. */
export async function readEntryVarFiles(
  entries: CaseEntry[],
  ctx: FileRefContext,
): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  for (const entry of entries) {
    const own = entry.data.vars;
    if (own === undefined || !hasVarFileRef(own)) continue;
    const where = (name: string) => entry.locate(["vars", name, "file"]);
    const result = await readVarFiles(own, entry.from, where, ctx);
    entry.data = { ...entry.data, ...(result.vars === undefined ? {} : { vars: result.vars }) };
    for (const d of result.diagnostics) diagnostics.push(d);
  }
  return diagnostics;
}
