/** The terminal summary: a table per model and the verdict line. Pure: returns a string. */
import { Chalk, type ChalkInstance } from "chalk";
import { formatCount, formatInterval, formatPercent, formatUsd } from "./format.js";
import type { ModelSummary, Report } from "./types.js";

const HEADERS = [
  "model",
  "pass rate",
  "95% CI",
  "pass/fail/err",
  "tokens in/out",
  "cache r/w",
  "hit",
  "standard",
  "batch",
  "batch+cache",
] as const;

function row(model: ModelSummary): string[] {
  const { counts, tokens, cost } = model;
  return [
    model.model,
    formatPercent(model.passRate),
    formatInterval(model.passRateInterval),
    `${counts.passed}/${counts.failed}/${counts.errored}`,
    `${formatCount(tokens.input)}/${formatCount(tokens.output)}`,
    `${formatCount(tokens.cacheRead)}/${formatCount(tokens.cacheWrite)}`,
    formatPercent(model.cacheHitRate),
    formatUsd(cost.standard),
    formatUsd(cost.batch),
    formatUsd(cost.batchCached),
  ];
}

function table(rows: string[][], chalk: ChalkInstance, passes: boolean[]): string {
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const body = rows.map((r, i) => {
    const text = line(r);
    return passes[i] ? chalk.green(text) : chalk.red(text);
  });
  return [chalk.bold(line(HEADERS)), ...body].join("\n");
}

/** The verdict line: the recommendation, or why there is none. */
export function verdictLine(
  report: Report,
  chalk: ChalkInstance = new Chalk({ level: 0 }),
): string {
  const { model, reason } = report.recommendation;
  const marker = report.backend === "sim" ? " [simulated]" : "";
  return model === null
    ? chalk.red(`✘ No model recommended: ${reason}${marker}`)
    : chalk.green(`✔ Recommended: ${model}: ${reason}${marker}`);
}

/** What the run cost, with the part replayed from the result cache shown apart. */
export function totalLine(report: Report): string {
  const { batchCached, replayed, standard } = report.cost;
  const standardNote = `standard price would be ${formatUsd(standard)}`;
  if (replayed === 0) return `Billed ${formatUsd(batchCached)} in batch (${standardNote})`;
  const billed = Math.max(0, batchCached - replayed);
  return `Batch cost ${formatUsd(batchCached)}: ${formatUsd(billed)} billed by this run, ${formatUsd(replayed)} replayed from the result cache (${standardNote})`;
}

/** What the grader models of model-graded assertions did and cost, apart; none: undefined. */
export function graderLine(report: Report): string | undefined {
  const graders = report.graders ?? [];
  if (graders.length === 0) return undefined;
  const each = graders.map(
    (g) =>
      `${g.model} answered ${formatCount(g.questions)} question${g.questions === 1 ? "" : "s"} for ${formatUsd(g.cost.batchCached)}`,
  );
  return `Graders (billed apart from the models under test): ${each.join("; ")}`;
}

export interface TerminalOptions {
  color: boolean;
}

/** The whole terminal summary. */
export function renderTerminal(report: Report, { color }: TerminalOptions): string {
  const chalk = new Chalk({ level: color ? 1 : 0 });
  const suites = report.suites
    .map((s) => `${s.name} (${s.caseCount} cases, threshold ${formatPercent(s.passThreshold)})`)
    .join(", ");
  const lines = [
    chalk.bold(`Run ${report.runId}`) + chalk.dim(` · backend ${report.backend} · ${suites}`),
    "",
    table(
      report.models.map(row),
      chalk,
      report.models.map((m) => m.passes),
    ),
    "",
    totalLine(report),
    ...[graderLine(report)].filter((line) => line !== undefined),
    verdictLine(report, chalk),
  ];
  return `${lines.join("\n")}\n`;
}
