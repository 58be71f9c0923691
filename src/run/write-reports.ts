/**
 * Writes reporters' files into a run directory. Names are checked before anything is written;
 * each file is then replaced atomically (temp file + rename), its pieces streamed into the temp
 * file as the reporter renders them, so a reader never sees half of one and a renderer that
 * throws leaves that file as it was. When GITHUB_STEP_SUMMARY names a file and the summary
 * reporter is among those written, summary.md is also appended to it: reporters are pure, so
 * the appending is done here, with the writing.
 */
import { appendFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import type { ProjectConfig } from "../config/types.js";
import { BatchevalError } from "../errors.js";
import {
  chooseReporters,
  fileText,
  REPORTERS,
  type Reporter,
  type ReportFile,
  SUMMARY_FILE,
} from "../report/reporters.js";
import type { Report } from "../report/types.js";
import { writeFileAtomic } from "../runner/run-store.js";
import type { RunIo } from "./io.js";

/** Where the written files are told about besides the run directory (see `writeReports`). */
export type ReportSurroundings = Pick<RunIo, "cwd" | "env" | "log">;

/**
 * Renders `report` with each of `reporters` and writes their files into `dir`, in order.
 * Returns the written paths. Writes exactly the reporters given: a run passes `json` among them
 * (see `chooseReporters`, which always includes it); `batcheval report` leaves it out, since
 * report.json is what it reads.
 *
 * With `surroundings` whose env sets GITHUB_STEP_SUMMARY (GitHub Actions does, for each step),
 * summary.md's text is appended to that file too, relative paths taken from `cwd`: appended,
 * not replaced, since other steps and tools write there as well. A failure to append is logged
 * and the run goes on: its own files are written, and the job summary is a convenience.
 */
export async function writeReports(
  dir: string,
  report: Report,
  reporters: readonly Reporter[],
  surroundings?: ReportSurroundings,
): Promise<string[]> {
  const files = renderFiles(report, reporters);
  const written: string[] = [];
  for (const { reporter, file } of files) {
    const path = join(dir, file.name);
    if (reporter === REPORTERS.summary && file.name === SUMMARY_FILE) {
      // summary.md is small (its failing results are capped): one string, written twice.
      const text = fileText(file);
      await writeFileAtomic(path, text);
      await appendStepSummary(text, surroundings);
    } else {
      await writeFileAtomic(path, file.contents);
    }
    written.push(path);
  }
  return written;
}

/** Appends `text` to the file GITHUB_STEP_SUMMARY names, when it names one. */
async function appendStepSummary(
  text: string,
  surroundings: ReportSurroundings | undefined,
): Promise<void> {
  const target = surroundings?.env.GITHUB_STEP_SUMMARY;
  if (surroundings === undefined || target === undefined || target === "") return;
  const path = resolve(surroundings.cwd, target);
  try {
    // A blank line first, so the summary never runs on from what an earlier step wrote.
    await appendFile(path, `\n${text}`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    surroundings.log(
      `warning: could not append ${SUMMARY_FILE} to GITHUB_STEP_SUMMARY (${path}): ${reason}\n`,
    );
  }
}

/** Every reporter's files, checked: plain names inside the directory, no name twice. */
function renderFiles(
  report: Report,
  reporters: readonly Reporter[],
): { reporter: Reporter; file: ReportFile }[] {
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
  return files.map(({ reporter, f }) => ({ reporter, file: f }));
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
