/**
 * What a run may touch of its surroundings besides the files it reads and writes: the working
 * directory, the environment, the clock, a sink for the lines a person reads, and the signal
 * that stops it. The CLI passes the process's; a library caller passes what it wants, or
 * nothing (`runIo()`).
 */
import type { BatchProgress, RunStage } from "../runner/run-context.js";
import type { Purpose } from "../runner/run-store.js";

export interface RunIo {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Notes and warnings for a person, one or more lines ending in "\n" (stderr in the CLI). */
  log: (text: string) => void;
  /** The clock: today's date for the retirement checks, times in run.json. */
  now: () => Date;
  /** Stops the run at its next safe point; it stays resumable. */
  signal?: AbortSignal;
  /** Live progress of each batch. */
  onProgress?: (progress: BatchProgress) => void;
  /** Called at each stage of each batch (tests stop a run there as a crash would). */
  onStage?: (stage: RunStage, purpose: Purpose) => void;
  /** Called when the run finishes a phase (the benchmark times them). */
  onPhase?: (phase: RunPhase) => void;
  /** The command line that started the run, for the report's provenance (absent: a library call). */
  command?: readonly string[];
}

/** The phases of a run, in order: each is reported when it ends. */
export type RunPhase = "load" | "compile" | "batches" | "grade" | "report";

/** The process's working directory and environment, the system clock, and silence. */
export function runIo(io: Partial<RunIo> = {}): RunIo {
  return {
    cwd: process.cwd(),
    env: process.env,
    log: () => undefined,
    now: () => new Date(),
    ...io,
  };
}

/** Today's date (UTC, YYYY-MM-DD) on the run's clock. */
export function todayOf(io: Pick<RunIo, "now">): string {
  return io.now().toISOString().slice(0, 10);
}
