/**
 * `batcheval status RUN_DIR` and `batcheval cancel RUN_DIR`: a run's batches as the API sees
 * them now, and canceling the ones still in flight. Both use the base URL the run was made
 * with and the API key from the environment.
 */
import { resolve } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import type { MessageBatch } from "@anthropic-ai/sdk/resources/messages/batches";
import { BatchevalError, ExitCode } from "../errors.js";
import { cancelBatch, retrieveBatch } from "../runner/batch-api.js";
import { applyBatch } from "../runner/batch-tracker.js";
import { type RunState, RunStore, type StoredBatch } from "../runner/run-store.js";
import type { CliIo } from "./io.js";

function clientFor(state: RunState, io: CliIo): Anthropic | undefined {
  if (state.backend === "sim") return undefined;
  if (!io.env.ANTHROPIC_API_KEY && !io.env.ANTHROPIC_AUTH_TOKEN) {
    throw new BatchevalError("backend_refused", "Checking batches on the API needs an API key.", {
      hint: "Set ANTHROPIC_API_KEY (the one the run was made with).",
    });
  }
  return new Anthropic({
    apiKey: io.env.ANTHROPIC_API_KEY ?? null,
    authToken: io.env.ANTHROPIC_AUTH_TOKEN ?? null,
    baseURL: state.origin,
  });
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
  const client = clientFor(state, io);
  io.out(
    `Run ${state.runId}: ${state.status} (backend ${state.backend}, ${state.batches.length} batches)\n`,
  );
  for (const batch of state.batches) {
    const active = batch.id !== null && !batch.collected && batch.processingStatus !== "lost";
    const live = client && active ? await retrieveBatch(client, batch.id ?? "") : undefined;
    if (live) applyBatch(batch, live);
    io.out(`${describe(batch, live)}\n`);
  }
  if (client) await store.save(state);
  if (state.backend === "sim") {
    io.out(
      "This run used the embedded simulator: its batches ended with the process that ran them.\n",
    );
  }
  return ExitCode.ok;
}

export async function cancelCommand(options: { runDir: string }, io: CliIo): Promise<number> {
  const { store, state } = await open(options.runDir, io);
  const client = clientFor(state, io);
  if (client === undefined) {
    io.out("This run used the embedded simulator: nothing is in flight to cancel.\n");
    return ExitCode.ok;
  }
  let canceled = 0;
  for (const batch of state.batches) {
    if (
      batch.id === null ||
      batch.processingStatus === "ended" ||
      batch.processingStatus === "lost"
    )
      continue;
    applyBatch(batch, await cancelBatch(client, batch.id));
    await store.save(state);
    canceled++;
    io.out(`Canceling ${batch.id} (${batch.model}): ${batch.processingStatus}\n`);
  }
  io.out(
    canceled === 0
      ? "No batch of this run is in flight.\n"
      : `Asked the API to cancel ${canceled} batches. Requests already done keep their results; run the same \`batcheval run\` again to collect them and report.\n`,
  );
  return ExitCode.ok;
}
