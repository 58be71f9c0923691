/**
 * The located problems every loader reports (suite, config, pricing, simulator fixtures), and
 * the source positions loaded items keep so later stages can point back at them.
 */

/** A located problem in a suite or config file, printed as `file:line:col: message`. */
export interface Diagnostic {
  /** Path of the file, as given by the user (relative paths stay relative). */
  file: string;
  /** 1-based line; 0 when the problem has no position (e.g. a glob that matched nothing). */
  line: number;
  /** 1-based column; 0 when `line` is 0. */
  col: number;
  severity: "error" | "warning";
  /** What is wrong. */
  message: string;
  /** How to fix it. */
  hint?: string;
}

/** A position in a source file, kept on loaded items so later stages can point back at them. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}
