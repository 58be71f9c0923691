/**
 * The shapes of suite and case-file data as written (snake_case), after the schema has
 * accepted them. Only the loader sees these; later stages get `Suite` and `SuiteCase`.
 */

import type { Locate } from "../source/yaml-source.js";
import type { CacheTtl, VarValue } from "./types.js";

/** An assertion as written. */
export interface RawAssertion {
  type: string;
  value?: unknown;
  weight?: number;
  threshold?: number;
  grader?: string;
  metric?: string;
  transform?: string;
}

/** A case as written inline, in a YAML/JSONL case file, or built from a CSV row. */
export interface RawCase {
  id?: string | number;
  description?: string;
  vars?: Record<string, VarValue>;
  assert?: RawAssertion[];
  threshold?: number;
  pass?: RawSamplePass;
  transform?: string;
}

/** How many of a case's samples must pass, as written. */
export type RawSamplePass = { at_least: number } | { share: number };

/** A `{file: path}` entry under `cases:`. */
export interface RawCaseFileRef {
  file: string;
  /** Renames (or, with null, ignores) columns of a CSV file or keys of `vars_from: row` rows. */
  columns?: Record<string, string | null>;
  /** `row`: read a JSON/JSONL/YAML row like a CSV row (other keys are vars); default `vars`. */
  vars_from?: "row" | "vars";
}

/** A system block as written. */
export type RawSystemBlock =
  | { text: string; cache?: CacheTtl | true }
  | { file: string; cache?: CacheTtl | true };

/** A suite file as written. */
export interface RawSuite {
  name: string;
  description?: string;
  models?: string[];
  params?: Record<string, unknown>;
  system?: string | RawSystemBlock[];
  /** A template, or `{file: path}` (relative to the suite file). */
  prompt?: string | { file: string };
  messages?: { role: "user" | "assistant"; content: string }[];
  defaults?: {
    vars?: Record<string, VarValue>;
    assert?: RawAssertion[];
    threshold?: number;
    pass?: RawSamplePass;
    transform?: string;
  };
  cases: (RawCase | RawCaseFileRef)[];
  pass_threshold?: number;
  repeat?: number;
  grader?: string;
}

/** A case and a locator for its parts (paths are relative to the case). */
export interface CaseEntry {
  data: RawCase;
  locate: Locate;
  /** The file the case is written in (the suite or a case file); its `file:` vars are relative to it. */
  from: string;
}
