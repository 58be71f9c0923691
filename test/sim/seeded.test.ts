import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { digest, newId, unitHash } from "../../src/sim/seeded.js";

/** The draws as first defined: the first 13 hex digits of the SHA-256 of the NUL-joined parts. */
function reference(...parts: string[]): number {
  const hex = createHash("sha256").update(parts.join("\u0000")).digest("hex");
  return Number.parseInt(hex.slice(0, 13), 16) / 2 ** 52;
}

describe("seeded draws", () => {
  it("digest is the hex SHA-256 of the parts joined by NUL", () => {
    const expected = createHash("sha256").update("a\u0000bé\u0000").digest("hex");
    expect(digest("a", "bé", "")).toBe(expected);
  });

  it("unitHash reads the digest's first 52 bits, so seeded runs draw as they always did", () => {
    const samples = Array.from({ length: 2_000 }, (_, i) => ["42", "cache-miss", `request ${i}`]);
    for (const parts of samples) expect(unitHash(...parts)).toBe(reference(...parts));
    const draws = samples.map((parts) => unitHash(...parts));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    // Spread over [0, 1): about half below 0.5.
    const low = draws.filter((d) => d < 0.5).length;
    expect(low).toBeGreaterThan(900);
    expect(low).toBeLessThan(1_100);
  });

  it("newId gives distinct ids in the API's style", () => {
    const ids = Array.from({ length: 3_000 }, () => newId("msg"));
    for (const id of ids) expect(id).toMatch(/^msg_01[0-9A-Za-z]{22}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Every character of the alphabet comes up.
    expect(new Set(ids.flatMap((id) => [...id.slice(6)])).size).toBe(62);
  });
});
