/**
 * The pricing table: model id (or alias) → standard prices, read from `pricing.yaml` and
 * overlaid with the project config's `pricing:` section (docs/design.md, decision 7). Pure: the
 * caller reads the file (see src/run/load-pricing.ts).
 */

import { PRICE_OVERRIDE_KEYS, type PriceOverride, type PriceSources } from "../config/types.js";
import { BatchevalError, invalidFileError } from "../errors.js";
import { findModelSpec } from "../models/model-table.js";
import { closestMatch } from "../source/closest-match.js";
import { diagnosticAt, sortDiagnostics } from "../source/diagnostics.js";
import {
  divideExact,
  femtoToPriceNumber,
  priceNumberProblem,
  priceNumberToFemto,
} from "./exact-money.js";
import { readPricingYaml } from "./read-pricing-yaml.js";
import type { ModelPrice, PriceBand, PricingTable } from "./types.js";

/** The unknown-model error's hint, shown by the CLI under the message. */
function unknownModelHint(model: string): string {
  return `Add it under pricing: in batcheval.config.yaml, e.g.\n  pricing:\n    ${model}: {input: 3, output: 15}`;
}

/**
 * Parses and validates `pricing.yaml` text. Throws BatchevalError("bad_input") whose message
 * starts with `file:line:col:` on the first problem (bad YAML, a missing or unknown field, a
 * price that is not a plain decimal with at most 4 decimal places, a bad date, a duplicate id).
 */
export function parsePricing(yamlText: string, file: string): PricingTable {
  return tableOf(readPricingYaml(yamlText, file));
}

/** Where the config's `pricing:` entries were written, by key (ProjectConfig.sources.pricing). */
export type OverrideSources = Readonly<Record<string, PriceSources>>;

/** A problem with one `pricing:` entry: its key, the price at fault (if one), what and how to fix. */
interface OverrideProblem {
  key: string;
  field?: keyof PriceBand;
  message: string;
  hint: string;
}

const DUPLICATE_HINT =
  "Keep one entry per model under pricing: (an alias and its model id are the same).";
const PRICE_HINT = "Prices are USD per million tokens, with at most 4 decimal places.";

/**
 * Overlays the project config's `pricing:` section. An override replaces the whole price row
 * of that model (including any band, which the config cannot express) but keeps its aliases
 * and its `inference_geo` support; a model the price table lacks is added, with `geoUs` from the
 * model table, or true for a model neither table knows, because any model newer than the tables
 * is newer than Opus 4.6 / Sonnet 4.6. Missing cache prices
 * default to 1.25× (5m write), 2× (1h write) and 0.1× (read) the input price, computed exactly;
 * a missing `seen` defaults to "config". Throws one BatchevalError("bad_input") listing every
 * bad price and repeated model, located in the config when `sources` says where they were written.
 */
export function withOverrides(
  table: PricingTable,
  overrides: Record<string, PriceOverride>,
  sources: OverrideSources = {},
): PricingTable {
  const replaced = new Map<string, ModelPrice>();
  const claimed = new Set<string>();
  const order = table.models();
  const problems: OverrideProblem[] = [];
  for (const [key, override] of Object.entries(overrides)) {
    const base = table.lookup(key);
    const model = base?.model ?? key;
    if (claimed.has(model)) {
      const message = `pricing: "${key}" overrides ${model} a second time`;
      problems.push({ key, message, hint: DUPLICATE_HINT });
      continue;
    }
    claimed.add(model);
    if (base === undefined) order.push(model);
    const bad = priceProblems(key, override);
    problems.push(...bad);
    if (bad.length > 0) continue;
    const geoUs = base?.geoUs ?? findModelSpec(model)?.inferenceGeo ?? true;
    replaced.set(model, overrideRow(model, override, geoUs));
  }
  if (problems.length > 0) throw overrideError(problems, sources);
  return {
    lookup(name) {
      const base = table.lookup(name);
      return replaced.get(base?.model ?? name) ?? base;
    },
    models: () => [...order],
  };
}

/** The prices of one override that are not valid price numbers. */
function priceProblems(key: string, override: PriceOverride): OverrideProblem[] {
  const fields = ["input", "output", "cacheWrite5m", "cacheWrite1h", "cacheRead"] as const;
  return fields.flatMap((field) => {
    const value = override[field];
    const problem = value === undefined ? undefined : priceNumberProblem(value);
    if (problem === undefined) return [];
    const message = `pricing.${key}.${PRICE_OVERRIDE_KEYS[field]}: ${problem}`;
    return [{ key, field, message, hint: PRICE_HINT }];
  });
}

/** One error for every override problem: located diagnostics when all their places are known. */
function overrideError(problems: OverrideProblem[], sources: OverrideSources): BatchevalError {
  const hint = problems[0]?.hint ?? PRICE_HINT;
  const located = problems.flatMap(({ key, field, message, hint }) => {
    const entry = sources[key];
    const at = field === undefined ? entry?.entry : (entry?.fields[field] ?? entry?.entry);
    return at === undefined ? [] : [diagnosticAt(at, message, hint)];
  });
  if (located.length === problems.length) return invalidFileError(sortDiagnostics(located), hint);
  return new BatchevalError("bad_input", problems.map((p) => p.message).join("\n"), { hint });
}

/**
 * The price of `model`, or a BatchevalError("unknown_model") whose hint shows how to add the
 * price to batcheval.config.yaml. Never a silent $0 (docs/design.md, decision 7).
 */
export function requirePrice(table: PricingTable, model: string): ModelPrice {
  const price = table.lookup(model);
  if (price === undefined) {
    const close = closestMatch(model, table.models());
    const guess = close === undefined ? "" : ` (did you mean "${close}"?)`;
    throw new BatchevalError("unknown_model", `No price for model "${model}"${guess}`, {
      hint: unknownModelHint(model),
    });
  }
  return price;
}

/** Builds a table from validated rows and their aliases. */
function tableOf(rows: { prices: ModelPrice[]; aliases: Map<string, string> }): PricingTable {
  const byId = new Map(rows.prices.map((price) => [price.model, price]));
  return {
    lookup(name) {
      return byId.get(rows.aliases.get(name) ?? name);
    },
    models: () => [...byId.keys()],
  };
}

/** One valid config override as a frozen ModelPrice, with exact defaults for missing cache prices. */
function overrideRow(model: string, override: PriceOverride, geoUs: boolean): ModelPrice {
  const input = override.input;
  const inputFemto = priceNumberToFemto(input);
  const times = (num: bigint, den: bigint): number =>
    femtoToPriceNumber(divideExact(inputFemto * num, den));
  return Object.freeze({
    model,
    input,
    output: override.output,
    // Defaults may have up to 6 decimal places (1.25 × 0.0001); they stay whole multiples of
    // 20 femto-USD per token, which is all the batch and US-inference factors need.
    cacheWrite5m: override.cacheWrite5m ?? times(5n, 4n),
    cacheWrite1h: override.cacheWrite1h ?? times(2n, 1n),
    cacheRead: override.cacheRead ?? times(1n, 10n),
    seen: override.seen ?? "config",
    source: "batcheval.config.yaml pricing",
    geoUs,
  });
}
