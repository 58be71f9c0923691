/**
 * The cost-vs-pass-rate charts of the HTML report, as inline SVG that reads without JavaScript:
 * one point per model with its 95% interval, the Pareto frontier (no other model is both
 * cheaper and better), and, on a suite's chart, that suite's threshold. A model's overall pass
 * rate is not held to any one threshold, so the overall chart has none; each suite gets a chart
 * of its own, with its own line, when there is more than one. Pure.
 */
import { formatInterval, formatPercent, formatUsd } from "./format.js";
import { escapeHtml } from "./html-escape.js";
import type { ModelSummary, Report } from "./types.js";

const WIDTH = 640;
const HEIGHT = 320;
const PAD = 64;

/** One model on a chart. */
export interface ChartPoint {
  label: string;
  cost: number;
  rate: number;
  interval: [number, number];
  passes: boolean;
}

/** Points that no other point beats on both cost and pass rate, cheapest first. */
export function frontier<T extends { cost: number; rate: number }>(points: readonly T[]): T[] {
  const sorted = [...points].sort((a, b) => a.cost - b.cost || b.rate - a.rate);
  const kept: T[] = [];
  for (const point of sorted) {
    const last = kept.at(-1);
    if (last === undefined || point.rate > last.rate) kept.push(point);
  }
  return kept;
}

/** Models that no other model beats on billed batch cost and pass rate, cheapest first. */
export function paretoFrontier(models: readonly ModelSummary[]): ModelSummary[] {
  return frontier(
    models.map((m) => ({ model: m, cost: m.cost.batchCached, rate: m.passRate })),
  ).map((p) => p.model);
}

/** The lowest pass rate a chart shows: a tenth below the lowest interval or threshold. */
function floorRate(points: readonly ChartPoint[], threshold: number | undefined): number {
  const lowest = Math.min(1, ...points.map((p) => p.interval[0]), threshold ?? 1);
  return Math.max(0, Math.floor((lowest - 0.1) * 10) / 10);
}

/** One chart; `threshold` draws the line a suite's pass rate must reach. */
export function renderChart(
  title: string,
  points: readonly ChartPoint[],
  threshold?: number,
): string {
  const maxCost = Math.max(...points.map((p) => p.cost), 1e-9) * 1.1;
  const low = floorRate(points, threshold);
  const x = (cost: number) => PAD + (cost / maxCost) * (WIDTH - 2 * PAD);
  const y = (rate: number) => HEIGHT - PAD - ((rate - low) / (1 - low || 1)) * (HEIGHT - 2 * PAD);
  const line = frontier(points)
    .map((p) => `${x(p.cost).toFixed(1)},${y(p.rate).toFixed(1)}`)
    .join(" ");
  // A label that would overprint the one before it (cheapest first) goes under its point.
  const placed: { lx: number; ly: number }[] = [];
  const labelY = (px: number, py: number): number => {
    const clash = (ly: number) =>
      placed.some((l) => Math.abs(l.lx - px) < 150 && Math.abs(l.ly - ly) < 14);
    const ly = clash(py - 10) ? py + 20 : py - 10;
    placed.push({ lx: px, ly });
    return ly;
  };
  const marks = [...points]
    .sort((a, b) => a.cost - b.cost)
    .map((p) => {
      const cx = x(p.cost).toFixed(1);
      const cy = y(p.rate).toFixed(1);
      const ly = labelY(Number(cx), Number(cy));
      const fill = p.passes ? "#1a7f37" : "#cf222e";
      const tip = `${p.label}: ${formatPercent(p.rate)} (95% CI ${formatInterval(p.interval)}) for ${formatUsd(p.cost)}`;
      return `<g class="point"><line x1="${cx}" x2="${cx}" y1="${y(p.interval[0]).toFixed(1)}" y2="${y(p.interval[1]).toFixed(1)}" stroke="${fill}" stroke-opacity="0.45" stroke-width="3"/><circle cx="${cx}" cy="${cy}" r="6" fill="${fill}"><title>${escapeHtml(tip)}</title></circle><text x="${cx}" y="${ly.toFixed(1)}" text-anchor="middle">${escapeHtml(p.label)} ${formatPercent(p.rate)} · ${formatUsd(p.cost)}</text></g>`;
    })
    .join("");
  const rateTicks = [low, (low + 1) / 2, 1]
    .map(
      (rate) =>
        `<text x="${PAD - 6}" y="${(y(rate) + 4).toFixed(1)}" text-anchor="end" class="tick">${Math.round(rate * 100)}%</text>`,
    )
    .join("");
  const costTicks = [0, maxCost / 2, maxCost]
    .map(
      (cost) =>
        `<text x="${x(cost).toFixed(1)}" y="${HEIGHT - PAD + 16}" text-anchor="middle" class="tick">${formatUsd(cost)}</text>`,
    )
    .join("");
  const limit =
    threshold === undefined
      ? ""
      : `<line class="threshold" x1="${PAD}" y1="${y(threshold).toFixed(1)}" x2="${WIDTH - PAD}" y2="${y(threshold).toFixed(1)}" stroke="#9a6700" stroke-dasharray="6 4"/>
<text x="${WIDTH - PAD}" y="${(y(threshold) + 14).toFixed(1)}" text-anchor="end" class="tick">threshold ${formatPercent(threshold)}</text>`;
  return `<figure class="chart"><figcaption>${escapeHtml(title)}</figcaption><svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(`${title}: pass rate against billed batch cost`)}">
<line x1="${PAD}" y1="${HEIGHT - PAD}" x2="${WIDTH - PAD}" y2="${HEIGHT - PAD}" stroke="#888"/>
<line x1="${PAD}" y1="${PAD}" x2="${PAD}" y2="${HEIGHT - PAD}" stroke="#888"/>
${rateTicks}${costTicks}${limit}
<polyline class="frontier" points="${line}" fill="none" stroke="#0969da" stroke-width="1.5"/>
${marks}
<text x="${WIDTH / 2}" y="${HEIGHT - 12}" text-anchor="middle" class="tick">billed batch cost with caching (USD)</text>
<text x="14" y="${HEIGHT / 2}" text-anchor="middle" transform="rotate(-90 14 ${HEIGHT / 2})" class="tick">pass rate</text>
</svg></figure>`;
}

/**
 * The run's charts: the overall one (each model's pass rate over every suite, green when it
 * meets every threshold) and, with more than one suite, one per suite against its threshold.
 * With a single suite the overall chart is that suite's, and carries its line.
 */
export function renderCharts(report: Report): string {
  const overall = report.models.map((m) => ({
    label: m.model,
    cost: m.cost.batchCached,
    rate: m.passRate,
    interval: m.passRateInterval,
    passes: m.passes,
  }));
  const [only] = report.suites;
  if (report.suites.length === 1 && only !== undefined) {
    return renderChart(`All cases (${only.name})`, overall, only.passThreshold);
  }
  const suites = report.suites.map((suite) => {
    const points = report.models.flatMap((m) => {
      const score = m.suites.find((s) => s.suite === suite.name);
      if (score === undefined) return [];
      // Reports written before per-suite costs were recorded chart the model's whole cost.
      const cost = score.cost?.batchCached ?? m.cost.batchCached;
      return [
        {
          label: m.model,
          cost,
          rate: score.passRate,
          interval: score.passRateInterval,
          passes: score.passes,
        },
      ];
    });
    return renderChart(`Suite ${suite.name}`, points, suite.passThreshold);
  });
  return [renderChart("All suites", overall), ...suites].join("\n");
}
