/** `batcheval validate`: load the config and suites and report every problem; submit nothing. */
import { ExitCode } from "../errors.js";
import { compileRun } from "../run/compile-run.js";
import { todayOf } from "../run/io.js";
import { loadProject } from "../run/load-project.js";
import { isCi } from "../runner/backend.js";
import { formatDiagnostics, hasErrors, sortDiagnostics } from "../source/diagnostics.js";
import { checkFixtures } from "./check-fixtures.js";
import { type CliIo, runIoOf } from "./io.js";

export interface ValidateCommandOptions {
  paths: string[];
  config?: string;
  /** Cases without assertions are errors (as they are under CI=true). */
  strict?: boolean;
}

export async function validateCommand(options: ValidateCommandOptions, io: CliIo): Promise<number> {
  const project = await loadProject(options.paths, io.cwd, options.config, {
    today: todayOf(runIoOf(io)),
    strictFlag: options.strict === true,
    ci: isCi(io.env),
  });
  const fixtures = project.ok ? await checkFixtures(project.config, io.cwd) : [];
  // Compiled as `run` compiles, for what only the compiler sees (model limits, the cache prefix).
  const noticed = project.ok ? compileRun(project.suites, project, {}).plan.diagnostics : [];
  const diagnostics = sortDiagnostics([...project.diagnostics, ...fixtures, ...noticed]);
  if (diagnostics.length > 0) io.err(`${formatDiagnostics(diagnostics)}\n`);
  if (hasErrors(diagnostics)) return ExitCode.badInput;
  const cases = project.suites.reduce((n, s) => n + s.cases.length, 0);
  io.out(`OK: ${project.suites.length} suites, ${cases} cases in ${project.files.length} files\n`);
  return ExitCode.ok;
}
