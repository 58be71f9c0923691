/**
 * The one place where run settings are resolved: command-line flag > project config > default.
 */
import type { BackendName, ProjectConfig } from "../config/types.js";
import { BatchevalError } from "../errors.js";

export type WarmupMode = "auto" | "always" | "never";

/** Flags of `batcheval run`, as parsed from the command line. */
export interface RunFlags {
  models?: string[];
  backend?: BackendName;
  out?: string;
  repeat?: number;
  runId?: string;
  fresh?: boolean;
  detach?: boolean;
  maxAttempts?: number;
  /** commander's `--no-cache` sets `cache: false`. */
  cache?: boolean;
  cacheDir?: string;
  warmup?: WarmupMode;
  maxCost?: number;
  /** Poll interval in milliseconds (mostly for tests and the simulator). */
  pollInterval?: number;
  /** Strict gate (also `strict: true` in the config); read by the project loader. */
  strict?: boolean;
}

/** Everything `run` needs to know, after precedence. */
export interface RunSettings {
  /** Models that replace every suite's own list, if given. */
  modelOverride: string[] | undefined;
  backendFlag: BackendName | undefined;
  backendConfig: BackendName | undefined;
  outDir: string;
  repeatOverride: number | undefined;
  runId: string | undefined;
  fresh: boolean;
  detach: boolean;
  maxAttempts: number;
  cache: boolean;
  cacheDir: string;
  warmup: WarmupMode;
  maxCost: number | undefined;
  /** The first poll interval per backend, unless `--poll-interval` sets it. */
  pollIntervalMs: (backend: BackendName) => number;
  maxPollIntervalMs: (backend: BackendName) => number;
}

/** Real batches take minutes to hours: poll gently. The simulator ends batches in milliseconds. */
const POLL_MS: Record<BackendName, { first: number; max: number }> = {
  anthropic: { first: 5_000, max: 60_000 },
  sim: { first: 25, max: 250 },
};

export const DEFAULT_MAX_ATTEMPTS = 3;

function checkWhole(name: string, value: number | undefined, min: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min)) {
    throw new BatchevalError("bad_input", `${name} must be a whole number >= ${min}, got ${value}`);
  }
}

export function resolveRunSettings(flags: RunFlags, config: ProjectConfig): RunSettings {
  checkWhole("--repeat", flags.repeat, 1);
  checkWhole("--max-attempts", flags.maxAttempts, 1);
  if (flags.maxCost !== undefined && !(flags.maxCost >= 0)) {
    throw new BatchevalError(
      "bad_input",
      `--max-cost must be a number of USD >= 0, got ${flags.maxCost}`,
    );
  }
  const poll = flags.pollInterval;
  return {
    modelOverride: flags.models !== undefined && flags.models.length > 0 ? flags.models : undefined,
    backendFlag: flags.backend,
    backendConfig: config.backend,
    outDir: flags.out ?? config.outDir,
    repeatOverride: flags.repeat,
    runId: flags.runId,
    fresh: flags.fresh ?? false,
    detach: flags.detach ?? false,
    maxAttempts: flags.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    cache: flags.cache ?? true,
    cacheDir: flags.cacheDir ?? config.cacheDir,
    warmup: flags.warmup ?? "auto",
    maxCost: flags.maxCost,
    pollIntervalMs: (backend) => poll ?? POLL_MS[backend].first,
    maxPollIntervalMs: (backend) => Math.max(poll ?? 0, POLL_MS[backend].max),
  };
}
