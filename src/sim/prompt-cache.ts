/**
 * Prompt caching as the API bills it. A breakpoint (`cache_control`) keys a cache entry by the
 * model and the hash of every block up to and including it (tools → system → messages). For one
 * request, the highest breakpoint with a live, visible entry is read; every breakpoint after
 * it is written, its segment billed to the 5m or 1h bucket of its TTL. Prefixes shorter than
 * the model's minimum are silently not cached. `input_tokens` is what remains.
 *
 * Visibility models the API's "readable only after the writer's response began": an entry is
 * readable by anyone once written, except by requests of the writer's own batch, which run
 * concurrently with it; for those the caller decides (best effort, see `sameBatchVisible`).
 */
import { digest } from "./seeded.js";
import type { CacheTtl, SimRequest } from "./sim-request.js";

/** Usage fields produced by caching. */
export interface CacheUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

/** Who is asking, and when. */
export interface CacheContext {
  /** Simulated time of the request's start (epoch ms). */
  now: number;
  /** The batch the request belongs to, or null for synchronous requests. */
  batchId: string | null;
  /** Whether entries written earlier by the same batch are readable for this request. */
  sameBatchVisible: boolean;
}

interface CacheEntry {
  writerBatch: string | null;
  expiresAt: number;
  ttlMs: number;
}

interface Breakpoint {
  key: string;
  prefixTokens: number;
  ttl: CacheTtl;
}

const TTL_MS: Record<CacheTtl, number> = { "5m": 5 * 60_000, "1h": 60 * 60_000 };

/** The simulator-wide prompt cache (one "workspace"). */
export class PromptCache {
  private readonly entries = new Map<string, CacheEntry>();

  /** Computes a request's caching usage and records its writes and reads. */
  account(request: SimRequest, ctx: CacheContext): CacheUsage {
    const total = request.blocks.reduce((sum, b) => sum + b.tokens, 0);
    const points = breakpoints(request).filter(
      (b) => b.prefixTokens >= request.spec.minCacheTokens,
    );
    let hitIndex = -1;
    for (let i = points.length - 1; i >= 0; i--) {
      if (this.readable(points[i]!.key, ctx)) {
        hitIndex = i;
        break;
      }
    }
    const hit = points[hitIndex];
    const read = hit ? hit.prefixTokens : 0;
    if (hit) this.refresh(hit.key, ctx.now);
    const buckets = { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 };
    let covered = read;
    for (const point of points.slice(hitIndex + 1)) {
      const segment = point.prefixTokens - covered;
      if (point.ttl === "1h") buckets.ephemeral_1h_input_tokens += segment;
      else buckets.ephemeral_5m_input_tokens += segment;
      covered = point.prefixTokens;
      this.write(point, ctx);
    }
    const written = buckets.ephemeral_5m_input_tokens + buckets.ephemeral_1h_input_tokens;
    return {
      input_tokens: total - covered,
      cache_creation_input_tokens: written,
      cache_read_input_tokens: read,
      cache_creation: buckets,
    };
  }

  private live(key: string, now: number): CacheEntry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private readable(key: string, ctx: CacheContext): boolean {
    const entry = this.live(key, ctx.now);
    if (!entry) return false;
    return ctx.batchId === null || entry.writerBatch !== ctx.batchId || ctx.sameBatchVisible;
  }

  /** A hit refreshes the entry's lifetime at no charge. */
  private refresh(key: string, now: number): void {
    const entry = this.entries.get(key);
    if (entry) entry.expiresAt = Math.max(entry.expiresAt, now + entry.ttlMs);
  }

  private write(point: Breakpoint, ctx: CacheContext): void {
    const ttlMs = TTL_MS[point.ttl];
    const existing = this.live(point.key, ctx.now);
    if (existing) {
      // A concurrent duplicate write: the first writer's entry stays, its lifetime extends.
      existing.expiresAt = Math.max(existing.expiresAt, ctx.now + ttlMs);
      existing.ttlMs = Math.max(existing.ttlMs, ttlMs);
      return;
    }
    this.entries.set(point.key, { writerBatch: ctx.batchId, expiresAt: ctx.now + ttlMs, ttlMs });
  }
}

/** The request's breakpoints with their cumulative prefix size and hash key. */
function breakpoints(request: SimRequest): Breakpoint[] {
  const points: Breakpoint[] = [];
  const last = request.blocks.findLastIndex((b) => b.ttl !== null);
  if (last === -1) return points;
  let hash = digest("model", request.model);
  let tokens = 0;
  for (const block of request.blocks.slice(0, last + 1)) {
    hash = digest(hash, block.fingerprint);
    tokens += block.tokens;
    if (block.ttl !== null) points.push({ key: hash, prefixTokens: tokens, ttl: block.ttl });
  }
  return points;
}
