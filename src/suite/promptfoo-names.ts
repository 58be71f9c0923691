/**
 * promptfoo's names for suite, case and assertion keys, and what each is here, so a ported
 * config gets "promptfoo's `tests` is `cases` here" rather than a bare "unknown key". Pure.
 */
import type { ForeignKeyNote } from "../source/describe-schema-error.js";

/** Where a key is written. */
export type KeyScope = "suite" | "case" | "assertion";

/** What to say about a promptfoo key. */
export type PromptfooKey = ForeignKeyNote;

const RENAMED = (key: string, ours: string, hint: string): PromptfooKey => ({
  message: ` — promptfoo's \`${key}\` is \`${ours}\` here`,
  hint,
  ours,
});

const UNSUPPORTED = (key: string, hint: string): PromptfooKey => ({
  message: ` — promptfoo's \`${key}\` is not supported here`,
  hint,
});

const SUITE_KEYS: Readonly<Record<string, PromptfooKey>> = {
  tests: RENAMED(
    "tests",
    "cases",
    "rename `tests:` to `cases:`; `file://cases.csv` entries become `- file: cases.csv`",
  ),
  defaultTest: RENAMED(
    "defaultTest",
    "defaults",
    "rename `defaultTest:` to `defaults:` (it holds `vars:` and `assert:`)",
  ),
  providers: RENAMED(
    "providers",
    "models",
    "list Claude model ids under `models:`, e.g. `models: [claude-haiku-4-5]`",
  ),
  targets: RENAMED(
    "targets",
    "models",
    "list Claude model ids under `models:`, e.g. `models: [claude-haiku-4-5]`",
  ),
  prompts: RENAMED(
    "prompts",
    "prompt",
    "one suite has one `prompt:` (a template, or `{file: path}`), or `messages:`; split several prompts into several suites",
  ),
  scenarios: UNSUPPORTED(
    "scenarios",
    "write the combinations out as cases, or as one suite per scenario",
  ),
  derivedMetrics: UNSUPPORTED(
    "derivedMetrics",
    "reports give pass rates and costs per model and suite",
  ),
  evaluateOptions: UNSUPPORTED(
    "evaluateOptions",
    "`repeat:` is a suite key here; batches need no concurrency setting",
  ),
  nunjucksFilters: UNSUPPORTED(
    "nunjucksFilters",
    "templates only substitute {{var}}; compute values into vars",
  ),
  outputPath: UNSUPPORTED(
    "outputPath",
    "runs are written under `out_dir` (batcheval.config.yaml) or `--out`",
  ),
  tags: UNSUPPORTED("tags", "use `description:`"),
  env: UNSUPPORTED("env", "set environment variables in the shell"),
  extensions: UNSUPPORTED("extensions", "remove it"),
};

const CASE_KEYS: Readonly<Record<string, PromptfooKey>> = {
  threshold: UNSUPPORTED(
    "threshold",
    "a case passes when all its assertions pass; set `threshold` on an assertion, or `pass_threshold` on the suite",
  ),
  options: UNSUPPORTED(
    "options",
    "put prefixes and suffixes in the prompt template; transforms are not supported; a grader `provider` is `grader:` on the suite here",
  ),
  metadata: UNSUPPORTED("metadata", "keep the information in `description:` or in a var"),
  providers: UNSUPPORTED(
    "providers",
    "run a case on other models by giving it its own suite with `models:`",
  ),
  providerOutput: UNSUPPORTED(
    "providerOutput",
    "the simulator (`--backend sim`) answers from fixture files",
  ),
};

const ASSERTION_KEYS: Readonly<Record<string, PromptfooKey>> = {
  metric: UNSUPPORTED("metric", "reports group results by suite and model; remove it"),
  transform: UNSUPPORTED("transform", "assertions read the reply's text as-is"),
  provider: RENAMED(
    "provider",
    "grader",
    "name the grader model with `grader: claude-sonnet-4-6` on the assertion, or on the suite for all of its model-graded assertions (the config's `grader_model` is the default)",
  ),
  rubricPrompt: UNSUPPORTED("rubricPrompt", "remove it"),
  config: UNSUPPORTED("config", "remove it"),
};

const BY_SCOPE: Readonly<Record<KeyScope, Readonly<Record<string, PromptfooKey>>>> = {
  suite: SUITE_KEYS,
  case: CASE_KEYS,
  assertion: ASSERTION_KEYS,
};

/** What to say about `key` when it is a promptfoo key in this scope, else undefined. */
export function promptfooKey(key: string, scope: KeyScope): PromptfooKey | undefined {
  const table = BY_SCOPE[scope];
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/**
 * The `ForeignKeyLookup` for suite and case files: the scope is told by the keys the schema
 * allows where the unknown key was written.
 */
export function promptfooKeyAmong(
  key: string,
  allowed: readonly string[],
): PromptfooKey | undefined {
  const scope = keyScope(allowed);
  return scope === undefined ? undefined : promptfooKey(key, scope);
}

/** Which object a schema describes, told by the keys it allows. */
function keyScope(allowed: readonly string[]): KeyScope | undefined {
  if (allowed.includes("cases")) return "suite";
  if (allowed.includes("vars") && allowed.includes("assert")) return "case";
  if (allowed.includes("type") && allowed.includes("weight")) return "assertion";
  return undefined;
}
