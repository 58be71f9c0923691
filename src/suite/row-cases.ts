/**
 * `vars_from: row`: each JSON/JSONL/YAML row is read like a CSV row. `id`, `description`,
 * `vars` and `assert` keep their case meaning; an `assert:TYPE` key adds an assertion (a text
 * value of a list type splits on `|`); every other key is a var. The `file:` entry's
 * `columns:` map renames or ignores keys first. Problems with a key are reported once per file.
 */

import { DiagnosticCap } from "../source/diagnostic-cap.js";
import { diagnosticAt } from "../source/diagnostics.js";
import type { Diagnostic } from "../source/types.js";
import type { Locate, PathSegment } from "../source/yaml-source.js";
import {
  assertionCellValue,
  type Column,
  type ColumnsMap,
  classifyColumn,
  isColumnProblem,
  thresholdCell,
} from "./columns.js";
import type { SourceRow } from "./json-rows.js";
import type { CaseEntry, RawAssertion, RawCase } from "./raw-suite.js";
import type { VarValue } from "./types.js";

/** Keys that keep their case meaning in a row (unless `columns:` renames them). */
const CASE_KEYS = new Set(["vars", "assert"]);

type Row = Record<string, unknown>;

/** Converts rows into case entries; every key's meaning is decided once per file. */
export function rowCases(
  file: string,
  rows: readonly SourceRow[],
  columns: ColumnsMap = {},
): { entries: CaseEntry[]; diagnostics: Diagnostic[]; keys: Set<string> } {
  const meanings = new Map<string, Column | undefined>();
  const diagnostics: Diagnostic[] = [];
  const notObjects = new DiagnosticCap();
  const entries: CaseEntry[] = [];
  const meaning = (key: string, row: SourceRow): Column | undefined => {
    if (meanings.has(key)) return meanings.get(key);
    const column =
      CASE_KEYS.has(key) && !Object.hasOwn(columns, key) ? undefined : classifyColumn(key, columns);
    if (column !== undefined && isColumnProblem(column)) {
      diagnostics.push(diagnosticAt(row.locate([key], "key"), column.message, column.hint));
      meanings.set(key, { kind: "ignore" });
      return { kind: "ignore" };
    }
    meanings.set(key, column);
    return column;
  };
  for (const row of rows) {
    if (!isRow(row.data)) {
      notObjects.add(
        "row",
        diagnosticAt(row.locate([]), "a row must be an object (a map of keys to values)"),
      );
      continue;
    }
    const data = row.data;
    for (const key of Object.keys(data)) meaning(key, row);
    entries.push({
      data: toCase(data, meanings),
      locate: rowLocator(data, meanings, row.locate),
      from: file,
    });
  }
  return {
    entries,
    diagnostics: [...diagnostics, ...notObjects.diagnostics()],
    keys: new Set(meanings.keys()),
  };
}

function toCase(row: Row, meanings: ReadonlyMap<string, Column | undefined>): RawCase {
  const data: RawCase = {};
  const ownVars = row.vars;
  const vars: Record<string, VarValue> = isRow(ownVars)
    ? { ...(ownVars as Record<string, VarValue>) }
    : {};
  const assert: RawAssertion[] = Array.isArray(row.assert)
    ? [...(row.assert as RawAssertion[])]
    : [];
  for (const [key, value] of Object.entries(row)) {
    const column = meanings.get(key);
    if (column === undefined || column.kind === "ignore") continue;
    if (column.kind === "var") vars[column.name] = value as VarValue;
    else if (column.kind === "assert") {
      if (value === null || value === "") continue;
      assert.push({
        type: column.type,
        value: typeof value === "string" ? assertionCellValue(column.type, value) : value,
      });
    } else if (column.kind === "threshold") {
      if (value !== null && value !== "") data.threshold = thresholdCell(value) as number;
    } else (data as Record<string, unknown>)[column.kind] = value;
  }
  // A `vars` or `assert` that is not a map / list stays as written, for the schema to reject.
  if (ownVars !== undefined && !isRow(ownVars)) (data as Record<string, unknown>).vars = ownVars;
  else if (ownVars !== undefined || Object.keys(vars).length > 0) data.vars = vars;
  if (row.assert !== undefined && !Array.isArray(row.assert))
    (data as Record<string, unknown>).assert = row.assert;
  else if (assert.length > 0) data.assert = assert;
  return data;
}

/** Maps paths of the built case back to the keys of the row they came from. */
function rowLocator(
  row: Row,
  meanings: ReadonlyMap<string, Column | undefined>,
  locate: Locate,
): Locate {
  return (path, target) => {
    const [head, second, ...rest] = path;
    const keys = Object.keys(row);
    const keyFor = (match: (column: Column) => boolean) =>
      keys.find((key) => {
        const column = meanings.get(key);
        return column !== undefined && match(column);
      });
    let mapped: readonly PathSegment[] = path;
    if (head === "id" || head === "description" || head === "threshold") {
      mapped = [keyFor((c) => c.kind === head) ?? head];
    }
    if (head === "vars" && typeof second === "string") {
      const key = keyFor((c) => c.kind === "var" && c.name === second);
      if (key !== undefined) mapped = [key, ...rest];
    }
    if (head === "assert" && typeof second === "number") {
      const own = Array.isArray(row.assert) ? row.assert.length : 0;
      const added = keys.filter(
        (key) => meanings.get(key)?.kind === "assert" && row[key] !== null && row[key] !== "",
      );
      const key = second >= own ? added[second - own] : undefined;
      if (key !== undefined) mapped = [key, ...rest];
    }
    return locate(mapped, target);
  };
}

function isRow(value: unknown): value is Row {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
