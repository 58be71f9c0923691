/**
 * Submitting a batch durably: the batch and its manifest are recorded before `create` is sent,
 * `submittingAt` marks the moment it was, and the id is saved as soon as `create` returns. A
 * crash in between is reconciled on resume (`reconcileBatch`), never resubmitted blindly.
 */
import type { MessageBatch } from "@anthropic-ai/sdk/resources/messages/batches";
import type { CompiledRequest } from "../compile/types.js";
import { isTransient } from "./api-errors.js";
import { batchesCreatedSince, createBatch, totalRequests } from "./batch-api.js";
import { applyBatch } from "./batch-tracker.js";
import type { RunContext } from "./run-context.js";
import type { BatchKind, StoredBatch } from "./run-store.js";

/** How far before `submittingAt` a batch's `created_at` may be (clock skew). */
const SKEW_MS = 60_000;

/** Records a new batch of `requests` in the state and its manifest on disk. */
export async function planBatch(
  ctx: RunContext,
  model: string,
  requests: readonly CompiledRequest[],
  kind: BatchKind,
  attempt: number,
): Promise<StoredBatch> {
  const stored: StoredBatch = {
    key: `b${String(ctx.state.batches.length + 1).padStart(3, "0")}`,
    model,
    kind,
    attempt,
    requestCount: requests.length,
    id: null,
    submittingAt: null,
    processingStatus: "planned",
    createdAt: null,
    endedAt: null,
    collected: false,
  };
  ctx.state.batches.push(stored);
  await ctx.store.writeManifest(
    stored.key,
    requests.map((r) => r.customId),
  );
  await ctx.save();
  return stored;
}

/** Create attempts of one batch when the API fails in a way it may not repeat. */
const CREATE_ATTEMPTS = 3;

/**
 * Sends a planned batch. State is saved before and after the call. When create fails with a
 * transient error the batch may still exist on the API, so it is reconciled before any retry:
 * a request is never sent twice.
 */
export function sendBatch(
  ctx: RunContext,
  stored: StoredBatch,
  requests: readonly CompiledRequest[],
): Promise<void> {
  return ctx.oneAtATime(() => createDurably(ctx, stored, requests));
}

async function createDurably(
  ctx: RunContext,
  stored: StoredBatch,
  requests: readonly CompiledRequest[],
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    ctx.checkAborted();
    stored.processingStatus = "planned";
    stored.submittingAt = ctx.now().toISOString();
    await ctx.save();
    let batch: MessageBatch;
    try {
      batch = await createBatch(ctx.client, requests, stored.model);
    } catch (error) {
      if (!isTransient(error)) {
        // A 4xx: the API created nothing. The next run sends it again.
        stored.processingStatus = "lost";
        await ctx.save();
        throw error;
      }
      if (attempt >= CREATE_ATTEMPTS) throw error;
      ctx.log(
        `Submitting ${stored.key} failed (${(error as Error).message}); checking the API before trying again.`,
      );
      await reconcileBatch(ctx, stored);
      if (stored.id !== null) return;
      continue;
    }
    // A crash here leaves a batch on the API whose id run.json lacks: resume reconciles it.
    ctx.options.onStage?.("created");
    applyBatch(stored, batch);
    await ctx.save();
    ctx.progress(stored, batch.request_counts);
    ctx.options.onStage?.("submitted");
    return;
  }
}

/**
 * A batch whose create was sent but whose id was never saved: adopt the batch the API created
 * (same request count, created since the send, not already this run's), or mark it lost when
 * there is none, so that its requests are sent again.
 */
export async function reconcileBatch(ctx: RunContext, stored: StoredBatch): Promise<void> {
  const since = new Date(Date.parse(stored.submittingAt ?? "") - SKEW_MS);
  const known = new Set(ctx.state.batches.map((b) => b.id).filter((id) => id !== null));
  const sent = Date.parse(stored.submittingAt ?? "");
  const distance = (created: string) => Math.abs(Date.parse(created) - sent);
  // Creates are sent one at a time, so the batch created nearest to the send is this one.
  const candidates = (await batchesCreatedSince(ctx.client, since))
    .filter((b) => totalRequests(b) === stored.requestCount && !known.has(b.id))
    .sort((a, b) => distance(a.created_at) - distance(b.created_at));
  const match = candidates[0];
  if (match === undefined) {
    stored.processingStatus = "lost";
    ctx.log(`Batch ${stored.key} for ${stored.model} never reached the API; sending it again.`);
  } else {
    applyBatch(stored, match);
    ctx.log(`Adopted ${match.id} for ${stored.model}: created before the last run stopped.`);
  }
  await ctx.save();
}
