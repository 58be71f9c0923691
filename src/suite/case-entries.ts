/**
 * Collects a suite's case entries in order: inline cases, and the cases of each `file:` entry
 * (read with its `columns:` and `vars_from:`). Var files are read here, relative to the file
 * each case is written in. Missing, unreadable or binary files become located diagnostics.
 */
import { extname } from "node:path";
import { diagnosticAt } from "../source/diagnostics.js";
import type { Diagnostic } from "../source/types.js";
import type { Locate } from "../source/yaml-source.js";
import { appendAll } from "./append-all.js";
import { type FileRefContext, readFileRef, refPath } from "./file-refs.js";
import { CASE_FILE_TYPES, loadCaseFile } from "./load-case-file.js";
import type { CaseEntry, RawCaseFileRef, RawSuite } from "./raw-suite.js";
import { readEntryVarFiles } from "./var-files.js";

/** What collecting entries needs: the suite file, its locator, and the file reader. */
export interface CaseEntryContext extends FileRefContext {
  file: string;
  locate: Locate;
}

/** The entries (inline and from case files) and the problems found reading them. */
export async function collectCaseEntries(
  raw: RawSuite,
  ctx: CaseEntryContext,
): Promise<{ entries: CaseEntry[]; diagnostics: Diagnostic[] }> {
  const entries: CaseEntry[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [index, item] of raw.cases.entries()) {
    if (!isFileRef(item)) {
      const locate: Locate = (path, target) => ctx.locate(["cases", index, ...path], target);
      entries.push({ data: item, locate, from: ctx.file });
      continue;
    }
    const locateEntry: Locate = (path, target) => ctx.locate(["cases", index, ...path], target);
    const loaded = await loadCaseFileEntry(item, locateEntry, ctx);
    appendAll(entries, loaded.entries);
    appendAll(diagnostics, loaded.diagnostics);
  }
  appendAll(diagnostics, await readEntryVarFiles(entries, ctx));
  return { entries, diagnostics };
}

/** The case files a suite reads (paths as shown in diagnostics). */
export function caseFilePaths(raw: RawSuite, suiteFile: string): string[] {
  return raw.cases.filter(isFileRef).map((ref) => refPath({ path: ref.file, from: suiteFile }));
}

async function loadCaseFileEntry(
  ref: RawCaseFileRef,
  locateEntry: Locate,
  ctx: CaseEntryContext,
): Promise<{ entries: CaseEntry[]; diagnostics: Diagnostic[] }> {
  const where = locateEntry(["file"]);
  const file = refPath({ path: ref.file, from: ctx.file });
  const extension = extname(file).toLowerCase();
  if (!(CASE_FILE_TYPES as readonly string[]).includes(extension)) {
    const message = `unsupported case file type '${extension || file}'`;
    const hint = `case files must end in ${CASE_FILE_TYPES.join(", ")}`;
    return { entries: [], diagnostics: [diagnosticAt(where, message, hint)] };
  }
  const read = await readFileRef({ path: ref.file, from: ctx.file, where, what: "case file" }, ctx);
  if ("diagnostic" in read) return { entries: [], diagnostics: [read.diagnostic] };
  return loadCaseFile(file, read.text, {
    columns: ref.columns,
    varsFrom: ref.vars_from,
    locateEntry,
  });
}

function isFileRef(item: RawSuite["cases"][number]): item is RawCaseFileRef {
  return "file" in item;
}
