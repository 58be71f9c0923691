/**
 * The pricing table: model id (or alias) → standard prices, read from `pricing.yaml` and
 * overlaid with the project config's `pricing:` section (docs/design.md, decision 7). Pure: the
 * caller reads the file (see src/run/load-pricing.ts).
 */
import type { PriceOverride } from "../config/types.js";
import { BatchevalError } from "../errors.js";
import { findModelSpec } from "../models/model-table.js";
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

/**
 * Overlays the project config's `pricing:` section. An override replaces the whole price row
 * of that model (including any band, which the config cannot express) but keeps its aliases
 * and its `inference_geo` support; a model the price table lacks is added, with `geoUs` from the
 * model table, or true for a model neither table knows, because any model newer than the tables
 * is newer than Opus 4.6 / Sonnet 4.6. Missing cache prices
 * default to 1.25× (5m write), 2× (1h write) and 0.1× (read) the input price, computed exactly;
 * a missing `seen` defaults to "config". Throws BatchevalError("bad_input") on a bad price.
 */
export function withOverrides(
  table: PricingTable,
  overrides: Record<string, PriceOverride>,
): PricingTable {
  const replaced = new Map<string, ModelPrice>();
  const order = table.models();
  for (const [key, override] of Object.entries(overrides)) {
    const base = table.lookup(key);
    const model = base?.model ?? key;
    if (replaced.has(model)) {
      throw new BatchevalError("bad_input", `pricing: "${key}" overrides ${model} a second time`, {
        hint: "Keep one entry per model under pricing: (an alias and its model id are the same).",
      });
    }
    const geoUs = base?.geoUs ?? findModelSpec(model)?.inferenceGeo ?? true;
    replaced.set(model, overrideRow(model, key, override, geoUs));
    if (base === undefined) order.push(model);
  }
  return {
    lookup(name) {
      const base = table.lookup(name);
      return replaced.get(base?.model ?? name) ?? base;
    },
    models: () => [...order],
  };
}

/**
 * The price of `model`, or a BatchevalError("unknown_model") whose hint shows how to add the
 * price to batcheval.config.yaml. Never a silent $0 (docs/design.md, decision 7).
 */
export function requirePrice(table: PricingTable, model: string): ModelPrice {
  const price = table.lookup(model);
  if (price === undefined) {
    throw new BatchevalError("unknown_model", `No price for model "${model}"`, {
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

/** One config override as a frozen ModelPrice, with exact defaults for missing cache prices. */
function overrideRow(
  model: string,
  key: string,
  override: PriceOverride,
  geoUs: boolean,
): ModelPrice {
  const checked = (field: keyof PriceBand, value: number): number => {
    const problem = priceNumberProblem(value);
    if (problem !== undefined) {
      throw new BatchevalError("bad_input", `pricing.${key}.${field}: ${problem}`, {
        hint: "Prices are USD per million tokens, with at most 4 decimal places.",
      });
    }
    return value;
  };
  const optional = (field: keyof PriceBand, value: number | undefined): number | undefined =>
    value === undefined ? undefined : checked(field, value);
  const input = checked("input", override.input);
  const inputFemto = priceNumberToFemto(input);
  const times = (num: bigint, den: bigint): number =>
    femtoToPriceNumber(divideExact(inputFemto * num, den));
  return Object.freeze({
    model,
    input,
    output: checked("output", override.output),
    // Defaults may have up to 6 decimal places (1.25 × 0.0001); they stay whole multiples of
    // 20 femto-USD per token, which is all the batch and US-inference factors need.
    cacheWrite5m: optional("cacheWrite5m", override.cacheWrite5m) ?? times(5n, 4n),
    cacheWrite1h: optional("cacheWrite1h", override.cacheWrite1h) ?? times(2n, 1n),
    cacheRead: optional("cacheRead", override.cacheRead) ?? times(1n, 10n),
    seen: override.seen ?? "config",
    source: "batcheval.config.yaml pricing",
    geoUs,
  });
}
