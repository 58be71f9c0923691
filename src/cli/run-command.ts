/**
 * `batcheval run`: load → compile → submit/poll/collect → grade → price → summarize → write.
 * Returns the exit code: 0 when a model is recommended, 1 when none meets the thresholds,
 * 2 for bad input (nothing submitted), 3 when the run could not finish.
 */
import { dirname, resolve } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { VERSION as SDK_VERSION } from "@anthropic-ai/sdk/version";
import { planBatches, type SuiteCases } from "../compile/plan-batches.js";
import type { BatchPlan } from "../compile/types.js";
import type { BackendName } from "../config/types.js";
import { requirePrice } from "../cost/pricing.js";
import { ExitCode } from "../errors.js";
import { buildRecord } from "../report/build-records.js";
import { renderHtml } from "../report/render-html.js";
import { renderJson } from "../report/render-json.js";
import { renderTerminal } from "../report/render-terminal.js";
import { summarize } from "../report/summarize.js";
import type { Report, ResultRecord } from "../report/types.js";
import { chooseBackend } from "../runner/backend.js";
import {
  batchRecords,
  plannedBatches,
  type ResultsByKey,
  resultKey,
  runBatches,
} from "../runner/run-batches.js";
import { newRunId, type RunState, RunStore } from "../runner/run-store.js";
import { loadFixtures } from "../sim/fixtures.js";
import { startSimulator } from "../sim/server.js";
import { formatDiagnostics } from "../suite/diagnostics.js";
import { expandSuite } from "../suite/expand.js";
import type { EvalCase, Suite } from "../suite/types.js";
import type { CliIo } from "./io.js";
import { loadProject, type Project } from "./load-project.js";
import { progressReporter } from "./progress.js";
import { type RunFlags, type RunSettings, resolveRunSettings } from "./run-options.js";

export interface RunCommandOptions extends RunFlags {
  paths: string[];
  config?: string;
}

interface Compiled {
  plan: BatchPlan;
  cases: Map<string, EvalCase>;
  modelOrder: string[];
}

function caseKey(suite: string, caseId: string): string {
  return `${suite}\u0000${caseId}`;
}

/** Expands and compiles the suites; `--models` and `--repeat` apply here. */
function compile(suites: readonly Suite[], project: Project, settings: RunSettings): Compiled {
  const cases = new Map<string, EvalCase>();
  const entries: SuiteCases[] = suites.map((suite) => {
    const expanded = expandSuite(suite).map((c) =>
      settings.repeatOverride === undefined ? c : { ...c, repeat: settings.repeatOverride },
    );
    for (const c of expanded) cases.set(caseKey(c.suite, c.caseId), c);
    const models =
      settings.modelOverride ?? (suite.models.length > 0 ? suite.models : project.config.models);
    return { suite: suite.name, models, cases: expanded };
  });
  const modelOrder = [...new Set(entries.flatMap((e) => e.models))];
  for (const model of modelOrder) requirePrice(project.pricing, model);
  return { plan: planBatches(entries), cases, modelOrder };
}

/** An SDK client for the chosen backend; the simulator is started in-process when needed. */
async function openClient(backend: BackendName, project: Project, io: CliIo) {
  if (backend === "anthropic") {
    const client = new Anthropic({
      apiKey: io.env.ANTHROPIC_API_KEY ?? null,
      authToken: io.env.ANTHROPIC_AUTH_TOKEN ?? null,
      baseURL: io.env.ANTHROPIC_BASE_URL ?? null,
    });
    return { client, close: async () => undefined };
  }
  const root = project.config.file ? dirname(resolve(io.cwd, project.config.file)) : io.cwd;
  const rules = await loadFixtures(project.config.sim.fixtures, root);
  const sim = await startSimulator({ rules });
  const client = new Anthropic({ apiKey: "sim", baseURL: sim.url });
  return { client, close: () => sim.close() };
}

function buildReport(
  compiled: Compiled,
  results: ResultsByKey,
  project: Project,
  state: RunState,
): Report {
  const records: ResultRecord[] = [];
  for (const { model, chunks } of compiled.plan.models) {
    const price = requirePrice(project.pricing, model);
    for (const request of chunks.flat()) {
      const evalCase = compiled.cases.get(caseKey(request.suite, request.caseId));
      if (evalCase === undefined) throw new Error(`no case for ${request.customId}`);
      const result = results.get(resultKey(model, request.customId));
      records.push(buildRecord({ request, evalCase, result, price }));
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

async function writeOutputs(store: RunStore, outDir: string, report: Report): Promise<string[]> {
  const written = [
    await store.writeOutput("report.json", renderJson(report)),
    await store.writeOutput("index.html", renderHtml(report)),
  ];
  await store.linkLatest(outDir, report.runId);
  return written;
}

export async function runCommand(options: RunCommandOptions, io: CliIo): Promise<number> {
  const project = await loadProject(options.paths, io.cwd, options.config);
  if (project.diagnostics.length > 0) io.err(`${formatDiagnostics(project.diagnostics)}\n`);
  if (!project.ok) {
    io.err("Nothing was submitted. Fix the errors above and run again.\n");
    return ExitCode.badInput;
  }
  const settings = resolveRunSettings(options, project.config);
  const compiled = compile(project.suites, project, settings);
  if (compiled.plan.warnings.length > 0) io.err(`${formatDiagnostics(compiled.plan.warnings)}\n`);
  const choice = chooseBackend({
    flag: settings.backendFlag,
    config: settings.backendConfig,
    env: io.env,
  });
  if (choice.banner) io.err(`${choice.banner}\n`);

  const outDir = resolve(io.cwd, settings.outDir);
  const now = new Date();
  const runId = settings.runId ?? newRunId(now);
  const store = await RunStore.create(outDir, runId);
  const state: RunState = {
    version: 1,
    runId,
    createdAt: now.toISOString(),
    status: "planned",
    backend: choice.backend,
    suites: project.suites.map((s) => s.name),
    models: compiled.modelOrder,
    batches: plannedBatches(compiled.plan),
  };
  await store.save(state);
  const requestCount = state.batches.reduce((n, b) => n + b.requestCount, 0);
  io.err(
    `Run ${runId}: ${requestCount} requests in ${state.batches.length} batches (${compiled.modelOrder.join(", ")})\n`,
  );

  const { client, close } = await openClient(choice.backend, project, io);
  const progress = progressReporter(io);
  let results: ResultsByKey;
  try {
    results = await runBatches(client, compiled.plan, store, state, {
      pollIntervalMs: settings.pollIntervalMs(choice.backend),
      maxPollIntervalMs: settings.maxPollIntervalMs(choice.backend),
      onProgress: progress.onProgress,
    });
  } finally {
    progress.finish();
    await close();
  }

  const report = buildReport(compiled, results, project, state);
  state.status = "graded";
  await store.save(state);
  const written = await writeOutputs(store, outDir, report);
  state.status = "reported";
  await store.save(state);
  io.out(renderTerminal(report, { color: io.isTty }));
  io.out(`Wrote ${written.join(", ")}\n`);
  return report.recommendation.model === null ? ExitCode.gateFailed : ExitCode.ok;
}
