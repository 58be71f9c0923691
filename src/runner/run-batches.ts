/**
 * Runs every lane's batches concurrently until each request has a final result (or the run
 * detaches), then reads all results back from the run directory. A lane is one model's eval
 * requests, or the questions put to one grader model (see Purpose in run-store.ts).
 */
import type { MessageBatchIndividualResponse } from "@anthropic-ai/sdk/resources/messages/batches";
import type { CompiledRequest } from "../compile/types.js";
import type { BatchBackend } from "./batch-port.js";
import { type DriveOutcome, ModelDriver } from "./drive-model.js";
import { readLaneResults } from "./read-results.js";
import { RunContext, type RunOptions } from "./run-context.js";
import type { Lane, RunState, RunStore } from "./run-store.js";

/** A lane and every request it must bring to a final result. */
export interface LaneRequests extends Lane {
  requests: readonly CompiledRequest[];
}

/** Results keyed by `resultKey(model, customId)`, with the keys replayed from the cache. */
export interface CollectedResults {
  byKey: Map<string, MessageBatchIndividualResponse>;
  replayed: Set<string>;
}

export function resultKey(model: string, customId: string): string {
  return `${model}\u0000${customId}`;
}

/** Drives every lane; resolves "detached" when `options.detach` stopped any of them early. */
export async function runBatches(
  api: BatchBackend,
  lanes: readonly LaneRequests[],
  store: RunStore,
  state: RunState,
  options: RunOptions,
): Promise<DriveOutcome> {
  const ctx = new RunContext(api, store, state, options);
  const outcomes = await Promise.all(
    lanes.map(({ requests, ...lane }) => new ModelDriver(ctx, lane, requests).drive()),
  );
  await ctx.save();
  if (outcomes.includes("detached")) return "detached";
  for (const purpose of new Set(lanes.map((l) => l.purpose))) {
    options.onStage?.("collected", purpose);
  }
  return "complete";
}

/** Every lane's final results, read back from the run directory. */
export async function collectedResults(
  store: RunStore,
  state: RunState,
  lanes: readonly Lane[],
): Promise<CollectedResults> {
  const byKey = new Map<string, MessageBatchIndividualResponse>();
  const replayed = new Set<string>();
  for (const lane of lanes) {
    const results = await readLaneResults(store, state, lane);
    for (const [id, line] of results.byId) byKey.set(resultKey(lane.model, id), line);
    for (const id of results.replayed) replayed.add(resultKey(lane.model, id));
  }
  return { byKey, replayed };
}
