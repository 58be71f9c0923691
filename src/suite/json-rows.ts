/**
 * Reads the rows of `.jsonl` (one JSON value a line, blank lines skipped) and `.json` (one
 * array) case files, each with a locator that finds a key's line and column in the text. Pure.
 */
import { diagnosticAt } from "../source/diagnostics.js";
import type { Diagnostic, SourceLocation } from "../source/types.js";
import type { Locate, PathSegment } from "../source/yaml-source.js";

/** One row as parsed, and where its parts are. */
export interface SourceRow {
  data: unknown;
  locate: Locate;
}

/** Rows read from a file, or the syntax problems that stopped it. */
export interface RowsResult {
  rows: SourceRow[];
  diagnostics: Diagnostic[];
}

const JSONL_HINT =
  'each line of a .jsonl case file must be one JSON object, e.g. {"id": "a", "vars": {}}';

/** One JSON value per line; blank lines are skipped. */
export function jsonlRows(file: string, text: string): RowsResult {
  const rows: SourceRow[] = [];
  const diagnostics: Diagnostic[] = [];
  let start = 0;
  for (let line = 1; start <= text.length; line++) {
    const newline = text.indexOf("\n", start);
    const lineEnd = newline === -1 ? text.length : newline;
    // Without the CR of a CRLF line end.
    const end = lineEnd > start && text.charCodeAt(lineEnd - 1) === 0x0d ? lineEnd - 1 : lineEnd;
    const lineText = text.slice(start, end);
    start = lineEnd + 1;
    if (lineText.trim() === "") continue;
    const row = line;
    try {
      const data: unknown = JSON.parse(lineText);
      const locate: Locate = (path) => ({
        file,
        line: row,
        col: jsonKeyOffset(lineText, path) + 1,
      });
      rows.push({ data, locate });
    } catch (error) {
      const { message, offset } = jsonError(error);
      diagnostics.push(
        diagnosticAt({ file, line, col: offset + 1 }, `invalid JSON: ${message}`, JSONL_HINT),
      );
    }
  }
  return { rows, diagnostics };
}

/** A JSON array of rows. */
export function jsonArrayRows(file: string, text: string): RowsResult {
  const lines = new LineIndex(text);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const { message, offset } = jsonError(error);
    const hint = 'a .json case file is one JSON array of cases: [{"id": "a", "vars": {}}, …]';
    return {
      rows: [],
      diagnostics: [diagnosticAt(lines.at(file, offset), `invalid JSON: ${message}`, hint)],
    };
  }
  if (!Array.isArray(data)) {
    const hint =
      'write the cases as one array: [{"id": "a", "vars": {}}, …] (or use .jsonl, one case a line)';
    const where = lines.at(file, text.length - text.trimStart().length);
    return {
      rows: [],
      diagnostics: [diagnosticAt(where, "a .json case file must be an array of cases", hint)],
    };
  }
  const starts = arrayElementOffsets(text);
  const rows = data.map((item: unknown, index): SourceRow => {
    const elementStart = starts[index] ?? 0;
    const element = text.slice(elementStart, starts[index + 1] ?? text.length);
    const locate: Locate = (path) => lines.at(file, elementStart + jsonKeyOffset(element, path));
    return { data: item, locate };
  });
  return { rows, diagnostics: [] };
}

/** Offset of the value of `path` in JSON text, found by scanning for each key in turn. */
export function jsonKeyOffset(text: string, path: readonly PathSegment[]): number {
  let index = 0;
  for (const segment of path) {
    if (typeof segment === "number") continue;
    const key = JSON.stringify(segment);
    let found = text.indexOf(key, index);
    // Skip matches that are values rather than keys (a key is followed by a colon).
    while (found !== -1 && !colonWithin(text, found + key.length, 8)) {
      found = text.indexOf(key, found + 1);
    }
    if (found === -1) return index;
    index = found;
  }
  return index;
}

/**
 * Whether a `:` comes at `at` after nothing but whitespace, within `width` characters: what
 * `/^\s*:/` finds in those characters, without cutting them out (this runs for every key of
 * every row).
 */
function colonWithin(text: string, at: number, width: number): boolean {
  const end = Math.min(text.length, at + width);
  for (let i = at; i < end; i++) {
    if (text.charCodeAt(i) === 0x3a) return true;
    if (!WHITESPACE.test(text[i] ?? "")) return false;
  }
  return false;
}

const WHITESPACE = /\s/;

/** Start offsets of the top-level elements of a JSON array (the text is valid JSON). */
function arrayElementOffsets(text: string): number[] {
  const starts: number[] = [];
  let depth = 0;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? "";
    if (char === '"') {
      if (depth === 1 && expectElement) starts.push(i);
      expectElement = false;
      i = closingQuote(text, i);
    } else if (char === "[" || char === "{") {
      if (depth === 1 && expectElement) starts.push(i);
      expectElement = depth === 0;
      depth++;
    } else if (char === "]" || char === "}") {
      depth--;
    } else if (char === "," && depth === 1) {
      expectElement = true;
    } else if (depth === 1 && expectElement && !/\s/.test(char)) {
      starts.push(i);
      expectElement = false;
    }
  }
  return starts;
}

function closingQuote(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  return text.length;
}

/** The message of a JSON.parse error and the offset it names (0 when it names none). */
function jsonError(error: unknown): { message: string; offset: number } {
  const message = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(message)?.[1];
  return { message, offset: position === undefined ? 0 : Number(position) };
}

/** Offsets → 1-based line and column, with a sorted index of line starts. */
class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1))
      this.starts.push(i + 1);
  }

  at(file: string, offset: number): SourceLocation {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if ((this.starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { file, line: low + 1, col: offset - (this.starts[low] ?? 0) + 1 };
  }
}
