#!/usr/bin/env node
/**
 * The batcheval command line. Parses arguments, calls a command handler, and exits: this is the
 * only module that calls `process.exit`.
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { BatchevalError, ExitCode, fromFileError } from "../errors.js";
import {
  type CommandName,
  helpOf,
  type OptionSpec,
  optionsOf,
  parseOption,
} from "../run/options.js";
import { formatDiagnostics } from "../source/diagnostics.js";
import { compareCommand } from "./compare-command.js";
import { estimateCommand } from "./estimate-command.js";
import { initCommand } from "./init-command.js";
import { type CliIo, processIo } from "./io.js";
import { pricingCommand } from "./pricing-command.js";
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

/** `90m`, `2h`, `1d` (or a bare number of hours) → hours. */
function duration(name: string) {
  return (value: string): number => {
    const m = /^(\d+(?:\.\d+)?)\s*(m|h|d)?$/.exec(value.trim());
    if (m === null) {
      throw new InvalidArgumentError(
        `${name} must be a duration such as 90m, 2h or 1d, got "${value}".`,
      );
    }
    const n = Number(m[1]);
    return m[2] === "m" ? n / 60 : m[2] === "d" ? n * 24 : n;
  };
}

function rate(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === "" || !(n >= 0 && n <= 1)) {
      throw new InvalidArgumentError(`${name} must be a number from 0 to 1, got "${value}".`);
    }
    return n;
  };
}

/** A commander option from the run options table (src/run/options.ts). */
function optionFrom(spec: OptionSpec): Option {
  const option = new Option(spec.flag, helpOf(spec));
  if (spec.kind === "choice" && spec.choices) return option.choices(spec.choices.map(String));
  if (spec.kind === "switch" || spec.kind === "negatable" || spec.kind === "text") return option;
  return option.argParser((text: string, previous: unknown) => {
    try {
      return parseOption(spec, text, previous);
    } catch (error) {
      throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
    }
  });
}

/** Adds every option of the table that `command` takes. */
function withOptions(command: Command, name: CommandName): Command {
  for (const [, spec] of optionsOf(name)) command.addOption(optionFrom(spec));
  return command;
}

/**
 * The options given on the command line, without commander's defaults (`--no-cache` defaults
 * `cache` to true): a resumed run must tell a flag given again from one left out.
 */
function givenFlags(command: Command): Record<string, unknown> {
  const given: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(command.opts())) {
    if (command.getOptionValueSource(key) === "cli") given[key] = value;
  }
  return given;
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

  const run = program
    .command("run")
    .description("compile, submit, wait, grade and report (suites from the config's evals glob)")
    .argument("[paths...]", "suite files, folders or globs");
  withOptions(run, "run").action(async (paths: string[], _flags, command: Command) =>
    setExit(await runCommand({ paths, ...givenFlags(command) }, io)),
  );

  const validate = program
    .command("validate")
    .description("check suites and config; print every error as file:line:col")
    .argument("[paths...]", "suite files, folders or globs");
  withOptions(validate, "validate").action(async (paths: string[], _flags, command: Command) =>
    setExit(await validateCommand({ paths, ...givenFlags(command) }, io)),
  );

  const estimate = program
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
    .option(
      "--model <id>",
      "calculator mode, no suite: price a workload on this model (repeat to compare models)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option("--requests <n>", "calculator: requests in the workload", positiveInt("--requests"))
    .option(
      "--input-tokens <n>",
      "calculator: prompt tokens of one request, the shared prefix included",
      positiveInt("--input-tokens"),
    )
    .option(
      "--output-tokens <n>",
      "calculator: output tokens of one request",
      positiveInt("--output-tokens"),
    )
    .option(
      "--shared-prefix-tokens <n>",
      "calculator: tokens of the prompt that are a shared, cached prefix (default 0)",
      positiveInt("--shared-prefix-tokens"),
    )
    .addOption(
      new Option("--cache-ttl <ttl>", "calculator: the prefix's cache TTL (default 1h)").choices([
        "5m",
        "1h",
      ]),
    )
    .option(
      "--cache-hit-rate <r>",
      "calculator: share of the requests after the first that read the prefix, 0 to 1 (default 1)",
      rate("--cache-hit-rate"),
    )
    .addOption(
      new Option("--geo <geo>", "calculator: inference_geo (us: 1.1x where it applies)").choices([
        "us",
      ]),
    )
    .option(
      "--from <report>",
      "a previous run's report.json or run directory: estimate with its measured output tokens and cache hit rate",
    )
    .option("--sizing", "with --volume: the five-step sizing report")
    .option("--offline", "sizing: keep the local token estimate")
    .option(
      "--eng-days <n>",
      "sizing: engineering days a synchronous pipeline would need (default 10)",
      positiveInt("--eng-days"),
    )
    .option(
      "--eng-day-rate <usd>",
      "sizing: cost of an engineering day in USD (default 1000)",
      positiveInt("--eng-day-rate"),
    )
    .option(
      "--latency-budget <duration>",
      "sizing: how long results may take, e.g. 2h, 90m, 1d",
      duration("--latency-budget"),
    )
    .option(
      "--delay-cost <usd>",
      "sizing: what an hour of waiting for results costs, in USD",
      positiveInt("--delay-cost"),
    )
    .option("--json", "print the estimate as JSON");
  withOptions(estimate, "estimate").action(async (paths: string[], _flags, command: Command) =>
    setExit(await estimateCommand({ paths, ...givenFlags(command) }, io)),
  );

  const report = program
    .command("report")
    .description(
      "check a run's report.json against the schema, re-render its outputs and print the summary",
    )
    .argument("<run-dir>", "a run directory, e.g. reports/latest");
  withOptions(report, "report").action(async (runDir: string, _flags, command: Command) =>
    setExit(await reportCommand({ runDir, ...givenFlags(command) }, io)),
  );

  const compare = program
    .command("compare")
    .description(
      "compare a run with a baseline per model × suite: pass rates, flipped cases, exact McNemar test; exit 1 on a regression",
    )
    .argument("<old>", "the baseline: a report.json or a run directory")
    .argument("<new>", "the run to check: a report.json or a run directory")
    .option("--json", "print the comparison as JSON");
  withOptions(compare, "compare").action(
    async (old: string, now: string, _flags, command: Command) =>
      setExit(await compareCommand({ old, new: now, ...givenFlags(command) }, io)),
  );

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
    .command("pricing")
    .description(
      "print the price table in use: the bundled prices with the config's pricing: overrides",
    )
    .option("--config <file>", "project config (default: ./batcheval.config.yaml)")
    .option("--json", "print it as JSON")
    .action(async (flags: { config?: string; json?: boolean }) =>
      setExit(await pricingCommand(flags, io)),
    );

  program
    .command("init")
    .description(
      "scaffold a project: config, an example suite with simulator fixtures, a CI workflow (never overwrites a file)",
    )
    .argument("[dir]", "the project folder (default: the current one)")
    .action(async (dir: string | undefined) =>
      setExit(await initCommand(dir === undefined ? {} : { dir }, io)),
    );

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
