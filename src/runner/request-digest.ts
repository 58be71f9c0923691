/**
 * Cheap fingerprints of requests. The requests of a suite share one system-blocks array (see
 * compile/build-request.ts), often thousands of tokens long: it is serialized and hashed once
 * per array (memoized by identity), and each request adds only its own, short part. Equal
 * content gives equal fingerprints whether or not the arrays are shared, since the memo only
 * saves recomputing the same value.
 */
import { hash } from "node:crypto";
import type { MessageCreateParamsNonStreaming } from "@anthropic-ai/sdk/resources/messages/messages";

/**
 * JSON with object keys sorted, so equal values always give equal text: what
 * `JSON.stringify` gives for plain data (undefined members left out, undefined in a list as
 * null), with the keys of every object in code-unit order. Written out rather than through
 * a `JSON.stringify` replacer, which builds a sorted copy of every object on the way.
 */
export function canonicalJson(value: unknown): string {
  return canonical(value) ?? "null";
}

function canonical(value: unknown): string | undefined {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
    return canonical((value as { toJSON: () => unknown }).toJSON());
  }
  // Built by appending, not through arrays of parts and joins: this runs on every request.
  if (Array.isArray(value)) {
    let text = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) text += ",";
      text += canonical(value[i]) ?? "null";
    }
    return `${text}]`;
  }
  const keys = sortedKeys(Object.keys(value));
  let text = "{";
  for (const key of keys) {
    const item = canonical((value as Record<string, unknown>)[key]);
    if (item === undefined) continue;
    if (text.length > 1) text += ",";
    text += `${JSON.stringify(key)}:${item}`;
  }
  return `${text}}`;
}

/**
 * The keys in code-unit order, as `Array.prototype.sort` orders strings. A request's objects
 * have a handful of keys: those are sorted in place by insertion, which allocates nothing
 * (`sort` allocates a work array each call, some 50 MB over 30,000 requests).
 */
function sortedKeys(keys: string[]): string[] {
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    for (; j >= 0 && (keys[j] as string) > key; j--) keys[j + 1] = keys[j] as string;
    keys[j + 1] = key;
  }
  return keys;
}

const systemDigests = new WeakMap<object, string>();

/** SHA-256 (hex) of the canonical JSON of a request's `system` (any value, absent included). */
function systemDigest(system: unknown): string {
  const cacheable = typeof system === "object" && system !== null;
  const known = cacheable ? systemDigests.get(system) : undefined;
  if (known !== undefined) return known;
  const digest = hash("sha256", system === undefined ? "none" : canonicalJson(system), "hex");
  if (cacheable) systemDigests.set(system, digest);
  return digest;
}

/**
 * What identifies a request's params: the digest of its system prompt and the canonical JSON
 * of everything else (model, messages, max_tokens…), separated so neither can pass for the
 * other.
 */
export function paramsFingerprint(params: MessageCreateParamsNonStreaming): string {
  const { system, ...rest } = params;
  return `${systemDigest(system)}\u0000${canonicalJson(rest)}`;
}
