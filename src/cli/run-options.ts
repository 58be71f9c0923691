/**
 * The one place where run settings are resolved: command-line flag > project config > default.
 */
import type { BackendName, ProjectConfig } from "../config/types.js";
import { BatchevalError } from "../errors.js";

/** Flags of `batcheval run`, as parsed from the command line. */
export interface RunFlags {
  models?: string[];
  backend?: BackendName;
  out?: string;
  repeat?: number;
  runId?: string;
  /** Poll interval in milliseconds (mostly for tests and the simulator). */
  pollInterval?: number;
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
  /** The first poll interval per backend, unless `--poll-interval` sets it. */
  pollIntervalMs: (backend: BackendName) => number;
  maxPollIntervalMs: (backend: BackendName) => number;
}

/** Real batches take minutes to hours: poll gently. The simulator ends batches in milliseconds. */
const POLL_MS: Record<BackendName, { first: number; max: number }> = {
  anthropic: { first: 5_000, max: 60_000 },
  sim: { first: 25, max: 250 },
};

export function resolveRunSettings(flags: RunFlags, config: ProjectConfig): RunSettings {
  if (flags.repeat !== undefined && (!Number.isInteger(flags.repeat) || flags.repeat < 1)) {
    throw new BatchevalError(
      "bad_input",
      `--repeat must be a whole number >= 1, got ${flags.repeat}`,
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
    pollIntervalMs: (backend) => poll ?? POLL_MS[backend].first,
    maxPollIntervalMs: (backend) => Math.max(poll ?? 0, POLL_MS[backend].max),
  };
}
