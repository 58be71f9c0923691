/**
 * `batcheval estimate`: estimateRun (src/run/) printed: per model, the requests, estimated
 * tokens and cost (sync / batch / batch+cache), the shared prefixes with the warm-up decision,
 * and with `--volume N` the cost of N requests a month. Submits nothing. Returns the exit
 * code: 0, or 2 for bad input.
 */
import { BatchevalError, ExitCode } from "../errors.js";
import { renderEstimate } from "../report/render-estimate.js";
import { estimateRun } from "../run/estimate-run.js";
import { formatDiagnostics } from "../source/diagnostics.js";
import { type CliIo, invalidSuiteExit, runIoOf } from "./io.js";

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
  const { volume } = options;
  if (volume !== undefined && (!Number.isSafeInteger(volume) || volume < 1)) {
    throw new BatchevalError("bad_input", `--volume must be a whole number >= 1, got ${volume}`, {
      hint: "Give the number of requests a month to project, e.g. --volume 100000.",
    });
  }
  let result: Awaited<ReturnType<typeof estimateRun>>;
  try {
    result = await estimateRun(options, runIoOf(io));
  } catch (error) {
    return invalidSuiteExit(error, io);
  }
  if (result.diagnostics.length > 0) io.err(`${formatDiagnostics(result.diagnostics)}\n`);
  const { estimate, warmups } = result;
  io.out(renderEstimate(estimate, volume === undefined ? { warmups } : { warmups, volume }));
  return ExitCode.ok;
}
