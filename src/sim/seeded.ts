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
  // The digest's first 13 hex digits (52 bits), read from its bytes.
  const bytes = hash("sha256", parts.join("\u0000"), "buffer");
  return (bytes.readUIntBE(0, 6) * 16 + ((bytes[6] ?? 0) >> 4)) / 2 ** 52;
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

let pool = Buffer.alloc(0);
let poolOffset = 0;

/** An opaque id in the API's style, e.g. `msgbatch_01…`, `msg_01…`, `req_01…`. */
export function newId(prefix: "msgbatch" | "msg" | "req" | "toolu"): string {
  if (poolOffset + 22 > pool.length) {
    pool = randomBytes(22 * 512); // one syscall for many ids
    poolOffset = 0;
  }
  let body = "";
  for (let i = 0; i < 22; i++) body += ALPHABET[(pool[poolOffset + i] ?? 0) % ALPHABET.length];
  poolOffset += 22;
  return `${prefix}_01${body}`;
}
