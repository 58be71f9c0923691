/**
 * The terminal view of a comparison with a baseline: one table row per model × suite, then the
 * results that changed, each list cut short with a count of the rest. Pure: returns a string.
 */
import { Chalk } from "chalk";
import type { Comparison, GroupComparison, ResultKey } from "./compare.js";
import { formatPercent } from "./format.js";

/** How many results each list shows; the rest are counted. */
export const SHOWN_RESULTS = 10;

const HEADERS = [
  "model",
  "suite",
  "old",
  "new",
  "change",
  "pass→fail",
  "fail→pass",
  "McNemar p",
  "",
] as const;

function rate(value: number | null): string {
  return value === null ? "–" : formatPercent(value);
}

/** A change in pass rate in percentage points: `+12.5 pts`, `-2.0 pts`, `0.0 pts`. */
export function formatChange(value: number | null): string {
  if (value === null) return "–";
  const points = (value * 100).toFixed(1);
  // Float noise (0.9 − 0.88 − 0.02) must not print as "+0.0" or "-0.0".
  if (Number(points) === 0) return "0.0 pts";
  return value > 0 ? `+${points} pts` : `${points} pts`;
}

/** A p-value with the digits that matter: 1, 0.0625, 0.0215, 3.1e-7. */
function pValue(p: number): string {
  if (p === 1) return "1";
  return p < 0.0001 ? p.toExponential(1) : String(Number(p.toPrecision(3)));
}

function row(group: GroupComparison): string[] {
  return [
    group.model,
    group.suite,
    rate(group.old.passRate),
    rate(group.new.passRate),
    formatChange(group.change),
    String(group.mcnemar.b),
    String(group.mcnemar.c),
    pValue(group.mcnemar.pValue),
    group.regression ? "REGRESSION" : "",
  ];
}

function table(rows: string[][]): string[] {
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(HEADERS), ...rows.map(line)];
}

function resultName(key: ResultKey, repeated: boolean): string {
  const sample = repeated ? ` #${key.repeat}` : "";
  return `${key.model} ${key.suite}/${key.caseId}${sample}`;
}

/** A titled list of results, at most SHOWN_RESULTS of them, then how many more. */
function section(title: string, lines: string[]): string[] {
  if (lines.length === 0) return [];
  const shown = lines.slice(0, SHOWN_RESULTS).map((l) => `  ${l}`);
  const more = lines.length - shown.length;
  return [title, ...shown, ...(more > 0 ? [`  … and ${more} more`] : [])];
}

export function renderComparison(comparison: Comparison, { color }: { color: boolean }): string {
  const chalk = new Chalk({ level: color ? 1 : 0 });
  const { groups } = comparison;
  const all = (pick: (g: GroupComparison) => ResultKey[]) => groups.flatMap(pick);
  const repeated = groups.some((g) =>
    [...g.passToFail, ...g.failToPass, ...g.excluded, ...g.added, ...g.removed].some(
      (k) => k.repeat > 0,
    ),
  );
  const name = (k: ResultKey) => resultName(k, repeated);
  const lines = [
    `Compared with baseline ${comparison.oldRunId} (tolerance ${(comparison.tolerance * 100).toFixed(1)} pts)`,
  ];
  if (groups.length === 0) lines.push("No model × suite is in both runs.");
  else {
    const [head = "", ...body] = table(groups.map(row));
    lines.push(chalk.bold(head));
    body.forEach((text, i) => {
      lines.push(groups[i]?.regression ? chalk.red(text) : text);
    });
  }
  lines.push(
    ...section("pass → fail:", all((g) => g.passToFail).map(name)),
    ...section("fail → pass:", all((g) => g.failToPass).map(name)),
    ...section(
      "errored or skipped on a side (not counted):",
      groups.flatMap((g) => g.excluded.map((e) => `${name(e)} (${e.old} → ${e.new})`)),
    ),
    ...section("added (only in this run):", all((g) => g.added).map(name)),
    ...section("removed (only in the baseline):", all((g) => g.removed).map(name)),
    ...section(
      "only in this run:",
      comparison.onlyNew.map((g) => `${g.model} ${g.suite}`),
    ),
    ...section(
      "only in the baseline:",
      comparison.onlyOld.map((g) => `${g.model} ${g.suite}`),
    ),
  );
  const n = comparison.regressions;
  lines.push(
    n === 0
      ? chalk.green("✔ No regression against the baseline.")
      : chalk.red(
          `✘ ${n} regression${n === 1 ? "" : "s"} against the baseline: a pass rate dropped by more than the tolerance, with results gone from pass to fail.`,
        ),
  );
  return `${lines.join("\n")}\n`;
}
