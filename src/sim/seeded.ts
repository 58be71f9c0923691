/**
 * Deterministic hashing and pseudo-randomness. The simulator never calls `Math.random` for
 * anything that shows up in a response body, so the same inputs give the same answers.
 */
import { hash, randomBytes } from "node:crypto";

/** Hex SHA-256 of the parts joined by NUL bytes. */
export function digest(...parts: string[]): string {
  return hash("sha256", parts.join("\u0000"), "hex");
}

/** A number in [0, 1) derived from a hash of the parts: a seeded, stateless coin. */
export function unitHash(...parts: string[]): number {
  return Number.parseInt(digest(...parts).slice(0, 13), 16) / 2 ** 52;
}

/**
 * A quick 32-bit hash (FNV-1a) of `text`, continuing from `seed`: for shuffling, where a
 * cryptographic hash would be wasted. Not for seeded draws (see unitHash).
 */
export function quickHash(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A small seeded PRNG (mulberry32): returns a function yielding numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Random bytes already mapped to ALPHABET's character codes, 22 per id. */
let pool = Buffer.alloc(0);
let poolOffset = 0;

/** An opaque id in the API's style, e.g. `msgbatch_01…`, `msg_01…`, `req_01…`. */
export function newId(prefix: "msgbatch" | "msg" | "req" | "toolu"): string {
  if (poolOffset + 22 > pool.length) {
    pool = randomBytes(22 * 512); // one syscall for many ids
    for (let i = 0; i < pool.length; i++) {
      pool[i] = ALPHABET.charCodeAt((pool[i] ?? 0) % ALPHABET.length);
    }
    poolOffset = 0;
  }
  const body = pool.toString("latin1", poolOffset, poolOffset + 22);
  poolOffset += 22;
  return `${prefix}_01${body}`;
}
