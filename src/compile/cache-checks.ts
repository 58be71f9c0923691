/**
 * Compile-time checks of prompt caching. Three mistakes are reported as warnings, never
 * silently accepted: a prefix that varies across a suite's cases, which breaks the cache; a
 * prefix shorter than the model's minimum cacheable length, which the API silently does not
 * cache; and a 5-minute breakpoint, which a batch can outlive.
 */
import { findModelSpec } from "../models/model-table.js";
import type { Diagnostic } from "../source/types.js";
import type { EvalCase } from "../suite/types.js";
import { cachePrefix } from "./build-request.js";
import { estimateTextTokens } from "./token-estimate.js";

/** Used for a model the model table does not know (e.g. one added under `pricing:`). */
const DEFAULT_MIN_CACHEABLE = 1024;

/**
 * The model's minimum cacheable prefix in tokens, from the model table (src/models/model-table.ts);
 * 1024 for a model the table does not know.
 */
export function minCacheableTokens(model: string): number {
  return findModelSpec(model)?.minCacheTokens ?? DEFAULT_MIN_CACHEABLE;
}

/**
 * The vars whose values differ between two cases, and whose value in case `a` is in a's prefix
 * but not in b's: the likely reason a prefix meant to be shared is not.
 */
function varsIn(a: { c: EvalCase; prefix: string }, b: { c: EvalCase; prefix: string }): string[] {
  const text = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));
  return Object.keys(a.c.vars).filter((name) => {
    const value = text(a.c.vars[name]);
    return (
      value !== "" &&
      value !== text(b.c.vars[name]) &&
      a.prefix.includes(value) &&
      !b.prefix.includes(value)
    );
  });
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
  const warnings: Diagnostic[] = fiveMinuteWarning(first.c);
  const differing = marked.find((p) => p.prefix !== first.prefix);
  if (differing !== undefined) {
    const culprits = varsIn(
      { c: differing.c, prefix: differing.prefix ?? "" },
      { c: first.c, prefix: first.prefix ?? "" },
    );
    const because =
      culprits.length === 0
        ? ""
        : ` (it holds ${culprits.map((v) => `{{${v}}}`).join(", ")}, which differ)`;
    warnings.push({
      ...differing.c.source,
      severity: "warning",
      message: `the cached prefix of case "${differing.c.caseId}" differs from case "${first.c.caseId}"${because}, so cases cannot share one cache entry`,
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

/**
 * A `cache: 5m` breakpoint in a batch suite: a batch can take longer than five minutes, so the
 * entry may expire before the requests that share it read it, and no warm-up is run for it.
 */
function fiveMinuteWarning(evalCase: EvalCase): Diagnostic[] {
  const block = evalCase.system.find((b) => b.cache !== undefined);
  if (block?.cache !== "5m") return [];
  return [
    {
      ...(block.source ?? evalCase.source),
      severity: "warning",
      message:
        "`cache: 5m` in a batch suite: a batch can take longer than five minutes, so the entry may expire before the requests that share it read it (no warm-up is run for a 5m prefix)",
      hint: "use `cache: 1h`, the batch default (`cache: true` means 1h)",
    },
  ];
}
