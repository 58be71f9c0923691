/**
 * What a column means in a row-shaped case file (a CSV header cell, or a key of a JSON/YAML row
 * read with `vars_from: row`), after the `file:` entry's `columns:` map has renamed or dropped
 * it: `id`, `description`, `__threshold` (the case's threshold), `assert:TYPE`, or a var. promptfoo's special `__` columns and names
 * that cannot be vars are errors, reported once per file. Pure.
 */

/** A column's meaning. */
export type Column =
  | { kind: "id" | "description" | "threshold" }
  | { kind: "var"; name: string }
  | { kind: "assert"; type: string }
  | { kind: "ignore" };

/** A column that cannot be read, and how to fix it. */
export interface ColumnProblem {
  message: string;
  hint: string;
}

/** `columns:` of a `file:` entry: original name → new name, or null to ignore the column. */
export type ColumnsMap = Readonly<Record<string, string | null>>;

/** Prefix of assertion columns: `assert:contains` adds `{type: contains, value: <cell>}`. */
export const ASSERT_PREFIX = "assert:";

/** Separator of list values in a text cell of a list-valued assertion (`contains-any`…). */
export const LIST_SEPARATOR = "|";

/** Assertion types whose value is a list of texts (with or without `not-`). */
const LIST_TYPES = new Set(["contains-any", "contains-all", "icontains-any", "icontains-all"]);

/**
 * Assertion types whose value is a number (with or without `not-`): a cell is text, so a cell
 * holding a plain decimal number becomes that number; any other text stays text, for the
 * assertion's own check to refuse at the cell.
 */
const NUMBER_TYPES = new Set(["word-count", "cost"]);

const PLAIN_NUMBER = /^\s*\d+(?:\.\d+)?\s*$/;

/** The column of a case's `threshold`, named as promptfoo names it. */
export const THRESHOLD_COLUMN = "__threshold";

/**
 * A `threshold` cell: a plain decimal number becomes that number; other text stays text, for
 * the schema to refuse at the cell. An empty cell sets none.
 */
export function thresholdCell(cell: unknown): unknown {
  return typeof cell === "string" && PLAIN_NUMBER.test(cell) ? Number(cell) : cell;
}

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** The meaning of the column `name`, or the problem with it. */
export function classifyColumn(name: string, columns: ColumnsMap = {}): Column | ColumnProblem {
  const renamed = Object.hasOwn(columns, name) ? columns[name] : name.trim();
  if (renamed === null || renamed === undefined) return { kind: "ignore" };
  if (renamed === "id" || renamed === "description") return { kind: renamed };
  // promptfoo's case threshold means the same here (see SuiteCase.threshold).
  if (renamed === THRESHOLD_COLUMN) return { kind: "threshold" };
  if (renamed.startsWith(ASSERT_PREFIX)) {
    const type = renamed.slice(ASSERT_PREFIX.length).trim();
    if (type !== "") return { kind: "assert", type };
    return {
      message: `column '${name}' is an assert: column without a type`,
      hint: "name the assertion type after the colon, e.g. assert:contains",
    };
  }
  if (renamed.startsWith("__")) return promptfooColumn(name);
  if (renamed === "") {
    return { message: "empty column name in the header row", hint: "give every column a name" };
  }
  if (VAR_NAME.test(renamed)) return { kind: "var", name: renamed };
  return {
    message: `'${renamed}' is not a valid variable name`,
    hint: `variable names start with a letter or _ and use letters, digits, _ and -; rename it with the suite's file: entry, e.g. \`columns: {${JSON.stringify(name)}: ${suggestName(renamed)}}\` (or null to ignore it)`,
  };
}

/** True for the result of `classifyColumn` that is a problem. */
export function isColumnProblem(column: Column | ColumnProblem): column is ColumnProblem {
  return "message" in column;
}

/**
 * The assertion value of a text cell: list types split on `|` (items trimmed, empty dropped);
 * number types read a plain decimal number.
 */
export function assertionCellValue(type: string, cell: string): string | string[] | number {
  const base = type.replace(/^not-/, "");
  if (NUMBER_TYPES.has(base)) return PLAIN_NUMBER.test(cell) ? Number(cell) : cell;
  if (!LIST_TYPES.has(base)) return cell;
  return cell
    .split(LIST_SEPARATOR)
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

function suggestName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_-]+/g, "_").replace(/^([^A-Za-z_])/, "_$1");
  return cleaned.toLowerCase();
}

/** promptfoo's special CSV columns, and what to write here instead. */
function promptfooColumn(name: string): ColumnProblem {
  const map = (to: string) => `\`columns: {${JSON.stringify(name)}: ${to}}\``;
  const entry = " in the suite's file: entry";
  if (/^__expected\d*$/.test(name)) {
    return {
      message: `column '${name}' is promptfoo's assertion column: here it would be an ordinary var and the cases would check nothing`,
      hint: `name the column assert:TYPE, one column per type (promptfoo's plain __expected is assert:equals; a cell \`contains: Paris\` becomes Paris in an assert:contains column); or map it: ${map('"assert:equals"')}${entry}`,
    };
  }
  if (name === "__description") {
    return {
      message: `column '${name}' is promptfoo's`,
      hint: `name it description, or map it: ${map("description")}`,
    };
  }
  if (name === "__prefix" || name === "__suffix") {
    return {
      message: `column '${name}' is promptfoo's prompt ${name.slice(2)}, which is not supported`,
      hint: `make it a var (${map(name.slice(2))}${entry}) and place {{${name.slice(2)}}} in the prompt template`,
    };
  }
  const what = name.startsWith("__metadata") ? "case metadata is" : `'${name}' is`;
  return {
    message: `column '${name}' is a promptfoo special column: ${what} not supported here`,
    hint: `ignore it with ${map("null")}, or read it as a var with ${map("a_name")}${entry}`,
  };
}
