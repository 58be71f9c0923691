/**
 * Submits every planned batch concurrently, polls each with backoff until it ends, and streams
 * its results to the run directory as they arrive. `run.json` is saved before and after every
 * call that costs money. All traffic goes through the SDK client.
 */
import type Anthropic from "@anthropic-ai/sdk";
import type {
  MessageBatch,
  MessageBatchIndividualResponse,
} from "@anthropic-ai/sdk/resources/messages/batches";
import type { BatchPlan, CompiledRequest } from "../compile/types.js";
import type { BatchRecord } from "../report/types.js";
import { translateApiError } from "./api-errors.js";
import type { RunState, RunStore, StoredBatch } from "./run-store.js";

/** Progress of one batch, for the live display. */
export interface BatchProgress {
  model: string;
  chunk: number;
  batchId: string | null;
  status: StoredBatch["processingStatus"];
  requests: number;
  counts: MessageBatch["request_counts"] | null;
  downloaded: number;
}

export interface RunBatchesOptions {
  /** First poll interval; it grows by half each poll up to `maxPollIntervalMs`. */
  pollIntervalMs: number;
  maxPollIntervalMs: number;
  onProgress?: (progress: BatchProgress) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

/** Results keyed by `resultKey(model, customId)`. */
export type ResultsByKey = Map<string, MessageBatchIndividualResponse>;

export function resultKey(model: string, customId: string): string {
  return `${model}\u0000${customId}`;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The plan's batches as stored in `run.json`, before anything is submitted. */
export function plannedBatches(plan: BatchPlan): StoredBatch[] {
  return plan.models.flatMap(({ model, chunks }) =>
    chunks.map((requests, chunk) => ({
      model,
      chunk,
      requestCount: requests.length,
      id: null,
      submittingAt: null,
      processingStatus: "planned" as const,
      createdAt: null,
      endedAt: null,
      collected: false,
    })),
  );
}

/** The batch records of a model, for the report. */
export function batchRecords(state: RunState, model: string): BatchRecord[] {
  return state.batches
    .filter((b) => b.model === model && b.id !== null)
    .map((b) => ({
      id: b.id ?? "",
      requests: b.requestCount,
      processingStatus: b.processingStatus === "planned" ? "in_progress" : b.processingStatus,
      createdAt: b.createdAt ?? "",
      endedAt: b.endedAt,
    }));
}

interface BatchJob {
  stored: StoredBatch;
  requests: readonly CompiledRequest[];
}

class BatchRunner {
  constructor(
    private readonly client: Anthropic,
    private readonly store: RunStore,
    private readonly state: RunState,
    private readonly options: Required<Omit<RunBatchesOptions, "onProgress">> &
      Pick<RunBatchesOptions, "onProgress">,
    private readonly results: ResultsByKey,
  ) {}

  async run(job: BatchJob): Promise<void> {
    if (job.stored.id === null) await this.submit(job);
    await this.waitForEnd(job.stored);
    await this.collect(job.stored);
  }

  private report(stored: StoredBatch, counts: BatchProgress["counts"], downloaded = 0): void {
    this.options.onProgress?.({
      model: stored.model,
      chunk: stored.chunk,
      batchId: stored.id,
      status: stored.processingStatus,
      requests: stored.requestCount,
      counts,
      downloaded,
    });
  }

  private async submit({ stored, requests }: BatchJob): Promise<void> {
    stored.submittingAt = this.options.now().toISOString();
    await this.store.save(this.state);
    let batch: MessageBatch;
    try {
      batch = await this.client.messages.batches.create({
        requests: requests.map((r) => ({ custom_id: r.customId, params: r.params })),
      });
    } catch (error) {
      throw translateApiError(error, `submitting the batch for ${stored.model}`);
    }
    this.apply(stored, batch);
    await this.store.save(this.state);
    this.report(stored, batch.request_counts);
  }

  private apply(stored: StoredBatch, batch: MessageBatch): void {
    stored.id = batch.id;
    stored.processingStatus = batch.processing_status;
    stored.createdAt = batch.created_at;
    stored.endedAt = batch.ended_at;
  }

  private async waitForEnd(stored: StoredBatch): Promise<void> {
    let interval = this.options.pollIntervalMs;
    while (stored.processingStatus !== "ended") {
      await this.options.sleep(interval);
      interval = Math.min(interval * 1.5, this.options.maxPollIntervalMs);
      let batch: MessageBatch;
      try {
        batch = await this.client.messages.batches.retrieve(stored.id ?? "");
      } catch (error) {
        throw translateApiError(error, `polling batch ${stored.id} (${stored.model})`);
      }
      const changed = batch.processing_status !== stored.processingStatus;
      this.apply(stored, batch);
      if (changed) await this.store.save(this.state);
      this.report(stored, batch.request_counts);
    }
  }

  private async collect(stored: StoredBatch): Promise<void> {
    const file = this.store.openResults(stored.model);
    let downloaded = 0;
    try {
      const stream = await this.client.messages.batches.results(stored.id ?? "");
      for await (const line of stream) {
        file.write(`${JSON.stringify(line)}\n`);
        this.results.set(resultKey(stored.model, line.custom_id), line);
        downloaded++;
        if (downloaded % 500 === 0) this.report(stored, null, downloaded);
      }
    } catch (error) {
      throw translateApiError(error, `downloading the results of batch ${stored.id}`);
    } finally {
      await new Promise<void>((resolve, reject) =>
        file.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
    }
    stored.collected = true;
    await this.store.save(this.state);
    this.report(stored, null, downloaded);
  }
}

/**
 * Runs every batch of the plan to completion and returns all results. `state.batches` must
 * come from `plannedBatches(plan)` (same order).
 */
export async function runBatches(
  client: Anthropic,
  plan: BatchPlan,
  store: RunStore,
  state: RunState,
  options: RunBatchesOptions,
): Promise<ResultsByKey> {
  const results: ResultsByKey = new Map();
  const runner = new BatchRunner(
    client,
    store,
    state,
    { sleep: defaultSleep, now: () => new Date(), ...options },
    results,
  );
  const jobs: BatchJob[] = plan.models.flatMap(({ model, chunks }) =>
    chunks.map((requests, chunk) => {
      const stored = state.batches.find((b) => b.model === model && b.chunk === chunk);
      if (stored === undefined) throw new Error(`run.json has no batch for ${model} #${chunk}`);
      return { stored, requests };
    }),
  );
  state.status = "submitting";
  await store.save(state);
  await Promise.all(jobs.map((job) => runner.run(job)));
  state.status = "collected";
  await store.save(state);
  return results;
}
