/** Writes gathered from pieces of text: the same bytes as the text joined, in few writes. */
import { describe, expect, it } from "vitest";
import { gathered } from "../../src/runner/run-store.js";

const joined = (chunks: Iterable<Uint8Array>) => Buffer.concat([...chunks]).toString("utf8");

describe("gathered", () => {
  it("encodes every piece once, into writes of about a megabyte", () => {
    const pieces: string[] = [];
    for (let i = 0; i < 100_000; i++) pieces.push(`{"i":${i},"t":"café 😀 日本"}`, ",");
    const chunks = [...gathered(pieces)];
    expect(joined(chunks)).toBe(pieces.join(""));
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeGreaterThan(1_000_000);
  });

  it("writes a piece larger than a write on its own, between the others", () => {
    const pieces = ["a", "é".repeat(700_000), "x", "😀".repeat(200_000), "", "z"];
    const chunks = [...gathered(pieces)];
    expect(joined(chunks)).toBe(pieces.join(""));
    expect(chunks.map((c) => c.length)).toEqual([1, 1_400_000, 1, 800_000, 1]);
  });

  it("yields nothing for no text", () => {
    expect([...gathered([])]).toEqual([]);
    expect([...gathered(["", ""])]).toEqual([]);
  });

  it("copies pieces that are bytes as they are, between text, small or large", () => {
    const big = Buffer.from("é".repeat(600_000));
    const pieces = ["a", Buffer.from("😀 b"), "c", big, Buffer.alloc(0), "z"];
    const chunks = [...gathered(pieces)];
    const text = (p: string | Uint8Array) =>
      typeof p === "string" ? p : Buffer.from(p).toString();
    expect(joined(chunks)).toBe(pieces.map(text).join(""));
    expect(chunks.map((c) => c.length)).toEqual([8, 1_200_000, 1]);
  });
});
