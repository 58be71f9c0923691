import { describe, expect, test } from "vitest";
import { LiteralMatcher } from "../../src/sim/literal-matcher.js";
import { random, text } from "./random-text.js";

describe("LiteralMatcher", () => {
  test("finds exactly the patterns that the text includes, each once", () => {
    const rand = random(99);
    for (let set = 0; set < 200; set++) {
      const patterns = [
        ...new Set(Array.from({ length: 1 + Math.floor(rand() * 30) }, () => text(rand, 5))),
      ].filter((p) => p !== "");
      const matcher = new LiteralMatcher(patterns);
      for (let q = 0; q < 30; q++) {
        const t = text(rand, 25);
        const found = matcher.matches(t);
        expect(new Set(found).size).toBe(found.length);
        expect(found.map((id) => patterns[id]).sort()).toEqual(
          patterns.filter((p) => t.includes(p)).sort(),
        );
      }
    }
  });

  test("grows past its first allocation", () => {
    const patterns = Array.from({ length: 3_000 }, (_, i) => `case-${i}-question`);
    const matcher = new LiteralMatcher(patterns);
    expect(matcher.matches("… case-2999-question …").map((id) => patterns[id])).toEqual([
      "case-2999-question",
    ]);
    expect(matcher.matches("case-1-question case-12-question").sort()).toEqual([1, 12]);
  });
});
