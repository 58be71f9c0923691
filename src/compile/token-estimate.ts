/**
 * Token estimates from text length, for warnings and pre-flight estimates only: costs always
 * come from the usage the API returns. Pure.
 *
 * Tokens of a text = ceil(characters × tokenizerFactor / 4), computed in integers; the
 * simulator counts the same way. Which tokenizer a model has comes from the model table
 * (src/models/model-table.ts); an id the table does not know is judged by its version number.
 */
import { findModelSpec } from "../models/model-table.js";

/** Claude 4.7+ tokenizers, in tenths: the factor is `TOKENIZER_TENTHS / 10`. */
const NEW_TOKENIZER_TENTHS = 13;

/** `claude-<family>-<major>[-<minor>][-<yyyymmdd>]`; old ids (`claude-3-5-haiku-…`) do not match. */
const MODEL_ID = /^claude-([a-z]+)-(\d+)(?:-(\d{1,2}))?(?:-\d{8})?$/;

/**
 * Token multiplier of the model's tokenizer: 1.3 for Claude 4.7+ (Opus 4.7/4.8, Mythos Preview,
 * every 5.x incl. Haiku 5.5, as the model table says, and any later version), else 1.
 */
export function tokenizerFactor(model: string): number {
  return tokenizerTenths(model) / 10;
}

function tokenizerTenths(model: string): number {
  const row = findModelSpec(model);
  if (row !== undefined) return row.tokenizer === "claude-4.7" ? NEW_TOKENIZER_TENTHS : 10;
  if (model.startsWith("claude-mythos-preview")) return NEW_TOKENIZER_TENTHS;
  const match = MODEL_ID.exec(model);
  if (match === null) return 10;
  const major = Number(match[2]);
  const minor = Number(match[3] ?? "0");
  const newer = major > 4 || (major === 4 && minor >= 7);
  return newer ? NEW_TOKENIZER_TENTHS : 10;
}

/** Estimated tokens of `chars` characters of text on `model`: ceil(chars × factor / 4). */
export function estimateTextTokens(chars: number, model: string): number {
  return Math.ceil((chars * tokenizerTenths(model)) / 40);
}
