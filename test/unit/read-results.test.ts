/**
 * Reading a lane's results back one line at a time: the final result of each custom_id is the
 * one a later batch wrote, over earlier batches and the cache's replays; torn lines are skipped.
 */
import { appendFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  eachFinalResult,
  readLaneOutcomes,
  readLaneResults,
} from "../../src/runner/read-results.js";
import { type RunState, RunStore, type StoredBatch } from "../../src/runner/run-store.js";
import { succeededResult } from "../support/replies.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(`${tmpdir()}/batcheval-read-`);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const lane = { model: "m", purpose: "eval" as const };

function batch(key: string, collected = true, purpose?: "grader"): StoredBatch {
  return {
    key,
    model: "m",
    ...(purpose ? { purpose } : {}),
    kind: "main",
    attempt: 1,
    requestCount: 1,
    id: `msgbatch_${key}`,
    submittingAt: null,
    processingStatus: "ended",
    createdAt: null,
    endedAt: null,
    collected,
  };
}

const line = (id: string, text: string) =>
  `${JSON.stringify({ custom_id: id, result: succeededResult(text) })}\n`;

/** What eachFinalResult hands over: each line's custom_id, reply text and replayed flag. */
async function finalTexts(store: RunStore, state: RunState): Promise<[string, string, boolean][]> {
  const seen: [string, string, boolean][] = [];
  await eachFinalResult(store, state, lane, (l, replayed) => {
    const result = l.result as ReturnType<typeof succeededResult>;
    const block = result.message.content[0];
    seen.push([l.custom_id, block?.type === "text" ? block.text : "", replayed]);
  });
  return seen;
}

describe("eachFinalResult", () => {
  it("gives each id's final line once, as readLaneResults keeps it, replays flagged", async () => {
    const store = await RunStore.create(dir, "r");
    const batches = [
      batch("b001"),
      batch("b002"),
      batch("b003", false),
      batch("b004", true, "grader"),
    ];
    const state = { batches } as unknown as RunState;
    await writeFile(store.cachedResultsPath(lane), line("a", "cached a") + line("c", "cached c"));
    await writeFile(store.resultsPath(batches[0]!), line("a", "first a") + line("b", "first b"));
    await writeFile(store.resultsPath(batches[1]!), line("b", "retried b") + line("b", "again b"));
    await appendFile(store.resultsPath(batches[1]!), '{"custom_id":"d","res');
    // A torn last line of an id that has a complete line elsewhere does not hide that one.
    await appendFile(store.resultsPath(batches[0]!), `{"custom_id":"a","result":{}`);
    await writeFile(store.resultsPath(batches[2]!), line("a", "not collected"));
    await writeFile(store.resultsPath(batches[3]!), line("a", "a grader's"));
    const seen = await finalTexts(store, state);
    expect(seen.sort()).toEqual([
      ["a", "first a", false],
      ["b", "again b", false],
      ["c", "cached c", true],
    ]);
    const whole = await readLaneResults(store, state, lane);
    expect([...whole.byId.keys()].sort()).toEqual(["a", "b", "c"]);
    expect([...whole.replayed]).toEqual(["c"]);
  });

  it("reads a lane of one batch's file (no replays) in one pass, a torn last line skipped", async () => {
    const store = await RunStore.create(dir, "r");
    const batches = [batch("b001"), batch("b002", false)];
    const state = { batches } as unknown as RunState;
    await writeFile(store.cachedResultsPath(lane), "");
    await writeFile(
      store.resultsPath(batches[0]!),
      `${line("a", "one")}${line("b", "two")}{"custom_id":"c","result":{"type":"succ`,
    );
    await writeFile(store.resultsPath(batches[1]!), line("a", "not collected"));
    const seen = await finalTexts(store, state);
    expect(seen).toEqual([
      ["a", "one", false],
      ["b", "two", false],
    ]);
  });
});

describe("readLaneOutcomes", () => {
  it("reads outcomes as readLaneResults would, whatever the key order, torn lines skipped", async () => {
    const store = await RunStore.create(dir, "r");
    const batches = [batch("b001"), batch("b002")];
    const state = { batches } as unknown as RunState;
    const errored = {
      type: "errored",
      error: { type: "error", error: { type: "invalid_request_error", message: "bad" } },
    };
    await writeFile(
      store.resultsPath(batches[0]!),
      line("a", "ok") +
        `${JSON.stringify({ custom_id: "b", result: errored })}\n` +
        // Keys in another order: read by parsing, with the same outcome.
        `${JSON.stringify({ result: succeededResult("late id"), custom_id: "c" })}\n` +
        `${JSON.stringify({ custom_id: "d", result: { type: "expired" } })}\n` +
        line("e", "fine"),
    );
    // A torn last line that begins like a success is not one.
    await writeFile(
      store.resultsPath(batches[1]!),
      `${line("b", "retried")}{"custom_id":"d","result":{"type":"succeeded","mess`,
    );
    const outcomes = await readLaneOutcomes(store, state, lane);
    const byId = Object.fromEntries([...outcomes.byId].map(([id, o]) => [id, o.result.type]));
    expect(byId).toEqual({
      a: "succeeded",
      b: "succeeded",
      c: "succeeded",
      d: "expired",
      e: "succeeded",
    });
    const full = await readLaneResults(store, state, lane);
    for (const [id, o] of outcomes.byId) expect(full.byId.get(id)?.result.type).toBe(o.result.type);
    expect(outcomes.byId.get("d")?.result).toEqual({ type: "expired" });
  });
});
