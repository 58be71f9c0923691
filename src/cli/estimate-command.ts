/**
 * `batcheval estimate`: estimateRun (src/run/) printed: per model, the requests, estimated
 * tokens and cost (sync / batch / batch+cache), the shared prefixes with the warm-up decision,
 * and with `--volume N` the cost of N requests a month. Submits nothing. Returns the exit
 * code: 0, or 2 for bad input.
 */
import type { BatchPlan } from "../compile/types.js";
import { loadConfig } from "../config/load-config.js";
import { estimateWorkload, type Workload } from "../cost/calculator.js";
import { hitRateAfterFirst, measuredEstimate } from "../cost/measured.js";
import { requirePrice } from "../cost/pricing.js";
import { type SizingInput, type SizingOptions, sizeWorkload } from "../cost/sizing.js";
import type { PricingTable } from "../cost/types.js";
import { BatchevalError, ExitCode } from "../errors.js";
import { renderEstimate, renderMeasured, renderWorkload } from "../report/render-estimate.js";
import { renderSizing } from "../report/render-sizing.js";
import { type CountedSample, countSample } from "../run/count-sample.js";
import { estimateRun, measuredIn } from "../run/estimate-run.js";
import { loadPricing } from "../run/load-pricing.js";
import { throwOnErrors } from "../run/load-project.js";
import { apiBatches, DEFAULT_BASE_URL } from "../run/open-backend.js";
import { readReportAt } from "../run/read-report.js";
import { hasCredentials } from "../runner/backend.js";
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
  /** With `volume`: the five-step sizing report. */
  sizing?: boolean;
  offline?: boolean;
  engDays?: number;
  engDayRate?: number;
  /** Hours. */
  latencyBudget?: number;
  /** USD an hour. */
  delayCost?: number;
}

/**
 * The sizing options the flags give; `passing` is the model `--from`'s run recommended (the
 * cheapest that passed), if any.
 */
function sizingOptions(
  options: EstimateCommandOptions,
  pricing: PricingTable,
  passing: string | null | undefined,
): SizingOptions {
  const cheapest = passing === undefined || passing === null ? undefined : pricing.lookup(passing);
  return {
    ...(options.engDays === undefined ? {} : { engDays: options.engDays }),
    ...(options.engDayRate === undefined ? {} : { engDayRate: options.engDayRate }),
    ...(options.latencyBudget === undefined ? {} : { latencyBudgetHours: options.latencyBudget }),
    ...(options.delayCost === undefined ? {} : { delayCostPerHour: options.delayCost }),
    ...(cheapest === undefined ? {} : { cheapestPassing: cheapest }),
  };
}

/** Prints the sizing of `inputs`, as text or JSON. */
function printSizing(
  inputs: readonly SizingInput[],
  settings: SizingOptions,
  options: EstimateCommandOptions,
  io: CliIo,
): number {
  const sizings = inputs.map((input) => sizeWorkload(input, settings));
  io.out(
    options.json === true
      ? `${JSON.stringify({ sizing: sizings }, null, 2)}\n`
      : renderSizing(sizings),
  );
  return ExitCode.ok;
}

/**
 * Sizing's step 1 counts a sample of the requests with count_tokens when the API is reachable
 * (a key is set) and `--offline` is not given; otherwise it keeps the local estimate and says why.
 */
async function countedTokens(
  plan: BatchPlan,
  options: EstimateCommandOptions,
  io: CliIo,
): Promise<{ samples?: Map<string, CountedSample>; why: string }> {
  const local = "local estimate, about 4 characters a token";
  if (options.offline === true) return { why: `${local}, as --offline asks` };
  if (!hasCredentials(io.env)) {
    return { why: `${local}, with no API key to count with count_tokens` };
  }
  const api = apiBatches(io.env.ANTHROPIC_BASE_URL || DEFAULT_BASE_URL, runIoOf(io));
  return { samples: await countSample(plan, api), why: local };
}

/** `--sizing` needs `--volume`; the sizing flags need `--sizing`. */
function checkSizingFlags(options: EstimateCommandOptions): void {
  const flags = ["offline", "engDays", "engDayRate", "latencyBudget", "delayCost"] as const;
  if (options.sizing !== true && flags.some((f) => options[f] !== undefined)) {
    throw new BatchevalError("bad_input", "the sizing flags need --sizing", {
      hint: "Add --sizing --volume N for the five-step sizing report.",
    });
  }
  if (options.sizing === true && options.volume === undefined) {
    throw new BatchevalError("bad_input", "--sizing needs --volume N (requests a month)", {
      hint: "e.g. --volume 500000 --sizing",
    });
  }
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
  const report = options.from === undefined ? undefined : await readReportAt(io.cwd, options.from);
  const measured = report === undefined ? undefined : measuredIn(report);
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
  if (options.sizing === true) {
    const inputs = (options.model ?? []).map((model): SizingInput => {
      const price = requirePrice(pricing, model);
      const seen = measured?.get(price.model);
      const outputTokens = options.outputTokens ?? Math.round(seen?.outputTokensPerRequest ?? 0);
      return {
        price,
        volume: options.volume ?? 0,
        inputTokens: workload.inputTokens,
        outputTokens,
        sharedPrefixTokens: workload.sharedPrefixTokens ?? 0,
        cacheTtl: workload.cacheTtl ?? "1h",
        cacheHitRate:
          options.cacheHitRate ??
          (seen === undefined ? 1 : hitRateAfterFirst(seen.cacheHitRate, options.volume ?? 0)),
        tokensFrom:
          options.outputTokens === undefined && seen !== undefined
            ? `input as given, output as measured in ${options.from}`
            : "as given on the command line",
        prefixWarnings: [],
      };
    });
    const settings = sizingOptions(options, pricing, report?.recommendation.model);
    return printSizing(inputs, settings, options, io);
  }
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
  checkSizingFlags(options);
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
  if (options.sizing === true) {
    const { pricing } = result;
    const warnings = result.diagnostics
      .filter((d) => d.message.includes("cached prefix of case"))
      .map((d) => d.message);
    const counted = await countedTokens(result.plan, options, io);
    const inputs = estimate.models.map((m): SizingInput => {
      const row = measured?.models.find((r) => r.model === m.model);
      const seen = row !== undefined && "measured" in row ? row.measured : undefined;
      const perRequest = (n: number) => Math.round(n / m.requests);
      const prefixed = m.sharedPrefixes.reduce((n, p) => n + p.tokens * p.requests, 0);
      // The month is the plan scaled to the volume, each shared prefix's requests priced as
      // their own workload (cost/measured.ts), so every prefix is cached (or not) at its size.
      const k = (options.volume ?? 0) / m.requests;
      // Counted by the API: the local estimate corrected by the sample's ratio.
      const sample = counted.samples?.get(m.model);
      const r = sample === undefined ? 1 : sample.measuredMean / sample.estimatedMean;
      const scaled = {
        ...m,
        requests: options.volume ?? 0,
        promptTokens: Math.round(m.promptTokens * k * r),
        sharedPrefixes: m.sharedPrefixes.map((p) => ({
          ...p,
          tokens: Math.round(p.tokens * r),
          requests: Math.round(p.requests * k),
        })),
      };
      const output = seen?.outputTokensPerRequest ?? m.maxOutputTokens / m.requests;
      const price = requirePrice(pricing, m.model);
      const month = measuredEstimate(
        scaled,
        { outputTokensPerRequest: output, cacheHitRate: seen?.cacheHitRate ?? 1 },
        price,
      );
      const local =
        sample === undefined
          ? counted.why
          : `counted with count_tokens on ${sample.counted} of ${sample.of} requests (the local estimate was ${r.toFixed(2)}x off)`;
      return {
        price,
        month,
        volume: options.volume ?? 0,
        inputTokens: Math.round(perRequest(m.promptTokens) * r),
        outputTokens:
          seen === undefined
            ? perRequest(m.maxOutputTokens)
            : Math.round(seen.outputTokensPerRequest),
        sharedPrefixTokens: Math.round(perRequest(prefixed) * r),
        cacheTtl: m.sharedPrefixes[0]?.ttl ?? "1h",
        cacheHitRate:
          seen === undefined ? 1 : hitRateAfterFirst(seen.cacheHitRate, options.volume ?? 0),
        tokensFrom:
          seen === undefined
            ? `${local}; output at max_tokens, since no --from REPORT gives it measured`
            : `${local}; output as measured in run ${measured?.runId}`,
        prefixWarnings: warnings,
      };
    });
    const settings = sizingOptions(options, pricing, measured?.recommended);
    return printSizing(inputs, settings, options, io);
  }
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
