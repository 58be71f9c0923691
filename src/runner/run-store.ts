/**
 * A run is a directory (`<out>/<run-id>/`) and it is crash-safe (docs/design.md, decision 4;
 * the rules in src/runner/README.md):
 *
 * - `run.json` holds the state machine and every batch, and is replaced atomically (temp file,
 *   then rename) before and after each call that costs money;
 * - `batches/<key>.json` names each batch's model and purpose and lists its custom_ids, written
 *   before it is submitted;
 * - `results/<model>--<key>.jsonl` receives a batch's raw results as they stream in, and
 *   `results/<model>--cache.jsonl` the results replayed from the result cache. Batches of
 *   grader questions (purpose `grader`) write `results/grader--<model>--…` beside them.
 *
 * Nothing here holds the API key: it is never written to disk.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import {
  type FileHandle,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  symlink,
  writeFile,
} from "node:fs/promises";
import { join } from "node:path";
import type { BackendName } from "../config/types.js";
import { BatchevalError } from "../errors.js";

/** Bytes a results file buffers before its download waits for the disk. */
const RESULTS_BUFFER = 1 << 20;

/**
 * The run's stages, in order. Retries may take a run from `collected` back to `submitting`.
 * `grading` lasts while the graders' questions are asked and answered.
 */
export type RunStatus =
  | "planned"
  | "submitting"
  | "submitted"
  | "ended"
  | "collected"
  | "grading"
  | "graded"
  | "reported";

/** Why a batch exists. */
export type BatchKind = "warmup" | "main" | "retry";

/**
 * What a batch's requests are: the eval's own requests, or questions that model-graded
 * assertions put to a grader model. A model under test may also be a grader model: its two
 * kinds of batches are told apart by purpose everywhere (state, manifests, result files and
 * custom_ids), never by model alone.
 */
export type Purpose = "eval" | "grader";

/** The requests of one model and purpose: what one driver brings to final results. */
export interface Lane {
  model: string;
  purpose: Purpose;
}

/** A batch's purpose; batches recorded before purposes existed are `eval`. */
export function purposeOf(batch: { purpose?: Purpose }): Purpose {
  return batch.purpose ?? "eval";
}

/** What a manifest (`batches/<key>.json`) holds. Older runs wrote the bare list of ids. */
interface Manifest {
  model: string;
  purpose: Purpose;
  customIds: string[];
}

/**
 * A batch of the run. `id` is null until `create` returned. A `lost` batch never reached the
 * API (a crash before create, with nothing to adopt), vanished with an embedded simulator, or
 * was adopted and then turned out to be another run's (`disowned`, its id kept so that it is
 * never adopted again); its requests count as never sent.
 */
export interface StoredBatch {
  /** Unique within the run: `b001`, `b002`… in submission order. */
  key: string;
  model: string;
  /** Absent in runs from before purposes: `eval`. */
  purpose?: Purpose;
  kind: BatchKind;
  /** 1 for warm-up and main batches, 2… for retries. */
  attempt: number;
  requestCount: number;
  id: string | null;
  /** When create was sent (reconciliation looks for batches created after it). */
  submittingAt: string | null;
  processingStatus: "planned" | "in_progress" | "canceling" | "ended" | "lost";
  createdAt: string | null;
  endedAt: string | null;
  /** The results were downloaded completely. */
  collected: boolean;
  /** Found by reconciliation rather than returned by create: its results are checked first. */
  adopted?: boolean;
  /** Why an adopted batch was found to be someone else's (then it is `lost`, never canceled). */
  disowned?: string;
}

/**
 * The settings a run was started with (see run/options.ts for which options are recorded): a
 * resumed run goes on with them. Values are plain JSON; an option left at no value is absent.
 */
export type RunSettingsRecord = Record<string, string | number | boolean | string[]>;

export interface RunState {
  version: 1;
  runId: string;
  createdAt: string;
  status: RunStatus;
  backend: BackendName;
  /** Where answers come from: `sim:<fixtures hash>` or the API base URL (never the key). */
  origin: string;
  /** Fingerprint of every request of the run, to recognize the same suites on resume. */
  planHash: string;
  /**
   * The run's tag, at the front of every custom_id it sends (see compile/custom-id.ts), so that
   * no other run's batch passes for this run's. Absent in runs from before tags: their
   * custom_ids are untagged, as they were sent.
   */
  customIdTag?: string;
  suites: string[];
  models: string[];
  settings: RunSettingsRecord;
  batches: StoredBatch[];
}

/** A safe file name for a model id. */
function fileSafe(name: string): string {
  return name.replace(/[^a-zA-Z0-9._-]+/g, "_");
}

/** The start of a lane's result file names: `<model>` for eval, `grader--<model>` for grader. */
function laneFile(lane: Lane): string {
  return lane.purpose === "eval" ? fileSafe(lane.model) : `grader--${fileSafe(lane.model)}`;
}

/** Bytes of one gathered write. */
const GATHER_BYTES = 1 << 20;

/**
 * Pieces of text encoded as UTF-8 (and pieces already bytes, copied) into writes of about a
 * megabyte, not one syscall or stream chunk per piece. Each piece is encoded straight into the
 * write's buffer: no joined string is made on the way, so the text is copied once, and the copy
 * lives outside the JS heap.
 */
export function* gathered(pieces: Iterable<string | Uint8Array>): Generator<Uint8Array> {
  let buffer = Buffer.allocUnsafe(GATHER_BYTES);
  let used = 0;
  for (const piece of pieces) {
    const bytes = typeof piece !== "string";
    // A UTF-16 code unit takes at most 3 bytes in UTF-8: a piece that surely fits is written
    // without measuring it first.
    const most = bytes ? piece.length : piece.length * 3;
    if (most > buffer.length - used) {
      if (used > 0) {
        yield buffer.subarray(0, used);
        buffer = Buffer.allocUnsafe(GATHER_BYTES);
        used = 0;
      }
      if (most > GATHER_BYTES) {
        yield bytes ? piece : Buffer.from(piece, "utf8");
        continue;
      }
    }
    if (bytes) {
      buffer.set(piece, used);
      used += piece.length;
    } else {
      used += buffer.write(piece, used, "utf8");
    }
  }
  if (used > 0) yield buffer.subarray(0, used);
}

/**
 * Writes the chunks to `path`, each made while the one before is being written: the writes
 * run on libuv's threads while this thread renders the next megabyte, instead of in turns.
 */
async function writeAhead(path: string, chunks: Iterable<Uint8Array>): Promise<void> {
  const file = await open(path, "w");
  let writing: Promise<void> = Promise.resolve();
  try {
    for (const chunk of chunks) {
      await writing;
      writing = writeWhole(file, chunk);
    }
    await writing;
  } finally {
    await writing.catch(() => undefined); // when making a chunk threw
    await file.close();
  }
}

async function writeWhole(file: FileHandle, chunk: Uint8Array): Promise<void> {
  for (let done = 0; done < chunk.length; ) {
    done += (await file.write(chunk, done, chunk.length - done)).bytesWritten;
  }
}

/**
 * Writes `text` (whole, or in pieces written one after the other) to `path` atomically: a
 * reader sees the old or the new file, never half.
 */
export async function writeFileAtomic(
  path: string,
  text: string | Iterable<string>,
): Promise<void> {
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    if (typeof text === "string") await writeFile(temp, text);
    else await writeAhead(temp, gathered(text));
    await rename(temp, path);
  } catch (error) {
    // A full disk or a vanished folder must not leave half a temp file behind.
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

export class RunStore {
  readonly dir: string;
  private saving: Promise<void> = Promise.resolve();

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** Creates `<outDir>/<runId>/` with its `results/` and `batches/` folders. */
  static async create(outDir: string, runId: string): Promise<RunStore> {
    const dir = join(outDir, runId);
    await mkdir(join(dir, "results"), { recursive: true });
    await mkdir(join(dir, "batches"), { recursive: true });
    return new RunStore(dir);
  }

  /** Opens an existing run directory and reads its state. */
  static async open(dir: string): Promise<{ store: RunStore; state: RunState }> {
    const state = await readRunState(dir);
    return { store: new RunStore(dir), state };
  }

  /**
   * Persists the state. Saves are queued so that concurrent callers (one per model) cannot
   * reorder renames; each write serializes the state as it is when its turn comes.
   */
  save(state: RunState): Promise<void> {
    const next = this.saving.then(() =>
      writeFileAtomic(join(this.dir, "run.json"), `${JSON.stringify(state, null, 2)}\n`),
    );
    this.saving = next.catch(() => undefined);
    return next;
  }

  /** Records which requests a batch holds, before it is submitted. */
  async writeManifest(batch: StoredBatch, customIds: readonly string[]): Promise<void> {
    const manifest: Manifest = {
      model: batch.model,
      purpose: purposeOf(batch),
      customIds: [...customIds],
    };
    await writeFileAtomic(join(this.dir, "batches", `${batch.key}.json`), JSON.stringify(manifest));
  }

  /** The custom_ids of a batch, from its manifest. */
  async readManifest(key: string): Promise<string[]> {
    const text = await readFile(join(this.dir, "batches", `${key}.json`), "utf8");
    const manifest = JSON.parse(text) as Manifest | string[];
    return Array.isArray(manifest) ? manifest : manifest.customIds;
  }

  /** The raw results file of a batch. */
  resultsPath(batch: StoredBatch): string {
    return join(this.dir, "results", `${laneFile(laneOf(batch))}--${batch.key}.jsonl`);
  }

  /** The file of results replayed from the result cache for a lane. */
  cachedResultsPath(lane: Lane): string {
    return join(this.dir, "results", `${laneFile(lane)}--cache.jsonl`);
  }

  /** Deletes a batch's results file, if any (results of a batch that was not this run's). */
  async discardResults(batch: StoredBatch): Promise<void> {
    await rm(this.resultsPath(batch), { force: true });
  }

  /**
   * A fresh (truncated) stream for a batch's results: a cut download starts over. Its buffer
   * is 1 MiB, so a download waits for the disk every thousand replies or so, not every dozen.
   */
  openResults(batch: StoredBatch): WriteStream {
    return createWriteStream(this.resultsPath(batch), {
      flags: "w",
      highWaterMark: RESULTS_BUFFER,
    });
  }

  /** Appends replayed result lines for a lane. */
  async appendCachedResults(lane: Lane, lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    await writeFile(this.cachedResultsPath(lane), lines.map((l) => `${l}\n`).join(""), {
      flag: "a",
    });
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
    await rm(link, { force: true }).catch(() => undefined);
    await symlink(runId, link, "dir");
  }
}

/** The lane a batch belongs to. */
export function laneOf(batch: StoredBatch): Lane {
  return { model: batch.model, purpose: purposeOf(batch) };
}

/** Whether a batch belongs to `lane`. */
export function inLane(batch: StoredBatch, lane: Lane): boolean {
  return batch.model === lane.model && purposeOf(batch) === lane.purpose;
}

/** Reads `<dir>/run.json`, or throws a `bad_input` error that says what is missing. */
export async function readRunState(dir: string): Promise<RunState> {
  let text: string;
  try {
    text = await readFile(join(dir, "run.json"), "utf8");
  } catch (cause) {
    throw new BatchevalError("bad_input", `${dir} is not a batcheval run: no run.json`, {
      hint: "Pass a run directory such as reports/latest or reports/<run-id>.",
      cause,
    });
  }
  const state = JSON.parse(text) as RunState;
  if (state.version !== 1) {
    throw new BatchevalError("bad_input", `${dir}/run.json has unknown version ${state.version}`);
  }
  return state;
}

/** Every run directory in `outDir` with its state, newest first. */
export async function listRuns(outDir: string): Promise<{ dir: string; state: RunState }[]> {
  let names: string[];
  try {
    names = await readdir(outDir);
  } catch {
    return [];
  }
  const runs: { dir: string; state: RunState }[] = [];
  for (const name of names.filter((n) => n !== "latest")) {
    const dir = join(outDir, name);
    try {
      runs.push({ dir, state: await readRunState(dir) });
    } catch {
      // Not a run directory (e.g. the README): skip it.
    }
  }
  return runs.sort((a, b) => (a.state.createdAt < b.state.createdAt ? 1 : -1));
}

/** A sortable, unique run id such as `20261125-121530-k3f9`. */
export function newRunId(now: Date, random: () => number = Math.random): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const suffix = Math.floor(random() * 36 ** 4)
    .toString(36)
    .padStart(4, "0");
  return `${stamp}-${suffix}`;
}
