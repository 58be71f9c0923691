/**
 * Reads a run's raw result files back: the latest result of each custom_id, per lane, and
 * which of them were replayed from the result cache. Grading reads results from disk, not
 * memory, so a crash after collection loses nothing. Files are read as a stream of lines, so a
 * lane of 100,000 results never becomes one string in memory.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type {
  MessageBatchIndividualResponse,
  MessageBatchResult,
} from "@anthropic-ai/sdk/resources/messages/batches";
import { bodyLineBatches } from "./body-lines.js";
import { inLane, type Lane, type RunState, type RunStore } from "./run-store.js";

/** Results of one lane by custom_id; `replayed` holds the ids answered by the cache. */
export interface LaneResults<Line = MessageBatchIndividualResponse> {
  byId: Map<string, Line>;
  replayed: Set<string>;
}

/**
 * A result without its reply: what deciding whether to send a request again needs. Holding
 * these instead of whole replies keeps a driver's memory to a few dozen bytes per request.
 */
export interface ResultOutcome {
  custom_id: string;
  result: Exclude<MessageBatchResult, { type: "succeeded" }> | { type: "succeeded" };
}

/**
 * Calls `onLine` with each result line of a JSONL results file, in order; a missing file has
 * none. A half-written last line (a crash mid-write) is ignored.
 */
export async function eachResultLine(
  path: string,
  onLine: (line: MessageBatchIndividualResponse) => void | Promise<void>,
): Promise<void> {
  for await (const texts of textLines(path)) {
    for (const text of texts) {
      const line = parseResultLine(text);
      // Only the last line can be torn; a complete file never has one.
      if (line === undefined) continue;
      const pending = onLine(line);
      if (pending !== undefined) await pending; // a turn of the event loop only when asked
    }
  }
}

/** The non-empty lines of a text file, streamed a chunk's worth at a time; a missing file has none. */
async function* textLines(path: string): AsyncGenerator<string[]> {
  // Reads of a megabyte: the default 64 KiB makes a round trip to libuv's threads per 60 or so
  // results, each a wait for this thread.
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  const missing = new Promise<boolean>((resolve) => {
    input.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ENOENT"));
    input.once("open", () => resolve(false));
  });
  if (await missing) return;
  yield* bodyLineBatches(input);
}

/** A result line parsed, or undefined when it does not parse (a torn line). */
export function parseResultLine(text: string): MessageBatchIndividualResponse | undefined {
  try {
    return JSON.parse(text) as MessageBatchIndividualResponse;
  } catch {
    return undefined;
  }
}

/** How each result line this project writes begins: the custom_id key, first. */
const ID_PREFIX = '{"custom_id":"';

/**
 * The custom_id of a complete result line without parsing its reply: custom_ids are
 * `[a-zA-Z0-9_-]{1,64}` (the API's pattern), so the id ends at the next quote. Undefined when
 * the line does not begin as this project writes it.
 */
export function leadingId(text: string): string | undefined {
  if (!text.startsWith(ID_PREFIX)) return undefined;
  const end = text.indexOf('"', ID_PREFIX.length);
  return end < 0 ? undefined : detached(text.slice(ID_PREFIX.length, end));
}

/**
 * `id` as a string of its own. V8 makes a slice of 13 characters or more a view of the string
 * it was cut from, and a line is itself a view of the chunk it was read in: the ids of a
 * lane's results, kept in a map while it is graded, would keep every chunk of every results
 * file alive (at 300,000 results, some 200 MB). Slicing a joined string copies the id once.
 */
function detached(id: string): string {
  return `${id} `.slice(0, -1);
}

/**
 * Calls `onId` with the custom_id of each result line of a batch's results file, in order, as
 * eachResultLine would see them, without parsing the replies. Such a file is written whole by
 * one download (see RunStore.openResults), so only its last line can be torn: that one alone is
 * parsed (a torn line is skipped), the others are read up to their id. Not for the cache's
 * replays, which are appended to and may hold a torn line anywhere.
 */
async function eachBatchResultId(path: string, onId: (customId: string) => void): Promise<void> {
  await eachBatchLine(path, (text, whole) => {
    const id = (whole ? leadingId(text) : undefined) ?? parseResultLine(text)?.custom_id;
    if (id !== undefined) onId(id);
  });
}

/**
 * Calls `onText` with each line of a batch's results file and whether it is known whole: all
 * but the last are (the file is written whole by one download, so only its last line can be
 * torn).
 */
async function eachBatchLine(
  path: string,
  onText: (text: string, whole: boolean) => void,
): Promise<void> {
  let held: string | undefined;
  for await (const texts of textLines(path)) {
    for (const text of texts) {
      if (held !== undefined) onText(held, true);
      held = text;
    }
  }
  if (held !== undefined) onText(held, false);
}

const SUCCEEDED: ResultOutcome["result"] = { type: "succeeded" };

/** The outcome of a result line, without its reply. */
function outcomeOf(line: MessageBatchIndividualResponse): ResultOutcome {
  const { result } = line;
  return { custom_id: line.custom_id, result: result.type === "succeeded" ? SUCCEEDED : result };
}

/** How a succeeded result line goes on after its custom_id, as the API writes it. */
const SUCCEEDED_AFTER_ID = '","result":{"type":"succeeded"';

/**
 * The outcome of a whole result line that reads as succeeded from its first bytes, without
 * parsing the reply; undefined for any other line (it is parsed instead).
 */
function succeededOutcome(text: string): ResultOutcome | undefined {
  const id = leadingId(text);
  if (id === undefined || !text.startsWith(SUCCEEDED_AFTER_ID, ID_PREFIX.length + id.length)) {
    return undefined;
  }
  return { custom_id: id, result: SUCCEEDED };
}

/**
 * A lane's result files in the order their lines count: the cache's replays first, then each
 * collected batch in submission order (a later line of an id overrides an earlier one).
 */
function laneFiles(store: RunStore, state: RunState, lane: Lane): string[] {
  const batches = state.batches.filter((b) => inLane(b, lane) && b.collected);
  return [store.cachedResultsPath(lane), ...batches.map((b) => store.resultsPath(b))];
}

/**
 * Reads a lane's files into what `keep` keeps of each line; `quick`, when given, may read a
 * whole line of a batch's file without parsing it (see eachBatchLine).
 */
async function readLane<Line extends { custom_id: string }>(
  store: RunStore,
  state: RunState,
  lane: Lane,
  keep: (line: MessageBatchIndividualResponse) => Line,
  quick: (text: string) => Line | undefined = () => undefined,
): Promise<LaneResults<Line>> {
  const byId = new Map<string, Line>();
  const replayed = new Set<string>();
  for (const [file, path] of laneFiles(store, state, lane).entries()) {
    const add = (line: Line) => {
      byId.set(line.custom_id, line);
      if (file === 0) replayed.add(line.custom_id);
      else replayed.delete(line.custom_id);
    };
    if (file === 0) {
      await eachResultLine(path, (line) => add(keep(line)));
      continue;
    }
    await eachBatchLine(path, (text, whole) => {
      const known = whole ? quick(text) : undefined;
      if (known !== undefined) return add(known);
      const line = parseResultLine(text);
      if (line !== undefined) add(keep(line));
    });
  }
  return { byId, replayed };
}

/** Every collected result of a lane, later batches overriding earlier ones. */
export function readLaneResults(
  store: RunStore,
  state: RunState,
  lane: Lane,
): Promise<LaneResults> {
  return readLane(store, state, lane, (line) => line);
}

/** The outcome of every collected result of a lane, without the replies (see ResultOutcome). */
export function readLaneOutcomes(
  store: RunStore,
  state: RunState,
  lane: Lane,
): Promise<LaneResults<ResultOutcome>> {
  return readLane(store, state, lane, outcomeOf, succeededOutcome);
}

/** Whether a file exists and holds at least one byte. */
async function hasContent(path: string): Promise<boolean> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  return info !== undefined && info.size > 0;
}

/**
 * Calls `onLine` with the final result of each custom_id of a lane (the one readLaneResults
 * keeps: later batches override earlier ones and the cache's replays), one line at a time and
 * in file order, with whether it was replayed from the cache. Two passes over the files: the
 * first finds where each id's final line is (for batches' files, reading ids only: see
 * eachBatchResultId), the second hands those lines over, so no more than one reply is in
 * memory at a time. A lane whose results are all in one batch's file (no replays, no retries:
 * the usual run) takes one pass: the API refuses a batch with a repeated custom_id, so each
 * line of the file is its id's only one.
 */
export async function eachFinalResult(
  store: RunStore,
  state: RunState,
  lane: Lane,
  onLine: (line: MessageBatchIndividualResponse, replayed: boolean) => void | Promise<void>,
): Promise<void> {
  const files = laneFiles(store, state, lane);
  if (files.length === 2 && !(await hasContent(files[0] ?? ""))) {
    await eachResultLine(files[1] ?? "", (result) => onLine(result, false));
    return;
  }
  const final = new Map<string, { file: number; line: number }>();
  for (const [file, path] of files.entries()) {
    let line = 0;
    const note = (customId: string) => {
      final.set(customId, { file, line: line++ });
    };
    if (file === 0) await eachResultLine(path, ({ custom_id }) => note(custom_id));
    else await eachBatchResultId(path, note);
  }
  for (const [file, path] of files.entries()) {
    let line = 0;
    await eachResultLine(path, (result) => {
      const at = final.get(result.custom_id);
      const here = line++;
      if (at?.file !== file || at.line !== here) return;
      return onLine(result, file === 0);
    });
  }
}
