/**
 * Parses a YAML file keeping source positions, and answers "where is the node at this path?"
 * so every later diagnostic can point at an exact 1-based line:col.
 */
import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type YAMLError,
} from "yaml";
import { diagnosticAt } from "./diagnostics.js";
import type { Diagnostic, SourceLocation } from "./types.js";

/** A key or list index on the way from the document root to a node. */
export type PathSegment = string | number;

/**
 * Finds the location of the node at `path`; `target: "key"` points at the map key instead of
 * its value. Falls back to the nearest existing ancestor when the path does not exist.
 */
export type Locate = (path: readonly PathSegment[], target?: "key" | "value") => SourceLocation;

/** A parsed YAML file: its plain data, a locator, and its syntax diagnostics. */
export interface YamlSource {
  file: string;
  /** The document as plain JS data (undefined for an empty file). */
  data: unknown;
  locate: Locate;
  /** YAML syntax errors and warnings, located. */
  diagnostics: Diagnostic[];
}

const SYNTAX_HINT =
  "check indentation and quoting: values containing ': ' or starting with '{', '[', '*', '&', '!', '%', '@' or '`' need quotes";

const HINT_BY_CODE: Readonly<Record<string, string>> = {
  DUPLICATE_KEY: "remove or rename one of the keys",
  TAB_AS_INDENT: "indent with spaces, not tabs",
  BAD_INDENT: "align items of the same list or map at the same column",
  MISSING_CHAR: "close the quote or bracket that was opened",
};

/** Parses YAML text; never throws. */
export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number): SourceLocation => ({ file, ...lineCounter.linePos(offset) });
  const diagnostics = [
    ...doc.errors.map((e) => syntaxDiagnostic(e, at, "error")),
    ...doc.warnings.map((e) => syntaxDiagnostic(e, at, "warning")),
  ];
  const data: unknown = doc.errors.length === 0 ? doc.toJS() : undefined;
  const locate: Locate = (path, target = "value") => {
    const offset = findOffset(doc, path, target);
    return at(offset);
  };
  return { file, data, locate, diagnostics };
}

function syntaxDiagnostic(
  error: YAMLError,
  at: (offset: number) => SourceLocation,
  severity: Diagnostic["severity"],
): Diagnostic {
  const message = `invalid YAML: ${error.message.replace(/\s+/g, " ").trim()}`;
  return diagnosticAt(at(error.pos[0]), message, HINT_BY_CODE[error.code] ?? SYNTAX_HINT, severity);
}

/** Offset of the node at `path` (or of its key), or of the nearest ancestor that exists. */
function findOffset(doc: Document, path: readonly PathSegment[], target: "key" | "value"): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const [index, segment] of path.entries()) {
    if (isAlias(node)) node = node.resolve(doc);
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isScalar(p.key) && String(p.key.value) === String(segment),
      );
      if (pair === undefined) return offset;
      const keyStart = rangeStart(pair.key);
      // An empty value (`key:`) has a zero-width range at the end of the line; point at the key.
      const valueStart = isEmptyScalar(pair.value) ? undefined : rangeStart(pair.value);
      offset =
        (last && target === "key") || valueStart === undefined ? (keyStart ?? offset) : valueStart;
      node = pair.value;
    } else if (isSeq(node)) {
      node = node.items[Number(segment)];
      const start = rangeStart(node);
      if (start === undefined) return offset;
      offset = start;
    } else {
      return offset;
    }
  }
  return offset;
}

function isEmptyScalar(node: unknown): boolean {
  return isScalar(node) && node.value === null && node.range?.[0] === node.range?.[1];
}

function rangeStart(node: unknown): number | undefined {
  if (node === null || typeof node !== "object" || !("range" in node)) return undefined;
  const range: unknown = node.range;
  return Array.isArray(range) && typeof range[0] === "number" ? range[0] : undefined;
}
