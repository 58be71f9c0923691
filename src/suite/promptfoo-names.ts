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
  options: UNSUPPORTED(
    "options",
    "promptfoo's `options.transform` is the case key `transform:` here (or `defaults: {transform: …}`); put prefixes and suffixes in the prompt template; a grader `provider` is `grader:` on the suite here",
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

/** What to say about a promptfoo assertion type that is not a type here. */
export interface PromptfooType {
  /** This project's type of the same meaning, when there is one. */
  ours?: string;
  /** Why it is not here, or the nearest alternative, when there is something honest to say. */
  note?: string;
}

const SAME_AS = (ours: string): PromptfooType => ({ ours });

const ASSERTION_TYPES: Readonly<Record<string, PromptfooType>> = {
  "finish-reason": SAME_AS("stop-reason"),
  "is-valid-openai-tools-call": SAME_AS("tool-call"),
  "model-graded-factuality": SAME_AS("factuality"),
  python: { note: "no Python runs in a suite; write the check as a `javascript` assertion" },
  webhook: {
    note: "no assertion calls a URL; add an assertion type through the library (`runEval`'s `graders`)",
  },
  similar: {
    note: "no embeddings are computed; `llm-rubric` can judge closeness in meaning, `levenshtein` closeness in spelling",
  },
  "answer-relevance": {
    note: "use `model-graded-closedqa` (its grader sees the prompt) with a criterion such as 'answers the question asked'",
  },
  "context-faithfulness": {
    note: "use `factuality` with the context as the reference, or `llm-rubric` with the context in the rubric",
  },
  "context-recall": {
    note: "use `llm-rubric` with the context in the rubric",
  },
  "context-relevance": {
    note: "use `llm-rubric` with the context in the rubric",
  },
  "g-eval": { note: "use `llm-rubric`: a score from 0 to 1, with `threshold` as the minimum" },
  "select-best": {
    note: "each result is graded on its own; the report compares the models",
  },
  "max-score": {
    note: "each result is graded on its own; the report compares the models",
  },
  perplexity: { note: "the Messages API returns no token log-probabilities" },
  "perplexity-score": { note: "the Messages API returns no token log-probabilities" },
  moderation: { note: "no moderation API is called; `llm-rubric` can judge safety" },
  classifier: { note: "no classifier model runs; `llm-rubric` can judge tone or toxicity" },
  "rouge-n": {
    note: "no n-gram overlap metrics; `levenshtein` measures edit distance, `contains-all` checks required words",
  },
  bleu: {
    note: "no n-gram overlap metrics; `levenshtein` measures edit distance, `contains-all` checks required words",
  },
  "f-score": {},
  latency: { note: "batches have no per-request latency" },
  "contains-xml": { note: "`is-xml` checks an output that is one XML document" },
  "is-html": {},
  "contains-html": {},
  "is-sql": {},
  "contains-sql": {},
};

/** What to say about `type` when it is a promptfoo assertion type this project lacks. */
export function promptfooType(type: string): PromptfooType | undefined {
  return Object.hasOwn(ASSERTION_TYPES, type) ? ASSERTION_TYPES[type] : undefined;
}
