/**
 * The one table of run options. Each option is written once, with its type, default, help text,
 * validation, the config key that may give it, and what happens to it when a run is resumed.
 * The command-line flags (cli/main.ts), the help text, the precedence (flag > config >
 * default), the settings recorded in run.json and the command that continues a run are all
 * derived from it.
 *
 * On resume, a `recorded` option keeps the value the run started with: giving the flag again
 * with another value is an error naming both, unless `--override` is given (then the new value
 * is used and recorded). A `locate` option says which run and plan this is, so it is part of
 * the command that continues the run; a `once` option applies to one invocation only.
 * `--baseline` and `--tolerance` are `once`: they judge the results, not make them, so the
 * invocation that reports the run (a resume, say) may compare with any baseline, or none.
 */
import { type BackendName, DEFAULT_CONFIG, type ProjectConfig } from "../config/types.js";
import { BatchevalError } from "../errors.js";
import { lookupReporter, REPORTER_NAMES } from "../report/reporters.js";

export type WarmupMode = "auto" | "always" | "never";

/** Every option of a run, as the command line or a library caller gives it (absent: not given). */
export interface RunFlags {
  config?: string;
  models?: string[];
  backend?: BackendName;
  out?: string;
  repeat?: number;
  runId?: string;
  fresh?: boolean;
  detach?: boolean;
  override?: boolean;
  maxAttempts?: number;
  cache?: boolean;
  cacheDir?: string;
  warmup?: WarmupMode;
  maxCost?: number;
  pollInterval?: number;
  strict?: boolean;
  /** Reporters to write (repeatable); they replace the config's `reporters:`. */
  reporter?: string[];
  /** A report.json, or a run directory holding one, to compare the run with. */
  baseline?: string;
  /** The pass-rate drop (absolute, 0–1) a model × suite may show before it is a regression. */
  tolerance?: number;
}

/** `list`: comma-separated; `repeatable`: the flag given once per value. */
/** `rate`: a share from 0 to 1, e.g. a pass rate. */
type Kind =
  | "list"
  | "repeatable"
  | "whole"
  | "usd"
  | "rate"
  | "choice"
  | "switch"
  | "negatable"
  | "text";
export type CommandName = "run" | "estimate" | "validate" | "report" | "compare";
type Value = string | number | boolean | string[];

export interface OptionSpec<T extends Value = Value> {
  /** The flag as commander declares it, e.g. `--max-attempts <n>` or `--no-cache`. */
  flag: string;
  help: string;
  kind: Kind;
  choices?: readonly T[];
  /** The least value of a `whole` option. */
  min?: number;
  /** The value when neither the flag nor the config gives one; absent: no value. */
  fallback?: T;
  /** The config key (as written in batcheval.config.yaml) that gives the value otherwise. */
  config?: { key: string; read: (config: ProjectConfig) => T | undefined };
  resume: "recorded" | "locate" | "once";
  commands: readonly CommandName[];
  /** A check beyond the kind's: a message (and hint) when the value is unusable. */
  check?(value: T): { message: string; hint: string } | undefined;
}

type Table = { [K in keyof RunFlags]-?: OptionSpec<NonNullable<RunFlags[K]>> };

export const DEFAULT_MAX_ATTEMPTS = 3;

export const RUN_OPTIONS: Table = {
  config: {
    flag: "--config <file>",
    help: "project config (default: ./batcheval.config.yaml)",
    kind: "text",
    resume: "locate",
    commands: ["run", "estimate", "validate", "report"],
  },
  models: {
    flag: "--models <list>",
    help: "comma-separated models, replacing each suite's models",
    kind: "list",
    resume: "locate",
    commands: ["run", "estimate"],
  },
  backend: {
    flag: "--backend <name>",
    help: "where requests go",
    kind: "choice",
    choices: ["anthropic", "sim"],
    config: { key: "backend", read: (c) => c.backend },
    resume: "locate",
    commands: ["run"],
  },
  out: {
    flag: "--out <dir>",
    help: "output directory",
    kind: "text",
    config: { key: "out_dir", read: (c) => c.outDir },
    resume: "locate",
    commands: ["run"],
  },
  repeat: {
    flag: "--repeat <n>",
    help: "samples per case, replacing each suite's repeat",
    kind: "whole",
    min: 1,
    resume: "locate",
    commands: ["run", "estimate"],
  },
  runId: {
    flag: "--run-id <id>",
    help: "continue this run, or start one under this name",
    kind: "text",
    resume: "locate",
    commands: ["run"],
  },
  fresh: {
    flag: "--fresh",
    help: "start a new run instead of resuming an unfinished one",
    kind: "switch",
    fallback: false,
    resume: "once",
    commands: ["run"],
  },
  detach: {
    flag: "--detach",
    help: "submit, print how to collect, and exit without waiting",
    kind: "switch",
    fallback: false,
    resume: "once",
    commands: ["run"],
  },
  override: {
    flag: "--override",
    help: "on resume, replace the settings the run started with by the flags given",
    kind: "switch",
    fallback: false,
    resume: "once",
    commands: ["run"],
  },
  maxAttempts: {
    flag: "--max-attempts <n>",
    help: "submissions per request at most, retries included",
    kind: "whole",
    min: 1,
    fallback: DEFAULT_MAX_ATTEMPTS,
    resume: "recorded",
    commands: ["run"],
  },
  cache: {
    flag: "--no-cache",
    help: "do not use the result cache (nothing is read from it or written to it)",
    kind: "negatable",
    fallback: true,
    resume: "recorded",
    commands: ["run"],
  },
  cacheDir: {
    flag: "--cache-dir <dir>",
    help: "result cache folder",
    kind: "text",
    config: { key: "cache_dir", read: (c) => c.cacheDir },
    resume: "recorded",
    commands: ["run"],
  },
  warmup: {
    flag: "--warmup <mode>",
    help: "send one request per shared prefix first to warm the cache",
    kind: "choice",
    choices: ["auto", "always", "never"],
    fallback: "auto",
    resume: "recorded",
    commands: ["run"],
  },
  maxCost: {
    flag: "--max-cost <usd>",
    help: "refuse to start when the worst-case batch cost is above this",
    kind: "usd",
    resume: "recorded",
    commands: ["run"],
  },
  pollInterval: {
    flag: "--poll-interval <ms>",
    help: "first poll interval in ms (default: 5000 on the API, 25 on the simulator)",
    kind: "whole",
    min: 1,
    resume: "recorded",
    commands: ["run"],
  },
  strict: {
    flag: "--strict",
    help: "exit 1 on an uncertain pass or an errored result; cases that assert nothing are errors",
    kind: "switch",
    fallback: false,
    config: { key: "strict", read: (c) => (c.strict ? true : undefined) },
    resume: "recorded",
    commands: ["run", "validate"],
  },
  reporter: {
    flag: "--reporter <name>",
    help: `output to write (repeatable; replaces the config's reporters; one of: ${REPORTER_NAMES.join(", ")}; json is always written by run)`,
    kind: "repeatable",
    config: { key: "reporters", read: (c) => c.reporters },
    resume: "once",
    commands: ["run", "report"],
    check: (names) => {
      for (const name of names) {
        const found = lookupReporter(name);
        if (!found.ok) return found;
      }
      return undefined;
    },
  },
  baseline: {
    flag: "--baseline <report>",
    help: "after the run, compare with this report.json (or run directory) and exit 1 on a regression",
    kind: "text",
    resume: "once",
    commands: ["run"],
  },
  tolerance: {
    flag: "--tolerance <rate>",
    help: "pass-rate drop (0-1, e.g. 0.02) a model × suite may show before it is a regression",
    kind: "rate",
    fallback: 0,
    resume: "once",
    commands: ["run", "compare"],
  },
};

export type OptionName = keyof RunFlags;

/** The options of one command, in table order. */
export function optionsOf(command: CommandName): [OptionName, OptionSpec][] {
  return (Object.entries(RUN_OPTIONS) as [OptionName, OptionSpec][]).filter(([, spec]) =>
    spec.commands.includes(command),
  );
}

/** The flag's name alone: `--max-attempts`. */
export function flagName(spec: OptionSpec): string {
  return spec.flag.split(" ")[0] ?? spec.flag;
}

function show(value: Value): string {
  return Array.isArray(value) ? value.join(",") : String(value);
}

/** The help line of an option: its text, its default and the config key that may set it. */
export function helpOf(spec: OptionSpec): string {
  const notes: string[] = [];
  const fallback = spec.fallback ?? spec.config?.read({ ...DEFAULT_CONFIG });
  if (fallback !== undefined && spec.kind !== "switch" && spec.kind !== "negatable") {
    notes.push(`default: ${show(fallback)}`);
  }
  if (spec.config) notes.push(`config: ${spec.config.key}`);
  return notes.length === 0 ? spec.help : `${spec.help} (${notes.join("; ")})`;
}

function badValue(spec: OptionSpec, expected: string, got: unknown): BatchevalError {
  return new BatchevalError(
    "bad_input",
    `${flagName(spec)} must be ${expected}, got ${JSON.stringify(got)}`,
  );
}

/** Checks a value given for an option (by a flag or a library caller); throws `bad_input`. */
export function checkOption(spec: OptionSpec, value: unknown): void {
  checkKind(spec, value);
  const problem = spec.check?.(value as Value);
  if (problem !== undefined) {
    throw new BatchevalError("bad_input", `${flagName(spec)}: ${problem.message}`, {
      hint: problem.hint,
    });
  }
}

function checkKind(spec: OptionSpec, value: unknown): void {
  switch (spec.kind) {
    case "list":
    case "repeatable":
      if (!Array.isArray(value) || !value.every((v) => typeof v === "string" && v !== "")) {
        throw badValue(spec, "a list of names", value);
      }
      return;
    case "whole": {
      const min = spec.min ?? 0;
      if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
        throw badValue(spec, `a whole number >= ${min}`, value);
      }
      return;
    }
    case "usd":
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
        throw badValue(spec, "an amount of USD >= 0", value);
      }
      return;
    case "rate":
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 1) {
        throw badValue(spec, "a rate from 0 to 1", value);
      }
      return;
    case "choice":
      if (!spec.choices?.includes(value as never)) {
        throw badValue(spec, `one of ${spec.choices?.join(", ")}`, value);
      }
      return;
    case "switch":
    case "negatable":
      if (typeof value !== "boolean") throw badValue(spec, "true or false", value);
      return;
    case "text":
      if (typeof value !== "string" || value === "")
        throw badValue(spec, "a non-empty text", value);
  }
}

/**
 * Parses an option's text from the command line into its value, checked; `previous` is what
 * a repeatable flag collected so far.
 */
export function parseOption(spec: OptionSpec, text: string, previous?: unknown): Value {
  let value: Value = text;
  if (spec.kind === "repeatable") {
    value = [...(Array.isArray(previous) ? previous : []), text];
  } else if (spec.kind === "list") {
    value = text
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
  } else if (spec.kind === "whole" || spec.kind === "usd" || spec.kind === "rate") {
    value = text.trim() === "" ? Number.NaN : Number(text);
  }
  checkOption(spec, value);
  return value;
}

/** Checks every option `given` holds (a library caller's values are checked here). */
export function checkGiven(given: RunFlags): void {
  for (const [name, value] of Object.entries(given)) {
    const spec = (RUN_OPTIONS as Record<string, OptionSpec>)[name];
    if (spec === undefined || value === undefined) continue;
    checkOption(spec, value);
  }
}

/** Every option resolved: the flag, else the config, else the default (absent: no value). */
export type RunSettings = RunFlags & {
  fresh: boolean;
  detach: boolean;
  override: boolean;
  maxAttempts: number;
  cache: boolean;
  cacheDir: string;
  out: string;
  warmup: WarmupMode;
  strict: boolean;
  tolerance: number;
};

/** A value as the flags that give it: `--max-attempts 5`, `--no-cache`, `no --strict`. */
function asFlag(spec: OptionSpec, value: Value): string {
  const name = flagName(spec);
  if (spec.kind === "switch") return value === true ? name : `no ${name}`;
  if (spec.kind === "negatable") return value === false ? name : `no ${name}`;
  return `${name} ${show(value)}`;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Resolves every option: flag > config > default. With `recorded` (the settings of the run
 * being resumed), a recorded option takes the recorded value; a flag that differs from it is an
 * error naming both values, unless `override` is given.
 */
export function resolveSettings(
  given: RunFlags,
  config: ProjectConfig,
  recorded?: Readonly<Record<string, unknown>>,
): RunSettings {
  checkGiven(given);
  const settings: Record<string, unknown> = {};
  const clashes: string[] = [];
  for (const [name, spec] of Object.entries(RUN_OPTIONS) as [OptionName, OptionSpec][]) {
    const flag = given[name];
    const fromRun = spec.resume === "recorded" ? recorded?.[name] : undefined;
    if (fromRun !== undefined && flag !== undefined && !same(flag, fromRun) && !given.override) {
      clashes.push(
        `${asFlag(spec, flag)} (the run started with ${asFlag(spec, fromRun as Value)})`,
      );
    }
    const value =
      (given.override ? flag : undefined) ??
      fromRun ??
      flag ??
      spec.config?.read(config) ??
      spec.fallback;
    if (value !== undefined) settings[name] = value;
  }
  if (clashes.length > 0) {
    throw new BatchevalError(
      "bad_input",
      `This run was started with other settings: ${clashes.join("; ")}.`,
      {
        hint: "Resume with the same flags (or none: the recorded ones are used), add --override to use the new values, or start a new run with --fresh.",
      },
    );
  }
  return settings as unknown as RunSettings;
}

/** The settings a run records in run.json when it starts: its `recorded` options. */
export function recordSettings(settings: RunSettings): Record<string, Value> {
  const record: Record<string, Value> = {};
  for (const [name, spec] of Object.entries(RUN_OPTIONS) as [OptionName, OptionSpec][]) {
    const value = settings[name];
    if (spec.resume === "recorded" && value !== undefined) record[name] = value as Value;
  }
  return record;
}

/** Quotes a shell word when it needs it. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * The command that continues run `runId`: the same paths and the `locate` flags given (the
 * recorded settings come from run.json).
 */
export function resumeCommand(paths: readonly string[], given: RunFlags, runId: string): string {
  const words = ["batcheval", "run", ...paths, "--run-id", runId];
  for (const [name, spec] of Object.entries(RUN_OPTIONS) as [OptionName, OptionSpec][]) {
    const value = given[name];
    if (spec.resume !== "locate" || name === "runId" || value === undefined) continue;
    words.push(flagName(spec), show(value as Value));
  }
  return words.map(shellWord).join(" ");
}
