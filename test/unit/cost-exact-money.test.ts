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
