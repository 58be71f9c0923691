/** Named semantic rules for the project config, run after the schema has passed. */
import { diagnosticAt } from "../source/diagnostics.js";
import type { Diagnostic } from "../source/types.js";
import type { Locate } from "../source/yaml-source.js";
import type { RawConfig } from "./normalize-config.js";

/** A config rule: schema-valid data in, located diagnostics out. */
export type ConfigRule = (raw: RawConfig, locate: Locate) => Diagnostic[];

/** A model listed twice would be run (and paid for) twice. */
export const uniqueModels: ConfigRule = (raw, locate) => {
  const firstIndex = new Map<string, number>();
  return (raw.models ?? []).flatMap((model, index) => {
    const first = firstIndex.get(model);
    if (first === undefined) {
      firstIndex.set(model, index);
      return [];
    }
    const firstLine = locate(["models", first]).line;
    const message = `model '${model}' is listed twice (first at line ${firstLine})`;
    return [diagnosticAt(locate(["models", index]), message, "remove the duplicate")];
  });
};

/** Cache prices above the input price are almost always a units mistake. */
export const plausibleCachePrices: ConfigRule = (raw, locate) =>
  Object.entries(raw.pricing ?? {}).flatMap(([model, price]) => {
    if (price.cache_read === undefined || price.cache_read <= price.input) return [];
    const message = `pricing.${model}.cache_read (${price.cache_read}) is above its input price (${price.input})`;
    const hint = "prices are USD per million tokens; cache reads usually cost about 0.1 × input";
    return [diagnosticAt(locate(["pricing", model, "cache_read"]), message, hint, "warning")];
  });

/** The config rules, in order. */
export const CONFIG_RULES: readonly ConfigRule[] = [uniqueModels, plausibleCachePrices];
