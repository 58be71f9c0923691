/**
 * The project config (`batcheval.config.yaml`) after loading and defaulting.
 * CLI flags override these values; the precedence (flag > config > default) lives in
 * `resolve-options.ts` and nowhere else.
 */

import type { SourceLocation } from "../source/types.js";

/** A price row as written in the config's `pricing:` section (USD per million tokens). */
export interface PriceOverride {
  input: number;
  output: number;
  /** Defaults to 1.25 × input. */
  cacheWrite5m?: number;
  /** Defaults to 2 × input. */
  cacheWrite1h?: number;
  /** Defaults to 0.1 × input. */
  cacheRead?: number;
  /** When the price was checked (YYYY-MM-DD). */
  seen?: string;
}

/** PriceOverride field → the key it is written as under `pricing:` in the config. */
export const PRICE_OVERRIDE_KEYS = {
  input: "input",
  output: "output",
  cacheWrite5m: "cache_write_5m",
  cacheWrite1h: "cache_write_1h",
  cacheRead: "cache_read",
  seen: "seen",
} as const satisfies Record<keyof PriceOverride, string>;

export type BackendName = "anthropic" | "sim";

export interface ProjectConfig {
  /** The file it came from, or undefined when no config file exists. */
  file?: string;
  /** Glob (relative to the config's folder) that finds suites when no paths are given. */
  evals: string;
  /** Default models for suites that name none. */
  models: string[];
  /** Backend; undefined means "choose from the environment" (docs/design.md, decision 3). */
  backend?: BackendName;
  /** Where runs are written. */
  outDir: string;
  /** The result cache's folder (relative paths are relative to the working directory). */
  cacheDir: string;
  /** Model that answers model-graded assertions. */
  graderModel: string;
  /** Extra or overriding prices, keyed by model id. */
  pricing: Record<string, PriceOverride>;
  /**
   * Make the gate strict, as `--strict` does: an uncertain recommendation or an errored result
   * exits 1, and a case with no assertion is an error.
   */
  strict: boolean;
  /**
   * The reporters `run` writes and `report` re-renders (`--reporter` replaces the list). `json`
   * (report.json) is written by every run whether listed or not. The names are checked against
   * the config schema's list at load, which a test keeps equal to the reporter registry's
   * (report/reporters.ts, a later stage that config does not import).
   */
  reporters: string[];
  /** Simulator settings for `--backend sim`. */
  sim: {
    /** Glob of fixture files. */
    fixtures: string;
  };
  /** Where some values were written in the config file, so later checks can point at them. */
  sources?: ConfigSources;
}

/** Source positions of config values that other stages check (e.g. unknown models). */
export interface ConfigSources {
  /** Position of each entry of `models`, index-aligned. */
  models?: SourceLocation[];
  /** Position of `grader_model`. */
  graderModel?: SourceLocation;
  /** Position of `sim.fixtures`, when the config sets it. */
  simFixtures?: SourceLocation;
  /** Positions of the `pricing:` entries, by the model key as written. */
  pricing?: Record<string, PriceSources>;
}

/** Where one `pricing:` entry was written: its key, and each price it sets. */
export interface PriceSources {
  entry: SourceLocation;
  fields: Partial<Record<keyof PriceOverride, SourceLocation>>;
}

export const DEFAULT_CONFIG: Omit<ProjectConfig, "file"> = {
  evals: "evals/**/*.{yaml,yml}",
  models: ["claude-haiku-4-5", "claude-sonnet-4-6", "claude-opus-4-8"],
  outDir: "reports",
  cacheDir: ".batcheval/cache",
  graderModel: "claude-sonnet-4-6",
  pricing: {},
  strict: false,
  reporters: ["json", "html"],
  sim: { fixtures: "fixtures/sim/**/*.{yaml,yml}" },
};
