/**
 * Types owned by the models stage: one row of the model table and the values its fields take.
 * The rows are in model-rows.ts, the lookups in model-table.ts.
 */

/** A `thinking.type` value of the Messages API (SDK 1.x `ThinkingConfigParam`). */
export type ThinkingType = "enabled" | "disabled" | "adaptive" | "between_tools";
/** An `output_config.effort` level (SDK 1.x `OutputConfig.effort`). */
export type EffortLevel = "low" | "medium" | "high" | "xhigh" | "max";
/** Where a model is in its life cycle, as the deprecations page names the stages. */
export type LifecycleStatus = "active" | "legacy" | "deprecated" | "retired";

/** One model: its limits, the parameters it accepts, and its retirement. */
export interface ModelSpec {
  /** The API id (the undated alias where the API has one). */
  id: string;
  /** Other ids the API accepts for the same model (dated snapshots). */
  aliases: readonly string[];
  /** Largest prompt in tokens (the standard window; 1M betas on older models not modelled). */
  contextWindow: number;
  /** Largest `max_tokens` (the synchronous cap; the 300K batch beta header is not modelled). */
  maxOutput: number;
  /** Max output in the Batch API with the 300K beta header, where the overview shows it. */
  batchMaxOutputBeta?: number;
  /** Minimum cacheable prefix in tokens; shorter prefixes are silently not cached. */
  minCacheTokens: number;
  /** `claude-4.7`: the newer tokenizer (Claude 4.7 and later) counts ~30% more tokens. */
  tokenizer: "classic" | "claude-4.7";
  /** The `thinking.type` values the model accepts; any other is a 400. */
  thinking: readonly ThinkingType[];
  /** The `output_config.effort` levels the model accepts; empty = it takes no effort. */
  effort: readonly EffortLevel[];
  /** Whether the model accepts `inference_geo` (Opus 4.6, Sonnet 4.6 and later). */
  inferenceGeo: boolean;
  status: LifecycleStatus;
  /** First day the model is retired (YYYY-MM-DD, UTC), when announced. */
  retires?: string;
  /** The replacement the deprecations page recommends, when it names one. */
  replacement?: string;
  /** Where the facts came from. */
  sources: readonly string[];
  /** When the sources were checked (YYYY-MM-DD). */
  checked: string;
  /** Values not published anywhere found, and what was chosen instead. */
  chosen?: string;
}
