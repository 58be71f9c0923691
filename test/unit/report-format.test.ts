import { describe, expect, it } from "vitest";
import { formatUsd } from "../../src/report/format.js";

describe("formatUsd", () => {
  it.each([
    [0, "$0"],
    [0.000123456, "$0.000123"],
    [0.25, "$0.250"],
    [1, "$1.00"],
    [369.9, "$369.90"],
    [12_500, "$12,500.00"],
    [1_234_567.891, "$1,234,567.89"],
  ])("%d is %s", (amount, text) => {
    expect(formatUsd(amount)).toBe(text);
  });
});
