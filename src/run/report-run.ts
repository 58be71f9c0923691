/** The end of a run: the summary of its graded, priced records, and its output files. */
import { createHash } from "node:crypto";
import { VERSION as SDK_VERSION } from "@anthropic-ai/sdk/version";
import type { Reporter } from "../report/reporters.js";
import { type CaseRule, summarize } from "../report/summarize.js";
import type { BatchRecord, CaseInput, Provenance, Report } from "../report/types.js";
import { type Purpose, purposeOf, type RunState, type RunStore } from "../runner/run-store.js";
import { samplesToPass } from "../suite/sample-pass.js";
import type { EvalCase } from "../suite/types.js";
import { type CompiledRun, caseKey } from "./compile-run.js";
import type { GradedRun } from "./grade-run.js";
import type { Project } from "./load-project.js";
import { type ReportSurroundings, writeReports } from "./write-reports.js";

/** A model's batches of a purpose (eval by default) for the report: every one that reached the API. */
export function batchRecords(
  state: RunState,
  model: string,
  purpose: Purpose = "eval",
): BatchRecord[] {
  return state.batches.flatMap((b) =>
    b.model === model && purposeOf(b) === purpose && b.id !== null && b.processingStatus !== "lost"
      ? [
          {
            id: b.id,
            kind: b.kind,
            attempt: b.attempt,
            requests: b.requestCount,
            processingStatus: b.processingStatus === "planned" ? "in_progress" : b.processingStatus,
            createdAt: b.createdAt ?? "",
            endedAt: b.endedAt,
          },
        ]
      : [],
  );
}

/** The report of a graded run. */
export function reportOf(
  compiled: CompiledRun,
  graded: GradedRun,
  project: Project,
  state: RunState,
  provenance?: Provenance,
): Report {
  const repeats = new Map<string, number>();
  for (const c of compiled.cases.values()) repeats.set(c.suite, c.repeat);
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
      repeat: repeats.get(s.name) ?? s.repeat,
    })),
    // A run of single samples asks nothing per result.
    ...([...repeats.values()].some((repeat) => repeat > 1)
      ? { samples: (suite, caseId) => caseRule(compiled.cases.get(caseKey(suite, caseId))) }
      : {}),
    ...(provenance === undefined ? {} : { provenance }),
    inputs: [...compiled.cases.values()].map(caseInput),
    models: compiled.modelOrder,
    results: graded.records,
    batches: new Map(compiled.modelOrder.map((m) => [m, batchRecords(state, m)])),
    graderCost: graded.graderCost,
    graders: graded.graders.map((g) => ({
      ...g,
      batches: batchRecords(state, g.model, "grader"),
    })),
  });
}

/** Rendered messages longer than this (in characters, all turns) are hashed in the report. */
export const PROMPT_CHARS = 4000;

/** A case's inputs for the report: its vars, its messages (or their hash), its assertions. */
function caseInput(c: EvalCase): CaseInput {
  const chars = c.messages.reduce((n, m) => n + m.content.length, 0);
  const messages =
    chars <= PROMPT_CHARS
      ? { messages: c.messages }
      : {
          messagesSha256: createHash("sha256").update(JSON.stringify(c.messages)).digest("hex"),
          messagesChars: chars,
        };
  return {
    suite: c.suite,
    caseId: c.caseId,
    vars: c.vars,
    ...messages,
    assert: c.assert.map((a) => ({
      type: a.type,
      ...("value" in a ? { value: a.value } : {}),
      ...(a.weight === undefined ? {} : { weight: a.weight }),
      ...(a.threshold === undefined ? {} : { threshold: a.threshold }),
      ...(a.metric === undefined ? {} : { metric: a.metric }),
    })),
  };
}

/** A case's samples and its `pass:` rule, for the report; undefined for a single sample. */
function caseRule(evalCase: EvalCase | undefined): CaseRule | undefined {
  if (evalCase === undefined || evalCase.repeat <= 1) return undefined;
  const toPass = samplesToPass(evalCase.pass, evalCase.repeat);
  return toPass === undefined ? { repeat: evalCase.repeat } : { repeat: evalCase.repeat, toPass };
}

/**
 * Writes every chosen reporter's files (and the job summary, see `writeReports`), and points
 * `latest` at the run.
 */
export async function writeOutputs(
  store: RunStore,
  outDir: string,
  report: Report,
  reporters: readonly Reporter[],
  surroundings: ReportSurroundings,
): Promise<string[]> {
  const written = await writeReports(store.dir, report, reporters, surroundings);
  await store.linkLatest(outDir, report.runId);
  return written;
}
