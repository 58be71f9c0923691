/**
 * Loads the cases of a `{file: path}` entry: `.csv`, `.jsonl` or `.yaml`/`.yml`. Every case is
 * validated against the suite schema's case definition, and every problem is located in the
 * case file itself.
 *
 * CSV: the header row names the columns. `id` and `description` fill those fields; a column
 * named `assert:TYPE` adds an assertion `{type: TYPE, value: <cell>}` (empty cells add none);
 * every other column is a var (cells are strings; empty cells are empty strings).
 */
import { extname } from "node:path";
import { appendAll } from "./append-all.js";
import { csvCases } from "./csv-cases.js";
import { schemaDiagnostics } from "./describe-schema-error.js";
import { diagnosticAt } from "./diagnostics.js";
import type { CaseEntry, RawCase } from "./raw-suite.js";
import { getValidators, validate } from "./schema-validators.js";
import type { Diagnostic } from "./types.js";
import { parseYamlSource } from "./yaml-source.js";

/** Cases read from one case file, and the problems found in it. */
export interface CaseFileResult {
  entries: CaseEntry[];
  diagnostics: Diagnostic[];
}

/** The case-file extensions the loader reads. */
export const CASE_FILE_TYPES = [".csv", ".jsonl", ".yaml", ".yml"] as const;

/**
 * Parses and validates a case file's text. `file` is the path shown in diagnostics; its
 * extension picks the format (the caller has checked it is one of CASE_FILE_TYPES).
 */
export async function loadCaseFile(file: string, text: string): Promise<CaseFileResult> {
  const extension = extname(file).toLowerCase();
  const parsed =
    extension === ".csv"
      ? csvCases(file, text)
      : extension === ".jsonl"
        ? jsonlCases(file, text)
        : yamlCases(file, text);
  if (parsed.diagnostics.length > 0) return parsed;
  if (parsed.entries.length === 0) {
    const empty = diagnosticAt({ file, line: 1, col: 1 }, "case file has no cases");
    return { entries: [], diagnostics: [empty] };
  }
  return validateEntries(parsed.entries);
}

async function validateEntries(entries: CaseEntry[]): Promise<CaseFileResult> {
  const { caseItem } = await getValidators();
  const valid: CaseEntry[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const entry of entries) {
    const problems = schemaDiagnostics(validate(caseItem, entry.data), entry.locate);
    // Invalid cases are dropped so normalization only ever sees schema-valid data.
    if (problems.length === 0) valid.push(entry);
    appendAll(diagnostics, problems);
  }
  return { entries: valid, diagnostics };
}

/** One JSON object per line; blank lines are skipped. */
function jsonlCases(file: string, text: string): CaseFileResult {
  const entries: CaseEntry[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [index, lineText] of text.split(/\r?\n/).entries()) {
    if (lineText.trim() === "") continue;
    const line = index + 1;
    try {
      const data = JSON.parse(lineText) as RawCase;
      entries.push({ data, locate: (path) => ({ file, line, col: jsonColumn(lineText, path) }) });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const position = /position (\d+)/.exec(message)?.[1];
      const col = position === undefined ? 1 : Number(position) + 1;
      const hint =
        'each line of a .jsonl case file must be one JSON object, e.g. {"id": "a", "vars": {}}';
      diagnostics.push(diagnosticAt({ file, line, col }, `invalid JSON: ${message}`, hint));
    }
  }
  return { entries, diagnostics };
}

/**
 * Column of the value at `path` in one line of JSON, found by scanning for each key in turn
 * (good enough to point at the right key; 1 when a key is not found).
 */
export function jsonColumn(lineText: string, path: readonly (string | number)[]): number {
  let index = 0;
  for (const segment of path) {
    if (typeof segment === "number") continue;
    const found = lineText.indexOf(JSON.stringify(segment), index);
    if (found === -1) return index + 1;
    index = found;
  }
  return index + 1;
}

/** A YAML list of cases. */
function yamlCases(file: string, text: string): CaseFileResult {
  const source = parseYamlSource(file, text);
  if (source.diagnostics.some((d) => d.severity === "error")) {
    return { entries: [], diagnostics: source.diagnostics };
  }
  if (source.data === undefined || source.data === null) return { entries: [], diagnostics: [] };
  if (!Array.isArray(source.data)) {
    const hint = "write the cases as a YAML list: `- id: first` / `  vars: {…}`";
    const problem = diagnosticAt(
      source.locate([]),
      "a YAML case file must be a list of cases",
      hint,
    );
    return { entries: [], diagnostics: [problem] };
  }
  const entries = source.data.map((data: unknown, index) => ({
    data: data as RawCase,
    locate: (path: readonly (string | number)[], target?: "key" | "value") =>
      source.locate([index, ...path], target),
  }));
  return { entries, diagnostics: [] };
}
