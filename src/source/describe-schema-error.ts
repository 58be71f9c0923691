/**
 * Turns ajv errors into readable, located diagnostics: the instancePath becomes the YAML node's
 * line:col, and each keyword gets a message a person can act on (unknown keys suggest the
 * closest allowed key; removed params say why and what to do instead). Format-neutral: a loader
 * that knows another tool's names for its keys passes them in as a `ForeignKeyLookup`.
 */
import type { ErrorObject } from "ajv";
import { closestMatch } from "./closest-match.js";
import { diagnosticAt } from "./diagnostics.js";
import type { Diagnostic } from "./types.js";
import type { Locate, PathSegment } from "./yaml-source.js";

/** What to say about an unknown key that another tool's format uses (e.g. promptfoo's `tests`). */
export interface ForeignKeyNote {
  /** Appended to "unknown key 'KEY'". */
  message: string;
  hint: string;
  /** The key it is here, when it was only renamed (so "missing `KEY`" need not be said too). */
  ours?: string;
}

/**
 * Tells whether an unknown `key`, written where the schema allows `allowed`, is another tool's
 * name for something; undefined when it is not.
 */
export type ForeignKeyLookup = (
  key: string,
  allowed: readonly string[],
) => ForeignKeyNote | undefined;

/** How `schemaDiagnostics` words and locates its diagnostics. */
export interface SchemaDiagnosticOptions {
  /** Prepended to every error's path (when the validated data sits inside the located document). */
  prefix?: readonly PathSegment[];
  /** Another tool's key names, for "promptfoo's `tests` is `cases` here" instead of a bare "unknown key". */
  foreignKey?: ForeignKeyLookup;
}

interface Problem {
  path: PathSegment[];
  target: "key" | "value";
  message: string;
  hint?: string;
}

/** Maps ajv errors to diagnostics located with `locate`. */
export function schemaDiagnostics(
  errors: readonly ErrorObject[],
  locate: Locate,
  options: SchemaDiagnosticOptions = {},
): Diagnostic[] {
  const { prefix = [], foreignKey = noForeignKeys } = options;
  return withoutRenamedRequired(collapseAnyOf(errors), foreignKey).flatMap((error) => {
    const problem = describeSchemaError(error, foreignKey);
    if (problem === undefined) return [];
    const location = locate([...prefix, ...problem.path], problem.target);
    return [diagnosticAt(location, problem.message, problem.hint)];
  });
}

/**
 * An `anyOf` failure is reported once, with the schema's `errorMessage` and `x-hint`, instead
 * of once per branch (ajv lists every branch's errors before the `anyOf` error).
 */
function collapseAnyOf(errors: readonly ErrorObject[]): readonly ErrorObject[] {
  const anyOf = errors.filter((e) => e.keyword === "anyOf").map((e) => e.instancePath);
  if (anyOf.length === 0) return errors;
  return errors.filter(
    (e) =>
      e.keyword === "anyOf" ||
      !anyOf.some((path) => e.instancePath === path || e.instancePath.startsWith(`${path}/`)),
  );
}

const noForeignKeys: ForeignKeyLookup = () => undefined;

/**
 * A suite with promptfoo's `tests:` is told that `tests` is `cases` here; "missing required
 * key 'cases'" would say the same thing twice.
 */
function withoutRenamedRequired(
  errors: readonly ErrorObject[],
  foreignKey: ForeignKeyLookup,
): readonly ErrorObject[] {
  const renamed = new Set(
    errors
      .filter((e) => e.keyword === "additionalProperties")
      .map((e) => {
        const key = String(asRecord(e.params).additionalProperty);
        const allowed = Object.keys(asRecord(asRecord(e.parentSchema).properties));
        const target = foreignKey(key, allowed)?.ours;
        return `${e.instancePath}\0${target}`;
      }),
  );
  return errors.filter(
    (e) =>
      e.keyword !== "required" ||
      !renamed.has(`${e.instancePath}\0${String(asRecord(e.params).missingProperty)}`),
  );
}

/** A readable description of one ajv error, or undefined for summary errors (`if`). */
export function describeSchemaError(
  error: ErrorObject,
  foreignKey: ForeignKeyLookup = noForeignKeys,
): Problem | undefined {
  if (error.keyword === "if" || error.propertyName !== undefined) return undefined;
  const path = parsePointer(error.instancePath);
  const label = pathLabel(path);
  const parent = asRecord(error.parentSchema);
  const params = asRecord(error.params);
  switch (error.keyword) {
    case "additionalProperties":
      return unknownKey(path, String(params.additionalProperty), parent, foreignKey);
    case "required":
      return missingKey(path, label, String(params.missingProperty), parent);
    case "enum":
      return withSchemaHint(badEnumValue(path, label, error.data, params.allowedValues), parent);
    case "type":
      return withSchemaHint(
        {
          path,
          target: "value",
          message: `${label} must be ${typeWords(params.type)}, got ${typeOf(error.data)}`,
        },
        parent,
      );
    case "anyOf":
      return withSchemaHint(
        {
          path,
          target: "value",
          message: `${label} must be ${String(parent.errorMessage ?? "one of the allowed forms")}, got ${typeOf(error.data)}`,
        },
        parent,
      );
    case "propertyNames":
      return {
        path: [...path, String(params.propertyName)],
        target: "key",
        message: `'${String(params.propertyName)}' is not a valid variable name`,
        hint: "variable names start with a letter or _ and use letters, digits, _ and -",
      };
    case "not":
      return removedKey(path, label, parent);
    case "minItems":
    case "minLength":
      if (params.limit === 1)
        return { path, target: "value", message: `${label} must not be empty` };
      return genericProblem(path, label, error, parent);
    default:
      return genericProblem(path, label, error, parent);
  }
}

/** ajv's own message, with the field's schema description as the hint. */
function genericProblem(
  path: PathSegment[],
  label: string,
  error: ErrorObject,
  parent: Record<string, unknown>,
): Problem {
  const hint =
    typeof parent.description === "string" ? `${label}: ${parent.description}` : undefined;
  const message = `${label} ${error.message ?? "is invalid"}`;
  return { path, target: "value", message, ...(hint === undefined ? {} : { hint }) };
}

/** Properties the schema lists only to reject them with a specific message. */
const FORBIDDEN_REFS = new Set([
  "#/definitions/removedSamplingParam",
  "#/definitions/suiteOwnedParam",
]);

/** The schema's `x-hint` annotation as the problem's hint, when the problem has none. */
function withSchemaHint(problem: Problem, parent: Record<string, unknown>): Problem {
  const hint = parent["x-hint"];
  return problem.hint === undefined && typeof hint === "string" ? { ...problem, hint } : problem;
}

function unknownKey(
  path: PathSegment[],
  key: string,
  parent: Record<string, unknown>,
  foreignKey: ForeignKeyLookup,
): Problem {
  const allowed = Object.entries(asRecord(parent.properties))
    .filter(([, schema]) => !isForbidden(asRecord(schema)))
    .map(([name]) => name);
  const ported = foreignKey(key, allowed);
  if (ported !== undefined) {
    return {
      path: [...path, key],
      target: "key",
      message: `unknown key '${key}'${ported.message}`,
      hint: ported.hint,
    };
  }
  const suggestion = closestMatch(key, allowed);
  const message = `unknown key '${key}'${suggestion === undefined ? "" : ` — did you mean '${suggestion}'?`}`;
  const hint = allowed.length > 0 ? `allowed keys here: ${allowed.join(", ")}` : undefined;
  return { path: [...path, key], target: "key", message, ...(hint === undefined ? {} : { hint }) };
}

function missingKey(
  path: PathSegment[],
  label: string,
  key: string,
  parent: Record<string, unknown>,
): Problem {
  const description = asRecord(asRecord(parent.properties)[key]).description;
  const hint = typeof description === "string" ? `${key}: ${description}` : undefined;
  const owner = path.length === 0 ? "the file" : label;
  return {
    path,
    target: "value",
    message: `${owner} is missing required key '${key}'`,
    ...(hint === undefined ? {} : { hint }),
  };
}

function badEnumValue(
  path: PathSegment[],
  label: string,
  data: unknown,
  allowed: unknown,
): Problem {
  const values = Array.isArray(allowed) ? allowed.map(String) : [];
  const suggestion = typeof data === "string" ? closestMatch(data, values) : undefined;
  const got = `got ${JSON.stringify(data)}${suggestion === undefined ? "" : ` — did you mean '${suggestion}'?`}`;
  return { path, target: "value", message: `${label} must be one of ${values.join(", ")}; ${got}` };
}

function removedKey(path: PathSegment[], label: string, parent: Record<string, unknown>): Problem {
  const message =
    typeof parent.errorMessage === "string"
      ? `${label}: ${parent.errorMessage}`
      : `${label} is not allowed`;
  const hint = parent["x-hint"];
  return { path, target: "key", message, ...(typeof hint === "string" ? { hint } : {}) };
}

function isForbidden(schema: Record<string, unknown>): boolean {
  return "not" in schema || FORBIDDEN_REFS.has(String(schema.$ref));
}

/** `/cases/2/vars` → ["cases", 2, "vars"]. */
function parsePointer(pointer: string): PathSegment[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** ["cases", 2, "vars"] → `cases[2].vars`. */
export function pathLabel(path: readonly PathSegment[]): string {
  if (path.length === 0) return "the file";
  return path.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

function typeWords(type: unknown): string {
  const types = Array.isArray(type) ? type.map(String) : String(type).split(",");
  return types
    .map((t) =>
      t === "integer"
        ? "an integer"
        : t === "array"
          ? "a list"
          : t === "object"
            ? "a map"
            : `a ${t}`,
    )
    .join(" or ");
}

function typeOf(data: unknown): string {
  if (data === null) return "null";
  if (Array.isArray(data)) return "a list";
  if (typeof data === "object") return "a map";
  return `a ${typeof data} (${JSON.stringify(data)})`;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
}
