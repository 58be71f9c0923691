/**
 * `{{var}}` templating for system blocks, messages and assertion values. Pure.
 *
 * A placeholder is `{{ name }}` (spaces optional) where `name` is a variable name or a dotted
 * path into a map or list (`{{ticket.subject}}`, `{{items.0}}`). Strings are inserted as they
 * are; numbers and booleans as text; maps, lists and null as JSON. Anything between braces that
 * is not a name (e.g. `{{ a | upper }}`) is left as written here; the loader refuses such
 * templates first (see foreign-syntax.ts).
 */
import { BatchevalError } from "../errors.js";
import type { VarValue } from "./types.js";

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*)\s*\}\}/g;

/** The outcome of looking a dotted path up in a case's vars. */
export type Resolved = { found: true; value: VarValue } | { found: false };

/** Templates whose variables were looked up recently (the suite's own are asked per case). */
const variablesCache = new Map<string, readonly string[]>();
const VARIABLES_CACHE_SIZE = 1000;

/** The distinct variable paths a template uses, in order of first use. */
export function templateVariables(template: string): string[] {
  if (!template.includes("{{")) return [];
  const cached = variablesCache.get(template);
  if (cached !== undefined) return [...cached];
  const names = new Set<string>();
  for (const match of template.matchAll(PLACEHOLDER)) {
    names.add(match[1] ?? "");
  }
  if (variablesCache.size >= VARIABLES_CACHE_SIZE) variablesCache.clear();
  variablesCache.set(template, [...names]);
  return [...names];
}

/** Looks up a dotted path (`a.b.0`) in vars; only own properties count. */
export function resolveVariable(path: string, vars: Record<string, VarValue>): Resolved {
  // Most placeholders are one plain name: looked up without splitting the path.
  if (!path.includes(".")) {
    const value = Object.hasOwn(vars, path) ? vars[path] : undefined;
    return value === undefined ? { found: false } : { found: true, value };
  }
  let current: VarValue = vars;
  for (const segment of path.split(".")) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, segment)) {
      return { found: false };
    }
    const next: VarValue | undefined = Array.isArray(current)
      ? current[Number(segment)]
      : current[segment];
    if (next === undefined) return { found: false };
    current = next;
  }
  return { found: true, value: current };
}

/** The variable paths a template uses that `vars` does not define. */
export function undefinedVariables(template: string, vars: Record<string, VarValue>): string[] {
  return templateVariables(template).filter((name) => !resolveVariable(name, vars).found);
}

/** How a variable's value appears in rendered text. */
export function stringifyVar(value: VarValue): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/**
 * Renders a template with a case's vars. Throws a `bad_input` BatchevalError naming the
 * variable when one is undefined (the loader reports those as located diagnostics first).
 */
export function renderTemplate(template: string, vars: Record<string, VarValue>): string {
  if (!template.includes("{{")) return template;
  return template.replace(PLACEHOLDER, (_whole, name: string) => {
    const resolved = resolveVariable(name, vars);
    if (!resolved.found) {
      throw new BatchevalError("bad_input", `undefined template variable '${name}'`, {
        hint: `define '${name.split(".")[0]}' under the case's vars: or the suite's defaults.vars:`,
      });
    }
    return stringifyVar(resolved.value);
  });
}

/**
 * Renders every string inside an assertion value (strings, and strings nested in lists and
 * maps); other values are returned unchanged.
 */
export function renderValue(value: unknown, vars: Record<string, VarValue>): unknown {
  if (typeof value === "string") return renderTemplate(value, vars);
  if (Array.isArray(value)) return value.map((item: unknown) => renderValue(item, vars));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]: [string, unknown]) => [key, renderValue(item, vars)]),
    );
  }
  return value;
}

/** Every template string inside an assertion value (see `renderValue`), in order. */
export function valueTemplates(value: unknown): string[] {
  const found: string[] = [];
  addTemplates(value, found);
  return found;
}

/** Into one list: the loader asks this of every assertion of every case, several times. */
function addTemplates(value: unknown, found: string[]): void {
  if (typeof value === "string") found.push(value);
  else if (Array.isArray(value)) for (const item of value) addTemplates(item, found);
  else if (value !== null && typeof value === "object") {
    for (const item of Object.values(value)) addTemplates(item, found);
  }
}
