/**
 * Progress while batches run. On a terminal: one live line per batch (model, kind, status,
 * request counts, elapsed time, results downloaded), redrawn in place at most every 100 ms.
 * In CI logs: a plain line when a batch changes state, and otherwise at most one line per batch
 * per 10% of its results downloaded or per 30 seconds, so a 100,000-request batch prints a
 * dozen lines, not one per thousand results.
 */
import type { BatchProgress } from "../runner/run-context.js";
import type { CliIo } from "./io.js";

const HEARTBEAT_MS = 30_000;
const REDRAW_MS = 100;

/** One batch's progress as a line of text. Pure. */
export function describeProgress(p: BatchProgress, elapsedMs: number): string {
  const id = p.batchId ?? "(submitting)";
  const seconds = (elapsedMs / 1000).toFixed(1);
  const kind = `${p.purpose === "grader" ? " grader" : ""}${p.kind === "main" ? "" : ` ${p.kind}`}`;
  const counts = p.counts
    ? Object.entries(p.counts)
        .filter(([name, n]) => n > 0 && name !== "processing")
        .map(([name, n]) => `${n} ${name}`)
    : [];
  const done = counts.length > 0 ? counts.join(", ") : `${p.requests} requests`;
  const downloaded = p.downloaded > 0 ? `, ${p.downloaded} results downloaded` : "";
  return `${p.model}${kind} ${id}: ${p.status}, ${done}${downloaded} (${seconds}s)`;
}

/** What was last printed of a batch in a CI log. */
interface Printed {
  status: BatchProgress["status"];
  downloaded: number;
  at: number;
}

/** Whether a CI log gets a line for this update. Pure. */
export function worthALine(last: Printed | undefined, p: BatchProgress, now: number): boolean {
  if (last === undefined || last.status !== p.status) return true;
  if (p.downloaded === last.downloaded) return now - last.at >= HEARTBEAT_MS;
  if (p.downloaded >= p.requests) return true;
  return p.downloaded - last.downloaded >= p.requests / 10 || now - last.at >= HEARTBEAT_MS;
}

/** A progress sink for the runner, and a function that ends the display. */
export function progressReporter(io: CliIo, now: () => number = Date.now) {
  const started = now();
  const latest = new Map<string, BatchProgress>();
  const printed = new Map<string, Printed>();
  let drawnLines = 0;
  let lastDraw = 0;

  const redraw = (force: boolean) => {
    if (!force && now() - lastDraw < REDRAW_MS) return;
    lastDraw = now();
    const lines = [...latest.values()].map((p) => describeProgress(p, now() - started));
    const up = drawnLines > 0 ? `\u001b[${drawnLines}F` : "";
    io.err(`${up}${lines.map((line) => `\u001b[2K${line}\n`).join("")}`);
    drawnLines = lines.length;
  };

  const onProgress = (update: BatchProgress) => {
    const key = `${update.model}#${update.key}`;
    // Download updates carry no counts: keep the last ones seen.
    const p = { ...update, counts: update.counts ?? latest.get(key)?.counts ?? null };
    latest.set(key, p);
    if (io.isTty) return redraw(p.status === "ended");
    if (!worthALine(printed.get(key), p, now())) return;
    printed.set(key, { status: p.status, downloaded: p.downloaded, at: now() });
    io.err(`${describeProgress(p, now() - started)}\n`);
  };
  const finish = () => {
    if (io.isTty && latest.size > 0) redraw(true);
  };
  return { onProgress, finish };
}
