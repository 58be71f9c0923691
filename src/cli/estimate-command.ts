/**
 * `batcheval estimate`: estimateRun (src/run/) printed: per model, the requests, estimated
 * tokens and cost (sync / batch / batch+cache), the shared prefixes with the warm-up decision,
 * and with `--volume N` the cost of N requests a month. Submits nothing. Returns the exit
 * code: 0, or 2 for bad input.
 */
import { loadConfig } from "../config/load-config.js";
import { estimateWorkload, type Workload } from "../cost/calculator.js";
import { hitRateAfterFirst } from "../cost/measured.js";
import { requirePrice } from "../cost/pricing.js";
import { BatchevalError, ExitCode } from "../errors.js";
import { renderEstimate, renderMeasured, renderWorkload } from "../report/render-estimate.js";
import { estimateRun, measuredIn } from "../run/estimate-run.js";
import { loadPricing } from "../run/load-pricing.js";
import { throwOnErrors } from "../run/load-project.js";
import { readReportAt } from "../run/read-report.js";
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
  /** Calculator mode: price a workload on these models, with no suite. */
  model?: string[];
  requests?: number;
  inputTokens?: number;
  outputTokens?: number;
  sharedPrefixTokens?: number;
  cacheTtl?: "5m" | "1h";
  cacheHitRate?: number;
  geo?: "us";
  json?: boolean;
  /** A previous run's report.json or run directory: use its measured figures. */
  from?: string;
}

/** The flags that only calculator mode reads. */
const CALCULATOR_FLAGS = [
  "requests",
  "inputTokens",
  "outputTokens",
  "sharedPrefixTokens",
  "cacheTtl",
  "cacheHitRate",
  "geo",
] as const;

/** `estimate --model M --requests N …`: a workload's cost with no suite. */
async function calculatorCommand(options: EstimateCommandOptions, io: CliIo): Promise<number> {
  if (options.paths.length > 0) {
    throw new BatchevalError(
      "bad_input",
      "--model prices a workload with no suite: give no paths",
      {
        hint: "Leave out the suite paths, or leave out --model to estimate the suites.",
      },
    );
  }
  const measured =
    options.from === undefined ? undefined : measuredIn(await readReportAt(io.cwd, options.from));
  // With --from, the output tokens and the hit rate default to what that run measured.
  const needed =
    measured === undefined
      ? (["requests", "inputTokens", "outputTokens"] as const)
      : (["requests", "inputTokens"] as const);
  const missing = needed.filter((key) => options[key] === undefined);
  if (missing.length > 0) {
    const flags = missing.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    throw new BatchevalError("bad_input", `calculator mode needs ${flags.join(", ")}`, {
      hint: "e.g. batcheval estimate --model claude-haiku-4-5 --requests 500000 --input-tokens 400 --output-tokens 20",
    });
  }
  const loaded = await loadConfig(io.cwd, options.config);
  throwOnErrors(loaded.diagnostics, "Fix the config, then estimate again.");
  const pricing = await loadPricing(loaded.config.pricing, loaded.config.sources?.pricing);
  const workload: Workload = {
    requests: options.requests ?? 0,
    inputTokens: options.inputTokens ?? 0,
    outputTokens: options.outputTokens ?? 0,
    ...(options.sharedPrefixTokens === undefined
      ? {}
      : { sharedPrefixTokens: options.sharedPrefixTokens }),
    ...(options.cacheTtl === undefined ? {} : { cacheTtl: options.cacheTtl }),
    ...(options.cacheHitRate === undefined ? {} : { cacheHitRate: options.cacheHitRate }),
    ...(options.geo === undefined ? {} : { geo: options.geo }),
  };
  const models = (options.model ?? []).map((model) => {
    const price = requirePrice(pricing, model);
    const seen = measured?.get(price.model);
    if (measured !== undefined && seen === undefined && options.outputTokens === undefined) {
      throw new BatchevalError(
        "bad_input",
        `${options.from} has no results on ${model} to measure`,
        {
          hint: "Give --output-tokens (and --cache-hit-rate), or a report of a run on that model.",
        },
      );
    }
    return estimateWorkload(
      {
        ...workload,
        ...(options.outputTokens === undefined && seen !== undefined
          ? { outputTokens: Math.round(seen.outputTokensPerRequest) }
          : {}),
        ...(options.cacheHitRate === undefined && seen !== undefined
          ? { cacheHitRate: hitRateAfterFirst(seen.cacheHitRate, workload.requests) }
          : {}),
      },
      price,
    );
  });
  io.out(
    options.json === true
      ? `${JSON.stringify({ models }, null, 2)}\n`
      : renderWorkload(models, workload),
  );
  return ExitCode.ok;
}

/** Runs `batcheval estimate`; throws BatchevalError for bad flags or an unpriced model. */
export async function estimateCommand(options: EstimateCommandOptions, io: CliIo): Promise<number> {
  if (options.model !== undefined) return calculatorCommand(options, io);
  const stray = CALCULATOR_FLAGS.filter((key) => options[key] !== undefined);
  if (stray.length > 0) {
    throw new BatchevalError("bad_input", "the workload flags need --model (calculator mode)", {
      hint: "Add --model MODEL to price a workload with no suite, or leave those flags out to estimate the suites.",
    });
  }
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
  const { estimate, warmups, measured } = result;
  if (options.json === true) {
    io.out(
      `${JSON.stringify(measured === undefined ? estimate : { ...estimate, measured }, null, 2)}\n`,
    );
    return ExitCode.ok;
  }
  io.out(renderEstimate(estimate, volume === undefined ? { warmups } : { warmups, volume }));
  if (measured !== undefined) io.out(renderMeasured(measured.runId, measured.models));
  return ExitCode.ok;
}
