/**
 * The model table: what each Claude model accepts and until when, beside the prices in
 * pricing.yaml. One table, read by the compile step (minimum cacheable prefix, tokenizer), the
 * simulator (limits, accepted parameters, retired ids) and the CLI (retirement checks). Pure
 * data and pure functions: no I/O, no clock (callers pass the date).
 *
 * The rows are in model-rows.ts; every row names its sources and the date they were checked,
 * and says which of its values were not published and chosen instead.
 */
import { MODEL_ROWS } from "./model-rows.js";
import type { EffortLevel, ModelSpec, ThinkingType } from "./types.js";

/** Every `thinking.type` the API defines, for the "unknown type" error. */
export const THINKING_TYPES: readonly ThinkingType[] = [
  "enabled",
  "disabled",
  "adaptive",
  "between_tools",
];

/** Every effort level the API defines, for the "unknown level" error. */
export const EFFORT_LEVELS: readonly EffortLevel[] = ["low", "medium", "high", "xhigh", "max"];

/** The smallest `thinking.budget_tokens` the API accepts (it must also be below max_tokens). */
export const MIN_THINKING_BUDGET = 1024;

const BY_ID = new Map<string, ModelSpec>();
for (const row of MODEL_ROWS) {
  for (const id of [row.id, ...row.aliases]) {
    if (BY_ID.has(id)) throw new Error(`model-rows.ts lists ${id} twice`);
    BY_ID.set(id, row);
  }
}

/** The row of a model id or alias, or undefined for a model the table does not know. */
export function findModelSpec(id: string): ModelSpec | undefined {
  return BY_ID.get(id);
}

/** Every row, newest first. */
export function modelSpecs(): readonly ModelSpec[] {
  return MODEL_ROWS;
}

/** Every id the table knows, aliases included. */
export function knownModelIds(): string[] {
  return [...BY_ID.keys()];
}

/** Where a model stands on a given day. */
export type Lifecycle =
  | { state: "retired"; replacement?: string; since?: string }
  | { state: "retiring"; days: number; retires: string; replacement?: string }
  | { state: "available" };

/** How many days before its retirement a model in a run is warned about. */
export const RETIREMENT_WARNING_DAYS = 30;

/**
 * Where `spec` stands on `today` (YYYY-MM-DD, UTC): retired (status retired, or on or after its
 * retirement date), retiring (retirement within {@link RETIREMENT_WARNING_DAYS} days), or
 * available. Throws a RangeError on a malformed date.
 */
export function lifecycleOn(spec: ModelSpec, today: string): Lifecycle {
  const day = dayNumber(today);
  const replacement = spec.replacement === undefined ? {} : { replacement: spec.replacement };
  if (spec.retires !== undefined) {
    const days = dayNumber(spec.retires) - day;
    if (days <= 0) return { state: "retired", since: spec.retires, ...replacement };
    if (spec.status === "retired") return { state: "retired", ...replacement };
    if (days <= RETIREMENT_WARNING_DAYS) {
      return { state: "retiring", days, retires: spec.retires, ...replacement };
    }
    return { state: "available" };
  }
  return spec.status === "retired" ? { state: "retired", ...replacement } : { state: "available" };
}

/** Today's date in UTC as YYYY-MM-DD: what the CLI passes for "today". */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Days since the epoch of a YYYY-MM-DD date. */
function dayNumber(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (!Number.isFinite(ms) || utcDay(new Date(ms)) !== date) {
    throw new RangeError(`expected a date YYYY-MM-DD, got "${date}"`);
  }
  return ms / 86_400_000;
}
