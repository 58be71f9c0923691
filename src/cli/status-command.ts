/**
 * `batcheval status RUN_DIR` and `batcheval cancel RUN_DIR`: a run's batches as the API sees
 * them now, and canceling the ones still in flight. Both use the base URL the run was made
 * with and the API key from the environment.
 */
import { resolve } from "node:path";
import type { MessageBatch } from "@anthropic-ai/sdk/resources/messages/batches";
import { BatchevalError, ExitCode } from "../errors.js";
import { apiBatches } from "../run/open-backend.js";
import type { BatchBackend } from "../runner/batch-port.js";
import { applyBatch } from "../runner/batch-tracker.js";
import { type RunState, RunStore, type StoredBatch } from "../runner/run-store.js";
import { type CliIo, runIoOf } from "./io.js";

/** The run's batch port, or undefined for a run on the embedded simulator (long gone). */
function batchesOf(state: RunState, io: CliIo): BatchBackend | undefined {
  if (state.backend === "sim") return undefined;
  if (!io.env.ANTHROPIC_API_KEY && !io.env.ANTHROPIC_AUTH_TOKEN) {
    throw new BatchevalError("backend_refused", "Checking batches on the API needs an API key.", {
      hint: "Set ANTHROPIC_API_KEY (the one the run was made with).",
    });
  }
  return apiBatches(state.origin, runIoOf(io));
}

function describe(b: StoredBatch, live: MessageBatch | undefined): string {
  const counts = live
    ? Object.entries(live.request_counts)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${k} ${n}`)
        .join(", ")
    : `${b.requestCount} requests`;
  const collected = b.collected ? ", results downloaded" : "";
  return `${b.key}  ${b.model}  ${b.kind}#${b.attempt}  ${b.id ?? "(not sent)"}  ${live?.processing_status ?? b.processingStatus}  ${counts}${collected}`;
}

async function open(runDir: string, io: CliIo) {
  return RunStore.open(resolve(io.cwd, runDir));
}

export async function statusCommand(options: { runDir: string }, io: CliIo): Promise<number> {
  const { store, state } = await open(options.runDir, io);
  const api = batchesOf(state, io);
  io.out(
    `Run ${state.runId}: ${state.status} (backend ${state.backend}, ${state.batches.length} batches)\n`,
  );
  for (const batch of state.batches) {
    const active = batch.id !== null && !batch.collected && batch.processingStatus !== "lost";
    const live = api && active ? await api.retrieve(batch.id ?? "") : undefined;
    if (live) applyBatch(batch, live);
    io.out(`${describe(batch, live)}\n`);
  }
  if (api) await store.save(state);
  if (state.backend === "sim") {
    io.out(
      "This run used the embedded simulator: its batches ended with the process that ran them.\n",
    );
  }
  return ExitCode.ok;
}

/** What canceling one batch came to, for the summary. */
type CancelOutcome = "canceled" | "left" | "gone" | "failed";

/**
 * Cancels one batch if it is still in progress: it is retrieved first, because a batch that
 * has ended (or is already canceling) cannot be canceled and must not stop the others.
 */
async function cancelOne(api: BatchBackend, batch: StoredBatch, io: CliIo): Promise<CancelOutcome> {
  const id = batch.id ?? "";
  const label = `${batch.key} ${id} (${batch.model})`;
  if (batch.adopted) {
    // Found after a lost create and not yet checked against this run's requests: it may be
    // someone else's batch, and another run's batch is never canceled.
    io.out(`${label}: adopted and not yet checked as this run's, left as is\n`);
    return "left";
  }
  try {
    const live = await api.retrieve(id);
    if (live === undefined) {
      io.out(`${label}: no longer on the API, nothing to cancel\n`);
      return "gone";
    }
    applyBatch(batch, live);
    if (live.processing_status !== "in_progress") {
      io.out(`${label}: already ${live.processing_status}, left as is\n`);
      return "left";
    }
    applyBatch(batch, await api.cancel(id));
    io.out(`${label}: ${batch.processingStatus}\n`);
    return "canceled";
  } catch (error) {
    // Refused credentials refuse every batch alike: a configuration error, not this batch's.
    if (error instanceof BatchevalError && error.code === "auth_failed") throw error;
    const reason = error instanceof BatchevalError ? error.message : String(error);
    io.err(`${label}: could not cancel: ${reason}\n`);
    return "failed";
  }
}

export async function cancelCommand(options: { runDir: string }, io: CliIo): Promise<number> {
  const { store, state } = await open(options.runDir, io);
  const api = batchesOf(state, io);
  if (api === undefined) {
    io.out("This run used the embedded simulator: nothing is in flight to cancel.\n");
    return ExitCode.ok;
  }
  const outcomes: CancelOutcome[] = [];
  for (const batch of state.batches) {
    if (batch.id === null || batch.collected || batch.processingStatus === "lost") continue;
    outcomes.push(await cancelOne(api, batch, io));
    await store.save(state);
  }
  const count = (o: CancelOutcome) => outcomes.filter((x) => x === o).length;
  if (outcomes.length === 0) io.out("No batch of this run is in flight.\n");
  else if (count("canceled") > 0) {
    io.out(
      `Asked the API to cancel ${count("canceled")} of ${outcomes.length} batches. Requests already done keep their results; run the same \`batcheval run\` again to collect them and report.\n`,
    );
  } else io.out("No batch of this run was still in progress.\n");
  if (count("failed") > 0) {
    io.err(`${count("failed")} batches could not be canceled; run \`batcheval cancel\` again.\n`);
    return ExitCode.runFailed;
  }
  return ExitCode.ok;
}
