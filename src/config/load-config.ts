/**
 * Loads the optional project config `batcheval.config.yaml` (or `.yml`): parse with positions →
 * validate against schema/config.schema.json → normalize (snake_case → camelCase, defaults) →
 * named rules. Problems come back as located diagnostics, like the suite loader's.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { schemaDiagnostics } from "../source/describe-schema-error.js";
import { diagnosticAt, fileLocation, hasErrors } from "../source/diagnostics.js";
import { NOT_TEXT, NOT_TEXT_HINT, readTextFile } from "../source/read-text-file.js";
import { getValidators, validate } from "../source/schema-validators.js";
import type { Diagnostic } from "../source/types.js";
import { parseYamlSource } from "../source/yaml-source.js";
import { CONFIG_RULES } from "./config-rules.js";
import { defaultConfig, normalizeConfig, type RawConfig } from "./normalize-config.js";
import type { ProjectConfig } from "./types.js";

/** File names looked for in cwd, in order. */
export const CONFIG_FILE_NAMES = ["batcheval.config.yaml", "batcheval.config.yml"] as const;

/** A loaded config and the problems found in its file. */
export interface LoadConfigResult {
  /** The config; DEFAULT_CONFIG values (plus `file`) when the file has errors or is absent. */
  config: ProjectConfig;
  diagnostics: Diagnostic[];
}

/**
 * Finds and loads the project config. `explicitPath` (relative to cwd) must exist; otherwise
 * the first of CONFIG_FILE_NAMES found in cwd is used, and with none the defaults apply.
 */
export async function loadConfig(cwd: string, explicitPath?: string): Promise<LoadConfigResult> {
  const file = explicitPath ?? (await findConfigFile(cwd));
  if (file === undefined) return { config: defaultConfig(), diagnostics: [] };
  const fallback: ProjectConfig = { ...defaultConfig(), file };
  const read = await readTextFile(resolve(cwd, file));
  if (!read.ok) {
    const problem =
      read.kind === "binary"
        ? diagnosticAt({ file, line: 1, col: 1 }, `${NOT_TEXT}: ${read.reason}`, NOT_TEXT_HINT)
        : diagnosticAt(
            fileLocation(file),
            "config file not found or not readable",
            `check the path; it is resolved against ${cwd}`,
          );
    return { config: fallback, diagnostics: [problem] };
  }
  const source = parseYamlSource(file, read.text);
  if (hasErrors(source.diagnostics)) return { config: fallback, diagnostics: source.diagnostics };
  if (source.data === undefined || source.data === null) {
    return { config: fallback, diagnostics: source.diagnostics };
  }
  const { config: validator } = await getValidators();
  const schemaProblems = schemaDiagnostics(validate(validator, source.data), source.locate);
  if (schemaProblems.length > 0) {
    return { config: fallback, diagnostics: [...source.diagnostics, ...schemaProblems] };
  }
  const raw = source.data as RawConfig;
  const config = normalizeConfig(raw, file, source.locate);
  const ruleProblems = CONFIG_RULES.flatMap((rule) => rule(raw, source.locate));
  const diagnostics = [...source.diagnostics, ...ruleProblems];
  return { config: hasErrors(diagnostics) ? fallback : config, diagnostics };
}

/** The first config file name that exists in cwd, or undefined. */
async function findConfigFile(cwd: string): Promise<string | undefined> {
  for (const name of CONFIG_FILE_NAMES) {
    const exists = await readFile(resolve(cwd, name)).then(
      () => true,
      () => false,
    );
    if (exists) return name;
  }
  return undefined;
}
