/**
 * Progress while batches run: on a terminal, one status line rewritten in place; in CI logs,
 * plain lines when a batch changes state (and a heartbeat at most every 30 seconds).
 */
import type { BatchProgress } from "../runner/run-context.js";
import type { CliIo } from "./io.js";

const HEARTBEAT_MS = 30_000;

function describe(p: BatchProgress, elapsedMs: number): string {
  const id = p.batchId ?? "(submitting)";
  const seconds = (elapsedMs / 1000).toFixed(1);
  const done = p.counts ? p.requests - p.counts.processing : 0;
  const downloaded = p.downloaded > 0 ? `, ${p.downloaded} results downloaded` : "";
  return `${p.model} ${id}: ${p.status}, ${done}/${p.requests} done${downloaded} (${seconds}s)`;
}

/** A progress sink for `runBatches`, and a function to finish the display. */
export function progressReporter(io: CliIo, now: () => number = Date.now) {
  const started = now();
  const latest = new Map<string, BatchProgress>();
  const lastState = new Map<string, string>();
  let lastLine = 0;

  const onProgress = (p: BatchProgress) => {
    const key = `${p.model}#${p.key}`;
    // Download updates carry no counts: keep the last ones seen.
    const counts = p.counts ?? latest.get(key)?.counts ?? null;
    latest.set(key, { ...p, counts });
    p = latest.get(key) ?? p;
    const elapsed = now() - started;
    if (io.isTty) {
      const summary = [...latest.values()].map((x) => describe(x, elapsed)).join(" | ");
      io.err(`\r\u001b[2K${summary.slice(0, 300)}`);
      return;
    }
    const state = `${p.status}:${p.downloaded}`;
    if (lastState.get(key) !== state || now() - lastLine > HEARTBEAT_MS) {
      lastState.set(key, state);
      lastLine = now();
      io.err(`${describe(p, elapsed)}\n`);
    }
  };
  const finish = () => {
    if (io.isTty && latest.size > 0) io.err("\n");
  };
  return { onProgress, finish };
}
