/**
 * Prompt caching as the API bills it. A breakpoint (`cache_control`) keys a cache entry by the
 * model and the hash of every block up to and including it (tools → system → messages). For one
 * request, the longest live, visible prefix found by looking back from each breakpoint (up to
 * 20 blocks) is read; every breakpoint after it is written, its segment billed to the 5m or 1h bucket of its TTL. Prefixes shorter than
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

/** The prompt up to and including block `index`. */
interface Prefix {
  index: number;
  key: string;
  prefixTokens: number;
  ttl: CacheTtl | null;
}

/** A prefix that ends on a `cache_control` block. */
type Breakpoint = Prefix & { ttl: CacheTtl };

/** How many blocks (the breakpoint included) a breakpoint searches back for an entry. */
export const LOOKBACK_BLOCKS = 20;

const TTL_MS: Record<CacheTtl, number> = { "5m": 5 * 60_000, "1h": 60 * 60_000 };

/** The simulator-wide prompt cache (one "workspace"). */
export class PromptCache {
  private readonly entries = new Map<string, CacheEntry>();

  /** Computes a request's caching usage and records its writes and reads. */
  account(request: SimRequest, ctx: CacheContext): CacheUsage {
    const total = request.blocks.reduce((sum, b) => sum + b.tokens, 0);
    const prefixes = blockPrefixes(request);
    const points = prefixes.filter(
      (p): p is Breakpoint => p.ttl !== null && p.prefixTokens >= request.spec.minCacheTokens,
    );
    const hit = this.findHit(prefixes, points, ctx);
    const read = hit ? hit.prefixTokens : 0;
    if (hit) this.refresh(hit.key, ctx.now);
    const buckets = { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 };
    let covered = read;
    for (const point of points.filter((p) => p.index > (hit?.index ?? -1))) {
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

  /**
   * The longest readable prefix: each breakpoint looks back over itself and the
   * {@link LOOKBACK_BLOCKS} − 1 blocks before it for an entry an earlier request wrote.
   */
  private findHit(prefixes: Prefix[], points: Breakpoint[], ctx: CacheContext): Prefix | undefined {
    let best: Prefix | undefined;
    for (const point of points) {
      for (let j = point.index; j > point.index - LOOKBACK_BLOCKS && j >= 0; j--) {
        const prefix = prefixes[j];
        if (prefix && (!best || j > best.index) && this.readable(prefix.key, ctx)) {
          best = prefix;
          break;
        }
      }
    }
    return best;
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

/**
 * `digest(hash, fingerprint)`, remembered: the requests of a batch share their leading blocks
 * (the same system prompt), so the same links of the chain come up once per request. Bounded:
 * cleared when it holds many links.
 */
const links = new Map<string, Map<string, string>>();

function chained(hash: string, fingerprint: string): string {
  let next = links.get(hash);
  if (next === undefined) {
    if (links.size >= 10_000) links.clear();
    next = new Map();
    links.set(hash, next);
  }
  let linked = next.get(fingerprint);
  if (linked === undefined) {
    linked = digest(hash, fingerprint);
    if (next.size < 10_000) next.set(fingerprint, linked);
  }
  return linked;
}

/**
 * A hash of a request's whole prompt (model, tools, system, messages; cache markers left out),
 * chained as the cache keys are, so the shared leading blocks cost a lookup, not a hash.
 */
export function promptHash(request: SimRequest): string {
  let hash = chained("model", request.model);
  for (const block of request.blocks) hash = chained(hash, block.fingerprint);
  return hash;
}

/** Every prefix up to the last breakpoint, with its cumulative size and hash key. */
function blockPrefixes(request: SimRequest): Prefix[] {
  const prefixes: Prefix[] = [];
  const last = request.blocks.findLastIndex((b) => b.ttl !== null);
  let hash = chained("model", request.model);
  let tokens = 0;
  for (const [index, block] of request.blocks.slice(0, last + 1).entries()) {
    hash = chained(hash, block.fingerprint);
    tokens += block.tokens;
    prefixes.push({ index, key: hash, prefixTokens: tokens, ttl: block.ttl });
  }
  return prefixes;
}
