/**
 * The repeatable `--reporter NAME` flag: each name is checked as commander parses it, so a typo
 * stops the command (exit 2) with the closest reporter's name before anything is read or written.
 */
import { InvalidArgumentError } from "commander";
import type { ProjectConfig } from "../config/types.js";
import { BatchevalError } from "../errors.js";
import { chooseReporters, lookupReporter, type Reporter } from "../report/reporters.js";

/**
 * commander's argument parser for `--reporter NAME` (repeatable): adds `value` to the names
 * given so far. Use with no default, so that an absent flag stays undefined.
 */
export function collectReporter(value: string, previous: string[] | undefined): string[] {
  const found = lookupReporter(value);
  if (!found.ok) throw new InvalidArgumentError(`${found.message} (${found.hint})`);
  return [...(previous ?? []), value];
}

/**
 * The reporters a command writes: the `--reporter` names when any are given, else the config's
 * `reporters:`. `json` is always among them (see chooseReporters). Throws `bad_input` for an
 * unknown name, for callers that did not parse the flag with collectReporter.
 */
export function resolveReporters(
  flag: readonly string[] | undefined,
  config: Pick<ProjectConfig, "reporters">,
): Reporter[] {
  const names = flag !== undefined && flag.length > 0 ? flag : config.reporters;
  const chosen = chooseReporters(names);
  if (!chosen.ok) {
    throw new BatchevalError("bad_input", `--reporter: ${chosen.message}`, { hint: chosen.hint });
  }
  return chosen.reporters;
}
