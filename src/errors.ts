/**
 * The few error classes batcheval throws. Each carries a stable `code`, a message that says
 * what is wrong, a hint that says how to fix it, and the process exit code the CLI uses
 * (docs/design.md, "Exit codes"). The CLI's main module is the only place that turns them into
 * exits.
 */
import { formatLocation } from "./source/diagnostics.js";
import type { Diagnostic } from "./source/types.js";

/** Exit codes: 0 ok, 1 quality gate failed (a regression against a baseline included), 2 bad input, 3 the run could not finish. */
export const ExitCode = { ok: 0, gateFailed: 1, badInput: 2, runFailed: 3 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export type ErrorCode =
  | "bad_input" // arguments, config or suite problems
  | "unknown_model" // a model without a price
  | "invalid_suite" // located diagnostics (see `diagnostics`)
  | "backend_refused" // e.g. simulated backend in CI without --backend sim
  | "auth_failed" // the API refused the credentials (401/403): a configuration error
  | "api_error" // the API failed in a way the SDK could not retry away
  | "run_failed" // the run could not finish; it can be resumed
  | "spend_limit" // a spend limit or billing problem stopped the run; it can be resumed
  | "interrupted" // the user stopped the run (Ctrl-C); it can be resumed
  | "over_budget"; // the estimate exceeds --max-cost; nothing was submitted

const EXIT_BY_CODE: Record<ErrorCode, ExitCode> = {
  bad_input: ExitCode.badInput,
  unknown_model: ExitCode.badInput,
  invalid_suite: ExitCode.badInput,
  backend_refused: ExitCode.badInput,
  auth_failed: ExitCode.badInput,
  api_error: ExitCode.runFailed,
  run_failed: ExitCode.runFailed,
  spend_limit: ExitCode.runFailed,
  interrupted: ExitCode.runFailed,
  over_budget: ExitCode.badInput,
};

export class BatchevalError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  /** Located problems, for `invalid_suite`. */
  readonly diagnostics: readonly Diagnostic[];

  constructor(
    code: ErrorCode,
    message: string,
    options: { hint?: string; cause?: unknown; diagnostics?: readonly Diagnostic[] } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "BatchevalError";
    this.code = code;
    this.hint = options.hint;
    this.diagnostics = options.diagnostics ?? [];
  }

  get exitCode(): ExitCode {
    return EXIT_BY_CODE[this.code];
  }
}

/**
 * A bad_input error for a file with located problems (a price file, a fixture file). Its
 * message lists them one `file:line:col: message` line each; the CLI prints the diagnostics
 * instead, each once, then `hint` once (the diagnostics keep their own, more specific hints).
 */
export function invalidFileError(diagnostics: readonly Diagnostic[], hint: string): BatchevalError {
  const lines = diagnostics.map((d) => `${formatLocation(d)}: ${d.message}`);
  return new BatchevalError("bad_input", lines.join("\n"), { hint, diagnostics });
}

/** Node's errno codes for file-system problems the user can fix, and what to say about each. */
const FILE_PROBLEMS: Readonly<Record<string, { what: string; fix: string; exit: ErrorCode }>> = {
  EACCES: {
    what: "permission denied",
    fix: "fix its permissions or choose another folder (--out)",
    exit: "bad_input",
  },
  EPERM: {
    what: "operation not permitted",
    fix: "fix its permissions or choose another folder (--out)",
    exit: "bad_input",
  },
  EROFS: {
    what: "read-only file system",
    fix: "choose a writable folder (--out)",
    exit: "bad_input",
  },
  ENOTDIR: {
    what: "a file stands where a folder is expected",
    fix: "choose a folder, not a file (--out)",
    exit: "bad_input",
  },
  EISDIR: {
    what: "a folder stands where a file is expected",
    fix: "name a file, not a folder",
    exit: "bad_input",
  },
  EEXIST: { what: "it already exists", fix: "remove it or choose another name", exit: "bad_input" },
  ENOENT: { what: "no such file or folder", fix: "check the path", exit: "bad_input" },
  ENAMETOOLONG: { what: "the path is too long", fix: "choose a shorter path", exit: "bad_input" },
  ENOSPC: {
    what: "no space left on the device",
    fix: "free some disk space, then run the same command again",
    exit: "run_failed",
  },
  EDQUOT: {
    what: "the disk quota is exceeded",
    fix: "free some disk space, then run the same command again",
    exit: "run_failed",
  },
  EMFILE: {
    what: "too many open files",
    fix: "raise the open-file limit (ulimit -n), then run the same command again",
    exit: "run_failed",
  },
};

/**
 * A Node file-system error (`EACCES`, `ENOTDIR`, `ENOSPC`…) as one line naming the path and the
 * fix, or undefined for anything else. Problems with the user's folders are bad input (exit 2);
 * a full disk is an interrupted run (exit 3) that the same command resumes.
 */
export function fromFileError(error: unknown): BatchevalError | undefined {
  if (!(error instanceof Error) || error instanceof BatchevalError) return undefined;
  const { code, path } = error as NodeJS.ErrnoException;
  const problem = code === undefined ? undefined : FILE_PROBLEMS[code];
  if (problem === undefined) return undefined;
  const where = path === undefined ? "" : ` ${path}`;
  return new BatchevalError(problem.exit, `Cannot use${where}: ${problem.what} (${code}).`, {
    hint: `${problem.fix[0]?.toUpperCase()}${problem.fix.slice(1)}.`,
    cause: error,
  });
}
