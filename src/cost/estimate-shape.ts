/**
 * The prompt shape of a compiled request, for the pre-flight estimate (docs/design.md, "Data
 * flow", step "estimate"). Token counts are estimates from the text length, never billed: cost
 * always comes from the usage the API returns (docs/design.md, decision 6). Pure.
 *
 * Tokens of a text: see compile/token-estimate.ts.
 */
import { createHash, type Hash } from "node:crypto";
import { minCacheableTokens } from "../compile/cache-checks.js";
import { estimateTextTokens } from "../compile/token-estimate.js";
import type { CompiledRequest } from "../compile/types.js";

export { estimateTextTokens, tokenizerFactor } from "../compile/token-estimate.js";

/** Cache TTL of a breakpoint. */
export type CacheTtl = "5m" | "1h";

/**
 * Prompt shape of one request: estimated tokens of the cacheable prefix (tools + system blocks
 * up to and including the last block with `cache_control`; 0 when none), its TTL and a key
 * identifying the exact prefix text, the tokens after it, and max_tokens.
 */
export interface PromptShape {
  /** sha256 (first 16 hex digits) of the exact prefix text; undefined without a breakpoint. */
  prefixKey: string | undefined;
  prefixTokens: number;
  /** The breakpoint's TTL (`5m` when its cache_control names none); undefined without one. */
  ttl: CacheTtl | undefined;
  /** System blocks after the breakpoint and every message (tools too, when nothing is cached). */
  restTokens: number;
  maxOutputTokens: number;
}

/** A block as far as the estimate cares: its text and its cache marker. */
interface BlockLike {
  text?: unknown;
  cache_control?: { ttl?: unknown } | null;
}

/**
 * The prompt shape of `request`. Only explicit breakpoints on system blocks (what the compiler
 * writes) or, failing those, on tools count; top-level automatic caching, which would put the
 * breakpoint on the last message, is treated as uncached.
 */
export function promptShape(request: CompiledRequest): PromptShape {
  const { params, model } = request;
  const tools = (params.tools ?? []) as readonly BlockLike[];
  const system: readonly BlockLike[] =
    typeof params.system === "string"
      ? [{ text: params.system }]
      : ((params.system ?? []) as BlockLike[]);
  const systemBreak = lastMarked(system);
  // A system breakpoint caches every tool before it; without one, a tool breakpoint may.
  const toolBreak = systemBreak >= 0 ? tools.length - 1 : lastMarked(tools);
  const restChars =
    jsonChars(tools.slice(toolBreak + 1)) +
    joinedChars(system.slice(systemBreak + 1).map(blockText)) +
    params.messages.reduce((n, m) => n + contentChars(m.content), 0);
  const restTokens = estimateTextTokens(restChars, model);
  const maxOutputTokens = params.max_tokens;
  if (systemBreak < 0 && toolBreak < 0) {
    return { prefixKey: undefined, prefixTokens: 0, ttl: undefined, restTokens, maxOutputTokens };
  }
  const prefixTools = tools.slice(0, toolBreak + 1);
  const prefixSystem = system.slice(0, systemBreak + 1).map(blockText);
  const toolsText = prefixTools.length === 0 ? "" : JSON.stringify(prefixTools);
  const breakpoint = systemBreak >= 0 ? system[systemBreak] : tools[toolBreak];
  return {
    prefixKey:
      toolsText === "" && typeof params.system === "object"
        ? systemPrefixKey(params.system, systemBreak, prefixSystem)
        : prefixKeyOf(toolsText, prefixSystem),
    prefixTokens: estimateTextTokens(toolsText.length + joinedChars(prefixSystem), model),
    ttl: breakpoint?.cache_control?.ttl === "1h" ? "1h" : "5m",
    restTokens,
    maxOutputTokens,
  };
}

/** Whether a request's shape can use the cache on its model (a prefix at or above the minimum). */
export function isCacheable(shape: PromptShape, model: string): boolean {
  return shape.prefixKey !== undefined && shape.prefixTokens >= minCacheableTokens(model);
}

/** A prefix that several requests of one model share. */
export interface SharedPrefix {
  key: string;
  tokens: number;
  /** How many requests carry it. */
  requests: number;
  ttl: CacheTtl;
  /** Suites whose requests carry it, in first-seen order. */
  suites: string[];
  /** custom_id of the first request carrying it: the natural warm-up request. */
  firstCustomId: string;
}

/**
 * The cacheable prefixes of one model's requests (at or above the model's minimum), each with
 * the number of requests that carry it, in first-seen order; `shapes[i]` belongs to
 * `requests[i]`. Includes prefixes carried by a single request (callers filter on `requests`).
 */
export function groupPrefixes(
  requests: readonly CompiledRequest[],
  shapes: readonly PromptShape[],
): SharedPrefix[] {
  const groups = new Map<string, SharedPrefix>();
  requests.forEach((request, i) => {
    const shape = shapes[i];
    if (shape === undefined || !isCacheable(shape, request.model)) return;
    const key = shape.prefixKey ?? "";
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, {
        key,
        tokens: shape.prefixTokens,
        requests: 1,
        ttl: shape.ttl ?? "5m",
        suites: [request.suite],
        firstCustomId: request.customId,
      });
      return;
    }
    group.requests += 1;
    if (!group.suites.includes(request.suite)) group.suites.push(request.suite);
  });
  return [...groups.values()];
}

function lastMarked(blocks: readonly BlockLike[]): number {
  return blocks.findLastIndex((b) => b.cache_control !== undefined && b.cache_control !== null);
}

function blockText(block: BlockLike): string {
  return typeof block.text === "string" ? block.text : JSON.stringify(block);
}

/** Characters of texts joined with one separator between each, as compile's cachePrefix does. */
function joinedChars(texts: readonly string[]): number {
  return texts.reduce((n, t) => n + t.length, 0) + Math.max(0, texts.length - 1);
}

function jsonChars(blocks: readonly unknown[]): number {
  return blocks.length === 0 ? 0 : JSON.stringify(blocks).length;
}

/** Characters of a message's content: text as is, other blocks as their JSON. */
function contentChars(content: unknown): number {
  if (typeof content === "string") return content.length;
  if (!Array.isArray(content)) return 0;
  return content.reduce<number>((n, block: BlockLike) => n + blockText(block).length, 0);
}

/**
 * Prefix keys of system arrays with no tools before them, by the array and the breakpoint's
 * index. Requests that share a system prefix share its array (compile/build-request.ts), so a
 * suite's prefix is hashed once, not once per request. Weak: an array forgotten is let go.
 */
const systemKeys = new WeakMap<object, Map<number, string>>();

function systemPrefixKey(system: object, end: number, texts: readonly string[]): string {
  let byEnd = systemKeys.get(system);
  if (byEnd === undefined) {
    byEnd = new Map();
    systemKeys.set(system, byEnd);
  }
  let key = byEnd.get(end);
  if (key === undefined) {
    key = prefixKeyOf("", texts);
    byEnd.set(end, key);
  }
  return key;
}

/** Key of the exact prefix text (tools JSON, then the system texts joined with newlines). */
function prefixKeyOf(toolsText: string, systemTexts: readonly string[]): string {
  const hash: Hash = createHash("sha256").update(toolsText);
  systemTexts.forEach((text, i) => {
    if (i > 0) hash.update("\n");
    hash.update(text);
  });
  return hash.digest("hex").slice(0, 16);
}
