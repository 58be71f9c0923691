/**
 * `batcheval pricing`: the price table in use (the bundled prices with the config's overrides),
 * per model, with when each row was checked and, from the model table, the retirement date.
 * Pure: a function of the table.
 */
import { US_GEO_MULTIPLIER } from "../cost/price-usage.js";
import type { ModelPrice, PriceBand, PricingTable } from "../cost/types.js";
import { findModelSpec } from "../models/model-table.js";
import { textTable } from "./format.js";

/** One model's prices, in USD per million tokens at the standard (synchronous) rate. */
export interface PriceRow extends PriceBand {
  model: string;
  /** The band for large prompts: above `threshold` prompt tokens, every token uses `band`. */
  aboveTokens?: { threshold: number; band: PriceBand };
  /** The multiplier of `inference_geo: "us"`, or null when the model does not take it. */
  usGeoMultiplier: number | null;
  /** When the price was checked (YYYY-MM-DD), or "config" for a project override. */
  seen: string;
  source?: string;
  /** The first day the model is retired, when announced. */
  retires?: string;
}

function band(price: PriceBand): PriceBand {
  const { input, output, cacheWrite5m, cacheWrite1h, cacheRead } = price;
  return { input, output, cacheWrite5m, cacheWrite1h, cacheRead };
}

function rowOf(price: ModelPrice): PriceRow {
  const retires = findModelSpec(price.model)?.retires;
  return {
    model: price.model,
    ...band(price),
    ...(price.aboveTokens === undefined
      ? {}
      : {
          aboveTokens: {
            threshold: price.aboveTokens.threshold,
            band: band(price.aboveTokens.band),
          },
        }),
    usGeoMultiplier: price.geoUs ? US_GEO_MULTIPLIER : null,
    seen: price.seen,
    ...(price.source === undefined ? {} : { source: price.source }),
    ...(retires === undefined ? {} : { retires }),
  };
}

/** Every priced model's row, in table order. */
export function priceRows(pricing: PricingTable): PriceRow[] {
  return pricing.models().flatMap((model) => {
    const price = pricing.lookup(model);
    return price === undefined ? [] : [rowOf(price)];
  });
}

const money = (usd: number): string => `$${usd}`;

/** The table as text, with what its numbers mean. */
export function renderPricing(rows: readonly PriceRow[]): string {
  const table = textTable(
    [
      "model",
      "input",
      "output",
      "write 5m",
      "write 1h",
      "read",
      "large prompts",
      "us geo",
      "checked",
      "retires",
    ],
    rows.map((r) => [
      r.model,
      money(r.input),
      money(r.output),
      money(r.cacheWrite5m),
      money(r.cacheWrite1h),
      money(r.cacheRead),
      r.aboveTokens === undefined
        ? "–"
        : `>${r.aboveTokens.threshold.toLocaleString("en-US")}: ${money(r.aboveTokens.band.input)}/${money(r.aboveTokens.band.output)}`,
      r.usGeoMultiplier === null ? "–" : `${r.usGeoMultiplier}x`,
      r.seen,
      r.retires ?? "–",
    ]),
  );
  return `${table}

USD per million tokens at the standard (synchronous) rate; the Batch API bills 50% of every
category. "large prompts": above that many prompt tokens (input + cache reads + cache writes)
every token of the request, output included, is billed at the input/output shown (and the
band's cache prices; see --json). "us geo": the multiplier of inference_geo: "us" on the models
that take it. "checked": when the row's price was last checked ("config": an override from
batcheval.config.yaml).
`;
}
