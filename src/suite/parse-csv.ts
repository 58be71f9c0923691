/**
 * A small RFC 4180 CSV reader that keeps each cell's line and column, so case-file errors can
 * be located. Quoted cells may hold commas, doubled quotes and newlines. Pure.
 */

/** One cell and where it starts (1-based). */
export interface CsvCell {
  value: string;
  line: number;
  col: number;
}

/** One record (a row), starting at `line`. */
export interface CsvRow {
  line: number;
  cells: CsvCell[];
}

/** The rows, or the first syntax error with its position. */
export type CsvParseResult =
  | { ok: true; rows: CsvRow[] }
  | { ok: false; line: number; col: number; message: string };

interface Cursor {
  text: string;
  index: number;
  line: number;
  col: number;
}

/** Parses CSV text; rows whose cells are all empty are dropped. */
export function parseCsv(text: string): CsvParseResult {
  const rows: CsvRow[] = [];
  const result = forEachCsvRow(text, (row) => rows.push(row));
  return result.ok ? { ok: true, rows } : result;
}

/**
 * Calls `onRow` for each row as it is read (rows whose cells are all empty are skipped), so a
 * large file's rows need not all be kept; stops at the first syntax error and returns it.
 */
export function forEachCsvRow(
  text: string,
  onRow: (row: CsvRow) => void,
): { ok: true } | { ok: false; line: number; col: number; message: string } {
  const cursor: Cursor = { text: text.replace(/^\uFEFF/, ""), index: 0, line: 1, col: 1 };
  let row: CsvRow = { line: 1, cells: [] };
  while (cursor.index <= cursor.text.length) {
    const cell = readCell(cursor);
    if ("message" in cell) return { ok: false, ...cell };
    row.cells.push(cell);
    const separator = cursor.text[cursor.index];
    if (separator === ",") {
      advance(cursor, 1);
      continue;
    }
    if (row.cells.some((c) => c.value !== "")) onRow(row);
    if (separator === undefined) break;
    advance(cursor, separator === "\r" && cursor.text[cursor.index + 1] === "\n" ? 2 : 1);
    row = { line: cursor.line, cells: [] };
  }
  return { ok: true };
}

/** Finds the end of an unquoted cell (which holds no line break, so only the column moves). */
const CELL_END = /[,\r\n]/g;

function readCell(cursor: Cursor): CsvCell | { line: number; col: number; message: string } {
  const start = { line: cursor.line, col: cursor.col };
  if (cursor.text[cursor.index] !== '"') {
    CELL_END.lastIndex = cursor.index;
    const end = CELL_END.exec(cursor.text)?.index ?? cursor.text.length;
    const value = cursor.text.slice(cursor.index, end);
    cursor.col += end - cursor.index;
    cursor.index = end;
    return { value, ...start };
  }
  advance(cursor, 1);
  let value = "";
  for (;;) {
    const quote = cursor.text.indexOf('"', cursor.index);
    if (quote === -1) return { ...start, message: "unterminated quoted cell" };
    value += cursor.text.slice(cursor.index, quote);
    advance(cursor, quote - cursor.index + 1);
    if (cursor.text[cursor.index] !== '"') break;
    value += '"';
    advance(cursor, 1);
  }
  const next = cursor.text[cursor.index];
  if (next !== undefined && next !== "," && next !== "\r" && next !== "\n") {
    return { line: cursor.line, col: cursor.col, message: "unexpected text after a closing quote" };
  }
  return { value, ...start };
}

/** Moves the cursor forward, keeping line and column in step. */
function advance(cursor: Cursor, count: number): void {
  for (let i = 0; i < count; i++) {
    const char = cursor.text[cursor.index];
    cursor.index++;
    if (char === "\n" || (char === "\r" && cursor.text[cursor.index] !== "\n")) {
      cursor.line++;
      cursor.col = 1;
    } else {
      cursor.col++;
    }
  }
}
