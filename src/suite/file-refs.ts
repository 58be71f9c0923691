/**
 * `file:` references: a path relative to the folder of the file that names it (the suite file,
 * or a case file), read as UTF-8 text. A missing, unreadable or binary file becomes one
 * diagnostic at the reference.
 */
import { dirname, join, resolve } from "node:path";
import { diagnosticAt } from "../source/diagnostics.js";
import {
  NOT_TEXT,
  NOT_TEXT_HINT,
  type TextFileCache,
  type TextFileResult,
} from "../source/read-text-file.js";
import type { Diagnostic, SourceLocation } from "../source/types.js";

/** What reading a reference needs: the working folder and the load's file cache. */
export interface FileRefContext {
  cwd: string;
  files: TextFileCache;
}

/** A `file:` reference as written. */
export interface FileRef {
  /** The path as written, relative to `from`'s folder. */
  path: string;
  /** The file that holds the reference (as shown in diagnostics). */
  from: string;
  /** Where the reference is written. */
  where: SourceLocation;
  /** What the file is, for messages: "system file", "prompt file", "var file"… */
  what: string;
}

/** The referenced file's path as shown in diagnostics (relative to cwd like `from`). */
export function refPath(ref: Pick<FileRef, "path" | "from">): string {
  return join(dirname(ref.from), ref.path);
}

/** Reads a reference: its text and display path, or one diagnostic. */
export async function readFileRef(
  ref: FileRef,
  ctx: FileRefContext,
): Promise<{ text: string; file: string } | { diagnostic: Diagnostic }> {
  const file = refPath(ref);
  const result = await ctx.files.read(resolve(ctx.cwd, file));
  if (result.ok) return { text: result.text, file };
  return { diagnostic: unreadableFile(ref, file, result) };
}

/** The diagnostic for a reference whose file has no text. */
export function unreadableFile(
  ref: Pick<FileRef, "from" | "where" | "what">,
  file: string,
  result: Exclude<TextFileResult, { ok: true }>,
): Diagnostic {
  if (result.kind === "missing") {
    const hint = `paths under file: are relative to the folder of the file they are written in: ${dirname(ref.from)}/ (for ${ref.from})`;
    return diagnosticAt(ref.where, `${ref.what} not found: ${file}`, hint);
  }
  if (result.kind === "binary") {
    return diagnosticAt(
      ref.where,
      `${ref.what} ${file} is ${NOT_TEXT}: ${result.reason}`,
      NOT_TEXT_HINT,
    );
  }
  return diagnosticAt(ref.where, `cannot read ${ref.what} ${file}: ${result.reason}`);
}

/** The diagnostic for a file the user named directly (a suite file): at its line 1, col 1. */
export function unreadableOwnFile(
  file: string,
  result: Exclude<TextFileResult, { ok: true }>,
): Diagnostic {
  const where = { file, line: 1, col: 1 };
  if (result.kind === "binary")
    return diagnosticAt(where, `${NOT_TEXT}: ${result.reason}`, NOT_TEXT_HINT);
  return diagnosticAt({ file, line: 0, col: 0 }, `cannot read suite file: ${result.reason}`);
}
