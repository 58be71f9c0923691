/**
 * Writes reporters' files into a run directory. Names are checked before anything is written;
 * each file is then replaced atomically (temp file + rename), its pieces streamed into the temp
 * file as the reporter renders them, so a reader never sees half of one and a renderer that
 * throws leaves that file as it was.
 */
import { basename, join } from "node:path";
import type { ProjectConfig } from "../config/types.js";
import { BatchevalError } from "../errors.js";
import { chooseReporters, type Reporter, type ReportFile } from "../report/reporters.js";
import type { Report } from "../report/types.js";
import { writeFileAtomic } from "../runner/run-store.js";

/**
 * Renders `report` with each of `reporters` and writes their files into `dir`, in order.
 * Returns the written paths. Writes exactly the reporters given: a run passes `json` among them
 * (see `chooseReporters`, which always includes it); `batcheval report` leaves it out, since
 * report.json is what it reads.
 */
export async function writeReports(
  dir: string,
  report: Report,
  reporters: readonly Reporter[],
): Promise<string[]> {
  const files = renderFiles(report, reporters);
  const written: string[] = [];
  for (const file of files) {
    const path = join(dir, file.name);
    await writeFileAtomic(path, file.contents);
    written.push(path);
  }
  return written;
}

/** Every reporter's files, checked: plain names inside the directory, no name twice. */
function renderFiles(report: Report, reporters: readonly Reporter[]): ReportFile[] {
  const owner = new Map<string, string>();
  const files = reporters.flatMap((reporter) =>
    reporter.files(report).map((f) => ({ reporter, f })),
  );
  for (const { reporter, f } of files) {
    // A reporter is code in this repository: a bad name is a bug in it, not bad input.
    if (f.name !== basename(f.name) || f.name === "" || f.name === "." || f.name === "..") {
      throw new Error(
        `reporter ${reporter.name} names a file outside the run directory: ${f.name}`,
      );
    }
    const other = owner.get(f.name);
    if (other !== undefined) {
      throw new Error(`reporters ${other} and ${reporter.name} both write ${f.name}`);
    }
    owner.set(f.name, reporter.name);
  }
  return files.map(({ f }) => f);
}

/**
 * The reporters a command writes: the `--reporter` names when any are given, else the config's
 * `reporters:`. `json` is always among them (see chooseReporters). Throws `bad_input` for an
 * unknown name.
 */
export function resolveReporters(
  flag: readonly string[] | undefined,
  config: Pick<ProjectConfig, "reporters">,
): Reporter[] {
  const names = flag !== undefined && flag.length > 0 ? flag : config.reporters;
  const chosen = chooseReporters(names);
  if (!chosen.ok) {
    throw new BatchevalError("bad_input", `--reporter: ${chosen.message}`, { hint: chosen.hint });
  }
  return chosen.reporters;
}
