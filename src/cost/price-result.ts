/**
 * Pricing one batch result: the usage the API returned, copied into the report's shape, and its
 * four cost figures. A result with no reply (errored, expired, canceled, missing) carries no
 * usage and is not billed: it costs NO_COST. The cost is plain data, exact in `femtoUsd`, so a
 * copied record still sums exactly. Pure.
 */
import type { MessageBatchIndividualResponse } from "@anthropic-ai/sdk/resources/messages/batches";
import type { Usage } from "@anthropic-ai/sdk/resources/messages/messages";
import { type Cost, NO_COST } from "./exact-cost.js";
import { priceCost } from "./price-usage.js";
import type { ModelPrice } from "./types.js";

/** The usage the API returned, in the API's own snake_case, with absent counts as 0. */
export interface UsageRecord {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number } | null;
  service_tier?: string | null;
  inference_geo?: string | null;
}

export function usageRecord(u: Usage): UsageRecord {
  return {
    input_tokens: u.input_tokens,
    output_tokens: u.output_tokens,
    cache_creation_input_tokens: u.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: u.cache_read_input_tokens ?? 0,
    cache_creation:
      u.cache_creation === null || u.cache_creation === undefined
        ? null
        : {
            ephemeral_5m_input_tokens: u.cache_creation.ephemeral_5m_input_tokens ?? 0,
            ephemeral_1h_input_tokens: u.cache_creation.ephemeral_1h_input_tokens ?? 0,
          },
    service_tier: u.service_tier ?? null,
    inference_geo: u.inference_geo ?? null,
  };
}

/** A priced result: its usage (null without a reply) and what it cost. */
export interface PricedResult {
  usage: UsageRecord | null;
  cost: Cost;
}

/** Prices one result (undefined: the results hold no line for the request). */
export function priceResult(
  result: MessageBatchIndividualResponse | undefined,
  price: ModelPrice,
): PricedResult {
  if (result?.result.type !== "succeeded") return { usage: null, cost: NO_COST };
  const usage = usageRecord(result.result.message.usage);
  return { usage, cost: priceCost(usage, price) };
}
