/** The end of `run`: grade and price every result read back from disk, summarize, write. */
import { VERSION as SDK_VERSION } from "@anthropic-ai/sdk/version";
import { requirePrice } from "../cost/pricing.js";
import { BatchevalError } from "../errors.js";
import { buildRecord } from "../report/build-records.js";
import { DEFAULT_REPORTERS, REPORTERS, type Reporter } from "../report/reporters.js";
import { summarize } from "../report/summarize.js";
import type { Report, ResultRecord } from "../report/types.js";
import { writeReports } from "../run/write-reports.js";
import { batchRecords, type CollectedResults, resultKey } from "../runner/run-batches.js";
import type { RunState, RunStore } from "../runner/run-store.js";
import type { Project } from "./load-project.js";
import { type CompiledRun, caseKey } from "./run-plan.js";

/** Records graded between two looks at the stop signal (grading is CPU-bound). */
const GRADE_SLICE = 2_000;

/** Lets signal handlers run, then stops if the user asked to. */
async function pause(signal: AbortSignal | undefined): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  if (signal?.aborted) throw new BatchevalError("interrupted", "Interrupted while grading.");
}

/**
 * The report of a run whose results are all collected. Grading yields to the event loop every
 * few thousand results, so that Ctrl-C (`signal`) stops a large run promptly.
 */
export async function buildReport(
  compiled: CompiledRun,
  results: CollectedResults,
  project: Project,
  state: RunState,
  signal?: AbortSignal,
): Promise<Report> {
  const records: ResultRecord[] = [];
  for (const { model, chunks } of compiled.plan.models) {
    const price = requirePrice(project.pricing, model);
    for (const request of chunks.flat()) {
      if (records.length % GRADE_SLICE === 0) await pause(signal);
      const evalCase = compiled.cases.get(caseKey(request.suite, request.caseId));
      if (evalCase === undefined) throw new Error(`no case for ${request.customId}`);
      const key = resultKey(model, request.customId);
      const result = results.byKey.get(key);
      records.push(
        buildRecord({ request, evalCase, result, price, replayed: results.replayed.has(key) }),
      );
    }
  }
  return summarize({
    runId: state.runId,
    createdAt: state.createdAt,
    backend: state.backend,
    sdkVersion: SDK_VERSION,
    suites: project.suites.map((s) => ({
      name: s.name,
      file: s.file,
      passThreshold: s.passThreshold,
      caseCount: s.cases.length,
    })),
    models: compiled.modelOrder,
    results: records,
    batches: new Map(compiled.modelOrder.map((m) => [m, batchRecords(state, m)])),
  });
}

/**
 * Writes the reporters' files (by default json and html: report.json and index.html) and points
 * `latest` at the run. Pass the result of `chooseReporters`, which always includes json.
 */
export async function writeOutputs(
  store: RunStore,
  outDir: string,
  report: Report,
  reporters: readonly Reporter[] = DEFAULT_REPORTERS.map((name) => REPORTERS[name]),
): Promise<string[]> {
  const written = await writeReports(store.dir, report, reporters);
  await store.linkLatest(outDir, report.runId);
  return written;
}
