/**
 * Turns CSV rows into cases. The header row names the columns: `id` and `description` fill
 * those fields, `assert:TYPE` columns add an assertion of that type with the cell as its value
 * (an empty cell adds none), and every other column is a var (a string; empty cells are "").
 */
import { diagnosticAt } from "./diagnostics.js";
import { type CsvCell, type CsvRow, parseCsv } from "./parse-csv.js";
import type { CaseEntry, RawAssertion, RawCase } from "./raw-suite.js";
import type { Diagnostic, SourceLocation, VarValue } from "./types.js";
import type { Locate } from "./yaml-source.js";

const ASSERT_PREFIX = "assert:";

type Column =
  | { kind: "id" | "description" }
  | { kind: "var"; name: string }
  | { kind: "assert"; type: string };

/** Parses CSV text into case entries whose locators point at rows and cells. */
export function csvCases(
  file: string,
  text: string,
): { entries: CaseEntry[]; diagnostics: Diagnostic[] } {
  const parsed = parseCsv(text);
  if (!parsed.ok) {
    const where = { file, line: parsed.line, col: parsed.col };
    return { entries: [], diagnostics: [diagnosticAt(where, `invalid CSV: ${parsed.message}`)] };
  }
  const [header, ...rows] = parsed.rows;
  if (header === undefined) return { entries: [], diagnostics: [] };
  const columns = readHeader(file, header.cells);
  if (!Array.isArray(columns)) return { entries: [], diagnostics: columns.diagnostics };
  const diagnostics: Diagnostic[] = [];
  const entries: CaseEntry[] = [];
  for (const row of rows) {
    if (row.cells.length > columns.length) {
      const where = at(file, row.cells[columns.length] ?? row);
      const message = `row has ${row.cells.length} cells but the header has ${columns.length} columns`;
      diagnostics.push(diagnosticAt(where, message, 'quote cells that contain commas: "a, b"'));
      continue;
    }
    entries.push(rowToCase(file, row, columns));
  }
  return { entries, diagnostics };
}

function readHeader(file: string, cells: CsvCell[]): Column[] | { diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, CsvCell>();
  const columns = cells.map((cell): Column => {
    const name = cell.value.trim();
    const first = seen.get(name);
    if (first !== undefined) {
      const message = `duplicate column '${name}' (first at column ${first.col})`;
      diagnostics.push(diagnosticAt(at(file, cell), message));
    }
    seen.set(name, cell);
    if (name === "") {
      diagnostics.push(diagnosticAt(at(file, cell), "empty column name in the header row"));
    }
    if (name === "id" || name === "description") return { kind: name };
    if (!name.startsWith(ASSERT_PREFIX)) return { kind: "var", name };
    const type = name.slice(ASSERT_PREFIX.length).trim();
    if (type === "") {
      const hint = "name the assertion type after the colon, e.g. assert:contains";
      diagnostics.push(diagnosticAt(at(file, cell), "assert: column without a type", hint));
    }
    return { kind: "assert", type };
  });
  return diagnostics.length > 0 ? { diagnostics } : columns;
}

function rowToCase(file: string, row: CsvRow, columns: Column[]): CaseEntry {
  const data: RawCase = {};
  const vars: Record<string, VarValue> = {};
  const assert: RawAssertion[] = [];
  const cellByPath = new Map<string, CsvCell>();
  for (const [index, column] of columns.entries()) {
    const cell = row.cells[index] ?? { value: "", line: row.line, col: 1 };
    if (column.kind === "var") {
      vars[column.name] = cell.value;
      cellByPath.set(`vars/${column.name}`, cell);
    } else if (column.kind === "assert") {
      if (cell.value === "") continue;
      cellByPath.set(`assert/${assert.length}`, cell);
      assert.push({ type: column.type, value: cell.value });
    } else if (cell.value !== "") {
      data[column.kind] = cell.value;
      cellByPath.set(column.kind, cell);
    }
  }
  data.vars = vars;
  if (assert.length > 0) data.assert = assert;
  const locate: Locate = (path) => {
    const cell = cellByPath.get(path.slice(0, 2).join("/")) ?? cellByPath.get(String(path[0]));
    return at(file, cell ?? row);
  };
  return { data, locate };
}

function at(file: string, where: { line: number; col?: number }): SourceLocation {
  return { file, line: where.line, col: where.col ?? 1 };
}
