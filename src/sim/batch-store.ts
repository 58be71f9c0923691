/**
 * The simulator's batches and their life cycle, on the injected clock. Nothing runs in the
 * background: every API call first calls {@link BatchStore.advance}, which replays, in time
 * order across all batches, every event that became due (a request finishing, a batch
 * hitting its expiry or its cancel cut-off). So the same calls on the same clock give the
 * same results, and a test can jump the clock by 24 h to reach expiry.
 *
 * Timing model: request i of n finishes at `created + duration × (i+1)/n`, so the batch ends
 * after `duration`. A cancel lets requests finishing within `cancelGraceMs` complete (the
 * "in-flight" ones); the rest become `canceled` and the batch ends at the cut-off. At
 * `expires_at` (created + 24 h) unfinished requests become `expired`.
 *
 * Results live on disk, as a real server keeps them: each batch's JSONL lines go to
 * `<batch id>.jsonl` in a temp folder the store owns (`batcheval-sim-results-XXXXXX` under the
 * OS temp dir, removed by {@link BatchStore.dispose} and, as a fallback, when the process
 * exits). Lines are buffered and written about 1 MiB at a time; memory keeps per result only
 * its order key, byte offset and length (typed arrays), and per batch the counts by type.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type {
  MessageBatch,
  MessageBatchIndividualResponse,
  MessageBatchResult,
} from "@anthropic-ai/sdk/resources/messages";
import { notFound } from "./api-errors.js";
import { rfc3339, type SimClock } from "./clock.js";
import { newId, quickHash } from "./seeded.js";

/** Results become unavailable (and `archived_at` is set) this long after creation. */
export const ARCHIVE_AFTER_MS = 29 * 24 * 3_600_000;
/** Unfinished requests expire this long after creation. */
export const EXPIRE_AFTER_MS = 24 * 3_600_000;

/** Result lines are written to disk once this many bytes are pending. */
const FLUSH_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;

/** One request of a batch, as submitted. Let go (its slot set to null) once answered. */
export interface BatchEntry {
  customId: string;
  params: unknown;
}

type ResultType = MessageBatchResult["type"];

/**
 * Where a batch's results are: the JSONL file (each line followed by `\n`), the lines not yet
 * written, and per result (in the order answered) its order key and its place in the file.
 */
interface ResultsFile {
  path: string;
  /** Open while the batch runs; closed (null) once it has ended and everything is written. */
  fd: number | null;
  /** Bytes in the file. */
  written: number;
  /** Lines not yet written (without newlines), and their size in bytes with newlines. */
  pending: string[];
  pendingBytes: number;
  /** A hash of the batch id and the custom_id: results are served sorted by it (shuffled). */
  keys: Uint32Array;
  /** The batch id's part of those hashes, taken once. */
  keySeed: number;
  offsets: Float64Array;
  lengths: Uint32Array;
}

/**
 * The results of one download: the batch's file read into one buffer, and the lines in their
 * served order (each without its newline). Dropped once the response has been written.
 */
export class ResultLines {
  constructor(
    private readonly bytes: Buffer,
    private readonly order: Uint32Array,
    private readonly offsets: Float64Array,
    private readonly lengths: Uint32Array,
  ) {}

  get length(): number {
    return this.order.length;
  }

  /** The bytes of the line at served position `index`. */
  at(index: number): Uint8Array | undefined {
    const row = this.order[index];
    if (row === undefined) return undefined;
    const start = this.offsets[row] ?? 0;
    return this.bytes.subarray(start, start + (this.lengths[row] ?? 0));
  }
}

/** What the processor gets for one request. */
export interface ProcessContext {
  batchId: string;
  /** The `anthropic-version` the batch was created with. */
  version: string;
  entry: BatchEntry;
  /** Simulated time at which the request runs. */
  at: number;
}

/** Answers one batch request (succeeded, errored, or an injected canceled/expired). */
export type Processor = (ctx: ProcessContext) => MessageBatchResult;

interface StoredBatch {
  id: string;
  version: string;
  createdAt: number;
  expiresAt: number;
  durationMs: number;
  /** How many requests the batch has. */
  size: number;
  /** The requests; each slot is set to null once answered (and the array emptied at the end). */
  entries: (BatchEntry | null)[];
  /** How many requests have a result. */
  answered: number;
  counts: Record<ResultType, number>;
  file: ResultsFile;
  cancelInitiatedAt: number | null;
  endedAt: number | null;
}

/** Store options. */
export interface BatchStoreOptions {
  clock: SimClock;
  process: Processor;
  /** Time from create until the batch ends. */
  durationMs: number;
  /** After a cancel, requests finishing within this window still complete. */
  cancelGraceMs: number;
}

/** All batches of one simulator. */
export class BatchStore {
  private readonly batches = new Map<string, StoredBatch>();
  /** Newest first. */
  private readonly order: string[] = [];
  /** The folder of the results files (see the module comment). */
  readonly dir: string;
  private disposed = false;

  constructor(private readonly options: BatchStoreOptions) {
    this.dir = mkdtempSync(join(tmpdir(), "batcheval-sim-results-"));
    liveDirs.add(this.dir);
    if (!exitHookSet) {
      exitHookSet = true;
      process.once("exit", removeLiveDirs);
    }
  }

  /** Creates a batch from already validated entries. */
  create(entries: BatchEntry[], version: string): StoredBatch {
    const now = this.options.clock.now();
    const id = newId("msgbatch");
    const size = entries.length;
    const batch: StoredBatch = {
      id,
      version,
      createdAt: now,
      expiresAt: now + EXPIRE_AFTER_MS,
      durationMs: this.options.durationMs,
      size,
      entries,
      answered: 0,
      counts: { succeeded: 0, errored: 0, canceled: 0, expired: 0 },
      file: {
        path: join(this.dir, `${id}.jsonl`),
        fd: null,
        written: 0,
        pending: [],
        pendingBytes: 0,
        keys: new Uint32Array(size),
        keySeed: quickHash(id),
        offsets: new Float64Array(size),
        lengths: new Uint32Array(size),
      },
      cancelInitiatedAt: null,
      endedAt: null,
    };
    this.batches.set(batch.id, batch);
    this.order.unshift(batch.id);
    return batch;
  }

  /** The batch, or a 404 ApiError. */
  get(id: string): StoredBatch {
    const batch = this.batches.get(id);
    if (!batch) throw notFound(`message_batch: ${id} not found`);
    return batch;
  }

  /** Batch ids, newest first. */
  ids(): readonly string[] {
    return this.order;
  }

  /** Marks a batch `canceling`; returns false when it had already ended. */
  cancel(batch: StoredBatch): boolean {
    if (batch.endedAt !== null) return false;
    batch.cancelInitiatedAt ??= this.options.clock.now();
    return true;
  }

  /** Removes an ended batch, and its results file. */
  delete(batch: StoredBatch): void {
    this.batches.delete(batch.id);
    this.order.splice(this.order.indexOf(batch.id), 1);
    closeFile(batch.file);
    batch.file.pending = [];
    batch.file.pendingBytes = 0;
    rmSync(batch.file.path, { force: true });
  }

  /**
   * The results' JSONL lines in a stable shuffled order (clients must match on custom_id,
   * never position), read from the batch's file. A 404 if the batch was deleted meanwhile.
   */
  async results(batch: StoredBatch): Promise<ResultLines> {
    this.flush(batch);
    const { keys, offsets, lengths } = batch.file;
    const count = batch.answered;
    const order = new Uint32Array(count);
    for (let i = 0; i < count; i++) order[i] = i;
    order.sort((a, b) => (keys[a] ?? 0) - (keys[b] ?? 0) || a - b);
    let bytes: Buffer;
    try {
      bytes = batch.file.written === 0 ? Buffer.alloc(0) : await readFile(batch.file.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      throw notFound(`message_batch: ${batch.id} not found`);
    }
    return new ResultLines(bytes, order, offsets, lengths);
  }

  /** Closes every open results file and removes the folder (calling it again is harmless). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const batch of this.batches.values()) closeFile(batch.file);
    rmSync(this.dir, { recursive: true, force: true });
    liveDirs.delete(this.dir);
  }

  /** Whether the batch's results are archived (unavailable) at the current time. */
  isArchived(batch: StoredBatch): boolean {
    return batch.endedAt !== null && this.options.clock.now() >= batch.createdAt + ARCHIVE_AFTER_MS;
  }

  /** The API object; `baseUrl` builds the absolute `results_url`. */
  toJson(batch: StoredBatch, baseUrl: string): MessageBatch {
    const ended = batch.endedAt !== null;
    const counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
    if (ended) Object.assign(counts, batch.counts);
    else counts.processing = batch.size;
    const status = ended ? "ended" : batch.cancelInitiatedAt !== null ? "canceling" : "in_progress";
    return {
      id: batch.id,
      type: "message_batch",
      processing_status: status,
      request_counts: counts,
      created_at: rfc3339(batch.createdAt),
      expires_at: rfc3339(batch.expiresAt),
      ended_at: ended ? rfc3339(batch.endedAt ?? 0) : null,
      cancel_initiated_at:
        batch.cancelInitiatedAt === null ? null : rfc3339(batch.cancelInitiatedAt),
      archived_at: this.isArchived(batch) ? rfc3339(batch.createdAt + ARCHIVE_AFTER_MS) : null,
      results_url: ended ? `${baseUrl}/v1/messages/batches/${batch.id}/results` : null,
    };
  }

  /** Replays every event due at or before the clock's current time, oldest first. */
  advance(): void {
    const now = this.options.clock.now();
    const active = this.order
      .map((id) => this.batches.get(id))
      .filter((b): b is StoredBatch => b !== undefined && b.endedAt === null)
      .reverse(); // oldest first, so ties go to the older batch
    for (;;) {
      let next: { batch: StoredBatch; at: number } | undefined;
      for (const batch of active) {
        if (batch.endedAt !== null) continue;
        const at = this.nextEventAt(batch);
        if (at <= now && (!next || at < next.at)) next = { batch, at };
      }
      if (!next) return;
      this.step(next.batch, next.at);
    }
  }

  private dueAt(batch: StoredBatch, index: number): number {
    return batch.createdAt + (batch.durationMs * (index + 1)) / batch.size;
  }

  private cutoff(batch: StoredBatch): number {
    const cancelAt =
      batch.cancelInitiatedAt === null
        ? Number.POSITIVE_INFINITY
        : batch.cancelInitiatedAt + this.options.cancelGraceMs;
    return Math.min(batch.expiresAt, cancelAt);
  }

  private nextEventAt(batch: StoredBatch): number {
    const index = batch.answered;
    if (index >= batch.size) return batch.createdAt; // nothing left: end now
    return Math.min(this.dueAt(batch, index), this.cutoff(batch));
  }

  private step(batch: StoredBatch, at: number): void {
    const index = batch.answered;
    const entry = batch.entries[index];
    if (!entry) {
      this.end(batch, at);
      return;
    }
    if (this.dueAt(batch, index) <= this.cutoff(batch)) {
      const result = this.options.process({ batchId: batch.id, version: batch.version, entry, at });
      batch.entries[index] = null;
      this.record(batch, entry.customId, result);
      if (batch.answered === batch.size) this.end(batch, at);
      return;
    }
    const type = at >= batch.expiresAt ? "expired" : "canceled";
    for (let i = index; i < batch.size; i++) {
      const rest = batch.entries[i];
      batch.entries[i] = null;
      if (rest) this.record(batch, rest.customId, { type });
    }
    this.end(batch, at);
  }

  /** Adds one result: its line to the pending lines (written when about 1 MiB has gathered). */
  private record(batch: StoredBatch, customId: string, result: MessageBatchResult): void {
    const response: MessageBatchIndividualResponse = { custom_id: customId, result };
    const line = JSON.stringify(response);
    const length = Buffer.byteLength(line);
    const file = batch.file;
    const row = batch.answered++;
    file.keys[row] = quickHash(customId, file.keySeed);
    file.offsets[row] = file.written + file.pendingBytes;
    file.lengths[row] = length;
    file.pending.push(line);
    file.pendingBytes += length + 1;
    batch.counts[result.type] += 1;
    if (file.pendingBytes >= FLUSH_BYTES) this.flush(batch);
  }

  /** Ends the batch: its last lines are written, the file closed and the requests let go. */
  private end(batch: StoredBatch, at: number): void {
    batch.endedAt = at;
    batch.entries = [];
    this.flush(batch);
    closeFile(batch.file);
  }

  /** Writes the batch's pending lines to its file, in one buffer. */
  private flush(batch: StoredBatch): void {
    const file = batch.file;
    if (file.pendingBytes === 0 || this.disposed) return;
    const bytes = Buffer.allocUnsafe(file.pendingBytes);
    let at = 0;
    for (const line of file.pending) {
      at += bytes.write(line, at);
      bytes[at++] = NEWLINE;
    }
    file.pending = [];
    file.pendingBytes = 0;
    file.fd ??= openSync(file.path, "w");
    for (let done = 0; done < bytes.length; ) {
      done += writeSync(file.fd, bytes, done, bytes.length - done, file.written + done);
    }
    file.written += bytes.length;
  }
}

export type { StoredBatch };

function closeFile(file: ResultsFile): void {
  if (file.fd === null) return;
  closeSync(file.fd);
  file.fd = null;
}

/** Results folders of stores not yet disposed, removed at exit if nobody closed them. */
const liveDirs = new Set<string>();
let exitHookSet = false;

function removeLiveDirs(): void {
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
  liveDirs.clear();
}
