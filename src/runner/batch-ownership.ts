/**
 * Telling this run's batches from anyone else's in the same workspace. A create whose response
 * was lost (a 5xx, a dropped connection, a crash) may still have made a batch; reconciliation
 * looks for it in the list of recent batches and adopts it. Nothing in a batch object says who
 * made it, so adoption is a guess, checked twice:
 *
 * 1. when adopting: only a batch created at or after the send began (less CLOCK_SLACK_MS), of
 *    the same request count, not already this run's and never canceled;
 * 2. when its results arrive: every custom_id must be in the batch's manifest (custom_ids
 *    carry the run's tag, so another run's never are) and every succeeded result must come
 *    from the model the request was sent to.
 *
 * A batch failing check 2 is someone else's: it is left alone (never canceled), and this
 * run's requests are sent again. Pure.
 */
import type {
  MessageBatch,
  MessageBatchIndividualResponse,
} from "@anthropic-ai/sdk/resources/messages/batches";

/**
 * How far before the send a batch's `created_at` may be and still be the batch that send made.
 * `created_at` comes from the API's clock and the send time from ours: timestamps truncated to
 * the second can read up to 1 s early, and an NTP-synced clock is well within another second.
 * A larger skew makes reconciliation miss its own batch (the requests are sent again) rather
 * than take someone else's: a wider window would let older batches of other runs in.
 */
export const CLOCK_SLACK_MS = 2_000;

/** Total requests of a batch, whatever their state. */
export function totalRequests(batch: MessageBatch): number {
  const c = batch.request_counts;
  return c.processing + c.succeeded + c.errored + c.canceled + c.expired;
}

export interface AdoptionQuery {
  /** When the create was sent (ms since the epoch). */
  sentAt: number;
  requestCount: number;
  /** Ids of batches this run already holds (its own, and ones it disowned). */
  known: ReadonlySet<string>;
}

/**
 * The batches a lost create may have made, most likely first (created nearest the send).
 * Creates are sent one at a time per run, so at most one of them is this run's.
 */
export function adoptionCandidates(
  batches: readonly MessageBatch[],
  { sentAt, requestCount, known }: AdoptionQuery,
): MessageBatch[] {
  const created = (b: MessageBatch) => Date.parse(b.created_at);
  return batches
    .filter(
      (b) =>
        created(b) >= sentAt - CLOCK_SLACK_MS &&
        totalRequests(b) === requestCount &&
        !known.has(b.id) &&
        b.cancel_initiated_at === null,
    )
    .sort((a, b) => Math.abs(created(a) - sentAt) - Math.abs(created(b) - sentAt));
}

/** Maps a model id or alias to its canonical id (the pricing table's), when known. */
export type CanonicalModel = (model: string) => string | undefined;

/** A model id without a trailing snapshot date: `claude-x-4-5-20250929` → `claude-x-4-5`. */
function undated(model: string): string {
  return model.replace(/-\d{8}$/, "");
}

/**
 * Whether `answered` (a result's `message.model`) is the model `requested`: the same id, an
 * alias of it, or a dated snapshot id of it.
 */
export function sameModel(
  requested: string,
  answered: string,
  canonical: CanonicalModel = () => undefined,
): boolean {
  const canon = (id: string) => canonical(id) ?? canonical(undated(id)) ?? undated(id);
  return requested === answered || canon(requested) === canon(answered);
}

/**
 * Why a result line shows that an adopted batch is not this run's, or undefined when the line
 * fits: its custom_id is in the manifest and, if it succeeded, the model is the one sent to.
 */
export function foreignResult(
  line: MessageBatchIndividualResponse,
  manifest: ReadonlySet<string>,
  model: string,
  canonical?: CanonicalModel,
): string | undefined {
  if (!manifest.has(line.custom_id)) {
    return `it holds ${line.custom_id}, which this run did not send in it`;
  }
  const result = line.result;
  if (result.type === "succeeded" && !sameModel(model, result.message.model, canonical)) {
    return `${line.custom_id} was answered by ${result.message.model}, not ${model}`;
  }
  return undefined;
}
