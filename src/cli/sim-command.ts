/**
 * `batcheval sim`: the simulator as a tool. Prints its base URL as the first line, logs one line
 * per request (`METHOD path status`) unless quiet, and serves until SIGINT/SIGTERM.
 */
import { BatchevalError } from "../errors.js";
import { parseFaults } from "../sim/faults.js";
import { loadFixtures } from "../sim/fixtures.js";
import { startSimulator } from "../sim/server.js";
import type { CliIo } from "./io.js";

/** Flags of `batcheval sim`. */
export interface SimCommandOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** Fixture glob relative to the working directory (default {@link DEFAULT_SIM_FIXTURES}). */
  fixtures?: string;
  /** Fault spec, e.g. `overloaded=0.2,http429=0.1,seed=42` (see src/sim/README.md). */
  faults?: string;
  /** Milliseconds from create until a batch ends. */
  batchDuration?: number;
  /** Do not log requests. */
  quiet: boolean;
}

/** Where `batcheval sim` looks for fixture rules by default (no files → no rules). */
export const DEFAULT_SIM_FIXTURES = "fixtures/sim/**/*.{yaml,yml}";

/**
 * Runs the simulator until `io.interrupted` resolves, then closes it and returns 0. Bad
 * fixtures or a bad fault spec throw BatchevalError("bad_input") before anything listens.
 */
export async function simCommand(options: SimCommandOptions, io: CliIo): Promise<number> {
  const faults = options.faults === undefined ? {} : parseFaults(options.faults);
  const rules = await loadFixtures(options.fixtures ?? DEFAULT_SIM_FIXTURES, io.cwd);
  const sim = await startSimulator({
    port: options.port,
    rules,
    faults,
    ...(options.batchDuration === undefined ? {} : { batchDurationMs: options.batchDuration }),
    ...(options.quiet ? {} : { log: (line: string) => io.out(`${line}\n`) }),
  }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    throw new BatchevalError("bad_input", `port ${options.port} on 127.0.0.1 is already in use`, {
      hint: "Pick another --port, or --port 0 for a free one.",
      cause: error,
    });
  });
  io.out(`${sim.url}\n`);
  await io.interrupted;
  await sim.close();
  return 0;
}
