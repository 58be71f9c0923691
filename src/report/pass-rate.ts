/** Pass rates with a 95% Wilson score interval. Pure. */

const Z95 = 1.959963984540054;

/** The 95% Wilson interval of `passed` successes in `n` trials; [0, 1] when n is 0. */
export function wilsonInterval(passed: number, n: number): [number, number] {
  if (n === 0) return [0, 1];
  const p = passed / n;
  const z2 = Z95 * Z95;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const margin = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return [Math.max(0, centre - margin), Math.min(1, centre + margin)];
}

/** passed / n, or 0 when nothing was graded. */
export function passRate(passed: number, n: number): number {
  return n === 0 ? 0 : passed / n;
}
