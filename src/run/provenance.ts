/**
 * Where a report came from, for a reader and for a diff against a baseline: the batcheval
 * version, the command line, the git commit when the project is in a repository, the backend's
 * base URL, when the run started and ended, and SHA-256 hashes of the files that made it (the
 * config, the suites, and the simulator fixtures when the simulator answered).
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { promisify } from "node:util";
import fg from "fast-glob";
import type { Provenance } from "../report/types.js";
import type { RunState } from "../runner/run-store.js";
import type { Project } from "./load-project.js";

const run = promisify(execFile);

/** This package's version, from its package.json. */
export async function batchevalVersion(): Promise<string> {
  const url = new URL("../../package.json", import.meta.url);
  return (JSON.parse(await readFile(url, "utf8")) as { version: string }).version;
}

/**
 * The commit checked out in `cwd` and whether tracked files differ from it; undefined outside
 * a repository or without git (a report is written all the same).
 */
async function gitState(cwd: string): Promise<Provenance["git"]> {
  try {
    const options = { cwd, timeout: 5_000 };
    const { stdout: commit } = await run("git", ["rev-parse", "HEAD"], options);
    const { stdout: changes } = await run(
      "git",
      ["status", "--porcelain", "--untracked-files=no"],
      options,
    );
    return { commit: commit.trim(), dirty: changes.trim() !== "" };
  } catch {
    return undefined;
  }
}

async function sha256(path: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(path))
    .digest("hex");
}

/** The hashes of the config, the suite files and, on the simulator, the fixture files. */
async function fileHashes(
  project: Project,
  cwd: string,
  simulated: boolean,
): Promise<Record<string, string>> {
  const paths = [...project.files];
  if (project.config.file !== undefined) paths.unshift(project.config.file);
  if (simulated) {
    const root = project.config.file ? dirname(resolve(cwd, project.config.file)) : cwd;
    const fixtures = await fg(project.config.sim.fixtures, { cwd: root, onlyFiles: true });
    for (const file of fixtures.sort()) paths.push(relative(cwd, resolve(root, file)));
  }
  const hashes: Record<string, string> = {};
  for (const path of paths) hashes[path] = await sha256(resolve(cwd, path));
  return hashes;
}

/** The provenance of a run's report, `endedAt` being now. */
export async function provenanceOf(
  project: Project,
  state: RunState,
  options: { cwd: string; now: Date; command?: readonly string[] },
): Promise<Provenance> {
  const git = await gitState(options.cwd);
  return {
    batchevalVersion: await batchevalVersion(),
    ...(options.command === undefined ? {} : { command: [...options.command] }),
    ...(git === undefined ? {} : { git }),
    baseUrl: state.origin,
    startedAt: state.createdAt,
    endedAt: options.now.toISOString(),
    files: await fileHashes(project, options.cwd, state.backend === "sim"),
  };
}
