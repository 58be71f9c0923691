/**
 * Drives one lane's requests (a model's eval requests, or the questions put to a grader model)
 * to final results. Every step re-derives what to do from the run
 * directory (batches in run.json, manifests, result files), so the same loop starts a run,
 * resumes it after a crash, and retries what failed:
 *
 * 1. follow every batch that is not finished (reconcile, poll, download);
 * 2. answer what the result cache can, and identical requests from one submission;
 * 3. submit the rest: a warm-up batch first when it pays, then everything else, then retries
 *    of retryable failures, up to `maxAttempts` submissions per request.
 */
import type { MessageBatchIndividualResponse } from "@anthropic-ai/sdk/resources/messages/batches";
import { API_BATCH_LIMITS, type CompiledRequest } from "../compile/types.js";
import { collect, type DownloadedLine, waitForEnd } from "./batch-tracker.js";
import { chunkRequests } from "./chunk-requests.js";
import { parseResultLine, readLaneOutcomes, readLaneResults } from "./read-results.js";
import { cacheKey } from "./result-cache.js";
import { needsSubmission } from "./retry-policy.js";
import type { RunContext } from "./run-context.js";
import { inLane, type Lane, type StoredBatch } from "./run-store.js";
import { planBatch, reconcileBatch, sendBatch } from "./submit-batch.js";

export type DriveOutcome = "complete" | "detached";

export class ModelDriver {
  private readonly manifests = new Map<string, Set<string>>();
  private readonly byId: Map<string, CompiledRequest>;
  private readonly keys = new WeakMap<CompiledRequest, string>();

  constructor(
    private readonly ctx: RunContext,
    private readonly lane: Lane,
    private readonly requests: readonly CompiledRequest[],
  ) {
    this.byId = new Map(requests.map((r) => [r.customId, r]));
  }

  async drive(): Promise<DriveOutcome> {
    for (;;) {
      const pending = this.batches().filter((b) => !b.collected && b.processingStatus !== "lost");
      if (pending.length > 0 && this.ctx.options.detach && pending.every((b) => b.id !== null)) {
        return "detached";
      }
      for (const batch of pending) await this.follow(batch);
      if (pending.length > 0) continue;
      const todo = await this.nextRequests();
      if (todo.length === 0) return "complete";
      await this.submit(todo);
    }
  }

  private batches(): StoredBatch[] {
    return this.ctx.state.batches.filter((b) => inLane(b, this.lane));
  }

  private async manifest(batch: StoredBatch): Promise<Set<string>> {
    let ids = this.manifests.get(batch.key);
    if (ids === undefined) {
      ids = new Set(await this.ctx.store.readManifest(batch.key));
      this.manifests.set(batch.key, ids);
    }
    return ids;
  }

  private requestsOf(ids: Iterable<string>): CompiledRequest[] {
    return [...ids].flatMap((id) => this.byId.get(id) ?? []);
  }

  /** Brings one unfinished batch to collected (or lost). */
  private async follow(batch: StoredBatch): Promise<void> {
    const ids = await this.manifest(batch);
    if (batch.id === null && batch.submittingAt === null) {
      await sendBatch(this.ctx, batch, this.requestsOf(ids));
    } else if (batch.id === null) {
      await reconcileBatch(this.ctx, batch);
    }
    if (batch.processingStatus === "lost" || batch.id === null) return;
    if ((await waitForEnd(this.ctx, batch)) === "lost") return;
    await collect(this.ctx, batch, ids, (line) => this.remember(line));
    await this.ctx.options.cache?.store.flushed();
  }

  /** Stores a succeeded result in the result cache for later runs, as it arrives. */
  private remember({ customId, text }: DownloadedLine): void {
    const cache = this.ctx.options.cache;
    if (cache === undefined) return;
    const request = this.byId.get(customId);
    const line = request && parseResultLine(text);
    if (request === undefined || line?.result.type !== "succeeded") return;
    cache.store.add(this.keyOf(request), line.result, this.ctx.now());
  }

  /** A request's cache key, computed once per request (it is asked for several times). */
  private keyOf(request: CompiledRequest): string {
    let key = this.keys.get(request);
    if (key === undefined) {
      const origin = this.ctx.options.cache?.origin ?? "";
      key = cacheKey({ origin, params: request.params, repeat: request.repeat });
      this.keys.set(request, key);
    }
    return key;
  }

  /** Submissions so far per custom_id (lost batches never reached the API). */
  private async attempts(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const batch of this.batches()) {
      if (batch.processingStatus === "lost") continue;
      for (const id of await this.manifest(batch)) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }

  /** What to submit next, after answering what the cache and this run already can. */
  private async nextRequests(): Promise<CompiledRequest[]> {
    const results = await readLaneOutcomes(this.ctx.store, this.ctx.state, this.lane);
    const attempts = await this.attempts();
    const max = this.ctx.options.maxAttempts;
    const unsent = this.requests.filter(
      (r) => !results.byId.has(r.customId) && !attempts.get(r.customId),
    );
    const replayed = await this.replay(unsent);
    const todo: CompiledRequest[] = [];
    const queuedKeys = new Set<string>();
    for (const request of this.requests) {
      if (replayed.has(request.customId)) continue;
      const line = results.byId.get(request.customId);
      if (!needsSubmission(line, attempts.get(request.customId) ?? 0, max)) continue;
      if (this.ctx.options.cache?.read) {
        // One submission answers identical requests; the others replay its result next round.
        const key = this.keyOf(request);
        if (queuedKeys.has(key)) continue;
        queuedKeys.add(key);
      }
      todo.push(request);
    }
    return todo;
  }

  /**
   * Answers unsent requests from the result cache, or from an identical request of this run
   * that succeeded. Returns the ids answered.
   */
  private async replay(unsent: readonly CompiledRequest[]): Promise<Set<string>> {
    const cache = this.ctx.options.cache;
    const answered = new Set<string>();
    if (cache === undefined || !cache.read || unsent.length === 0) return answered;
    const known = (await readLaneResults(this.ctx.store, this.ctx.state, this.lane)).byId;
    const inRun = new Map<string, MessageBatchIndividualResponse["result"]>();
    for (const request of this.requests) {
      const line = known.get(request.customId);
      if (line?.result.type === "succeeded") inRun.set(this.keyOf(request), line.result);
    }
    const lines: string[] = [];
    for (const request of unsent) {
      const key = this.keyOf(request);
      const result = inRun.get(key) ?? (await cache.store.get(key));
      if (result === undefined) continue;
      lines.push(JSON.stringify({ custom_id: request.customId, result }));
      answered.add(request.customId);
    }
    await this.ctx.store.appendCachedResults(this.lane, lines);
    if (answered.size > 0)
      this.ctx.log(`${this.label()}: ${answered.size} results replayed from the result cache.`);
    return answered;
  }

  /** Submits `todo`: a warm-up batch first when this model has sent nothing yet. */
  private async submit(todo: CompiledRequest[]): Promise<void> {
    const attempts = await this.attempts();
    const sent = this.batches().some((b) => b.processingStatus !== "lost");
    const warmup = sent ? [] : this.ctx.options.warmupFor(this.lane.model, todo);
    if (warmup.length > 0 && warmup.length < todo.length) {
      const stored = await planBatch(this.ctx, this.lane, warmup, "warmup", 1);
      this.manifests.set(stored.key, new Set(warmup.map((r) => r.customId)));
      await sendBatch(this.ctx, stored, warmup);
      return;
    }
    const attempt = 1 + Math.max(0, ...todo.map((r) => attempts.get(r.customId) ?? 0));
    const kind = attempt > 1 ? "retry" : "main";
    for (const chunk of chunkRequests(todo, this.ctx.options.limits ?? API_BATCH_LIMITS)) {
      const stored = await planBatch(this.ctx, this.lane, chunk, kind, attempt);
      this.manifests.set(stored.key, new Set(chunk.map((r) => r.customId)));
      await sendBatch(this.ctx, stored, chunk);
    }
  }

  /** The lane in messages: the model, and `(grader)` for a grader model's questions. */
  private label(): string {
    return this.lane.purpose === "eval" ? this.lane.model : `${this.lane.model} (grader)`;
  }
}
