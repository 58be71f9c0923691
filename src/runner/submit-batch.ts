/**
 * Submitting a batch durably: the batch and its manifest are recorded before `create` is sent,
 * `submittingAt` marks the moment it was, and the id is saved as soon as `create` returns. A
 * create whose response never arrived (a transient error, a dropped connection, a crash in
 * between) is reconciled (`reconcileBatch`), never resubmitted blindly.
 */
import type { MessageBatch } from "@anthropic-ai/sdk/resources/messages/batches";
import type { CompiledRequest } from "../compile/types.js";
import { isTransient } from "./api-errors.js";
import { createBackoffMs } from "./backoff.js";
import { adoptionCandidates, CLOCK_SLACK_MS } from "./batch-ownership.js";
import { applyBatch } from "./batch-tracker.js";
import type { RunContext } from "./run-context.js";
import { type BatchKind, type Lane, purposeOf, type StoredBatch } from "./run-store.js";

/** Records a new batch of `requests` of `lane` in the state and its manifest on disk. */
export async function planBatch(
  ctx: RunContext,
  lane: Lane,
  requests: readonly CompiledRequest[],
  kind: BatchKind,
  attempt: number,
): Promise<StoredBatch> {
  const stored: StoredBatch = {
    key: `b${String(ctx.state.batches.length + 1).padStart(3, "0")}`,
    model: lane.model,
    // Eval batches stay as runs from before purposes wrote them.
    ...(lane.purpose === "eval" ? {} : { purpose: lane.purpose }),
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
    stored,
    requests.map((r) => r.customId),
  );
  await ctx.save();
  return stored;
}

/**
 * Create attempts of one batch when the API fails in a way it may not repeat (429, 5xx, 529,
 * a lost connection). The SDK does not retry creates, so these are all the sends there are;
 * with the backoff between them (1, 2, 4, 8, 16 s without a server hint) they span ~30 s.
 */
export const CREATE_ATTEMPTS = 6;

/**
 * Sends a planned batch. State is saved before and after the call. When create fails with a
 * transient error the batch may still exist on the API (the create was accepted, the response
 * lost), so after backing off it is reconciled before any retry: a request is never sent twice.
 * A spend-limit or billing error, or any 4xx, stops at once.
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
      batch = await ctx.api.create(requests, stored.model);
    } catch (error) {
      if (!isTransient(error)) {
        // A 4xx (a spend limit included): the API created nothing. The next run sends it again.
        stored.processingStatus = "lost";
        await ctx.save();
        throw error;
      }
      const wait = createBackoffMs(error, attempt, ctx.now().getTime());
      ctx.log(
        `Submitting ${stored.key} failed (${(error as Error).message}); checking in ${Math.round(wait)} ms whether the API created it anyway.`,
      );
      await ctx.sleep(wait);
      await reconcileBatch(ctx, stored);
      if (stored.id !== null) return;
      if (attempt >= CREATE_ATTEMPTS) throw error;
      continue;
    }
    // A crash here leaves a batch on the API whose id run.json lacks: resume reconciles it.
    ctx.options.onStage?.("created", purposeOf(stored));
    applyBatch(stored, batch);
    await ctx.save();
    ctx.progress(stored, batch.request_counts);
    ctx.options.onStage?.("submitted", purposeOf(stored));
    return;
  }
}

/**
 * A batch whose create was sent but whose id was never saved: adopt the batch the API created
 * (see batch-ownership.ts for the rule; its results are checked before they count), or mark it
 * lost when there is none, so that its requests are sent again.
 */
export async function reconcileBatch(ctx: RunContext, stored: StoredBatch): Promise<void> {
  const sentAt = Date.parse(stored.submittingAt ?? "");
  const known = new Set(ctx.state.batches.flatMap((b) => (b.id === null ? [] : [b.id])));
  const listed = await ctx.api.list(new Date(sentAt - CLOCK_SLACK_MS));
  const [match] = adoptionCandidates(listed, {
    sentAt,
    requestCount: stored.requestCount,
    known,
  });
  if (match === undefined) {
    stored.processingStatus = "lost";
    ctx.log(`Batch ${stored.key} for ${stored.model} never reached the API; sending it again.`);
  } else {
    applyBatch(stored, match);
    stored.adopted = true;
    ctx.log(
      `Adopted ${match.id} for ${stored.model} as ${stored.key}: created after its create was sent, whose answer never came. Its results are checked before they count.`,
    );
  }
  await ctx.save();
}
