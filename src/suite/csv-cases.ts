/**
 * Turns CSV rows into cases. The header row names the columns (after the `file:` entry's
 * `columns:` map renames or drops them): `id` and `description` fill those fields,
 * `assert:TYPE` columns add an assertion of that type with the cell as its value (an empty cell
 * adds none; list types such as `contains-any` split the cell on `|`), and every other column is
 * a var (a string; empty cells are ""). A var cell `file:PATH` reads the file into the var.
 * Header problems are reported once, at the header cell.
 */

import { diagnosticAt } from "../source/diagnostics.js";
import type { Diagnostic, SourceLocation } from "../source/types.js";
import type { Locate } from "../source/yaml-source.js";
import { appendAll } from "./append-all.js";
import { CellPositions } from "./cell-positions.js";
import {
  assertionCellValue,
  type Column,
  type ColumnsMap,
  classifyColumn,
  isColumnProblem,
  thresholdCell,
} from "./columns.js";
import { type CsvCell, type CsvRow, forEachCsvRow } from "./parse-csv.js";
import type { CaseEntry, RawAssertion, RawCase } from "./raw-suite.js";
import type { VarValue } from "./types.js";

/** Prefix of a var cell that names a file to read, relative to the CSV file. */
export const FILE_CELL_PREFIX = "file:";

/** Cases of a CSV file, its problems, and its header names (for checking `columns:`). */
export interface CsvCasesResult {
  entries: CaseEntry[];
  diagnostics: Diagnostic[];
  header: string[];
}

/** Parses CSV text into case entries whose locators point at rows and cells. */
export function csvCases(file: string, text: string, columnsMap: ColumnsMap = {}): CsvCasesResult {
  const entries: CaseEntry[] = [];
  const diagnostics: Diagnostic[] = [];
  let header: string[] | undefined;
  let columns: Column[] = [];
  let positions = new CellPositions(0);
  const parsed = forEachCsvRow(text, (row) => {
    if (header === undefined) {
      header = row.cells.map((cell) => cell.value.trim());
      const read = readHeader(file, row.cells, columnsMap);
      if (Array.isArray(read)) columns = read;
      else appendAll(diagnostics, read.diagnostics);
      positions = new CellPositions(columns.length);
      return;
    }
    if (diagnostics.length > 0 && columns.length === 0) return;
    if (row.cells.length > columns.length) {
      const where = at(file, row.cells[columns.length] ?? row);
      const message = `row has ${row.cells.length} cells but the header has ${columns.length} columns`;
      diagnostics.push(diagnosticAt(where, message, 'quote cells that contain commas: "a, b"'));
      return;
    }
    entries.push(rowToCase(file, row, columns, positions));
  });
  if (!parsed.ok) {
    const where = { file, line: parsed.line, col: parsed.col };
    const diagnostic = diagnosticAt(where, `invalid CSV: ${parsed.message}`);
    return { entries: [], diagnostics: [diagnostic], header: header ?? [] };
  }
  return { entries, diagnostics, header: header ?? [] };
}

function readHeader(
  file: string,
  cells: CsvCell[],
  columnsMap: ColumnsMap,
): Column[] | { diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, CsvCell>();
  const columns = cells.map((cell): Column => {
    const column = classifyColumn(cell.value.trim(), columnsMap);
    if (isColumnProblem(column)) {
      diagnostics.push(diagnosticAt(at(file, cell), column.message, column.hint));
      return { kind: "ignore" };
    }
    // Several assert: columns may share a type; ignored columns have no name left.
    const name =
      column.kind === "var"
        ? column.name
        : column.kind === "assert" || column.kind === "ignore"
          ? ""
          : column.kind;
    const first = name === "" ? undefined : seen.get(name);
    if (first !== undefined) {
      const message = `duplicate column '${name}' (first at column ${first.col})`;
      diagnostics.push(diagnosticAt(at(file, cell), message, "give every column its own name"));
    }
    if (name !== "") seen.set(name, cell);
    return column;
  });
  return diagnostics.length > 0 ? { diagnostics } : columns;
}

function rowToCase(
  file: string,
  row: CsvRow,
  columns: readonly Column[],
  positions: CellPositions,
): CaseEntry {
  const data: RawCase = {};
  const vars: Record<string, VarValue> = {};
  const assert: RawAssertion[] = [];
  for (const [index, column] of columns.entries()) {
    const value = row.cells[index]?.value ?? "";
    if (column.kind === "var") vars[column.name] = varCell(value);
    else if (column.kind === "assert") {
      if (value !== "")
        assert.push({ type: column.type, value: assertionCellValue(column.type, value) });
    } else if (column.kind === "threshold") {
      if (value !== "") data.threshold = thresholdCell(value) as number;
    } else if (column.kind !== "ignore" && value !== "") data[column.kind] = value;
  }
  data.vars = vars;
  if (assert.length > 0) data.assert = assert;
  const rowIndex = positions.add(row);
  return { data, locate: cellLocator(file, rowIndex, columns, positions), from: file };
}

/** A var cell: its text, or `{file: path}` for a `file:path` cell (promptfoo's `file://` stays text). */
function varCell(value: string): VarValue {
  if (!value.startsWith(FILE_CELL_PREFIX) || value.startsWith("file://")) return value;
  return { file: value.slice(FILE_CELL_PREFIX.length).trim() };
}

/** Finds the cell behind a path of the built case (`vars.x`, `assert[2]`, `id`…). */
function cellLocator(
  file: string,
  rowIndex: number,
  columns: readonly Column[],
  positions: CellPositions,
): Locate {
  return (path) => {
    const [head, second] = path;
    let index = -1;
    if (head === "id" || head === "description" || head === "threshold") {
      index = columns.findIndex((c) => c.kind === head);
    }
    if (head === "vars") index = columns.findIndex((c) => c.kind === "var" && c.name === second);
    if (head === "assert" && typeof second === "number") {
      let seen = -1;
      index = columns.findIndex(
        (c, i) => c.kind === "assert" && !positions.isEmpty(rowIndex, i) && ++seen === second,
      );
    }
    return positions.at(file, rowIndex, index);
  };
}

function at(file: string, where: { line: number; col?: number }): SourceLocation {
  return { file, line: where.line, col: where.col ?? 1 };
}
