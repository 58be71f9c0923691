/**
 * A run as a library call: load → compile → (resume or start a run) → submit, poll, collect,
 * retry → grade (with grader batches for model-graded assertions) → price → summarize → write.
 * `batcheval run` is this function with flags mapped to options and the report printed.
 */
import { resolve } from "node:path";
import { tagPlan } from "../compile/custom-id.js";
import type { ModelPlan } from "../compile/types.js";
import { requirePrice } from "../cost/pricing.js";
import { warmupRequests } from "../cost/warmup-plan.js";
import { BatchevalError, ExitCode, fromFileError } from "../errors.js";
import { GraderRegistry, type GraderTable } from "../grade/registry.js";
import { baselineSummary, type Comparison, compareReports } from "../report/compare.js";
import { type GateVerdict, judgeGate } from "../report/gate.js";
import type { Report } from "../report/types.js";
import { findUnanswered } from "../report/unanswered.js";
import { chooseBackend, isCi } from "../runner/backend.js";
import { ResultCache } from "../runner/result-cache.js";
import { type LaneRequests, runBatches } from "../runner/run-batches.js";
import type { RunOptions } from "../runner/run-context.js";
import { DEFAULT_REPLY_PREFIX } from "../sim/respond.js";
import { formatDiagnostics } from "../source/diagnostics.js";
import type { Diagnostic } from "../source/types.js";
import { type CompiledRun, compileRun } from "./compile-run.js";
import { gradeRun } from "./grade-run.js";
import { graderCacheWarnings, graderPlans, graderSource } from "./grader-questions.js";
import { type RunIo, runIo, todayOf } from "./io.js";
import { loadProject, type Project, throwOnErrors } from "./load-project.js";
import { type OpenBackend, openBackend } from "./open-backend.js";
import {
  checkGiven,
  type RunFlags,
  type RunSettings,
  resolveSettings,
  resumeCommand,
} from "./options.js";
import { provenanceOf } from "./provenance.js";
import { readReportAt } from "./read-report.js";
import { reportOf, writeOutputs } from "./report-run.js";
import { type Started, startOrResume } from "./start-run.js";
import { resolveReporters } from "./write-reports.js";

export interface RunEvalOptions extends RunFlags {
  /** Suite files, folders or globs; none: the config's `evals` glob. */
  paths?: string[];
  /** Assertion types of your own beside the built-in ones (a model-graded one, say). */
  graders?: GraderTable;
}

export interface RunEvalResult {
  /** The report; undefined when the run detached before its results came. */
  report: Report | undefined;
  runDir: string;
  /**
   * 0 when a model is recommended (or the run detached), 1 when the gate fails or, with
   * `baseline`, when some model × suite regressed against it.
   */
  exitCode: number;
  /** Why the gate failed, when it did. */
  gate: GateVerdict | undefined;
  /** The run compared with `baseline`, when one was given and the run reported. */
  comparison: Comparison | undefined;
  /** The output files written. */
  written: string[];
  /** The command that continues this run. */
  resumeCommand: string;
}

/** Everything a run works from, once the suites are loaded and the backend is open. */
interface RunInputs {
  options: RunEvalOptions;
  settings: RunSettings;
  compiled: CompiledRun;
  project: Project;
  backend: OpenBackend;
  graders: GraderRegistry;
  /** The questions the model-graded assertions would ask: for the budget and the warnings. */
  graderQuestions: ModelPlan[];
  /** The report `--baseline` names, read before anything is sent. */
  baseline: Report | undefined;
  io: RunIo;
}

const NOTHING_SUBMITTED = "Nothing was submitted. Fix the errors above and run again.";

/** Logs the warnings; throws `invalid_suite` carrying every diagnostic when one is an error. */
function requireNoErrors(diagnostics: readonly Diagnostic[], io: RunIo): void {
  throwOnErrors(diagnostics, NOTHING_SUBMITTED);
  if (diagnostics.length > 0) io.log(`${formatDiagnostics(diagnostics)}\n`);
}

/** Stops before the run starts: nothing was written or sent yet. */
function checkStop(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  throw new BatchevalError("interrupted", "Interrupted before anything was submitted.", {
    hint: "Nothing was written or sent; run the same command again to start.",
  });
}

/** The runner's options for this run: settings, cache, progress, stages and the stop signal. */
function runnerOptions(inputs: RunInputs, started: Started): RunOptions {
  const { project, backend, io } = inputs;
  const { settings, state } = started;
  const poll = pollIntervals(settings, backend.batchesMayVanish);
  return {
    maxAttempts: settings.maxAttempts,
    detach: settings.detach,
    warmupFor: (model, requests) =>
      warmupRequests(requests, requirePrice(project.pricing, model), settings.warmup),
    // --no-cache: nothing is read from the result cache or written to it.
    ...(settings.cache
      ? {
          cache: {
            store: ResultCache.open(resolve(io.cwd, settings.cacheDir)),
            read: true,
            origin: state.origin,
          },
        }
      : {}),
    ...poll,
    batchesMayVanish: backend.batchesMayVanish,
    canonicalModel: (model) => project.pricing.lookup(model)?.model,
    ...(io.onProgress ? { onProgress: io.onProgress } : {}),
    ...(io.onStage ? { onStage: io.onStage } : {}),
    log: (line) => io.log(`${line}\n`),
    ...(io.signal ? { signal: io.signal } : {}),
    now: io.now,
  };
}

/**
 * Real batches take minutes to hours: poll gently. The embedded simulator ends batches in
 * milliseconds. `--poll-interval` sets the first interval.
 */
function pollIntervals(settings: RunSettings, embedded: boolean) {
  const { first, max } = embedded ? { first: 25, max: 250 } : { first: 5_000, max: 60_000 };
  const start = settings.pollInterval ?? first;
  return { pollIntervalMs: start, maxPollIntervalMs: Math.max(start, max) };
}

/** Where a run stands when it stops in `phase`. */
function standing(phase: "batches" | "grading", backend: OpenBackend): string {
  if (phase === "grading") {
    return "Every result is downloaded and saved: continuing grades and reports without sending anything.";
  }
  return backend.batchesMayVanish
    ? "The embedded simulator's batches stopped with it; resuming sends them again, at no cost."
    : "Batches already submitted keep running on the API.";
}

/** A run's error, with where things stand and the command that continues the run. */
function resumable(
  error: unknown,
  inputs: RunInputs,
  started: Started,
  phase: "batches" | "grading",
): unknown {
  const known = error instanceof BatchevalError ? error : fromFileError(error);
  if (known === undefined) return error;
  const where = standing(phase, inputs.backend);
  const message = known.code === "interrupted" ? `${known.message} ${where}` : known.message;
  const resume = resumeCommand(inputs.options.paths ?? [], inputs.options, started.state.runId);
  return new BatchevalError(known.code, message, {
    hint: `${known.hint ? `${known.hint}\n` : ""}State is saved in ${started.store.dir}. Continue with: ${resume}`,
    cause: known,
  });
}

/** Says how many requests the simulator answered with its default reply, for lack of a fixture. */
function warnUnanswered(report: Report, io: RunIo): void {
  const { count, total, examples } = findUnanswered(report.results, DEFAULT_REPLY_PREFIX);
  if (count === 0) return;
  const more = count > examples.length ? `, and ${count - examples.length} more` : "";
  io.log(
    `warning: ${count} of ${total} requests matched no simulator fixture and were graded on the default reply (${examples.join(", ")}${more}).\nhint: add fixture rules for them (see "Fixture format" in the README), or check sim.fixtures in batcheval.config.yaml.\n`,
  );
}

/**
 * The inputs with the plan's custom_ids replaced by the ones this run sends (its tag in front;
 * see compile/custom-id.ts). The plan hash is taken before, from the untagged plan, since the
 * run is not chosen yet then; results and the report use the tagged ids, as sent. The run owns
 * its compiled plan, so the tagged plan takes the untagged one's place: 300,000 requests are
 * not held twice.
 */
function asSent(inputs: RunInputs, started: Started): RunInputs {
  inputs.compiled.plan = tagPlan(inputs.compiled.plan, started.state.customIdTag);
  return { ...inputs, settings: started.settings };
}

async function execute(untagged: RunInputs): Promise<RunEvalResult> {
  const started = await startOrResume({ given: untagged.options, ...untagged });
  const inputs = asSent(untagged, started);
  const runner = runnerOptions(inputs, started);
  try {
    return await complete(inputs, started, runner);
  } finally {
    // The cache's log is written out before the run returns (and the CLI exits).
    await runner.cache?.store.close();
  }
}

/** Runs the batches, grades, reports: the run once it is started and its runner set up. */
async function complete(
  inputs: RunInputs,
  started: Started,
  runner: RunOptions,
): Promise<RunEvalResult> {
  const { compiled, backend, project, io } = inputs;
  const { store, state } = started;
  const resume = resumeCommand(inputs.options.paths ?? [], inputs.options, state.runId);
  const detached: RunEvalResult = {
    report: undefined,
    runDir: store.dir,
    exitCode: ExitCode.ok,
    gate: undefined,
    comparison: undefined,
    written: [],
    resumeCommand: resume,
  };
  const run = (lanes: LaneRequests[]) => runBatches(backend.api, lanes, store, state, runner);
  const evalLanes = compiled.plan.models.map(({ model, requests }) => ({
    model,
    purpose: "eval" as const,
    requests,
  }));
  try {
    const outcome = await run(evalLanes);
    io.onPhase?.("batches");
    if (outcome === "detached") return detached;
  } catch (error) {
    throw resumable(error, inputs, started, "batches");
  }
  let report: Report;
  try {
    const graded = await gradeRun({
      compiled,
      project,
      store,
      state,
      graders: inputs.graders,
      answer: run,
      ...(io.signal ? { signal: io.signal } : {}),
    });
    if (graded === "detached") return detached;
    const provenance = await provenanceOf(project, state, {
      cwd: io.cwd,
      now: io.now(),
      ...(io.command === undefined ? {} : { command: io.command }),
    });
    report = reportOf(compiled, graded, project, state, provenance);
    io.onPhase?.("grade");
    state.status = "graded";
    await store.save(state);
  } catch (error) {
    throw resumable(error, inputs, started, "grading");
  }
  // Compared before the outputs are written, so that report.json and the page show the flips.
  const comparison =
    inputs.baseline === undefined
      ? undefined
      : compareReports(inputs.baseline, report, inputs.settings.tolerance);
  if (comparison !== undefined) report.baseline = baselineSummary(comparison);
  const reporters = resolveReporters(inputs.settings.reporter, project.config);
  const written = await writeOutputs(
    store,
    resolve(io.cwd, inputs.settings.out),
    report,
    reporters,
    io,
  );
  state.status = "reported";
  await store.save(state);
  io.onPhase?.("report");
  if (state.backend === "sim") warnUnanswered(report, io);
  const gate = judgeGate(report, project.strict || inputs.settings.strict);
  const regressed = comparison !== undefined && comparison.regressions > 0;
  const exitCode = gate.pass && !regressed ? ExitCode.ok : ExitCode.gateFailed;
  return {
    report,
    runDir: store.dir,
    exitCode,
    gate,
    comparison,
    written,
    resumeCommand: resume,
  };
}

/**
 * Runs the suites and writes the report. Bad input (a suite error, a retired or unpriced
 * model, a bad option) throws `BatchevalError` with code `bad_input` before anything is sent;
 * its `diagnostics` say where. A run that cannot finish throws an error whose hint holds the
 * command that continues it; the run directory keeps everything done so far.
 */
export async function runEval(
  options: RunEvalOptions = {},
  partialIo: Partial<RunIo> = {},
): Promise<RunEvalResult> {
  const io = runIo(partialIo);
  checkGiven(options);
  const graders = new GraderRegistry(options.graders);
  const project = await loadProject(options.paths ?? [], io.cwd, options.config, {
    today: todayOf(io),
    strictFlag: options.strict === true,
    ci: isCi(io.env),
    graders,
  });
  requireNoErrors(project.diagnostics, io);
  io.onPhase?.("load");
  checkStop(io.signal);
  const settings = resolveSettings(options, project.config);
  const compiled = compileRun(project.suites, project, settings);
  const graderQuestions = graderPlans(compiled.plan, compiled.cases, graders);
  const graderWarnings = graderCacheWarnings(graderQuestions, graderSource(project));
  requireNoErrors([...compiled.plan.diagnostics, ...graderWarnings], io);
  io.onPhase?.("compile");
  if (options.tolerance !== undefined && settings.baseline === undefined) {
    throw new BatchevalError("bad_input", "--tolerance applies to a comparison with --baseline.", {
      hint: "Add --baseline with the report.json (or run directory) to compare with, or leave --tolerance out.",
    });
  }
  // A missing or unreadable baseline is bad input found before anything is paid for.
  const baseline =
    settings.baseline === undefined ? undefined : await readReportAt(io.cwd, settings.baseline);
  const choice = chooseBackend({
    flag: options.backend,
    config: project.config.backend,
    env: io.env,
  });
  if (settings.detach && choice.backend === "sim") {
    throw new BatchevalError("bad_input", "--detach needs batches that outlive this process.", {
      hint: "The embedded simulator stops with the process. Start `batcheval sim` and run with --backend anthropic and ANTHROPIC_BASE_URL set to its URL.",
    });
  }
  if (choice.banner) io.log(`${choice.banner}\n`);
  const backend = await openBackend(choice.backend, project, io);
  try {
    checkStop(io.signal);
    return await execute({
      options,
      settings,
      compiled,
      project,
      backend,
      graders,
      graderQuestions,
      baseline,
      io,
    });
  } finally {
    await backend.close();
  }
}
