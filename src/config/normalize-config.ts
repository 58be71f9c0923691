/**
 * Turns schema-valid config data (snake_case, as written) into a ProjectConfig (camelCase,
 * defaults filled in). Pure.
 */
import type { Locate } from "../source/yaml-source.js";
import {
  DEFAULT_CONFIG,
  PRICE_OVERRIDE_KEYS,
  type PriceOverride,
  type PriceSources,
  type ProjectConfig,
} from "./types.js";

/** A price row as written. */
export interface RawPrice {
  input: number;
  output: number;
  cache_write_5m?: number;
  cache_write_1h?: number;
  cache_read?: number;
  seen?: string;
}

/** The config file's data as written. */
export interface RawConfig {
  evals?: string;
  models?: string[];
  backend?: "anthropic" | "sim";
  out_dir?: string;
  cache_dir?: string;
  grader_model?: string;
  pricing?: Record<string, RawPrice>;
  strict?: boolean;
  reporters?: string[];
  sim?: { fixtures?: string };
}

/** A fresh copy of DEFAULT_CONFIG (safe to mutate). */
export function defaultConfig(): ProjectConfig {
  return structuredClone(DEFAULT_CONFIG);
}

/** Applies defaults and renames keys; `locate` records where models and prices were written. */
export function normalizeConfig(raw: RawConfig, file: string, locate: Locate): ProjectConfig {
  const defaults = defaultConfig();
  return {
    file,
    evals: raw.evals ?? defaults.evals,
    models: raw.models ?? defaults.models,
    ...(raw.backend === undefined ? {} : { backend: raw.backend }),
    outDir: raw.out_dir ?? defaults.outDir,
    cacheDir: raw.cache_dir ?? defaults.cacheDir,
    graderModel: raw.grader_model ?? defaults.graderModel,
    pricing: Object.fromEntries(
      Object.entries(raw.pricing ?? {}).map(([model, price]) => [model, toPriceOverride(price)]),
    ),
    strict: raw.strict ?? defaults.strict,
    reporters: raw.reporters ?? defaults.reporters,
    sim: { fixtures: raw.sim?.fixtures ?? defaults.sim.fixtures },
    sources: {
      ...(raw.models === undefined
        ? {}
        : { models: raw.models.map((_, i) => locate(["models", i])) }),
      ...(raw.grader_model === undefined ? {} : { graderModel: locate(["grader_model"]) }),
      ...(raw.sim?.fixtures === undefined ? {} : { simFixtures: locate(["sim", "fixtures"]) }),
      ...(raw.pricing === undefined ? {} : { pricing: priceSources(raw.pricing, locate) }),
    },
  };
}

/** Where each `pricing:` entry and each of its prices was written, so price checks can point there. */
function priceSources(
  pricing: Record<string, RawPrice>,
  locate: Locate,
): Record<string, PriceSources> {
  return Object.fromEntries(
    Object.entries(pricing).map(([model, price]) => {
      const fields: PriceSources["fields"] = {};
      for (const [field, key] of Object.entries(PRICE_OVERRIDE_KEYS)) {
        if (price[key] !== undefined) {
          fields[field as keyof PriceOverride] = locate(["pricing", model, key]);
        }
      }
      return [model, { entry: locate(["pricing", model], "key"), fields }];
    }),
  );
}

function toPriceOverride(price: RawPrice): PriceOverride {
  return {
    input: price.input,
    output: price.output,
    ...(price.cache_write_5m === undefined ? {} : { cacheWrite5m: price.cache_write_5m }),
    ...(price.cache_write_1h === undefined ? {} : { cacheWrite1h: price.cache_write_1h }),
    ...(price.cache_read === undefined ? {} : { cacheRead: price.cache_read }),
    ...(price.seen === undefined ? {} : { seen: price.seen }),
  };
}
