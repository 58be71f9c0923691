/** `batcheval validate`: load the config and suites and report every problem; submit nothing. */
import { ExitCode } from "../errors.js";
import { formatDiagnostics } from "../suite/diagnostics.js";
import { type CliIo, todayOf } from "./io.js";
import { loadProject } from "./load-project.js";

export interface ValidateCommandOptions {
  paths: string[];
  config?: string;
}

export async function validateCommand(options: ValidateCommandOptions, io: CliIo): Promise<number> {
  const project = await loadProject(options.paths, io.cwd, options.config, todayOf(io));
  if (project.diagnostics.length > 0) io.err(`${formatDiagnostics(project.diagnostics)}\n`);
  if (!project.ok) return ExitCode.badInput;
  const cases = project.suites.reduce((n, s) => n + s.cases.length, 0);
  io.out(`OK: ${project.suites.length} suites, ${cases} cases in ${project.files.length} files\n`);
  return ExitCode.ok;
}
