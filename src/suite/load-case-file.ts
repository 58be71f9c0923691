/**
 * Loads the cases of a `{file: path}` entry: `.csv`, `.jsonl`, `.json` or `.yaml`/`.yml`.
 * Every problem is located in the case file itself (or, for `columns:`, in the suite).
 *
 * CSV rows are read by their header (see csv-cases.ts). JSON, JSONL and YAML rows are cases
 * (`{id, description, vars, assert}`, checked against the suite schema's case definition), or
 * with `vars_from: row` are read like CSV rows (see row-cases.ts).
 */
import { extname } from "node:path";
import { closestMatch } from "../source/closest-match.js";
import { schemaDiagnostics } from "../source/describe-schema-error.js";
import { DiagnosticCap } from "../source/diagnostic-cap.js";
import { diagnosticAt } from "../source/diagnostics.js";
import { getValidators, validate } from "../source/schema-validators.js";
import type { Diagnostic } from "../source/types.js";
import { type Locate, parseYamlSource } from "../source/yaml-source.js";
import type { ColumnsMap } from "./columns.js";
import { csvCases } from "./csv-cases.js";
import { jsonArrayRows, jsonlRows, type RowsResult, type SourceRow } from "./json-rows.js";
import { promptfooKeyAmong } from "./promptfoo-names.js";
import type { CaseEntry, RawCase } from "./raw-suite.js";
import { rowCases } from "./row-cases.js";

/** Cases read from one case file, and the problems found in it. */
export interface CaseFileResult {
  entries: CaseEntry[];
  diagnostics: Diagnostic[];
}

/** The case-file extensions the loader reads. */
export const CASE_FILE_TYPES = [".csv", ".jsonl", ".json", ".yaml", ".yml"] as const;

/** How the suite's `file:` entry asks for the file to be read. */
export interface CaseFileOptions {
  columns?: ColumnsMap | undefined;
  varsFrom?: "row" | "vars" | undefined;
  /** Locates keys of the `file:` entry in the suite (for problems with `columns:`). */
  locateEntry: Locate;
}

/**
 * Parses and validates a case file's text. `file` is the path shown in diagnostics; its
 * extension picks the format (the caller has checked it is one of CASE_FILE_TYPES).
 */
export async function loadCaseFile(
  file: string,
  text: string,
  options: CaseFileOptions,
): Promise<CaseFileResult> {
  const extension = extname(file).toLowerCase();
  if (extension === ".csv") {
    const parsed = csvCases(file, text, options.columns);
    const problems = [...unknownColumns(new Set(parsed.header), options), ...parsed.diagnostics];
    // CSV cases are built from the header, so they are valid by construction.
    return problems.length > 0 ? { entries: [], diagnostics: problems } : nonEmpty(file, parsed);
  }
  const rows = readRows(file, text, extension);
  if (rows.diagnostics.length > 0) return { entries: [], diagnostics: rows.diagnostics };
  if (options.varsFrom === "row") {
    const converted = rowCases(file, rows.rows, options.columns);
    const unknown = unknownColumns(converted.keys, options);
    const problems = [...converted.diagnostics, ...unknown];
    if (problems.length > 0) return { entries: [], diagnostics: problems };
    return validateNonEmpty(file, converted.entries, "row");
  }
  if (options.columns !== undefined) {
    const message =
      "columns: applies to .csv files, and to JSON/YAML rows read with `vars_from: row`";
    const hint = "add `vars_from: row` to this file: entry, or remove `columns:`";
    return {
      entries: [],
      diagnostics: [diagnosticAt(options.locateEntry(["columns"], "key"), message, hint)],
    };
  }
  const entries = rows.rows.map((row) => ({
    data: row.data as RawCase,
    locate: row.locate,
    from: file,
  }));
  return validateNonEmpty(file, entries, "case");
}

function readRows(file: string, text: string, extension: string): RowsResult {
  if (extension === ".jsonl") return jsonlRows(file, text);
  if (extension === ".json") return jsonArrayRows(file, text);
  return yamlRows(file, text);
}

/** A file without cases is an error (an empty dataset would pass by checking nothing). */
function nonEmpty(file: string, result: CaseFileResult): CaseFileResult {
  if (result.entries.length > 0 || result.diagnostics.length > 0) return result;
  const empty = diagnosticAt({ file, line: 1, col: 1 }, "case file has no cases");
  return { entries: [], diagnostics: [empty] };
}

/** `columns:` keys that name no column of the file. */
function unknownColumns(names: ReadonlySet<string>, options: CaseFileOptions): Diagnostic[] {
  const known = [...names];
  return Object.keys(options.columns ?? {})
    .filter((name) => !names.has(name))
    .map((name) => {
      const close = closestMatch(name, known);
      const guess = close === undefined ? "" : ` — did you mean '${close}'?`;
      const hint = `the file's columns are: ${known.slice(0, 20).join(", ")}${known.length > 20 ? ", …" : ""}`;
      const where = options.locateEntry(["columns", name], "key");
      return diagnosticAt(where, `columns: the file has no column '${name}'${guess}`, hint);
    });
}

function validateNonEmpty(
  file: string,
  entries: CaseEntry[],
  mode: "row" | "case",
): Promise<CaseFileResult> | CaseFileResult {
  const result = nonEmpty(file, { entries, diagnostics: [] });
  return result.diagnostics.length > 0 ? result : validateEntries(entries, mode);
}

async function validateEntries(
  entries: CaseEntry[],
  mode: "row" | "case",
): Promise<CaseFileResult> {
  const { caseItem } = await getValidators();
  const valid: CaseEntry[] = [];
  const cap = new DiagnosticCap();
  for (const entry of entries) {
    const problems = schemaDiagnostics(validate(caseItem, entry.data), entry.locate, {
      foreignKey: promptfooKeyAmong,
    });
    // Invalid cases are dropped so normalization only ever sees schema-valid data.
    if (problems.length === 0) valid.push(entry);
    for (const problem of problems) cap.add(problem.message, withRowHint(problem, mode));
  }
  return { entries: valid, diagnostics: cap.diagnostics() };
}

/** An unknown key in a case row may be a var: say how to read it as one. */
function withRowHint(problem: Diagnostic, mode: "row" | "case"): Diagnostic {
  if (mode !== "case" || !problem.message.startsWith("unknown key")) return problem;
  const hint =
    "to read the row's other keys as vars (as a CSV row), add `vars_from: row` to the suite's file: entry";
  return { ...problem, hint: problem.hint === undefined ? hint : `${problem.hint}; ${hint}` };
}

/** A YAML list of cases (or rows). */
function yamlRows(file: string, text: string): RowsResult {
  const source = parseYamlSource(file, text);
  if (source.diagnostics.some((d) => d.severity === "error")) {
    return { rows: [], diagnostics: source.diagnostics };
  }
  if (source.data === undefined || source.data === null) return { rows: [], diagnostics: [] };
  if (!Array.isArray(source.data)) {
    const hint = "write the cases as a YAML list: `- id: first` / `  vars: {…}`";
    const problem = diagnosticAt(
      source.locate([]),
      "a YAML case file must be a list of cases",
      hint,
    );
    return { rows: [], diagnostics: [problem] };
  }
  const rows = source.data.map(
    (data: unknown, index): SourceRow => ({
      data,
      locate: (path, target) => source.locate([index, ...path], target),
    }),
  );
  return { rows, diagnostics: [] };
}
