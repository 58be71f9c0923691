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
}

/** The real process's IO. */
export function processIo(interrupted: Promise<void>): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    isTty: Boolean(process.stdout.isTTY),
    interrupted,
  };
}
