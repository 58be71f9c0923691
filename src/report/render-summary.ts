/**
 * summary.md: a short GitHub-flavoured Markdown summary of the run, for a pull request or a CI
 * job summary (GITHUB_STEP_SUMMARY): the verdict, each suite's pass rate per model against its
 * threshold, what each model cost, and the first failing results. Pure. It stays small however
 * many results there are (failing results are capped), since GitHub caps a job summary at 1 MiB.
 */
import { formatCount, formatInterval, formatPercent, formatUsd } from "./format.js";
import { graderLine, totalLine } from "./render-terminal.js";
import type { Report, ReportedResult } from "./types.js";

/** Failing results listed at most; report.json and junit.xml have them all. */
export const SUMMARY_FAILURES = 50;

/** Longest "why" cell: a table row stays one screen wide; the rest is in report.json. */
const WHY_CHARS = 300;

/**
 * Text for a table cell: Markdown's punctuation that could start formatting, a link, raw HTML
 * or an entity is backslash-escaped (so `|` cannot end the cell, model output quoted in a
 * reason cannot inject HTML, and two prices on a line are not read as `$…$` math), and line
 * breaks become `<br>`, which GitHub renders in a cell.
 */
export function markdownCell(value: string): string {
  return value
    .replace(/[\\`*_[\]<>|~&#!$]/g, (c) => `\\${c}`)
    .replace(/\r\n|[\r\n\u2028\u2029]/g, "<br>");
}

function cut(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function tableHead(headers: readonly string[], align: readonly ("l" | "r")[]): string[] {
  return [row(headers), row(align.map((a) => (a === "r" ? "---:" : "---")))];
}

/** The verdict: the recommendation and why, marked plainly when the backend was the simulator. */
function verdict(report: Report): string[] {
  const { model, reason } = report.recommendation;
  const line =
    model === null
      ? `**✘ No model recommended:** ${markdownCell(reason)}`
      : `**✔ Recommended: ${markdownCell(model)}:** ${markdownCell(reason)}`;
  const simulated =
    report.backend === "sim"
      ? [
          "> [!WARNING]",
          "> **SIMULATED**: these results come from the batcheval simulator (backend `sim`), not the Anthropic API. They say nothing about the models.",
          "",
        ]
      : [];
  return [...simulated, line];
}

/** Each suite's pass rate per model, with its 95% interval, against the suite's threshold. */
function grid(report: Report): string[] {
  const headers = ["suite", "threshold", ...report.models.map((m) => markdownCell(m.model))];
  const align = ["l", "r", ...report.models.map(() => "r")] as ("l" | "r")[];
  const rows = report.suites.map((suite) =>
    row([
      markdownCell(suite.name),
      formatPercent(suite.passThreshold),
      ...report.models.map((m) => {
        const score = m.suites.find((s) => s.suite === suite.name);
        if (score === undefined) return "–";
        const mark = score.passes ? "✔" : "✘";
        const uncertain = score.uncertain ? " (uncertain)" : "";
        return `${mark} ${formatPercent(score.passRate)} (${formatInterval(score.passRateInterval)})${uncertain}`;
      }),
    ]),
  );
  return [
    "## Pass rate per suite",
    "",
    ...tableHead(headers, align),
    ...rows,
    "",
    "✔ meets the suite's threshold, ✘ misses it; (uncertain): the 95% interval crosses the threshold.",
  ];
}

/** Each model's results and cost. */
function costs(report: Report): string[] {
  const headers = ["model", "pass rate", "95% CI", "pass/fail/err", "batch + cache", "per pass"];
  const rows = report.models.map((m) =>
    row([
      `${m.passes ? "✔" : "✘"} ${markdownCell(m.model)}`,
      formatPercent(m.passRate),
      formatInterval(m.passRateInterval),
      `${formatCount(m.counts.passed)}/${formatCount(m.counts.failed)}/${formatCount(m.counts.errored)}`,
      formatUsd(m.cost.batchCached),
      m.costPerPass === null || m.costPerPass === undefined ? "–" : formatUsd(m.costPerPass),
    ]),
  );
  const grader = graderLine(report);
  return [
    "## Models",
    "",
    ...tableHead(headers, ["l", "r", "r", "r", "r", "r"]),
    ...rows,
    "",
    `${markdownCell(totalLine(report))}.`,
    ...(grader === undefined ? [] : ["", markdownCell(grader)]),
  ];
}

/** Why a result did not pass: its failing assertions, or its error. */
function why(r: ReportedResult): string {
  if (r.outcome === "error") {
    return r.error === undefined ? "no reply" : `${r.error.type}: ${r.error.message}`;
  }
  const failing = r.assertions.filter((a) => !a.pass).map((a) => `${a.type}: ${a.reason}`);
  return failing.length > 0 ? failing.join("; ") : "failed";
}

/** The first SUMMARY_FAILURES failing and errored results, and how many more there are. */
function failures(report: Report): string[] {
  const repeated = new Set(report.suites.filter((s) => (s.repeat ?? 1) > 1).map((s) => s.name));
  const shown: string[] = [];
  let total = 0;
  for (const r of report.results) {
    if (r.outcome !== "fail" && r.outcome !== "error") continue;
    total++;
    if (shown.length >= SUMMARY_FAILURES) continue;
    const name = repeated.has(r.suite) || r.repeat > 0 ? `${r.caseId}#${r.repeat}` : r.caseId;
    shown.push(
      row([
        markdownCell(r.suite),
        markdownCell(name),
        markdownCell(r.model),
        r.outcome,
        markdownCell(cut(why(r), WHY_CHARS)),
      ]),
    );
  }
  if (total === 0) return ["## Failing cases", "", "None: every graded result passed."];
  const more =
    total > shown.length
      ? ["", `…and ${formatCount(total - shown.length)} more (all of them are in report.json).`]
      : [];
  return [
    `## Failing cases (${formatCount(total)})`,
    "",
    ...tableHead(["suite", "case", "model", "outcome", "why"], ["l", "l", "l", "l", "l"]),
    ...shown,
    ...more,
  ];
}

/** The whole summary. */
export function renderSummary(report: Report): string {
  const sections = [
    [
      `# batcheval run ${markdownCell(report.runId)}${report.backend === "sim" ? " (simulated)" : ""}`,
    ],
    verdict(report),
    grid(report),
    costs(report),
    failures(report),
  ];
  return `${sections.map((lines) => lines.join("\n")).join("\n\n")}\n`;
}
