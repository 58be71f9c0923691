/**
 * The few error classes batcheval throws. Each carries a stable `code`, a message that says
 * what is wrong, a hint that says how to fix it, and the process exit code the CLI uses
 * (DESIGN.md "Exit codes"). The CLI's main module is the only place that turns them into exits.
 */
import type { Diagnostic } from "./suite/types.js";

/** Exit codes: 0 ok, 1 quality gate failed, 2 bad input, 3 the run could not finish. */
export const ExitCode = { ok: 0, gateFailed: 1, badInput: 2, runFailed: 3 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export type ErrorCode =
  | "bad_input" // arguments, config or suite problems
  | "unknown_model" // a model without a price
  | "invalid_suite" // located diagnostics (see `diagnostics`)
  | "backend_refused" // e.g. simulated backend in CI without --backend sim
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
