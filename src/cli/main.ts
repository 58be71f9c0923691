#!/usr/bin/env node
/**
 * The batcheval command line. Parses arguments, calls a command handler, and exits: this is the
 * only module that calls `process.exit`.
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { BatchevalError, ExitCode, fromFileError } from "../errors.js";
import { formatDiagnostics } from "../source/diagnostics.js";
import { estimateCommand } from "./estimate-command.js";
import { type CliIo, processIo } from "./io.js";
import { reportCommand } from "./report-command.js";
import { runCommand } from "./run-command.js";
import { simCommand } from "./sim-command.js";
import { cancelCommand, statusCommand } from "./status-command.js";
import { validateCommand } from "./validate-command.js";

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) {
      throw new InvalidArgumentError(`${name} must be a whole number, got "${value}".`);
    }
    return n;
  };
}

function usd(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    throw new InvalidArgumentError(`--max-cost must be an amount of USD, got "${value}".`);
  }
  return n;
}

function list(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function packageVersion(): string {
  const url = new URL("../../package.json", import.meta.url);
  return (JSON.parse(readFileSync(url, "utf8")) as { version: string }).version;
}

/** Builds the program; `setExit` receives each command's exit code. */
export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command("batcheval")
    .description("Batch-first, cost-aware LLM evals on Anthropic's Message Batches API")
    .version(packageVersion())
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .option("--debug", "print stack traces of errors");

  program
    .command("run")
    .description("compile, submit, wait, grade and report (suites from the config's evals glob)")
    .argument("[paths...]", "suite files, folders or globs")
    .option("--models <list>", "comma-separated models, replacing each suite's models", list)
    .addOption(new Option("--backend <name>", "where requests go").choices(["anthropic", "sim"]))
    .option("--out <dir>", "output directory (default: reports)")
    .option(
      "--repeat <n>",
      "samples per case, replacing each suite's repeat",
      positiveInt("--repeat"),
    )
    .option("--run-id <id>", "continue this run, or start one under this name")
    .option("--fresh", "start a new run instead of resuming an unfinished one")
    .option("--detach", "submit, print how to collect, and exit without waiting")
    .option(
      "--max-attempts <n>",
      "submissions per request at most, retries included (default: 3)",
      positiveInt("--max-attempts"),
    )
    .option("--no-cache", "do not answer from the result cache (fresh results, still stored)")
    .option("--cache-dir <dir>", "result cache folder (default: .batcheval/cache)")
    .addOption(
      new Option("--warmup <mode>", "send one request per shared prefix first to warm the cache")
        .choices(["auto", "always", "never"])
        .default("auto"),
    )
    .option("--max-cost <usd>", "refuse to start when the worst-case batch cost is above this", usd)
    .option("--config <file>", "project config (default: ./batcheval.config.yaml)")
    .option("--poll-interval <ms>", "first poll interval in ms", positiveInt("--poll-interval"))
    .option(
      "--strict",
      "exit 1 on an uncertain pass or an errored result; cases that assert nothing are errors",
    )
    .action(async (paths: string[], flags) => setExit(await runCommand({ paths, ...flags }, io)));

  program
    .command("validate")
    .description("check suites and config; print every error as file:line:col")
    .argument("[paths...]", "suite files, folders or globs")
    .option("--config <file>", "project config (default: ./batcheval.config.yaml)")
    .option("--strict", "cases that assert nothing are errors (as under CI=true)")
    .action(async (paths: string[], flags) =>
      setExit(await validateCommand({ paths, ...flags }, io)),
    );

  program
    .command("estimate")
    .description(
      "pre-flight: requests, tokens and cost per model (sync / batch / batch+cache); submits nothing",
    )
    .argument("[paths...]", "suite files, folders or globs")
    .option(
      "--volume <n>",
      "project the cost of N requests a month per model",
      positiveInt("--volume"),
    )
    .option("--models <list>", "comma-separated models, replacing each suite's models", list)
    .option(
      "--repeat <n>",
      "samples per case, replacing each suite's repeat",
      positiveInt("--repeat"),
    )
    .option("--config <file>", "project config (default: ./batcheval.config.yaml)")
    .action(async (paths: string[], flags) =>
      setExit(await estimateCommand({ paths, ...flags }, io)),
    );

  program
    .command("report")
    .description("re-render a run's outputs from its report.json")
    .argument("<run-dir>", "a run directory, e.g. reports/latest")
    .action(async (runDir: string) => setExit(await reportCommand({ runDir }, io)));

  program
    .command("status")
    .description("show each batch of a run: state and request counts")
    .argument("<run-dir>", "a run directory, e.g. reports/latest")
    .action(async (runDir: string) => setExit(await statusCommand({ runDir }, io)));

  program
    .command("cancel")
    .description("cancel a run's batches that are still in flight")
    .argument("<run-dir>", "a run directory, e.g. reports/latest")
    .action(async (runDir: string) => setExit(await cancelCommand({ runDir }, io)));

  program
    .command("sim")
    .description("start the Anthropic API simulator on 127.0.0.1 and print its base URL")
    .option("--port <n>", "port (0 picks a free one)", positiveInt("--port"), 0)
    .option("--fixtures <glob>", "fixture files (default: fixtures/sim/**/*.{yaml,yml})")
    .option(
      "--faults <spec>",
      "fault injection, e.g. overloaded=0.2,http429=0.1,create_529=0.3,accept_then_500=0.2,seed=42 (every fault: README, The simulator)",
    )
    .option("--batch-duration <ms>", "time until a batch ends", positiveInt("--batch-duration"))
    .option("--quiet", "do not log requests", false)
    .action(async (flags) => setExit(await simCommand(flags, io)));

  return program;
}

function report(error: unknown, io: CliIo, debug: boolean): number {
  if (error instanceof CommanderError) {
    const ok = error.code === "commander.helpDisplayed" || error.code === "commander.version";
    return ok || error.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
  }
  const known = error instanceof BatchevalError ? error : fromFileError(error);
  if (known !== undefined) {
    if (known.diagnostics.length > 0) {
      // The message restates the diagnostics (`file:line:col: …`): print each problem once.
      io.err(`${formatDiagnostics(known.diagnostics)}\n`);
      const hinted = known.diagnostics.some((d) => d.hint === known.hint);
      if (known.hint && !hinted) io.err(`hint: ${known.hint}\n`);
    } else {
      io.err(`error: ${known.message}\n`);
      if (known.hint) io.err(`hint: ${known.hint}\n`);
    }
    if (debug && known.cause instanceof Error) io.err(`${known.cause.stack}\n`);
    return known.exitCode;
  }
  if (debug) io.err(`internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
  else {
    io.err(`internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    io.err(
      "hint: This is a bug in batcheval. Run again with --debug for the stack trace, and report it.\n",
    );
  }
  return ExitCode.runFailed;
}

async function main(): Promise<void> {
  const io = processIo();
  let code: number = ExitCode.ok;
  try {
    await buildProgram(io, (c) => {
      code = c;
    }).parseAsync(process.argv);
  } catch (error) {
    code = report(error, io, process.argv.includes("--debug"));
  }
  process.exit(code);
}

await main();
