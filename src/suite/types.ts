/**
 * Types owned by the suite stage: what a loaded, validated suite looks like. Later stages
 * (compile, grade, report) consume these.
 */

import type { SourceLocation } from "../source/types.js";

/** Cache TTL of a prompt-caching breakpoint. */
export type CacheTtl = "5m" | "1h";

/** One assertion as written in the suite (after defaults are merged). */
export interface AssertionSpec {
  /** Grader name, e.g. `contains`; a `not-` prefix negates it. */
  type: string;
  /** The grader's argument (expected text, pattern, list…); meaning depends on the type. */
  value?: unknown;
  /** Relative weight in the case score (default 1). */
  weight?: number;
  /** Minimum score for the assertion to pass, for graders that return partial scores. */
  threshold?: number;
  /** A model-graded assertion's grader model, when it names its own (`grader:`). */
  grader?: string;
  /** The name its score is reported under, per model and suite (promptfoo's `metric`). */
  metric?: string;
  /**
   * JavaScript applied to the output before this assertion grades it (after the case's
   * transform); a relative `file:` path is made absolute by the loader.
   */
  transform?: string;
  /** Where the value was written, for code whose problems point at it (javascript). */
  valueSource?: SourceLocation;
  /** Where the transform was written. */
  transformSource?: SourceLocation;
  /** Where the assertion was written. */
  source: SourceLocation;
}

/** A system-prompt block. `file:` blocks are read by the loader, so `text` is always filled. */
export interface SystemBlock {
  /** Template text (may contain `{{var}}`). */
  text: string;
  /** Marks this block as the prompt-caching breakpoint, with its TTL. */
  cache?: CacheTtl;
  /** For `file:` blocks: the file the text was read from (as shown in diagnostics). */
  file?: string;
  /** Where the block was written in the suite. */
  source: SourceLocation;
}

/** One message of a multi-turn template (a `prompt:` becomes a single user message). */
export interface MessageTemplate {
  role: "user" | "assistant";
  /** Template text (may contain `{{var}}`). */
  content: string;
  /** For `prompt: {file: path}`: the file the text was read from (as shown in diagnostics). */
  file?: string;
  source: SourceLocation;
}

/** Value of a template variable: YAML scalars, lists and maps (rendered as JSON). */
export type VarValue = string | number | boolean | null | VarValue[] | { [key: string]: VarValue };

/**
 * How many of a case's samples (`repeat`) must pass for the case to pass: at least `atLeast`
 * of them, or a `share` of them rounded up (see samplesToPass).
 */
export type SamplePass =
  | { atLeast: number; source: SourceLocation }
  | { share: number; source: SourceLocation };

/** One case as loaded: defaults already merged into `vars`, `assert`, `threshold` and `pass`. */
export interface SuiteCase {
  id: string;
  description?: string;
  vars: Record<string, VarValue>;
  assert: AssertionSpec[];
  /**
   * promptfoo's case threshold: a sample passes when its weighted assertion score is at least
   * this, instead of when every assertion passes.
   */
  threshold?: number;
  /** With repeat, the samples that must pass for the case to pass (it then counts once). */
  pass?: SamplePass;
  /** JavaScript applied to the output before every assertion: the case's, else the defaults'. */
  transform?: string;
  source: SourceLocation;
}

/** A loaded, validated suite. Templates are not rendered yet; `expand` does that. */
export interface Suite {
  name: string;
  description?: string;
  /** The suite file's path. */
  file: string;
  /**
   * Models under test: the suite's `models:`, or the config's `models` when the suite names
   * none (the loader fills them in). Empty only if both are empty.
   */
  models: string[];
  /**
   * Extra Messages API params copied into every request (`max_tokens`, `stop_sequences`,
   * `tools`, `tool_choice`, `metadata`…). `max_tokens` is always present after loading.
   */
  params: Record<string, unknown>;
  system: SystemBlock[];
  messages: MessageTemplate[];
  /** Minimum pass rate (0–1) for a model to pass this suite. */
  passThreshold: number;
  /** Samples per case (>= 1). */
  repeat: number;
  /**
   * The grader model of the suite's model-graded assertions that name none: the suite's
   * `grader:`, else the config's `grader_model` (the loader always sets it).
   */
  grader?: string;
  cases: SuiteCase[];
}

/** A case with its templates rendered: ready to compile into one request per model. */
export interface EvalCase {
  suite: string;
  caseId: string;
  description?: string;
  vars: Record<string, VarValue>;
  /** Rendered system blocks; `source` is where the block was written (absent in hand-built cases). */
  system: { text: string; cache?: CacheTtl; source?: SourceLocation }[];
  messages: { role: "user" | "assistant"; content: string }[];
  params: Record<string, unknown>;
  assert: AssertionSpec[];
  /** See SuiteCase.threshold. */
  threshold?: number;
  /** See SuiteCase.pass. */
  pass?: SamplePass;
  /** The case's transform (see SuiteCase.transform). */
  transform?: string;
  repeat: number;
  /** The suite's grader model (see Suite.grader). */
  grader?: string;
  source: SourceLocation;
}
