/**
 * Follows one submitted batch to the end: polls with backoff until it has ended, then streams
 * its results to the run directory, downloading again when a stream is cut. Saves `run.json`
 * whenever the batch changes state.
 */

import { once } from "node:events";
import type { WriteStream } from "node:fs";
import type { MessageBatch } from "@anthropic-ai/sdk/resources/messages/batches";
import { BatchevalError } from "../errors.js";
import { isTransient } from "./api-errors.js";
import { foreignResult } from "./batch-ownership.js";
import { leadingId, parseResultLine } from "./read-results.js";
import type { RunContext } from "./run-context.js";
import { purposeOf, type StoredBatch } from "./run-store.js";

const DOWNLOAD_ATTEMPTS = 3;
/** Consecutive failed polls (after the SDK's own retries) before the run gives up. */
const POLL_FAILURES = 5;

/** Copies an API batch object's state into the stored batch. */
export function applyBatch(stored: StoredBatch, batch: MessageBatch): void {
  stored.id = batch.id;
  stored.processingStatus = batch.processing_status;
  stored.createdAt = batch.created_at;
  stored.endedAt = batch.ended_at;
}

/** Polls until the batch has ended; marks it lost when an embedded simulator forgot it. */
export async function waitForEnd(ctx: RunContext, stored: StoredBatch): Promise<"ended" | "lost"> {
  let interval = ctx.options.pollIntervalMs;
  let failures = 0;
  while (stored.processingStatus !== "ended") {
    ctx.options.onStage?.("polling", purposeOf(stored));
    await ctx.sleep(interval);
    interval = Math.min(interval * 1.5, ctx.options.maxPollIntervalMs);
    let batch: MessageBatch | undefined;
    try {
      batch = await ctx.api.retrieve(stored.id ?? "");
      failures = 0;
    } catch (error) {
      if (!isTransient(error) || ++failures >= POLL_FAILURES) throw error;
      ctx.log(`Polling ${stored.id} failed (${(error as Error).message}); trying again.`);
      continue;
    }
    if (batch === undefined) {
      if (!ctx.options.batchesMayVanish && !stored.adopted) {
        throw new BatchevalError("run_failed", `Batch ${stored.id} no longer exists on the API.`, {
          hint: "Start over with --fresh; results already downloaded are in the result cache.",
        });
      }
      // An adopted batch deleted under us was its owner's to delete: send the requests again.
      if (stored.adopted) ctx.log(`Adopted batch ${stored.id} no longer exists; sending again.`);
      stored.processingStatus = "lost";
      await ctx.save();
      return "lost";
    }
    const changed = batch.processing_status !== stored.processingStatus;
    applyBatch(stored, batch);
    if (changed) await ctx.save();
    ctx.progress(stored, batch.request_counts);
  }
  return "ended";
}

/** A downloaded result line: its custom_id, and its JSON text as written to the results file. */
export interface DownloadedLine {
  customId: string;
  text: string;
}

/**
 * Downloads a batch's results into its file (truncated first), then marks it collected;
 * `onLine` sees each result line as it arrives (a cut download that starts over shows lines
 * again). An adopted batch's lines are shown only once all of them proved it this run's; one
 * whose results show it is someone else's is disowned instead (see disown) and shows none.
 * Resolves with the number of lines.
 */
export async function collect(
  ctx: RunContext,
  stored: StoredBatch,
  expectedIds: ReadonlySet<string>,
  onLine: (line: DownloadedLine) => void = () => undefined,
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { count, held, foreign } = await downloadOnce(ctx, stored, expectedIds, onLine);
      if (foreign !== undefined) {
        await disown(ctx, stored, foreign);
        return 0;
      }
      for (const line of held) onLine(line);
      stored.collected = true;
      await ctx.save();
      ctx.progress(stored, null, count);
      return count;
    } catch (error) {
      if (attempt >= DOWNLOAD_ATTEMPTS || !(error instanceof BatchevalError)) throw error;
      if (error.code !== "api_error") throw error;
      ctx.log(
        `The results download of ${stored.id} was cut (${error.message}); downloading again.`,
      );
    }
  }
}

/**
 * One download: how many lines, the lines held back (an adopted batch's, shown once it proved
 * this run's), or (adopted batches only) why the batch is not this run's.
 */
interface Download {
  count: number;
  held: DownloadedLine[];
  foreign?: string;
}

/** Resolves (true: go on) when `file` has written out its buffer; rejects if writing fails. */
async function drained(file: WriteStream): Promise<boolean> {
  await once(file, "drain");
  return true;
}

async function downloadOnce(
  ctx: RunContext,
  stored: StoredBatch,
  expectedIds: ReadonlySet<string>,
  onLine: (line: DownloadedLine) => void,
): Promise<Download> {
  const file = ctx.store.openResults(stored);
  const download: Download = { count: 0, held: [] };
  try {
    await ctx.api.results(stored.id ?? "", (text) => {
      const line = downloaded(stored, text);
      if (stored.adopted) {
        const parsed = parseResultLine(line.text);
        const foreign =
          parsed && foreignResult(parsed, expectedIds, stored.model, ctx.options.canonicalModel);
        if (foreign !== undefined) {
          download.foreign = foreign;
          return false;
        }
      } else if (!expectedIds.has(line.customId)) {
        // A batch create returned to this run: only an API fault could put this here.
        throw new BatchevalError(
          "run_failed",
          `Batch ${stored.id} holds ${line.customId}, which run.json did not send in it.`,
          { hint: "Start over with --fresh; results already downloaded are in the result cache." },
        );
      }
      const flowing = file.write(`${line.text}\n`);
      download.count++;
      // Results are let go as they pass (a batch of 100,000 replies is not held in memory).
      if (stored.adopted) download.held.push(line);
      else onLine(line);
      if (download.count === 1) ctx.options.onStage?.("downloading", purposeOf(stored));
      if (download.count % 1000 === 0) ctx.progress(stored, null, download.count);
      // A full write buffer holds the download back until the disk catches up, so replies do
      // not pile up in memory behind a slow disk.
      return flowing ? true : drained(file);
    });
  } finally {
    await new Promise<void>((resolve, reject) =>
      file.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }
  return download;
}

/**
 * A result line as it is written to the results file. A line that begins with its custom_id
 * (as the API writes them) is kept as it came, unparsed: the grader parses it once, later. Any
 * other line is parsed and written in that form, so that every line of a results file begins
 * with its id (see leadingId); one that is not JSON is a cut download.
 */
function downloaded(stored: StoredBatch, text: string): DownloadedLine {
  const customId = leadingId(text);
  if (customId !== undefined && text.endsWith("}")) return { customId, text };
  const line = parseResultLine(text);
  if (line === undefined || typeof line.custom_id !== "string") {
    throw new BatchevalError(
      "api_error",
      `a result line of batch ${stored.id} is not a JSON result: ${text.slice(0, 80)}`,
    );
  }
  const { custom_id, result, ...rest } = line;
  return { customId: custom_id, text: JSON.stringify({ custom_id, result, ...rest }) };
}

/**
 * An adopted batch that is someone else's: its partial results file is deleted, it is marked
 * lost (its id kept, so it is never adopted again) and left alone: never canceled, as it is
 * not this run's to cancel. Its requests count as never sent, so they are sent again.
 */
async function disown(ctx: RunContext, stored: StoredBatch, reason: string): Promise<void> {
  await ctx.store.discardResults(stored);
  stored.processingStatus = "lost";
  stored.collected = false;
  stored.disowned = reason;
  await ctx.save();
  ctx.log(
    `${stored.id} is not this run's batch (${reason}); leaving it alone and sending the ${stored.requestCount} requests of ${stored.key} for ${stored.model} again.`,
  );
}
