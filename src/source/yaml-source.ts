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
  Scalar,
  visit,
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
  /**
   * The source text of the plain scalar at `path`, as written (`0.10` stays `0.10`, where the
   * data holds the float 0.1); undefined when the path does not name a plain scalar.
   */
  scalarText: (path: readonly PathSegment[]) => string | undefined;
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

/** Aliases a document may expand (the yaml library's default); more is an alias bomb. */
const MAX_ALIAS_COUNT = 100;

/** Parses YAML text; never throws. */
export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number): SourceLocation => ({ file, ...lineCounter.linePos(offset) });
  const diagnostics = [
    ...doc.errors.map((e) => syntaxDiagnostic(e, doc, text, at, "error")),
    ...doc.warnings.map((e) => syntaxDiagnostic(e, doc, text, at, "warning")),
  ];
  let data: unknown;
  if (doc.errors.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      diagnostics.push(conversionDiagnostic(error, doc, at));
    }
  }
  const locate: Locate = (path, target = "value") => {
    const offset = findOffset(doc, path, target);
    return at(offset);
  };
  const scalarText = (path: readonly PathSegment[]): string | undefined => {
    const node = findNode(doc, path);
    return isScalar(node) && node.type === Scalar.PLAIN ? node.source : undefined;
  };
  return { file, data, locate, scalarText, diagnostics };
}

function syntaxDiagnostic(
  error: YAMLError,
  doc: Document,
  text: string,
  at: (offset: number) => SourceLocation,
  severity: Diagnostic["severity"],
): Diagnostic {
  const message = `invalid YAML: ${error.message.replace(/\s+/g, " ").trim()}`;
  // The library reports an unclosed quote where the file ends; point at the quote instead.
  const offset = /quote/i.test(error.message)
    ? (unclosedQuote(doc, text) ?? error.pos[0])
    : error.pos[0];
  const hint =
    offset === error.pos[0]
      ? (HINT_BY_CODE[error.code] ?? SYNTAX_HINT)
      : "this quote is never closed: close it on the line where the value ends";
  return diagnosticAt(at(offset), message, hint, severity);
}

/** Offset of the opening quote of the first quoted scalar that is not closed. */
function unclosedQuote(doc: Document, text: string): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Scalar(_key, node) {
      const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
      if (!quoted || node.range === undefined || node.range === null) return undefined;
      const raw = text.slice(node.range[0], node.range[1]);
      if (isClosed(raw)) return undefined;
      found = node.range[0];
      return visit.BREAK;
    },
  });
  return found;
}

/** True when a quoted scalar's source ends with its (unescaped) closing quote. */
function isClosed(raw: string): boolean {
  const quote = raw[0];
  const body = raw.trimEnd().slice(1);
  if (quote === '"') {
    // The closing quote is escaped when an odd number of backslashes precedes it.
    const escapes = (/\\*"$/.exec(body)?.[0].length ?? 1) - 1;
    return body.endsWith('"') && escapes % 2 === 0;
  }
  const quotes = /'*$/.exec(body)?.[0].length ?? 0;
  return quotes % 2 === 1;
}

/** A document that parsed but cannot become data: an alias bomb, or a resource limit. */
function conversionDiagnostic(
  error: unknown,
  doc: Document,
  at: (offset: number) => SourceLocation,
): Diagnostic {
  const reason = error instanceof Error ? error.message : String(error);
  if (!/alias/i.test(reason)) {
    return diagnosticAt(
      at(0),
      `invalid YAML: ${reason}`,
      "simplify the file: it is too large or too deeply nested to read",
    );
  }
  let offset = 0;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  const message = `invalid YAML: its aliases (*name) expand to more than ${MAX_ALIAS_COUNT} nodes, a guard against alias bombs`;
  return diagnosticAt(at(offset), message, "write the values out, or use fewer aliases of aliases");
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

/** The node at `path`, or undefined when the path does not exist. */
function findNode(doc: Document, path: readonly PathSegment[]): unknown {
  let node: unknown = doc.contents;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      node = node.items.find(
        (p) => isScalar(p.key) && String(p.key.value) === String(segment),
      )?.value;
    } else if (isSeq(node)) node = node.items[Number(segment)];
    else return undefined;
  }
  return node;
}

function isEmptyScalar(node: unknown): boolean {
  return isScalar(node) && node.value === null && node.range?.[0] === node.range?.[1];
}

function rangeStart(node: unknown): number | undefined {
  if (node === null || typeof node !== "object" || !("range" in node)) return undefined;
  const range: unknown = node.range;
  return Array.isArray(range) && typeof range[0] === "number" ? range[0] : undefined;
}
