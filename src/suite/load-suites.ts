/**
 * The suite loader: find files → parse YAML (positions kept) → validate with the JSON Schema
 * (ajv, allErrors) → normalize (defaults, `file:` blocks, case files) → named semantic rules.
 * Every problem comes back as a located diagnostic; nothing here throws for bad input.
 */
import { resolve } from "node:path";
import type { ProjectConfig } from "../config/types.js";
import { schemaDiagnostics } from "../source/describe-schema-error.js";
import { diagnosticAt, formatLocation, hasErrors, sortDiagnostics } from "../source/diagnostics.js";
import { TextFileCache } from "../source/read-text-file.js";
import { getValidators, validate } from "../source/schema-validators.js";
import type { Diagnostic } from "../source/types.js";
import { parseYamlSource } from "../source/yaml-source.js";
import { appendAll } from "./append-all.js";
import { unreadableOwnFile } from "./file-refs.js";
import { findSuiteFiles } from "./find-suite-files.js";
import {
  noFileUrlVars,
  renderableCaseAssertions,
  renderableSuiteTemplates,
} from "./foreign-syntax-rules.js";
import { normalizeSuite, type SuiteDraft } from "./normalize-suite.js";
import { promptfooKeyAmong } from "./promptfoo-names.js";
import type { RawSuite } from "./raw-suite.js";
import {
  type CheckAssertion,
  type RuleOptions,
  runSuiteRules,
  type SuiteRule,
} from "./suite-rules.js";
import type { Suite } from "./types.js";

/** What `loadSuites` needs from its caller. */
export interface LoadSuitesOptions {
  /** Folder that relative paths (and the default `evals` glob) are resolved against. */
  cwd: string;
  /** The project config: its `evals` glob and default `models`. */
  config: ProjectConfig;
  /** true when a model has a price; unknown models are errors naming the fix (add it under `pricing:` in batcheval.config.yaml) */
  isKnownModel: (model: string) => boolean;
  /** Every priced model id, for "did you mean" suggestions on an unknown model. */
  knownModels?: readonly string[];
  /** returns an error message when an assertion's type is unknown or its value is invalid, else undefined */
  checkAssertion: CheckAssertion;
  /** Retirement notice of a model (see RuleOptions.modelNotice); absent = no checks. */
  modelNotice?: RuleOptions["modelNotice"];
  /** Whether an assertion type asks a grader model (see RuleOptions.asksGrader). */
  asksGrader?: RuleOptions["asksGrader"];
}

/** Loaded suites and every diagnostic found on the way. */
export interface LoadSuitesResult {
  /** Suites that loaded without errors, in file order. */
  suites: Suite[];
  /** Located errors and warnings, sorted by file, line and column. */
  diagnostics: Diagnostic[];
  /** The suite files that were found (relative to cwd when inside it), sorted. */
  files: string[];
}

/**
 * Loads and validates suites. `paths` are files, folders or globs (relative to cwd); empty
 * means the config's `evals` glob. Check `hasErrors(result.diagnostics)` before running.
 */
export async function loadSuites(
  paths: string[],
  options: LoadSuitesOptions,
): Promise<LoadSuitesResult> {
  const found = await findSuiteFiles(paths, options.cwd, options.config);
  const files = new TextFileCache();
  const results = [];
  for (const file of found.files) {
    results.push({ file, ...(await loadSuiteFile(file, options, files)) });
  }
  // A glob such as evals/**/*.yaml also matches YAML case files; those are not suites.
  const caseFiles = new Set(
    results.flatMap((r) => r.draft?.caseFiles ?? []).map((f) => resolve(options.cwd, f)),
  );
  const suiteResults = results.filter((r) => !caseFiles.has(resolve(options.cwd, r.file)));
  const diagnostics = [...found.diagnostics, ...suiteResults.flatMap((r) => r.diagnostics)];
  const drafts = suiteResults.flatMap((r) =>
    r.draft !== undefined && !hasErrors(r.diagnostics) ? [r.draft] : [],
  );
  const names = uniqueSuiteNames(drafts);
  appendAll(diagnostics, names.diagnostics);
  return {
    suites: names.unique.map((d) => d.suite),
    diagnostics: sortDiagnostics(diagnostics),
    files: suiteResults.map((r) => r.file),
  };
}

/** Loads one suite file through every stage; stops at the first stage that reports errors. */
async function loadSuiteFile(
  file: string,
  options: LoadSuitesOptions,
  files: TextFileCache,
): Promise<{ draft?: SuiteDraft; diagnostics: Diagnostic[] }> {
  const read = await files.read(resolve(options.cwd, file));
  if (!read.ok) return { diagnostics: [unreadableOwnFile(file, read)] };
  const source = parseYamlSource(file, read.text);
  if (hasErrors(source.diagnostics)) return { diagnostics: source.diagnostics };
  if (source.data === undefined || source.data === null) {
    const hint = "a suite needs at least `name:`, `prompt:` and `cases:`";
    return {
      diagnostics: [diagnosticAt({ file, line: 1, col: 1 }, "the suite file is empty", hint)],
    };
  }
  if (Array.isArray(source.data)) {
    const message = "this file is a YAML list, not a suite (is it a case file?)";
    const hint =
      "a suite is a map with `name:`, `prompt:` and `cases:`; list case files under a suite's `cases:` as `- file: path`";
    return { diagnostics: [diagnosticAt(source.locate([]), message, hint)] };
  }
  const { suite: validator } = await getValidators();
  const schemaProblems = schemaDiagnostics(validate(validator, source.data), source.locate, {
    foreignKey: promptfooKeyAmong,
  });
  if (schemaProblems.length > 0) return { diagnostics: [...source.diagnostics, ...schemaProblems] };
  const normalized = await normalizeSuite(source.data as RawSuite, {
    file,
    cwd: options.cwd,
    files,
    config: options.config,
    locate: source.locate,
  });
  const ruleOptions: RuleOptions = {
    isKnownModel: options.isKnownModel,
    knownModels: options.knownModels,
    checkAssertion: options.checkAssertion,
    configModelSources: options.config.sources?.models,
    configGraderSource: options.config.sources?.graderModel,
    modelNotice: options.modelNotice,
    asksGrader: options.asksGrader,
  };
  const ruleProblems = [
    ...FOREIGN_SYNTAX_RULES.flatMap((rule) => rule(normalized.draft, ruleOptions)),
    ...runSuiteRules(normalized.draft, ruleOptions),
  ];
  const all = [...source.diagnostics, ...normalized.diagnostics, ...ruleProblems];
  return { draft: normalized.draft, diagnostics: all };
}

/** Rules that refuse text the engine would send literally (see foreign-syntax-rules.ts). */
const FOREIGN_SYNTAX_RULES: readonly SuiteRule[] = [
  renderableSuiteTemplates,
  noFileUrlVars,
  renderableCaseAssertions,
];

/** Suite names are unique across a run; the second use is the error. */
function uniqueSuiteNames(drafts: SuiteDraft[]): {
  unique: SuiteDraft[];
  diagnostics: Diagnostic[];
} {
  const firstByName = new Map<string, SuiteDraft>();
  const diagnostics: Diagnostic[] = [];
  for (const draft of drafts) {
    const first = firstByName.get(draft.suite.name);
    if (first === undefined) {
      firstByName.set(draft.suite.name, draft);
      continue;
    }
    const message = `duplicate suite name '${draft.suite.name}' (first used at ${formatLocation(first.locate(["name"]))})`;
    const hint = "suite names identify results in reports; give each suite its own name";
    diagnostics.push(diagnosticAt(draft.locate(["name"]), message, hint));
  }
  return { unique: [...firstByName.values()], diagnostics };
}
