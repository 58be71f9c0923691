/**
 * The simulator's deterministic token estimate. It is not a real tokenizer: it only has to
 * grow with the text and be stable, so that cost and caching arithmetic are testable.
 *
 * - text: ceil(chars / 4) on older models; newer tokenizers (Claude 4.7+, Haiku 5.5, 5.x)
 *   count 30% more: ceil(chars × 1.3 / 4);
 * - every message adds {@link MESSAGE_OVERHEAD} tokens (role framing);
 * - non-text blocks (images, documents, tool blocks) count their JSON, images a flat
 *   {@link IMAGE_TOKENS}.
 */
import type { SimModel } from "./models.js";

/** Tokens added per message for the role framing. */
export const MESSAGE_OVERHEAD = 4;
/** Flat token count of an image block. */
export const IMAGE_TOKENS = 1_600;

/** Estimated tokens of a text for a model's tokenizer. */
export function countTextTokens(text: string, model: SimModel): number {
  const chars = text.length;
  return model.newTokenizer ? Math.ceil((chars * 13) / 40) : Math.ceil(chars / 4);
}

/** The longest prefix of `text` whose estimate is at most `maxTokens`. */
export function truncateToTokens(text: string, maxTokens: number, model: SimModel): string {
  let cut = model.newTokenizer ? Math.floor((maxTokens * 40) / 13) : maxTokens * 4;
  if (cut >= text.length) return text;
  // Never split a surrogate pair.
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return text.slice(0, cut);
}
