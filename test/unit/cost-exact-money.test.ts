import { describe, expect, it } from "vitest";
import {
  divideExact,
  femtoToUsd,
  priceTextProblem,
  priceTextToFemto,
  usdToFemto,
} from "../../src/cost/exact-money.js";

describe("exact money", () => {
  it.each([
    ["1", 1_000_000_000n],
    ["0.10", 100_000_000n],
    ["0.125", 125_000_000n],
    ["0.0001", 100_000n],
    ["12.50", 12_500_000_000n],
    ["0.000125", 125_000n], // a defaulted 1.25× of 0.0001
  ])("price %s USD/MTok is %s femto-USD per token", (text, femto) => {
    expect(priceTextToFemto(text)).toBe(femto);
  });

  it.each([
    ["0.10", undefined],
    ["999999.9999", undefined],
    ["0.00001", "0.00001 has more than 4 decimal places"],
    ["1000000", "1000000 is too large for a price per million tokens"],
    ["1e-3", '"1e-3" is not a plain non-negative decimal number'],
    ["-1", '"-1" is not a plain non-negative decimal number'],
  ])("price text %s: %s", (text, problem) => {
    expect(priceTextProblem(text)).toBe(problem);
  });

  it.each([
    [0n, 0],
    [50_000_000n, 5e-8],
    [2_420_000_000n, 0.00000242],
    [1_234_567_890_123_456_789n, 1234.567890123457],
  ])("%s femto-USD is %s USD", (femto, usd) => {
    expect(femtoToUsd(femto)).toBe(usd);
  });

  it("gives the double nearest to the decimal amount, as parsing its whole decimal text does", () => {
    // The text the amount was first converted through: digits with the point 15 places in.
    const viaDecimal = (femto: bigint): number => {
      const digits = (femto < 0n ? -femto : femto).toString().padStart(16, "0");
      const text = `${digits.slice(0, -15)}.${digits.slice(-15)}`;
      return (femto < 0n ? -1 : 1) * Number(text);
    };
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return BigInt(seed);
    };
    for (let i = 0; i < 5_000; i++) {
      // Amounts from 1 to about 10^24 femto-USD (a billion dollars), and some negative.
      const femto = (next() * next() * next() + next()) * (i % 7 === 0 ? -1n : 1n);
      expect(femtoToUsd(femto)).toBe(viaDecimal(femto));
    }
    expect(femtoToUsd(-50_000_000n)).toBe(-5e-8);
  });

  it.each([
    [5e-8, 50_000_000n],
    [1.5e-7, 150_000_000n],
    [0.0242, 24_200_000_000_000n],
    [1e-16, 0n],
    [5e-16, 1n],
    [12, 12_000_000_000_000_000n],
  ])("%s USD back to %s femto-USD", (usd, femto) => {
    expect(usdToFemto(usd)).toBe(femto);
  });

  it("refuses a division that would lose money", () => {
    expect(divideExact(30n, 10n)).toBe(3n);
    expect(() => divideExact(31n, 10n)).toThrow("Inexact money arithmetic");
  });
});
