/**
 * What every part of a run's execution shares: the batch port, the store and state, the options,
 * and the side channels (progress, log, stages, abortable sleep).
 */
import type { MessageBatch } from "@anthropic-ai/sdk/resources/messages/batches";
import type { BatchLimits, CompiledRequest } from "../compile/types.js";
import { BatchevalError } from "../errors.js";
import type { CanonicalModel } from "./batch-ownership.js";
import type { BatchBackend } from "./batch-port.js";
import type { ResultCache } from "./result-cache.js";
import {
  type Purpose,
  purposeOf,
  type RunState,
  type RunStatus,
  type RunStore,
  type StoredBatch,
} from "./run-store.js";

/**
 * Points of a run where a test can stop the process (`BATCHEVAL_FAILPOINT`), reached by eval
 * batches and by grader batches alike (the hook is told which).
 */
export type RunStage = "created" | "submitted" | "polling" | "downloading" | "collected";

/** Progress of one batch, for the live display. */
export interface BatchProgress {
  model: string;
  purpose: Purpose;
  key: string;
  kind: StoredBatch["kind"];
  batchId: string | null;
  status: StoredBatch["processingStatus"];
  requests: number;
  counts: MessageBatch["request_counts"] | null;
  downloaded: number;
}

export interface RunOptions {
  /** Submissions per request at most, counting the first (default 3). */
  maxAttempts: number;
  /** Submit what needs submitting, then return without waiting. */
  detach: boolean;
  /** The requests of a model to send alone first as a cache warm-up, or none. */
  warmupFor: (model: string, requests: readonly CompiledRequest[]) => CompiledRequest[];
  /** The result cache, with whether to answer from it (`--no-cache` only writes). */
  cache?: { store: ResultCache; read: boolean; origin: string };
  pollIntervalMs: number;
  maxPollIntervalMs: number;
  /** An embedded simulator forgets its batches when it stops: a 404 then means "send again". */
  batchesMayVanish: boolean;
  limits?: BatchLimits;
  /**
   * A model id or alias → its canonical id (e.g. the pricing table's), so that an adopted
   * batch answered by `claude-x-4-5-20250929` passes for requests sent to `claude-x-4-5`.
   * Without it, only equal ids and dated snapshots of the requested id match.
   */
  canonicalModel?: CanonicalModel;
  onProgress?: (progress: BatchProgress) => void;
  onStage?: (stage: RunStage, purpose: Purpose) => void;
  log?: (line: string) => void;
  signal?: AbortSignal;
  now?: () => Date;
}

/**
 * The run's stage while batches are under way, derived from its eval batches: `submitting`
 * while any is unsent, `submitted` while any runs, `ended` while any awaits its download, then
 * `collected`; `grading` once the grading stage began (it set the status, or grader batches
 * exist) and the eval batches are all collected. Later stages (graded, reported) are set by
 * whoever reaches them.
 */
export function stageOf(state: RunState): RunStatus {
  if (state.status === "graded" || state.status === "reported") return state.status;
  const live = state.batches.filter((b) => b.processingStatus !== "lost");
  const grading = state.status === "grading" || live.some((b) => purposeOf(b) === "grader");
  const evals = live.filter((b) => purposeOf(b) === "eval");
  const stage = evalStage(evals);
  return grading && (stage === "collected" || stage === "planned") ? "grading" : stage;
}

function evalStage(live: readonly StoredBatch[]): RunStatus {
  if (live.length === 0) return "planned";
  if (live.some((b) => b.id === null)) return "submitting";
  if (live.some((b) => b.processingStatus !== "ended")) return "submitted";
  if (live.some((b) => !b.collected)) return "ended";
  return "collected";
}

/** Sleeps, or rejects with an `interrupted` error when the signal aborts. */
export function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(interrupted());
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(interrupted());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function interrupted(): BatchevalError {
  return new BatchevalError("interrupted", "Interrupted.");
}

export class RunContext {
  private submitting: Promise<unknown> = Promise.resolve();

  constructor(
    /** The only way the run reaches the API. */
    readonly api: BatchBackend,
    readonly store: RunStore,
    readonly state: RunState,
    readonly options: RunOptions,
  ) {}

  /**
   * Runs `create` calls one at a time across models, so that a crash leaves at most one batch
   * whose id was not saved, which reconciliation can then tell apart.
   */
  oneAtATime<T>(task: () => Promise<T>): Promise<T> {
    const next = this.submitting.then(task);
    this.submitting = next.catch(() => undefined);
    return next;
  }

  /** Saves the state, with the run's stage derived from its batches. */
  save(): Promise<void> {
    this.state.status = stageOf(this.state);
    return this.store.save(this.state);
  }

  now(): Date {
    return this.options.now?.() ?? new Date();
  }

  sleep(ms: number): Promise<void> {
    return abortableSleep(ms, this.options.signal);
  }

  /** Throws `interrupted` if the user asked to stop. */
  checkAborted(): void {
    if (this.options.signal?.aborted) throw interrupted();
  }

  log(line: string): void {
    this.options.log?.(line);
  }

  progress(stored: StoredBatch, counts: BatchProgress["counts"], downloaded = 0): void {
    this.options.onProgress?.({
      model: stored.model,
      purpose: purposeOf(stored),
      key: stored.key,
      kind: stored.kind,
      batchId: stored.id,
      status: stored.processingStatus,
      requests: stored.requestCount,
      counts,
      downloaded,
    });
  }
}
