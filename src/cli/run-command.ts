/**
 * `batcheval run`: load → compile → (resume or start a run) → submit/poll/collect/retry →
 * grade → price → summarize → write. Returns the exit code: 0 when a model is recommended (or
 * the run detached), 1 when none meets the thresholds, 2 for bad input (nothing submitted),
 * 3 when the run could not finish (it can be resumed).
 */
import { resolve } from "node:path";
import { runTag, tagPlan } from "../compile/custom-id.js";
import { estimatePlan, worstCaseBatchCost } from "../cost/estimate.js";
import { requirePrice } from "../cost/pricing.js";
import { warmupRequests } from "../cost/warmup-plan.js";
import { BatchevalError, ExitCode, fromFileError } from "../errors.js";
import { formatUsd } from "../report/format.js";
import { judgeGate } from "../report/gate.js";
import { renderTerminal } from "../report/render-terminal.js";
import type { Report } from "../report/types.js";
import { findUnanswered } from "../report/unanswered.js";
import { chooseBackend, isCi } from "../runner/backend.js";
import { findRun, planHash } from "../runner/find-run.js";
import { ResultCache } from "../runner/result-cache.js";
import { collectedResults, runBatches } from "../runner/run-batches.js";
import type { RunOptions, RunStage } from "../runner/run-context.js";
import { newRunId, type RunState, RunStore } from "../runner/run-store.js";
import { DEFAULT_REPLY_PREFIX } from "../sim/respond.js";
import { formatDiagnostics, hasErrors } from "../source/diagnostics.js";
import { type CliIo, todayOf } from "./io.js";
import { loadProject, type Project } from "./load-project.js";
import { progressReporter } from "./progress.js";
import { type OpenBackend, openBackend } from "./run-backend.js";
import { type RunFlags, type RunSettings, resolveRunSettings } from "./run-options.js";
import { type CompiledRun, compileRun } from "./run-plan.js";
import { buildReport, writeOutputs } from "./run-report.js";

export interface RunCommandOptions extends RunFlags {
  paths: string[];
  config?: string;
}

/** Which requests a model sends alone first to warm the prompt cache. */
function warmupChooser(settings: RunSettings, project: Project): RunOptions["warmupFor"] {
  return (model, requests) =>
    warmupRequests(requests, requirePrice(project.pricing, model), settings.warmup);
}

/** The command that continues this run, for messages after a detach or an interruption. */
function resumeCommand(options: RunCommandOptions, runId: string): string {
  const parts = ["batcheval run", ...options.paths, "--run-id", runId];
  if (options.backend) parts.push("--backend", options.backend);
  if (options.out) parts.push("--out", options.out);
  if (options.config) parts.push("--config", options.config);
  if (options.models) parts.push("--models", options.models.join(","));
  if (options.repeat !== undefined) parts.push("--repeat", String(options.repeat));
  if (options.cacheDir) parts.push("--cache-dir", options.cacheDir);
  return parts.join(" ");
}

/** Refuses a new run whose worst-case batch cost exceeds `--max-cost`. */
function checkBudget(compiled: CompiledRun, project: Project, maxCost: number | undefined): void {
  if (maxCost === undefined) return;
  const worst = worstCaseBatchCost(estimatePlan(compiled.plan, project.pricing));
  if (worst <= maxCost) return;
  throw new BatchevalError(
    "over_budget",
    `The run could cost up to ${formatUsd(worst)} in batch (output at max_tokens, no cache hits), above --max-cost ${formatUsd(maxCost)}. Nothing was submitted.`,
    {
      hint: "Run `batcheval estimate` for the breakdown; lower max_tokens, run fewer models, or raise --max-cost.",
    },
  );
}

/** Test hook: `BATCHEVAL_FAILPOINT=<stage>` kills the process at that stage (crash tests). */
function failpoint(io: CliIo): ((stage: RunStage) => void) | undefined {
  const target = io.env.BATCHEVAL_FAILPOINT;
  if (!target) return undefined;
  return (stage) => {
    if (stage === target) process.kill(process.pid, "SIGKILL");
  };
}

interface Started {
  store: RunStore;
  state: RunState;
}

/** Everything a run works from, once the suites are loaded and the backend is open. */
interface RunInputs {
  /** Aborts on the first Ctrl-C: every phase stops at its next safe point. */
  signal: AbortSignal;
  options: RunCommandOptions;
  settings: RunSettings;
  compiled: CompiledRun;
  project: Project;
  backend: OpenBackend;
  io: CliIo;
}

async function startOrResume({
  settings,
  compiled,
  project,
  backend,
  io,
}: RunInputs): Promise<Started> {
  const outDir = resolve(io.cwd, settings.outDir);
  const hash = planHash(compiled.plan, backend.origin);
  const choice = await findRun({
    outDir,
    planHash: hash,
    runId: settings.runId,
    fresh: settings.fresh,
  });
  if (choice.kind === "resume") {
    io.err(`Resuming run ${choice.state.runId} (status ${choice.state.status}).\n`);
    return RunStore.open(choice.dir);
  }
  if (choice.note) io.err(`${choice.note}\n`);
  checkBudget(compiled, project, settings.maxCost);
  const now = new Date();
  const runId = choice.runId ?? newRunId(now);
  const store = await RunStore.create(outDir, runId);
  const state: RunState = {
    version: 1,
    runId,
    createdAt: now.toISOString(),
    status: "planned",
    backend: backend.origin.startsWith("sim:") ? "sim" : "anthropic",
    origin: backend.origin,
    planHash: hash,
    customIdTag: runTag(runId, now.toISOString()),
    suites: project.suites.map((s) => s.name),
    models: compiled.modelOrder,
    settings: { maxAttempts: settings.maxAttempts, cache: settings.cache, warmup: settings.warmup },
    batches: [],
  };
  await store.save(state);
  // `latest` follows the newest run from its start, so `batcheval status reports/latest` works.
  await store.linkLatest(outDir, runId);
  const count = compiled.plan.models.reduce((n, m) => n + m.chunks.flat().length, 0);
  io.err(`Run ${runId}: ${count} requests on ${compiled.modelOrder.join(", ")}\n`);
  return { store, state };
}

/** The runner's options for this run: flags, cache, progress, failpoints and Ctrl-C. */
function runnerOptions(
  { settings, project, backend, io, signal }: RunInputs,
  state: RunState,
  onProgress: RunOptions["onProgress"],
): RunOptions {
  const onStage = failpoint(io);
  return {
    maxAttempts: settings.maxAttempts,
    detach: settings.detach,
    warmupFor: warmupChooser(settings, project),
    cache: {
      store: ResultCache.open(resolve(io.cwd, settings.cacheDir)),
      read: settings.cache,
      origin: backend.origin,
    },
    pollIntervalMs: settings.pollIntervalMs(state.backend),
    maxPollIntervalMs: settings.maxPollIntervalMs(state.backend),
    batchesMayVanish: backend.batchesMayVanish,
    canonicalModel: (model) => project.pricing.lookup(model)?.model,
    ...(onProgress ? { onProgress } : {}),
    ...(onStage ? { onStage } : {}),
    log: (line) => io.err(`${line}\n`),
    signal,
  };
}

/** Where a run stands when it stops in `phase`. */
function standing(phase: "batches" | "grading", inputs: RunInputs): string {
  if (phase === "grading") {
    return "Every result is downloaded and saved: continuing grades and reports without sending anything.";
  }
  return inputs.backend.batchesMayVanish
    ? "The embedded simulator's batches stopped with it; resuming sends them again, at no cost."
    : "Batches already submitted keep running on the API.";
}

/** A run's error, with where things stand and the command that continues the run. */
function resumable(
  error: BatchevalError,
  inputs: RunInputs,
  store: RunStore,
  runId: string,
  phase: "batches" | "grading",
) {
  const where = standing(phase, inputs);
  const message = error.code === "interrupted" ? `${error.message} ${where}` : error.message;
  const resume = resumeCommand(inputs.options, runId);
  return new BatchevalError(error.code, message, {
    hint: `${error.hint ? `${error.hint}\n` : ""}State is saved in ${store.dir}. Continue with: ${resume}`,
    cause: error,
  });
}

/** Says how many requests the simulator answered with its default reply, for lack of a fixture. */
function warnUnanswered(report: Report, io: CliIo): void {
  const { count, total, examples } = findUnanswered(report.results, DEFAULT_REPLY_PREFIX);
  if (count === 0) return;
  const more = count > examples.length ? `, and ${count - examples.length} more` : "";
  io.err(
    `warning: ${count} of ${total} requests matched no simulator fixture and were graded on the default reply (${examples.join(", ")}${more}).\nhint: add fixture rules for them (see "Fixture format" in the README), or check sim.fixtures in batcheval.config.yaml.\n`,
  );
}

/** Grades, prices and reports a run whose results are all collected. */
async function finish(inputs: RunInputs, store: RunStore, state: RunState): Promise<number> {
  let report: Report;
  try {
    report = await gradeRun(inputs, store, state);
  } catch (error) {
    const known = error instanceof BatchevalError ? error : fromFileError(error);
    throw known ? resumable(known, inputs, store, state.runId, "grading") : error;
  }
  return reportRun(inputs, store, state, report);
}

async function gradeRun(inputs: RunInputs, store: RunStore, state: RunState): Promise<Report> {
  const { compiled, project, signal } = inputs;
  const results = await collectedResults(store, state, compiled.modelOrder);
  return buildReport(compiled, results, project, state, signal);
}

async function reportRun(
  inputs: RunInputs,
  store: RunStore,
  state: RunState,
  report: Report,
): Promise<number> {
  const { project, settings, io } = inputs;
  state.status = "graded";
  await store.save(state);
  const written = await writeOutputs(store, resolve(io.cwd, settings.outDir), report);
  state.status = "reported";
  await store.save(state);
  io.out(renderTerminal(report, { color: io.isTty }));
  io.out(`Wrote ${written.join(", ")}\n`);
  if (state.backend === "sim") warnUnanswered(report, io);
  const gate = judgeGate(report, project.strict);
  for (const reason of gate.pass ? [] : gate.reasons) io.err(`Gate failed: ${reason}\n`);
  return gate.pass ? ExitCode.ok : ExitCode.gateFailed;
}

/**
 * The inputs with the plan's custom_ids replaced by the ones this run sends (its tag in front;
 * see compile/custom-id.ts). The plan hash is taken before, from the untagged plan, since the
 * run is not chosen yet then; results and the report use the tagged ids, as sent.
 */
function asSent(inputs: RunInputs, state: RunState): RunInputs {
  const plan = tagPlan(inputs.compiled.plan, state.customIdTag);
  return { ...inputs, compiled: { ...inputs.compiled, plan } };
}

async function execute(untagged: RunInputs): Promise<number> {
  const { store, state } = await startOrResume(untagged);
  const inputs = asSent(untagged, state);
  const { options, compiled, backend, io } = inputs;
  const progress = progressReporter(io);
  let outcome: "complete" | "detached";
  try {
    const runner = runnerOptions(inputs, state, progress.onProgress);
    outcome = await runBatches(backend.client, compiled.plan, store, state, runner);
  } catch (error) {
    const known = error instanceof BatchevalError ? error : fromFileError(error);
    throw known ? resumable(known, inputs, store, state.runId, "batches") : error;
  } finally {
    progress.finish();
  }
  if (outcome === "complete") return finish(inputs, store, state);
  io.out(`Submitted. The batches run on the API; check them with: batcheval status ${store.dir}\n`);
  io.out(`Collect and report with: ${resumeCommand(options, state.runId)}\n`);
  return ExitCode.ok;
}

/** Stops before the run starts: nothing was written or sent yet. */
function checkStop(signal: AbortSignal): void {
  if (!signal.aborted) return;
  throw new BatchevalError("interrupted", "Interrupted before anything was submitted.", {
    hint: "Nothing was written or sent; run the same command again to start.",
  });
}

export async function runCommand(options: RunCommandOptions, io: CliIo): Promise<number> {
  // Listening from the first moment: a Ctrl-C while loading stops cleanly, with a message.
  const stop = new AbortController();
  void io.interrupted.then(() => stop.abort());
  const project = await loadProject(options.paths, io.cwd, options.config, {
    today: todayOf(io),
    strictFlag: options.strict === true,
    ci: isCi(io.env),
  });
  if (project.diagnostics.length > 0) io.err(`${formatDiagnostics(project.diagnostics)}\n`);
  if (!project.ok) {
    io.err("Nothing was submitted. Fix the errors above and run again.\n");
    return ExitCode.badInput;
  }
  checkStop(stop.signal);
  const settings = resolveRunSettings(options, project.config);
  const compiled = compileRun(project.suites, project, settings);
  const noticed = compiled.plan.diagnostics;
  if (noticed.length > 0) io.err(`${formatDiagnostics(noticed)}\n`);
  if (hasErrors(noticed)) {
    io.err("Nothing was submitted. Fix the errors above and run again.\n");
    return ExitCode.badInput;
  }
  const choice = chooseBackend({
    flag: settings.backendFlag,
    config: settings.backendConfig,
    env: io.env,
  });
  if (settings.detach && choice.backend === "sim") {
    throw new BatchevalError("bad_input", "--detach needs batches that outlive this process.", {
      hint: "The embedded simulator stops with the process. Start `batcheval sim` and run with --backend anthropic and ANTHROPIC_BASE_URL set to its URL.",
    });
  }
  if (choice.banner) io.err(`${choice.banner}\n`);
  const backend = await openBackend(choice.backend, project, io);
  try {
    checkStop(stop.signal);
    return await execute({
      signal: stop.signal,
      options,
      settings,
      compiled,
      project,
      backend,
      io,
    });
  } finally {
    await backend.close();
  }
}
