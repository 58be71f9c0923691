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
 */
import type {
  MessageBatch,
  MessageBatchIndividualResponse,
  MessageBatchResult,
} from "@anthropic-ai/sdk/resources/messages";
import { notFound } from "./api-errors.js";
import { rfc3339, type SimClock } from "./clock.js";
import { newId, unitHash } from "./seeded.js";

/** Results become unavailable (and `archived_at` is set) this long after creation. */
export const ARCHIVE_AFTER_MS = 29 * 24 * 3_600_000;
/** Unfinished requests expire this long after creation. */
export const EXPIRE_AFTER_MS = 24 * 3_600_000;

/** One request of a batch, as submitted. Its params are let go once it has been answered. */
export interface BatchEntry {
  customId: string;
  params: unknown;
}

/**
 * One result, kept as the JSONL line the results endpoint sends (a string is a fraction of the
 * memory of the message object it encodes: 300,000 results are held until they are downloaded).
 */
interface StoredResult {
  customId: string;
  type: MessageBatchResult["type"];
  line: string;
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
  entries: BatchEntry[];
  results: StoredResult[];
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

  constructor(private readonly options: BatchStoreOptions) {}

  /** Creates a batch from already validated entries. */
  create(entries: BatchEntry[], version: string): StoredBatch {
    const now = this.options.clock.now();
    const batch: StoredBatch = {
      id: newId("msgbatch"),
      version,
      createdAt: now,
      expiresAt: now + EXPIRE_AFTER_MS,
      durationMs: this.options.durationMs,
      entries,
      results: [],
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

  /** Removes an ended batch. */
  delete(batch: StoredBatch): void {
    this.batches.delete(batch.id);
    this.order.splice(this.order.indexOf(batch.id), 1);
  }

  /**
   * The results' JSONL lines in a stable shuffled order (clients must match on custom_id,
   * never position).
   */
  results(batch: StoredBatch): string[] {
    return batch.results
      .map((row) => ({ row, key: unitHash(batch.id, row.customId) }))
      .sort((a, b) => a.key - b.key)
      .map(({ row }) => row.line);
  }

  /** Whether the batch's results are archived (unavailable) at the current time. */
  isArchived(batch: StoredBatch): boolean {
    return batch.endedAt !== null && this.options.clock.now() >= batch.createdAt + ARCHIVE_AFTER_MS;
  }

  /** The API object; `baseUrl` builds the absolute `results_url`. */
  toJson(batch: StoredBatch, baseUrl: string): MessageBatch {
    const ended = batch.endedAt !== null;
    const counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
    if (ended) for (const r of batch.results) counts[r.type] += 1;
    else counts.processing = batch.entries.length;
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
    return batch.createdAt + (batch.durationMs * (index + 1)) / batch.entries.length;
  }

  private cutoff(batch: StoredBatch): number {
    const cancelAt =
      batch.cancelInitiatedAt === null
        ? Number.POSITIVE_INFINITY
        : batch.cancelInitiatedAt + this.options.cancelGraceMs;
    return Math.min(batch.expiresAt, cancelAt);
  }

  private nextEventAt(batch: StoredBatch): number {
    const index = batch.results.length;
    if (index >= batch.entries.length) return batch.createdAt; // nothing left: end now
    return Math.min(this.dueAt(batch, index), this.cutoff(batch));
  }

  private step(batch: StoredBatch, at: number): void {
    const index = batch.results.length;
    const entry = batch.entries[index];
    if (!entry) {
      batch.endedAt = at;
      return;
    }
    if (this.dueAt(batch, index) <= this.cutoff(batch)) {
      const result = this.options.process({ batchId: batch.id, version: batch.version, entry, at });
      batch.results.push(storedResult(entry.customId, result));
      batch.entries[index] = { customId: entry.customId, params: null };
      if (batch.results.length === batch.entries.length) batch.endedAt = at;
      return;
    }
    const type = at >= batch.expiresAt ? "expired" : "canceled";
    for (const rest of batch.entries.slice(index)) {
      batch.results.push(storedResult(rest.customId, { type }));
    }
    batch.endedAt = at;
  }
}

export type { StoredBatch };

function storedResult(customId: string, result: MessageBatchResult): StoredResult {
  const line: MessageBatchIndividualResponse = { custom_id: customId, result };
  return { customId, type: result.type, line: JSON.stringify(line) };
}
