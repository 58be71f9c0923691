/**
 * Resolves the paths given to a command (files, directories or globs) to suite files, with
 * fast-glob. With no paths, the config's `evals` glob is used, relative to the config file's
 * folder (or cwd when there is no config file). Returned paths are relative to cwd, sorted.
 * Symbolic links are followed without loops, and a file reached by two paths is found once
 * (see glob-files.ts).
 */
import { stat } from "node:fs/promises";
import { dirname, isAbsolute, posix, relative, resolve } from "node:path";
import fg from "fast-glob";
import type { ProjectConfig } from "../config/types.js";
import { diagnosticAt, fileLocation } from "../source/diagnostics.js";
import type { Diagnostic } from "../source/types.js";
import { globFiles } from "./glob-files.js";

/** Suite files found, and diagnostics for paths that matched nothing. */
export interface FoundFiles {
  files: string[];
  diagnostics: Diagnostic[];
}

const SUITE_EXTENSIONS = "{yaml,yml}";

/** Finds the suite files for `paths` (or the config's `evals` glob when `paths` is empty). */
export async function findSuiteFiles(
  paths: readonly string[],
  cwd: string,
  config: ProjectConfig,
): Promise<FoundFiles> {
  if (paths.length === 0) return findFromConfig(cwd, config);
  const files = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const path of paths) {
    const found = await expandPath(path, cwd);
    if (found.length === 0) {
      const hint =
        "pass a suite file, a folder of .yaml suites, or a glob such as 'evals/**/*.yaml'";
      diagnostics.push(diagnosticAt(fileLocation(path), "no suite files match this path", hint));
    }
    for (const file of found) files.add(file);
  }
  return { files: [...files].sort(), diagnostics };
}

async function findFromConfig(cwd: string, config: ProjectConfig): Promise<FoundFiles> {
  const base = config.file === undefined ? cwd : dirname(resolve(cwd, config.file));
  const matches = await globFiles(config.evals, base);
  const files = matches.map((file) => toDisplayPath(file, cwd)).sort();
  if (files.length > 0) return { files, diagnostics: [] };
  const where = config.file === undefined ? "the default" : config.file;
  const message = `no suite files match the evals glob '${config.evals}' (from ${where})`;
  const hint =
    "create a suite such as evals/my-suite.yaml, pass suite paths on the command line, or set `evals:` in batcheval.config.yaml";
  return {
    files: [],
    diagnostics: [diagnosticAt(fileLocation(config.file ?? cwd), message, hint)],
  };
}

async function expandPath(path: string, cwd: string): Promise<string[]> {
  const absolute = resolve(cwd, path);
  const kind = await stat(absolute).then(
    (s) => (s.isDirectory() ? "dir" : "file"),
    () => "none",
  );
  if (kind === "file") return [path];
  // A folder name is literal text (escape it); anything else is a glob as the user wrote it.
  const pattern =
    kind === "dir" ? posix.join(fg.convertPathToPattern(path), `**/*.${SUITE_EXTENSIONS}`) : path;
  const matches = await globFiles(pattern, cwd);
  return matches.map((file) => toDisplayPath(file, cwd));
}

/** A path relative to cwd when it is inside cwd, else absolute. */
function toDisplayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel.startsWith("..") || isAbsolute(rel) ? file : rel;
}
