/**
 * Runs every model's batches concurrently until each request has a final result (or the run
 * detaches), then reads all results back from the run directory.
 */
import type { MessageBatchIndividualResponse } from "@anthropic-ai/sdk/resources/messages/batches";
import type { BatchPlan } from "../compile/types.js";
import type { BatchRecord } from "../report/types.js";
import type { BatchBackend } from "./batch-port.js";
import { type DriveOutcome, ModelDriver } from "./drive-model.js";
import { readModelResults } from "./read-results.js";
import { RunContext, type RunOptions } from "./run-context.js";
import type { RunState, RunStore } from "./run-store.js";

/** Results keyed by `resultKey(model, customId)`, with the keys replayed from the cache. */
export interface CollectedResults {
  byKey: Map<string, MessageBatchIndividualResponse>;
  replayed: Set<string>;
}

export function resultKey(model: string, customId: string): string {
  return `${model}\u0000${customId}`;
}

/** The batch records of a model for the report: every batch that reached the API. */
export function batchRecords(state: RunState, model: string): BatchRecord[] {
  return state.batches.flatMap((b) =>
    b.model === model && b.id !== null && b.processingStatus !== "lost"
      ? [
          {
            id: b.id,
            kind: b.kind,
            attempt: b.attempt,
            requests: b.requestCount,
            processingStatus: b.processingStatus === "planned" ? "in_progress" : b.processingStatus,
            createdAt: b.createdAt ?? "",
            endedAt: b.endedAt,
          },
        ]
      : [],
  );
}

/** Drives every model; resolves "detached" when `options.detach` stopped any of them early. */
export async function runBatches(
  api: BatchBackend,
  plan: BatchPlan,
  store: RunStore,
  state: RunState,
  options: RunOptions,
): Promise<DriveOutcome> {
  const ctx = new RunContext(api, store, state, options);
  const outcomes = await Promise.all(
    plan.models.map(({ model, chunks }) => new ModelDriver(ctx, model, chunks.flat()).drive()),
  );
  await ctx.save();
  if (outcomes.includes("detached")) return "detached";
  options.onStage?.("collected");
  return "complete";
}

/** Every model's final results, read back from the run directory. */
export async function collectedResults(
  store: RunStore,
  state: RunState,
  models: readonly string[],
): Promise<CollectedResults> {
  const byKey = new Map<string, MessageBatchIndividualResponse>();
  const replayed = new Set<string>();
  for (const model of models) {
    const results = await readModelResults(store, state, model);
    for (const [id, line] of results.byId) byKey.set(resultKey(model, id), line);
    for (const id of results.replayed) replayed.add(resultKey(model, id));
  }
  return { byKey, replayed };
}
