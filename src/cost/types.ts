/**
 * Types owned by the cost stage: prices per model and the four cost figures. The price file is
 * read by read-pricing-yaml.ts into these; price-usage.ts and exact-cost.ts compute with them.
 */

/** The four cost figures of a result, model or run, in USD (docs/design.md, decision 6). */
export interface CostFigures {
  /** Synchronous price, caching ignored. */
  standard: number;
  /** Synchronous price with the cache writes and reads that happened. */
  standardCached: number;
  /** Batch price (50%), caching ignored. */
  batch: number;
  /** Batch price with the caching that happened: what was billed. */
  batchCached: number;
}

/** One set of prices, in USD per million tokens (standard, i.e. synchronous, prices). */
export interface PriceBand {
  input: number;
  output: number;
  /** Cache write with the 5-minute TTL (normally 1.25 × input). */
  cacheWrite5m: number;
  /** Cache write with the 1-hour TTL (normally 2 × input). */
  cacheWrite1h: number;
  /** Cache hit or refresh (normally 0.1 × input, lower on some models). */
  cacheRead: number;
}

/** The prices of one model. */
export interface ModelPrice extends PriceBand {
  /** Canonical model id (an alias looks up the same row). */
  model: string;
  /** When the price was checked (YYYY-MM-DD), or "config" for a project override. */
  seen: string;
  /** Where the price came from. */
  source?: string;
  /**
   * A higher band for large prompts: when a request's prompt (input + cache read + cache write
   * tokens) exceeds `threshold`, every token of it, output included, uses `band`.
   */
  aboveTokens?: { threshold: number; band: PriceBand };
  /**
   * The model accepts `inference_geo`, and US-only inference (`"us"`) costs 1.1×. Taken from the
   * model table (model-table.ts), not from the price file.
   */
  geoUs: boolean;
}

/** Prices by model. */
export interface PricingTable {
  /** Model id or alias → price, or undefined when the model has no price. */
  lookup(model: string): ModelPrice | undefined;
  /** Canonical ids of every priced model, in table order. */
  models(): string[];
}
