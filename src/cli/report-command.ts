/** `batcheval report RUN_DIR`: re-render every output of a run from its report.json. */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { BatchevalError, ExitCode } from "../errors.js";
import { renderHtml } from "../report/render-html.js";
import { renderTerminal } from "../report/render-terminal.js";
import type { Report } from "../report/types.js";
import { writeFileAtomic } from "../runner/run-store.js";
import type { CliIo } from "./io.js";

async function readReport(path: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new BatchevalError("bad_input", `Cannot read ${path}`, {
      hint: "Pass a run directory that contains report.json, e.g. reports/latest.",
      cause,
    });
  }
  try {
    return JSON.parse(text) as Report;
  } catch (cause) {
    throw new BatchevalError("bad_input", `${path} is not valid JSON`, { cause });
  }
}

export async function reportCommand(options: { runDir: string }, io: CliIo): Promise<number> {
  const dir = resolve(io.cwd, options.runDir);
  const report = await readReport(join(dir, "report.json"));
  await writeFileAtomic(join(dir, "index.html"), renderHtml(report));
  io.out(renderTerminal(report, { color: io.isTty }));
  io.out(`Wrote ${join(dir, "index.html")}\n`);
  return report.recommendation.model === null ? ExitCode.gateFailed : ExitCode.ok;
}
