import { BatchevalError, ExitCode } from "../errors.js";
import type { RunIo } from "../run/io.js";
import { formatDiagnostics } from "../source/diagnostics.js";

/**
 * What a command handler may touch of the process: its output streams, working directory and
 * environment. Tests pass their own to call handlers directly, without spawning a process.
 */
export interface CliIo {
  /** Writes text to standard output (the caller adds newlines). */
  out: (text: string) => void;
  /** Writes text to standard error (the caller adds newlines). */
  err: (text: string) => void;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is an interactive terminal (live progress vs plain lines). */
  isTty: boolean;
  /** Resolves when the user asks to stop (SIGINT/SIGTERM); never resolves in tests by default. */
  interrupted: Promise<void>;
  /** The clock, for "today" in the model retirement checks; absent = the system clock. */
  now?: () => Date;
  /** The arguments the command was given (`batcheval` left out), for the report's provenance. */
  argv?: readonly string[];
}

/**
 * Resolves on the first SIGINT/SIGTERM, which asks the command to stop at its next safe point.
 * A second one does not wait: the handlers step aside and the signal is raised again, so the
 * process ends at once the way Node ends it (exit 130 for Ctrl-C).
 */
function firstSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    let seen = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (!seen) {
        seen = true;
        process.stderr.write(
          "\nStopping at the next safe point (press Ctrl-C again to quit now)…\n",
        );
        return resolve();
      }
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      process.kill(process.pid, signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}

/**
 * Writes to a stream that the reader may close (`batcheval run | head`): once it has, further
 * text is dropped instead of crashing the process with EPIPE, so the command still finishes
 * its work (a run still writes its report) and exits with its own code.
 */
function closable(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    closed = true;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}

/**
 * The real process's IO. Signal handlers are installed only when a command first reads
 * `interrupted`, so commands that do not wait for it keep Node's default Ctrl-C behaviour.
 */
export function processIo(): CliIo {
  let interrupted: Promise<void> | undefined;
  const out = closable(process.stdout);
  const err = closable(process.stderr);
  return {
    out,
    err,
    cwd: process.cwd(),
    env: process.env,
    argv: process.argv.slice(2),
    isTty: Boolean(process.stdout.isTTY),
    now: () => new Date(),
    get interrupted() {
      interrupted ??= firstSignal();
      return interrupted;
    },
  };
}

/**
 * A suite or plan error thrown by a run stage (`invalid_suite`), printed as the commands always
 * printed it: every diagnostic once, then what was (not) done; exit 2. Rethrows anything else.
 */
export function invalidSuiteExit(error: unknown, io: CliIo): number {
  if (!(error instanceof BatchevalError) || error.code !== "invalid_suite") throw error;
  io.err(`${formatDiagnostics(error.diagnostics)}\n${error.hint ?? ""}\n`);
  return ExitCode.badInput;
}

/** A command's IO as a run stage sees it (src/run/): notes go to stderr. */
export function runIoOf(io: CliIo): RunIo {
  return {
    cwd: io.cwd,
    env: io.env,
    log: io.err,
    now: io.now ?? (() => new Date()),
    ...(io.argv === undefined ? {} : { command: ["batcheval", ...io.argv] }),
  };
}
