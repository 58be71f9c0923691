/**
 * A run is a directory (`<out>/<run-id>/`) and it is crash-safe (DESIGN.md decision 4):
 * `run.json` holds the state machine and every batch id, and is replaced atomically (temp file,
 * then rename). Raw results are appended to `results/<model>.jsonl` as they stream in.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, rename, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { BackendName } from "../config/types.js";
import type { BatchRecord } from "../report/types.js";

/** The run's stages, in order. */
export type RunStatus =
  | "planned"
  | "submitting"
  | "submitted"
  | "ended"
  | "collected"
  | "graded"
  | "reported";

/** One planned batch: a model's chunk. `id` is null until `create` returned. */
export interface StoredBatch {
  model: string;
  chunk: number;
  requestCount: number;
  id: string | null;
  /** When the create call was sent (used to reconcile a crash between create and save). */
  submittingAt: string | null;
  processingStatus: BatchRecord["processingStatus"] | "planned";
  createdAt: string | null;
  endedAt: string | null;
  /** Results downloaded completely. */
  collected: boolean;
}

export interface RunState {
  version: 1;
  runId: string;
  createdAt: string;
  status: RunStatus;
  backend: BackendName;
  suites: string[];
  models: string[];
  batches: StoredBatch[];
}

/** A safe file name for a model id. */
function fileSafe(name: string): string {
  return name.replace(/[^a-zA-Z0-9._-]+/g, "_");
}

/** Writes `text` to `path` atomically: a reader sees the old or the new file, never half. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

export class RunStore {
  readonly dir: string;
  private saving: Promise<void> = Promise.resolve();

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** Creates `<outDir>/<runId>/results/`. */
  static async create(outDir: string, runId: string): Promise<RunStore> {
    const dir = join(outDir, runId);
    await mkdir(join(dir, "results"), { recursive: true });
    return new RunStore(dir);
  }

  /**
   * Persists the state. Saves are queued so that concurrent callers (one per batch) cannot
   * reorder renames; each write serializes the state as it is when its turn comes.
   */
  save(state: RunState): Promise<void> {
    const next = this.saving.then(() =>
      writeFileAtomic(join(this.dir, "run.json"), `${JSON.stringify(state, null, 2)}\n`),
    );
    this.saving = next.catch(() => undefined);
    return next;
  }

  /** The raw results file of a model. */
  resultsPath(model: string): string {
    return join(this.dir, "results", `${fileSafe(model)}.jsonl`);
  }

  /** An append stream on a model's raw results file. */
  openResults(model: string): WriteStream {
    return createWriteStream(this.resultsPath(model), { flags: "a" });
  }

  /** Writes an output file of the run (report.json, index.html…) atomically. */
  async writeOutput(name: string, text: string): Promise<string> {
    const path = join(this.dir, name);
    await writeFileAtomic(path, text);
    return path;
  }

  /** Points `<outDir>/latest` at this run (a relative symlink). */
  async linkLatest(outDir: string, runId: string): Promise<void> {
    const link = join(outDir, "latest");
    await rm(link, { force: true, recursive: false }).catch(() => undefined);
    await symlink(runId, link, "dir");
  }
}

/** A sortable, unique run id such as `20261125-121530-k3f9`. */
export function newRunId(now: Date, random: () => number = Math.random): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const suffix = Math.floor(random() * 36 ** 4)
    .toString(36)
    .padStart(4, "0");
  return `${stamp}-${suffix}`;
}
