/**
 * Starting a run, or finding the one to resume: a new run gets its directory, its run.json (with
 * the settings it starts with) and the `latest` link; a resumed one goes on with the settings
 * recorded when it started.
 */
import { resolve } from "node:path";
import { runTag } from "../compile/custom-id.js";
import type { ModelPlan } from "../compile/types.js";
import { estimatePlan, worstCaseBatchCost } from "../cost/estimate.js";
import { BatchevalError } from "../errors.js";
import { formatUsd } from "../report/format.js";
import { findRun, planHash } from "../runner/find-run.js";
import { newRunId, type RunState, RunStore } from "../runner/run-store.js";
import type { CompiledRun } from "./compile-run.js";
import type { RunIo } from "./io.js";
import type { Project } from "./load-project.js";
import type { OpenBackend } from "./open-backend.js";
import { type RunFlags, type RunSettings, recordSettings, resolveSettings } from "./options.js";

export interface Started {
  store: RunStore;
  state: RunState;
  /** The settings the run goes on with: those recorded when it started, when it is resumed. */
  settings: RunSettings;
}

/** Refuses a new run whose worst-case batch cost exceeds `--max-cost`. */
function checkBudget(
  compiled: CompiledRun,
  project: Project,
  questions: readonly ModelPlan[],
  maxCost: number | undefined,
): void {
  if (maxCost === undefined) return;
  const worst = worstCaseBatchCost(estimatePlan(compiled.plan, project.pricing, questions));
  if (worst <= maxCost) return;
  throw new BatchevalError(
    "over_budget",
    `The run could cost up to ${formatUsd(worst)} in batch (output at max_tokens, no cache hits), above --max-cost ${formatUsd(maxCost)}. Nothing was submitted.`,
    {
      hint: "Run `batcheval estimate` for the breakdown; lower max_tokens, run fewer models, or raise --max-cost.",
    },
  );
}

export interface StartInputs {
  given: RunFlags;
  settings: RunSettings;
  compiled: CompiledRun;
  project: Project;
  backend: OpenBackend;
  /** The questions model-graded assertions would ask (they count in the budget). */
  graderQuestions: readonly ModelPlan[];
  io: RunIo;
}

/** Resumes the run these requests belong to, or starts one. */
export async function startOrResume(inputs: StartInputs): Promise<Started> {
  const { given, settings, compiled, project, backend, io } = inputs;
  const outDir = resolve(io.cwd, settings.out);
  const hash = planHash(compiled.plan, backend.origin);
  const choice = await findRun({
    outDir,
    planHash: hash,
    runId: settings.runId,
    fresh: settings.fresh,
  });
  if (choice.kind === "resume") {
    const opened = await RunStore.open(choice.dir);
    const resumed = resolveSettings(given, project.config, opened.state.settings);
    if (resumed.override) {
      opened.state.settings = recordSettings(resumed);
      await opened.store.save(opened.state);
    }
    io.log(`Resuming run ${choice.state.runId} (status ${choice.state.status}).\n`);
    return { ...opened, settings: resumed };
  }
  if (choice.note) io.log(`${choice.note}\n`);
  checkBudget(compiled, project, inputs.graderQuestions, settings.maxCost);
  const now = io.now();
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
    settings: recordSettings(settings),
    batches: [],
  };
  await store.save(state);
  // `latest` follows the newest run from its start, so `batcheval status reports/latest` works.
  await store.linkLatest(outDir, runId);
  const count = compiled.plan.models.reduce((n, m) => n + m.requests.length, 0);
  io.log(`Run ${runId}: ${count} requests on ${compiled.modelOrder.join(", ")}\n`);
  return { store, state, settings };
}
