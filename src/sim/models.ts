/**
 * The models the simulator knows: every model of the pricing table in anthropic-api.md plus
 * the SDK's `Model` union. Any other id is "not found" (an errored batch result, or a 404 on
 * the synchronous endpoints).
 */

/** What the simulator needs to know about a model. */
export interface SimModel {
  /** Largest accepted `max_tokens`. */
  maxTokens: number;
  /** Minimum cacheable prefix in tokens; shorter prefixes are silently not cached. */
  minCacheTokens: number;
  /** Claude 4.7+ (incl. Haiku 5.5) tokenizers count ~30% more tokens for the same text. */
  newTokenizer: boolean;
}

const m = (maxTokens: number, minCacheTokens: number, newTokenizer: boolean): SimModel => ({
  maxTokens,
  minCacheTokens,
  newTokenizer,
});

// Min cache lengths are from the facts' table. Not found there, so chosen here:
// Fable/Mythos 5.2 → 512 (like 5.1); Haiku 5.5 → 2048; Haiku 3 → 2048 (like Haiku 3.5).
// max_tokens caps are the usual synchronous caps (the 300K batch beta header is not modelled).
const MODELS: Readonly<Record<string, SimModel>> = {
  "claude-fable-5-2": m(128_000, 512, true),
  "claude-mythos-5-2": m(128_000, 512, true),
  "claude-haiku-5-5": m(64_000, 2048, true),
  "claude-sonnet-5-5": m(64_000, 512, true),
  "claude-fable-5-1": m(128_000, 512, true),
  "claude-mythos-5-1": m(128_000, 512, true),
  "claude-opus-5-5": m(128_000, 512, true),
  "claude-sonnet-5": m(64_000, 1024, true),
  "claude-fable-5": m(128_000, 512, true),
  "claude-mythos-5": m(128_000, 512, true),
  "claude-opus-5": m(128_000, 512, true),
  "claude-opus-4-8": m(128_000, 1024, true),
  "claude-opus-4-7": m(128_000, 2048, true),
  "claude-mythos-preview": m(128_000, 2048, true),
  "claude-opus-4-6": m(128_000, 4096, false),
  "claude-sonnet-4-6": m(64_000, 1024, false),
  "claude-opus-4-5": m(64_000, 4096, false),
  "claude-opus-4-5-20251101": m(64_000, 4096, false),
  "claude-sonnet-4-5": m(64_000, 1024, false),
  "claude-sonnet-4-5-20250929": m(64_000, 1024, false),
  "claude-haiku-4-5": m(64_000, 4096, false),
  "claude-haiku-4-5-20251001": m(64_000, 4096, false),
  "claude-opus-4-1": m(32_000, 1024, false),
  "claude-opus-4-1-20250805": m(32_000, 1024, false),
  "claude-opus-4-20250514": m(32_000, 1024, false),
  "claude-sonnet-4-20250514": m(64_000, 1024, false),
  "claude-3-5-haiku-20241022": m(8_192, 2048, false),
  "claude-3-haiku-20240307": m(4_096, 2048, false),
};

/** Looks a model up by its API id; `undefined` when the simulator does not know it. */
export function findModel(id: string): SimModel | undefined {
  return Object.hasOwn(MODELS, id) ? MODELS[id] : undefined;
}

/** Every model id the simulator accepts. */
export function knownModelIds(): string[] {
  return Object.keys(MODELS);
}
