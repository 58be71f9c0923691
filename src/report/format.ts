/** Number formatting shared by the renderers. Pure. */

/** `0.875` → `87.5%`. */
export function formatPercent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

/** USD with enough digits to tell small batch costs apart: `$0.000123`, `$1.23`, `$12,500.00`. */
export function formatUsd(amount: number): string {
  if (amount === 0) return "$0";
  if (amount >= 1) {
    return `$${amount.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  }
  return `$${amount.toPrecision(3)}`;
}

/** `1234567` → `1,234,567`. */
export function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}

/** `[0.61, 0.93]` → `61–93%`. */
export function formatInterval([lo, hi]: readonly [number, number]): string {
  return `${Math.round(lo * 100)}–${Math.round(hi * 100)}%`;
}

/** A plain-text table: the first column left-aligned, the others right-aligned (numbers). */
export function textTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}
