/**
 * Reads a run's report.json and checks it against schema/report.schema.json before anything
 * renders it: a file from another batcheval version, or one edited by hand, is refused with the
 * JSON paths of its first problems instead of failing halfway through a renderer. It lives with
 * the run because a run reads one too: the baseline it is compared with (`--baseline`).
 */
import { readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import AjvModule, { type ErrorObject, type ValidateFunction } from "ajv";
import { BatchevalError } from "../errors.js";
import { REPORT_FILE } from "../report/reporters.js";
import { REPORT_SCHEMA_VERSION, type Report } from "../report/types.js";

// ajv is CommonJS: under NodeNext the default import is `module.exports`, whose `default` is the class.
const Ajv = AjvModule.default;

/** Read relative to this module, which works from `src/cli` and `dist/cli` alike. */
const SCHEMA_URL = new URL("../../schema/report.schema.json", import.meta.url);

/** How many problems the error lists; the rest are counted. */
const SHOWN_PROBLEMS = 5;

let compiled: Promise<ValidateFunction> | undefined;

/** The report validator (compiled on first use, then shared). */
function reportValidator(): Promise<ValidateFunction> {
  compiled ??= readFile(SCHEMA_URL, "utf8").then((text) =>
    // verbose: each error carries the data it rejected, which the message shows.
    new Ajv({ allErrors: true, verbose: true, strict: true }).compile(JSON.parse(text)),
  );
  return compiled;
}

/**
 * The report in `path`, checked against the schema. Throws a `bad_input` error (exit 2) when
 * the file cannot be read, is not JSON, or does not match the schema; messages name the file
 * as `shown` (by default `path`), e.g. relative to the working directory as the user typed it.
 */
export async function readReportFile(path: string, shown = path): Promise<Report> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new BatchevalError("bad_input", `Cannot read ${shown}`, {
      hint: "Pass a run directory that contains report.json, e.g. reports/latest.",
      cause,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new BatchevalError("bad_input", `${shown} is not valid JSON`, { cause });
  }
  const validate = await reportValidator();
  if (validate(data)) return data as Report;
  throw mismatch(shown, data, validate.errors ?? []);
}

/**
 * The report named by `path` (resolved against `cwd`): a report.json file, or a run directory
 * that holds one (`reports/latest`). Messages name it as the user typed it. Throws `bad_input`
 * as readReportFile does, and when nothing is at `path`.
 */
export async function readReportAt(cwd: string, path: string): Promise<Report> {
  const full = resolve(cwd, path);
  const isDir = await stat(full).then(
    (s) => s.isDirectory(),
    () => false,
  );
  return isDir
    ? readReportFile(join(full, REPORT_FILE), join(path, REPORT_FILE))
    : readReportFile(full, path);
}

/** The error for a report that does not match: its version, or its first few problems. */
function mismatch(path: string, data: unknown, errors: readonly ErrorObject[]): BatchevalError {
  const hint = `The file may come from another batcheval version (this one reads schemaVersion ${REPORT_SCHEMA_VERSION}) or have been edited. Re-render it with the version that wrote it, or run the suites again.`;
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === "number" && version !== REPORT_SCHEMA_VERSION) {
    const message = `${path} is a schemaVersion ${version} report; this batcheval reads schemaVersion ${REPORT_SCHEMA_VERSION}.`;
    return new BatchevalError("bad_input", message, {
      hint: `The file comes from another batcheval version: render it with the version that wrote it, or run the suites again with this one.`,
    });
  }
  const lines = errors.slice(0, SHOWN_PROBLEMS).map((e) => `  ${describeProblem(e)}`);
  if (errors.length > SHOWN_PROBLEMS) lines.push(`  … and ${errors.length - SHOWN_PROBLEMS} more`);
  const message = `${path} does not match the report.json schema (schema/report.schema.json):\n${lines.join("\n")}`;
  return new BatchevalError("bad_input", message, { hint });
}

/** One ajv error as `$.json.path: expected …, got …`. */
export function describeProblem(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const at = jsonPath(error.instancePath);
  switch (error.keyword) {
    case "required":
      return `${at}${pathStep(String(params.missingProperty))}: missing (a required field)`;
    case "type":
      return `${at}: expected ${[params.type].flat().join(" or ")}, got ${describeValue(error.data)}`;
    case "enum":
      return `${at}: expected one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}, got ${describeValue(error.data)}`;
    case "const":
      return `${at}: expected ${JSON.stringify(params.allowedValue)}, got ${describeValue(error.data)}`;
    default:
      return `${at}: ${error.message ?? "is invalid"}, got ${describeValue(error.data)}`;
  }
}

/** A JSON Pointer (`/models/0/passRate`) as a JSONPath (`$.models[0].passRate`). */
export function jsonPath(pointer: string): string {
  if (pointer === "") return "$";
  const steps = pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  return `$${steps.map(pathStep).join("")}`;
}

function pathStep(step: string): string {
  if (/^\d+$/.test(step)) return `[${step}]`;
  return /^[A-Za-z_$][\w$]*$/.test(step) ? `.${step}` : `[${JSON.stringify(step)}]`;
}

/** A short description of a JSON value: its type, and the value itself when it is short. */
function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "object") return "an object";
  const text = JSON.stringify(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 37)}…` : text}`;
}
