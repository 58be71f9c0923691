/**
 * The cost-vs-pass-rate chart of the HTML report, as inline SVG: one point per model, the
 * strictest suite threshold as a line, and the Pareto frontier (no other model is both cheaper
 * and better). Pure.
 */
import { escapeHtml } from "./html-escape.js";
import type { ModelSummary, Report } from "./types.js";

const WIDTH = 640;
const HEIGHT = 320;
const PAD = 64;

/** Models that no other model beats on both cost and pass rate, cheapest first. */
export function paretoFrontier(models: readonly ModelSummary[]): ModelSummary[] {
  const sorted = [...models].sort(
    (a, b) => a.cost.batchCached - b.cost.batchCached || b.passRate - a.passRate,
  );
  const frontier: ModelSummary[] = [];
  for (const model of sorted) {
    const last = frontier.at(-1);
    if (last === undefined || model.passRate > last.passRate) frontier.push(model);
  }
  return frontier;
}

/** The lowest pass rate the chart shows: a tenth below the lowest point or threshold. */
function floorRate(report: Report): number {
  const lowest = Math.min(
    ...report.models.map((m) => m.passRate),
    ...report.suites.map((s) => s.passThreshold),
  );
  return Math.max(0, Math.floor((lowest - 0.1) * 10) / 10);
}

export function renderChart(report: Report): string {
  const models = report.models;
  const maxCost = Math.max(...models.map((m) => m.cost.batchCached), 1e-9) * 1.1;
  const low = floorRate(report);
  const x = (cost: number) => PAD + (cost / maxCost) * (WIDTH - 2 * PAD);
  const y = (rate: number) => HEIGHT - PAD - ((rate - low) / (1 - low || 1)) * (HEIGHT - 2 * PAD);
  const threshold = Math.max(0, ...report.suites.map((s) => s.passThreshold));
  const frontier = paretoFrontier(models)
    .map((m) => `${x(m.cost.batchCached).toFixed(1)},${y(m.passRate).toFixed(1)}`)
    .join(" ");
  const points = models
    .map((m) => {
      const cx = x(m.cost.batchCached).toFixed(1);
      const cy = y(m.passRate).toFixed(1);
      const fill = m.passes ? "#1a7f37" : "#cf222e";
      return `<circle cx="${cx}" cy="${cy}" r="6" fill="${fill}"><title>${escapeHtml(m.model)}</title></circle><text x="${cx}" y="${Number(cy) - 10}" text-anchor="middle">${escapeHtml(m.model)}</text>`;
    })
    .join("");
  const ticks = [low, (low + 1) / 2, 1]
    .map(
      (rate) =>
        `<text x="${PAD - 6}" y="${y(rate) + 4}" text-anchor="end" class="muted">${Math.round(rate * 100)}%</text>`,
    )
    .join("");
  return `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="Pass rate against billed batch cost">
<line x1="${PAD}" y1="${HEIGHT - PAD}" x2="${WIDTH - PAD}" y2="${HEIGHT - PAD}" stroke="#888"/>
<line x1="${PAD}" y1="${PAD}" x2="${PAD}" y2="${HEIGHT - PAD}" stroke="#888"/>
${ticks}
<text x="${PAD}" y="${HEIGHT - PAD + 16}" text-anchor="middle" class="muted">$0</text>
<text x="${WIDTH - PAD}" y="${HEIGHT - PAD + 16}" text-anchor="middle" class="muted">$${maxCost.toPrecision(2)}</text>
<line x1="${PAD}" y1="${y(threshold)}" x2="${WIDTH - PAD}" y2="${y(threshold)}" stroke="#9a6700" stroke-dasharray="6 4"/>
<text x="${PAD + 6}" y="${y(threshold) + 14}" class="muted">threshold ${Math.round(threshold * 100)}%</text>
<polyline points="${frontier}" fill="none" stroke="#0969da" stroke-width="1.5"/>
${points}
<text x="${WIDTH / 2}" y="${HEIGHT - 12}" text-anchor="middle" class="muted">billed batch cost (USD)</text>
<text x="14" y="${HEIGHT / 2}" text-anchor="middle" transform="rotate(-90 14 ${HEIGHT / 2})" class="muted">pass rate</text>
</svg>`;
}
