/**
 * `batcheval compare OLD NEW`: a run against a baseline run, from their report.json files (or
 * run directories), each checked against the schema first. Prints a table per model × suite and
 * the results that changed, or with `--json` the comparison as one JSON object.
 */
import { ExitCode } from "../errors.js";
import { compareReports } from "../report/compare.js";
import { renderComparison } from "../report/render-compare.js";
import { readReportAt } from "../run/read-report.js";
import type { CliIo } from "./io.js";

/** The arguments of `batcheval compare`, as commander parses them. */
export interface CompareCommandOptions {
  /** The baseline: a report.json or a run directory, relative to the working directory. */
  old: string;
  /** The run compared with it, likewise. */
  new: string;
  /** `--tolerance`: the pass-rate drop allowed before a regression (default 0). */
  tolerance?: number;
  /** `--json`: print the comparison as JSON instead of the table. */
  json?: boolean;
}

/** Exits 1 when a model × suite regressed, 0 otherwise; an unreadable report is thrown (exit 2). */
export async function compareCommand(options: CompareCommandOptions, io: CliIo): Promise<number> {
  const old = await readReportAt(io.cwd, options.old);
  const now = await readReportAt(io.cwd, options.new);
  const comparison = compareReports(old, now, options.tolerance ?? 0);
  if (options.json) io.out(`${JSON.stringify(comparison, null, 2)}\n`);
  else io.out(renderComparison(comparison, { color: io.isTty }));
  return comparison.regressions > 0 ? ExitCode.gateFailed : ExitCode.ok;
}
