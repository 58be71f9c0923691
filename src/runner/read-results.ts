/**
 * Reads a run's raw result files back: the latest result of each custom_id, per model, and
 * which of them were replayed from the result cache. Grading reads results from disk, not
 * memory, so a crash after collection loses nothing.
 */
import { readFile } from "node:fs/promises";
import type { MessageBatchIndividualResponse } from "@anthropic-ai/sdk/resources/messages/batches";
import { inLane, type Lane, type RunState, type RunStore } from "./run-store.js";

/** Results of one lane by custom_id; `replayed` holds the ids answered by the cache. */
export interface LaneResults {
  byId: Map<string, MessageBatchIndividualResponse>;
  replayed: Set<string>;
}

/** Parses a JSONL results file; a half-written last line (a crash mid-write) is ignored. */
export async function readResultLines(path: string): Promise<MessageBatchIndividualResponse[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return [];
  }
  const lines: MessageBatchIndividualResponse[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      lines.push(JSON.parse(line) as MessageBatchIndividualResponse);
    } catch {
      // Only the last line can be torn; a complete file never has one.
    }
  }
  return lines;
}

/** Every collected result of a lane, later batches overriding earlier ones. */
export async function readLaneResults(
  store: RunStore,
  state: RunState,
  lane: Lane,
): Promise<LaneResults> {
  const byId = new Map<string, MessageBatchIndividualResponse>();
  const replayed = new Set<string>();
  for (const line of await readResultLines(store.cachedResultsPath(lane))) {
    byId.set(line.custom_id, line);
    replayed.add(line.custom_id);
  }
  for (const batch of state.batches) {
    if (!inLane(batch, lane) || !batch.collected) continue;
    for (const line of await readResultLines(store.resultsPath(batch))) {
      byId.set(line.custom_id, line);
      replayed.delete(line.custom_id);
    }
  }
  return { byId, replayed };
}
