/** The terminal summary: a table per model and the verdict line. Pure: returns a string. */
import { Chalk, type ChalkInstance } from "chalk";
import { formatCount, formatInterval, formatPercent, formatUsd } from "./format.js";
import type { CaseSamples, ModelSummary, Report } from "./types.js";

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
  "per pass",
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
    model.costPerPass === null || model.costPerPass === undefined
      ? "–"
      : formatUsd(model.costPerPass),
  ];
}

function table(
  rows: string[][],
  chalk: ChalkInstance,
  passes: boolean[],
  headers: readonly string[] = HEADERS,
): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const body = rows.map((r, i) => {
    const text = line(r);
    return passes[i] ? chalk.green(text) : chalk.red(text);
  });
  return [chalk.bold(line(headers)), ...body].join("\n");
}

/**
 * Each suite's pass rate per model against the suite's threshold (✔ meets it, ✘ misses it, ?
 * meets it only uncertainly); shown when the run has more than one suite.
 */
export function suiteGrid(report: Report): string | undefined {
  if (report.suites.length < 2) return undefined;
  const headers = ["suite", "threshold", ...report.models.map((m) => m.model)];
  const rows = report.suites.map((suite) => [
    suite.name,
    formatPercent(suite.passThreshold),
    ...report.models.map((m) => {
      const score = m.suites.find((s) => s.suite === suite.name);
      if (score === undefined) return "–";
      const mark = !score.passes ? "✘" : score.uncertain ? "?" : "✔";
      return `${mark} ${formatPercent(score.passRate)} (${formatInterval(score.passRateInterval)})`;
    }),
  ]);
  return table(rows, new Chalk({ level: 0 }), [], headers);
}

/**
 * Named scores (assertions' `metric`) per model: mean score and passes out of graded
 * assertions. Undefined when no assertion names a metric.
 */
export function metricsSection(report: Report): string | undefined {
  const names = [...new Set(report.models.flatMap((m) => (m.metrics ?? []).map((x) => x.name)))];
  if (names.length === 0) return undefined;
  const headers = ["metric", ...report.models.map((m) => m.model)];
  const rows = names.map((name) => [
    name,
    ...report.models.map((m) => {
      const score = m.metrics?.find((x) => x.name === name);
      if (score === undefined) return "–";
      return `${score.meanScore.toFixed(2)} (${formatCount(score.passed)}/${formatCount(score.assertions)} passed)`;
    }),
  ]);
  return table(rows, new Chalk({ level: 0 }), [], headers);
}

/** Cases shown in the samples section at most; report.json lists them all. */
const SAMPLE_LINES = 10;

/**
 * Cases run more than once: how many samples passed per case and model (k/N), failing and
 * flaky ones first. Undefined when every case ran once.
 */
export function samplesSection(report: Report): string | undefined {
  const cases = report.cases ?? [];
  if (cases.length === 0) return undefined;
  const rank = (c: CaseSamples) => (c.outcome !== "pass" ? 0 : c.flaky ? 1 : 2);
  const notable = cases.filter((c) => c.outcome !== "pass" || c.flaky);
  const shown = notable.sort((a, b) => rank(a) - rank(b)).slice(0, SAMPLE_LINES);
  const flaky = cases.filter((c) => c.flaky).length;
  const missed = cases.filter((c) => c.outcome !== "pass").length;
  const head = `Samples per case: ${formatCount(cases.length)} case × model pairs run more than once; ${formatCount(missed)} not passing, ${formatCount(flaky)} flaky (some samples passed, some failed)`;
  const lines = shown.map((c) => {
    const need = c.toPass === undefined ? "each sample counts" : `needs ${c.toPass}`;
    const errored = c.errored > 0 ? `, ${c.errored} errored` : "";
    return `  ${c.outcome.padEnd(5)} ${c.suite}/${c.caseId} on ${c.model}: ${c.passed}/${c.samples} passed${errored} (${formatInterval(c.passRateInterval)}), ${need}`;
  });
  const more = notable.length > shown.length ? ["  … the rest are in report.json (cases)"] : [];
  return [head, ...lines, ...more].join("\n");
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

/**
 * Where the saving came from: against the standard price, the batch discount and caching; and,
 * when the recommended model is not the dearest that passes, what choosing it saves. Undefined
 * for a report written before savings were recorded, or one that saved nothing.
 */
export function savingsLine(report: Report): string | undefined {
  const savings = report.savings;
  if (savings === undefined || savings.total === 0) return undefined;
  const caching =
    savings.caching < 0
      ? `caching cost ${formatUsd(-savings.caching)} more than it saved`
      : `${formatUsd(savings.caching)} caching`;
  const choice = report.recommendation.saving;
  const chosen =
    choice === undefined || report.recommendation.model === null
      ? ""
      : `; choosing ${report.recommendation.model} over ${choice.against} saves ${formatUsd(choice.usd)} more`;
  return `Saved ${formatUsd(savings.total)} against standard pricing: ${formatUsd(savings.batchDiscount)} batch discount, ${caching}${chosen}`;
}

/** What the grader models of model-graded assertions did and cost, apart; none: undefined. */
export function graderLine(report: Report): string | undefined {
  const graders = report.graders ?? [];
  if (graders.length === 0) return undefined;
  const each = graders.map((g) => {
    const replayed =
      (g.replayed ?? 0) > 0
        ? ` (${formatUsd(g.replayed ?? 0)} of it replayed from the result cache, not billed by this run)`
        : "";
    return `${g.model} answered ${formatCount(g.questions)} question${g.questions === 1 ? "" : "s"} for ${formatUsd(g.cost.batchCached)}${replayed}`;
  });
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
    ...[suiteGrid(report), metricsSection(report), samplesSection(report)].flatMap((s) =>
      s === undefined ? [] : ["", s],
    ),
    "",
    totalLine(report),
    ...[savingsLine(report), graderLine(report)].filter((line) => line !== undefined),
    verdictLine(report, chalk),
  ];
  return `${lines.join("\n")}\n`;
}
