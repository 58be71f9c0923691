/**
 * `batcheval sim`: the simulator as a tool. Prints its base URL as the first line, logs one line
 * per request unless quiet, and serves until SIGINT/SIGTERM.
 */
import { loadFixtures } from "../sim/fixtures.js";
import { startSimulator } from "../sim/server.js";
import type { CliIo } from "./io.js";

export interface SimCommandOptions {
  port: number;
  fixtures?: string;
  faults?: string;
  batchDuration?: number;
  quiet: boolean;
}

const DEFAULT_FIXTURES = "fixtures/sim/**/*.{yaml,yml}";

export async function simCommand(options: SimCommandOptions, io: CliIo): Promise<number> {
  const rules = await loadFixtures(options.fixtures ?? DEFAULT_FIXTURES, io.cwd);
  const sim = await startSimulator({
    port: options.port,
    rules,
    ...(options.batchDuration === undefined ? {} : { batchDurationMs: options.batchDuration }),
    ...(options.quiet ? {} : { log: (line: string) => io.out(`${line}\n`) }),
  });
  io.out(`${sim.url}\n`);
  await io.interrupted;
  await sim.close();
  return 0;
}
