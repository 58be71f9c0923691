/**
 * Compile-time checks of prompt caching. Two mistakes are reported, never silently accepted
 * (DESIGN.md "Batch mechanics"): a prefix that varies across a suite's cases, which breaks the
 * cache, and a prefix shorter than the model's minimum cacheable length, which the API silently
 * does not cache.
 */
import type { Diagnostic, EvalCase } from "../suite/types.js";
import { cachePrefix } from "./build-request.js";
import { estimateTextTokens } from "./token-estimate.js";

/** Minimum cacheable prefix in tokens, by model id prefix (anthropic-api.md (e)). */
const MIN_CACHEABLE: readonly [prefix: string, tokens: number][] = [
  ["claude-haiku-4-5", 4096],
  ["claude-opus-4-5", 4096],
  ["claude-opus-4-6", 4096],
  ["claude-opus-4-7", 2048],
  ["claude-mythos-preview", 2048],
  ["claude-haiku-5-5", 2048], // not published; the conservative value
  ["claude-opus-4-8", 1024],
  ["claude-sonnet-4-5", 1024],
  ["claude-sonnet-4-6", 1024],
  ["claude-sonnet-5-5", 512],
  ["claude-opus-5-5", 512],
  ["claude-sonnet-5", 1024],
  ["claude-opus-5", 512],
  ["claude-fable-5", 512],
  ["claude-mythos-5", 512],
];

/** The model's minimum cacheable prefix, in tokens (1024 when the model is not listed). */
export function minCacheableTokens(model: string): number {
  return MIN_CACHEABLE.find(([prefix]) => model.startsWith(prefix))?.[1] ?? 1024;
}

/** Warnings about one suite's shared prefix on the given models. */
export function checkCachePrefix(
  cases: readonly EvalCase[],
  models: readonly string[],
): Diagnostic[] {
  const prefixes = cases.map((c) => ({ c, prefix: cachePrefix(c) }));
  const marked = prefixes.filter((p) => p.prefix !== undefined);
  const first = marked[0];
  if (first === undefined) return [];
  const warnings: Diagnostic[] = [];
  const differing = marked.find((p) => p.prefix !== first.prefix);
  if (differing !== undefined) {
    warnings.push({
      ...differing.c.source,
      severity: "warning",
      message: `the cached prefix of case "${differing.c.caseId}" differs from case "${first.c.caseId}", so cases cannot share one cache entry`,
      hint: "keep {{vars}} out of the system blocks up to the `cache:` block, or move the cache marker earlier",
    });
  }
  for (const model of models) {
    // The newer tokenizers count more tokens for the same text, so the estimate is per model.
    const tokens = estimateTextTokens((first.prefix ?? "").length, model);
    const minimum = minCacheableTokens(model);
    if (tokens >= minimum) continue;
    warnings.push({
      ...first.c.source,
      severity: "warning",
      message: `the cached prefix is about ${tokens} tokens, below ${model}'s minimum of ${minimum}: it will not be cached on that model`,
      hint: "remove the `cache:` marker for short prompts, or put more shared context before it",
    });
  }
  return warnings;
}
