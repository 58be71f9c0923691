/**
 * Diagnostics as data, and their compiler-style rendering:
 * `file:line:col: error: message` followed by an indented `hint:` line when there is one.
 */
import type { Diagnostic, SourceLocation } from "./types.js";

/** Builds a diagnostic at a location (severity `error` unless told otherwise). */
export function diagnosticAt(
  location: SourceLocation,
  message: string,
  hint?: string,
  severity: Diagnostic["severity"] = "error",
): Diagnostic {
  const { file, line, col } = location;
  return { file, line, col, severity, message, ...(hint === undefined ? {} : { hint }) };
}

/** A location for problems that have no position in a file (line and col 0). */
export function fileLocation(file: string): SourceLocation {
  return { file, line: 0, col: 0 };
}

/** `file:line:col` (or just `file` when there is no position). */
export function formatLocation(location: SourceLocation): string {
  return location.line > 0 ? `${location.file}:${location.line}:${location.col}` : location.file;
}

/** Renders one diagnostic; a diagnostic without a position (line 0) prints as `file: …`. */
export function formatDiagnostic(d: Diagnostic): string {
  const head = `${formatLocation(d)}: ${d.severity}: ${d.message}`;
  return d.hint ? `${head}\n  hint: ${d.hint}` : head;
}

/** Renders diagnostics one per block, then a count line (e.g. `2 errors, 1 warning`). */
export function formatDiagnostics(ds: readonly Diagnostic[]): string {
  if (ds.length === 0) return "";
  const errors = ds.filter((d) => d.severity === "error").length;
  const warnings = ds.length - errors;
  const counts = [plural(errors, "error"), plural(warnings, "warning")].filter((s) => s !== "");
  return `${ds.map(formatDiagnostic).join("\n")}\n${counts.join(", ")}`;
}

/** True when at least one diagnostic is an error (warnings do not block a run). */
export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === "error");
}

/** Orders diagnostics by file, line and column, and drops exact duplicates. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const unique = ds.filter((d) => {
    const key = `${formatDiagnostic(d)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort((a, b) => compareText(a.file, b.file) || a.line - b.line || a.col - b.col);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function plural(count: number, noun: string): string {
  if (count === 0) return "";
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
