/**
 * `batcheval estimate`: load and compile exactly as `run` does, then print, per model, the
 * requests, estimated tokens and cost (sync / batch / batch+cache), the shared prefixes with the
 * warm-up decision, and with `--volume N` the cost of N requests a month. Submits nothing.
 * Returns the exit code: 0, or 2 for bad input.
 */
import { estimatePlan } from "../cost/estimate.js";
import { requirePrice } from "../cost/pricing.js";
import { planWarmup, type WarmupPlan } from "../cost/warmup-plan.js";
import { BatchevalError, ExitCode } from "../errors.js";
import { renderEstimate } from "../report/render-estimate.js";
import { formatDiagnostics, hasErrors } from "../source/diagnostics.js";
import { type CliIo, todayOf } from "./io.js";
import { loadProject } from "./load-project.js";
import { compileRun } from "./run-plan.js";

/** Arguments and flags of `batcheval estimate`. */
export interface EstimateCommandOptions {
  /** Suite files, folders or globs; none means the config's `evals` glob. */
  paths: string[];
  /** Project config file (default ./batcheval.config.yaml). */
  config?: string;
  /** Requests a month to project each model's cost to. */
  volume?: number;
  /** Models replacing every suite's own list (as `run --models`). */
  models?: string[];
  /** Samples per case replacing every suite's repeat (as `run --repeat`). */
  repeat?: number;
}

/** Runs `batcheval estimate`; throws BatchevalError for bad flags or an unpriced model. */
export async function estimateCommand(options: EstimateCommandOptions, io: CliIo): Promise<number> {
  checkFlags(options);
  const project = await loadProject(options.paths, io.cwd, options.config, {
    today: todayOf(io),
  });
  if (project.diagnostics.length > 0) io.err(`${formatDiagnostics(project.diagnostics)}\n`);
  if (!project.ok) {
    io.err("Nothing was estimated. Fix the errors above and run again.\n");
    return ExitCode.badInput;
  }
  // Compiled exactly as `run` compiles, so the estimate covers the requests run would submit.
  const modelOverride =
    options.models !== undefined && options.models.length > 0 ? options.models : undefined;
  const { plan } = compileRun(project.suites, project, {
    modelOverride,
    repeatOverride: options.repeat,
  });
  if (plan.diagnostics.length > 0) io.err(`${formatDiagnostics(plan.diagnostics)}\n`);
  if (hasErrors(plan.diagnostics)) return ExitCode.badInput;
  const estimate = estimatePlan(plan, project.pricing);
  const warmups = new Map<string, WarmupPlan>(
    plan.models.map(({ model, chunks }) => [
      model,
      planWarmup(chunks.flat(), requirePrice(project.pricing, model)),
    ]),
  );
  const render = options.volume === undefined ? { warmups } : { warmups, volume: options.volume };
  io.out(renderEstimate(estimate, render));
  return ExitCode.ok;
}

function checkFlags(options: EstimateCommandOptions): void {
  const { repeat, volume } = options;
  if (repeat !== undefined && (!Number.isInteger(repeat) || repeat < 1)) {
    throw new BatchevalError("bad_input", `--repeat must be a whole number >= 1, got ${repeat}`);
  }
  if (volume !== undefined && (!Number.isSafeInteger(volume) || volume < 1)) {
    throw new BatchevalError("bad_input", `--volume must be a whole number >= 1, got ${volume}`, {
      hint: "Give the number of requests a month to project, e.g. --volume 100000.",
    });
  }
}
