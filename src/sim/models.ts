/**
 * The models the simulator knows: the rows of the model table (src/models/model-table.ts), which
 * also feeds the compile step's cache and token estimates. An id the table does not know, or a
 * model retired on the simulator's clock, is "not found" (an errored batch result, or a 404 on
 * the synchronous endpoints), as on the API.
 */
import { findModelSpec, lifecycleOn, utcDay } from "../models/model-table.js";
import type { ModelSpec } from "../models/types.js";

/** What the simulator needs to know about a model. */
export interface SimModel {
  /** The model table's row. */
  row: ModelSpec;
  /** Largest accepted `max_tokens` (the synchronous cap; the 300K batch beta is not modelled). */
  maxTokens: number;
  /** Minimum cacheable prefix in tokens; shorter prefixes are silently not cached. */
  minCacheTokens: number;
  /** Claude 4.7+ (incl. Haiku 5.5) tokenizers count ~30% more tokens for the same text. */
  newTokenizer: boolean;
}

const cache = new Map<ModelSpec, SimModel>();

/**
 * Which models are retired on the last UTC day asked (every request asks, and a day's answer
 * does not change): the day's number since the epoch, and the verdict per row.
 */
let lastDay: { number: number; text: string; retired: Map<ModelSpec, boolean> } | undefined;

function retiredOn(row: ModelSpec, now: number): boolean {
  const number = Math.floor(now / 86_400_000);
  if (lastDay?.number !== number) {
    lastDay = { number, text: utcDay(new Date(now)), retired: new Map() };
  }
  let retired = lastDay.retired.get(row);
  if (retired === undefined) {
    retired = lifecycleOn(row, lastDay.text).state === "retired";
    lastDay.retired.set(row, retired);
  }
  return retired;
}

/**
 * The model `id` names on the day of `now` (epoch ms), or `undefined` when the table does not
 * know it or it is retired by then.
 */
export function findModel(id: string, now: number): SimModel | undefined {
  const row = findModelSpec(id);
  if (row === undefined || retiredOn(row, now)) return undefined;
  let model = cache.get(row);
  if (model === undefined) {
    model = {
      row,
      maxTokens: row.maxOutput,
      minCacheTokens: row.minCacheTokens,
      newTokenizer: row.tokenizer === "claude-4.7",
    };
    cache.set(row, model);
  }
  return model;
}
