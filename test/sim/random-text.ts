/** Seeded random text for the property tests of the rule index and the literal matcher. */

/** mulberry32: a small seeded generator, so a failure names a seed that reproduces it. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

// A small alphabet, so literals overlap, share prefixes and sit inside each other; with
// accents, an astral character (a surrogate pair), a lone surrogate and both cases.
const PIECES = ["a", "b", "ab", "ba", "A", " ", "é", "e\u0301", "😀", "\ud83d", "\n", "Ω"];

/** A string of up to `max` pieces of the alphabet above. */
export function text(rand: () => number, max: number): string {
  let out = "";
  const length = Math.floor(rand() * (max + 1));
  for (let i = 0; i < length; i++) out += PIECES[Math.floor(rand() * PIECES.length)];
  return out;
}
