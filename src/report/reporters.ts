/**
 * The reporters: a registry of the outputs a run can write, in the manner of vitest's. Each
 * reporter turns the one versioned report into the files it writes; writing them is a thin step
 * elsewhere (run/write-reports.ts). Pure: a reporter's files are a function of the report alone.
 */
import { closestMatch } from "../source/closest-match.js";
import { renderHtmlChunks } from "./render-html.js";
import { renderJsonChunks } from "./render-json.js";
import { renderJunitChunks } from "./render-junit.js";
import { renderSummary } from "./render-summary.js";
import type { Report } from "./types.js";

/**
 * One file a reporter writes: its name inside the run directory, and its text, whole or as
 * pieces to write one after the other (a large report.json is never one string).
 */
export interface ReportFile {
  /** A plain file name, relative to the run directory (e.g. `index.html`). */
  name: string;
  contents: string | Iterable<string>;
}

/** A file's whole text (its pieces joined). */
export function fileText(file: ReportFile): string {
  return typeof file.contents === "string" ? file.contents : [...file.contents].join("");
}

/** An output of a run. Add one by writing a pure `files` and listing it in REPORTERS. */
export interface Reporter {
  /** What users write in `reporters:` and `--reporter`. */
  readonly name: string;
  /** The files to write for `report`: the same report always gives the same files. */
  files(report: Report): ReportFile[];
}

/** The file every run writes and every reader of a run reads. */
export const REPORT_FILE = "report.json";

/** report.json, the versioned report that `report`, `compare` and CI read back. */
const json: Reporter = {
  name: "json",
  files: (report) => [{ name: REPORT_FILE, contents: renderJsonChunks(report) }],
};

/** index.html, the self-contained page. */
const html: Reporter = {
  name: "html",
  files: (report) => [{ name: "index.html", contents: renderHtmlChunks(report) }],
};

/** junit.xml, the results as JUnit XML for CI test reports. */
const junit: Reporter = {
  name: "junit",
  files: (report) => [{ name: "junit.xml", contents: renderJunitChunks(report) }],
};

/** The file the summary reporter writes, which a run also appends to GITHUB_STEP_SUMMARY. */
export const SUMMARY_FILE = "summary.md";

/** summary.md, the verdict, pass rates, costs and first failures in Markdown. */
const summary: Reporter = {
  name: "summary",
  files: (report) => [{ name: SUMMARY_FILE, contents: renderSummary(report) }],
};

/** Every reporter, by name. */
export const REPORTERS = { json, html, junit, summary } as const satisfies Readonly<
  Record<string, Reporter>
>;

/** A registered reporter's name. */
export type ReporterName = keyof typeof REPORTERS;

/** The registered names, in registry order. */
export const REPORTER_NAMES = Object.keys(REPORTERS) as ReporterName[];

/** What a run writes when nothing chooses otherwise (the config's `reporters:` default). */
export const DEFAULT_REPORTERS: readonly ReporterName[] = ["json", "html"];

/** Whether `name` is a registered reporter. */
export function isReporterName(name: string): name is ReporterName {
  return Object.hasOwn(REPORTERS, name);
}

/** The result of looking a name up: the reporter, or what is wrong and how to fix it. */
export type ReporterLookup =
  | { ok: true; reporter: Reporter }
  | { ok: false; message: string; hint: string };

/** The reporter called `name`, or a message with the closest registered name. */
export function lookupReporter(name: string): ReporterLookup {
  if (isReporterName(name)) return { ok: true, reporter: REPORTERS[name] };
  const suggestion = closestMatch(name, REPORTER_NAMES);
  const guess = suggestion === undefined ? "" : ` — did you mean '${suggestion}'?`;
  return {
    ok: false,
    message: `unknown reporter '${name}'${guess}`,
    hint: `reporters: ${REPORTER_NAMES.join(", ")}`,
  };
}

/**
 * The reporters a run writes for `names`: `json` first whether listed or not, since report.json
 * is what `report`, `compare` and CI read back, then the others in the order given, each once.
 * Returns the first unknown name's lookup problem instead when there is one.
 */
export function chooseReporters(
  names: readonly string[],
): { ok: true; reporters: Reporter[] } | Extract<ReporterLookup, { ok: false }> {
  const chosen: Reporter[] = [REPORTERS.json];
  for (const name of names) {
    const found = lookupReporter(name);
    if (!found.ok) return found;
    if (!chosen.includes(found.reporter)) chosen.push(found.reporter);
  }
  return { ok: true, reporters: chosen };
}
