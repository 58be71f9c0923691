/**
 * The local result cache (`.batcheval/cache/` by default). A content hash of the exact request
 * (model and params), the sample index and where it was answered keys each entry, so a CI rerun
 * pays only for what changed, and a simulated answer is never replayed into a real run
 * (docs/design.md, decision 3). Only succeeded results are cached. No credentials are stored.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { MessageBatchSucceededResult } from "@anthropic-ai/sdk/resources/messages/batches";
import type { MessageCreateParamsNonStreaming } from "@anthropic-ai/sdk/resources/messages/messages";
import { writeFileAtomic } from "./run-store.js";

/** JSON with object keys sorted, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export interface CacheKeyInput {
  /** `sim:<fixtures hash>` or the API base URL. */
  origin: string;
  params: MessageCreateParamsNonStreaming;
  /** 0-based sample index: repeats are distinct samples. */
  repeat: number;
}

/** The cache key of a request: a SHA-256 of its canonical form. */
export function cacheKey({ origin, params, repeat }: CacheKeyInput): string {
  return createHash("sha256")
    .update(canonicalJson({ v: 1, origin, params, repeat }))
    .digest("hex");
}

interface CacheEntry {
  key: string;
  storedAt: string;
  result: MessageBatchSucceededResult;
}

export class ResultCache {
  private constructor(private readonly dir: string) {}

  static open(dir: string): ResultCache {
    return new ResultCache(dir);
  }

  private path(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** The cached result, or undefined (a missing or unreadable entry is a miss). */
  async get(key: string): Promise<MessageBatchSucceededResult | undefined> {
    try {
      const entry = JSON.parse(await readFile(this.path(key), "utf8")) as CacheEntry;
      return entry.key === key && entry.result.type === "succeeded" ? entry.result : undefined;
    } catch {
      return undefined;
    }
  }

  async put(key: string, result: MessageBatchSucceededResult, now: Date): Promise<void> {
    await mkdir(join(this.dir, key.slice(0, 2)), { recursive: true });
    const entry: CacheEntry = { key, storedAt: now.toISOString(), result };
    await writeFileAtomic(this.path(key), JSON.stringify(entry));
  }
}
