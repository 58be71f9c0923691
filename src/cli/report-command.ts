/**
 * `batcheval report RUN_DIR`: check the run's report.json against the schema, re-render every
 * chosen reporter from it, and print the terminal summary.
 */
import { join, resolve } from "node:path";
import { loadConfig } from "../config/load-config.js";
import { ExitCode } from "../errors.js";
import { renderTerminal } from "../report/render-terminal.js";
import { REPORT_FILE, REPORTERS } from "../report/reporters.js";
import { readReportFile } from "../run/read-report.js";
import { resolveReporters, writeReports } from "../run/write-reports.js";
import { formatDiagnostics, hasErrors, sortDiagnostics } from "../source/diagnostics.js";
import type { CliIo } from "./io.js";

/** The arguments of `batcheval report`, as commander parses them. */
export interface ReportCommandOptions {
  /** The run directory (e.g. `reports/latest`), relative to the working directory. */
  runDir: string;
  /** `--reporter` names (repeatable); they replace the config's `reporters:`. */
  reporter?: string[];
  /** `--config FILE`; default: batcheval.config.yaml in the working directory, if any. */
  config?: string;
}

/**
 * Re-renders the run in `runDir`. report.json is read and never rewritten: it is the input, so
 * the `json` reporter (always implied) writes nothing here. Exits 2 on a bad config, an unknown
 * reporter or a report.json that does not match the schema; else 1 when no model is
 * recommended, 0 when one is.
 */
export async function reportCommand(options: ReportCommandOptions, io: CliIo): Promise<number> {
  const loaded = await loadConfig(io.cwd, options.config);
  const diagnostics = sortDiagnostics(loaded.diagnostics);
  if (diagnostics.length > 0) io.err(`${formatDiagnostics(diagnostics)}\n`);
  if (hasErrors(diagnostics)) {
    io.err("Nothing was re-rendered. Fix the errors above and run again.\n");
    return ExitCode.badInput;
  }
  const reporters = resolveReporters(options.reporter, loaded.config).filter(
    (reporter) => reporter !== REPORTERS.json,
  );
  const dir = resolve(io.cwd, options.runDir);
  const report = await readReportFile(join(dir, REPORT_FILE), join(options.runDir, REPORT_FILE));
  const written = await writeReports(dir, report, reporters, {
    cwd: io.cwd,
    env: io.env,
    log: io.err,
  });
  io.out(renderTerminal(report, { color: io.isTty }));
  if (written.length > 0) io.out(`Wrote ${written.join(", ")}\n`);
  return report.recommendation.model === null ? ExitCode.gateFailed : ExitCode.ok;
}
