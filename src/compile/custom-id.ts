/**
 * Deterministic `custom_id`s. The API requires `^[a-zA-Z0-9_-]{1,64}$`, unique per batch.
 *
 * - `customIdFor` is the plan's id of a (suite, case, repeat): a readable slug of the suite and
 *   case and a hash of the exact triple, so two cases whose slugs collide still get distinct
 *   ids. It does not depend on the run, so the plan hash (which recognizes the same suites on
 *   resume, before a run is chosen) is the same for every run of the same suites.
 * - `runCustomId` is the id actually sent: the run's tag in front, then shorter slugs and the
 *   same hash. The tag makes every run's custom_ids its own, so a batch of another run (in the
 *   same workspace, of the same size) can never pass for this run's when a lost create is
 *   reconciled (see runner/batch-ownership.ts).
 *
 * - `graderCustomId` is the id of a question a model-graded assertion puts to a grader model:
 *   the run's tag, `-g`, and a hash of the question. A `-` never follows the tag in an eval id,
 *   so a grader request can never be taken for an eval request of the same model.
 *
 * Compile stays pure and run-independent: the runner's caller tags the plan once the run is
 * known (`tagPlan`).
 */
import { hash } from "node:crypto";
import type { BatchPlan, CompiledRequest } from "./types.js";

export const CUSTOM_ID_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
/** A run tag: 8 lowercase hex characters. */
export const RUN_TAG_PATTERN = /^[0-9a-f]{8}$/;

function slug(text: string, max: number): string {
  const cleaned = text
    .replace(/[^a-zA-Z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, max)
    .replace(/-+$/, "");
  return cleaned.length > 0 ? cleaned : "x";
}

/** Hex characters of the (suite, case, repeat) hash that ends every eval custom_id. */
const HASH_CHARS = 10;
const HASH_TAIL = /_([0-9a-f]{10})$/;

function tripleHash(suite: string, caseId: string, repeat: number): string {
  return hash("sha256", `${suite}\u0000${caseId}\u0000${repeat}`, "hex").slice(0, HASH_CHARS);
}

/** The plan's custom_id of sample `repeat` (0-based) of `caseId` in `suite`. At most 64 characters. */
export function customIdFor(suite: string, caseId: string, repeat: number): string {
  // 16 + 1 + 28 + 1 + r + up to 6 digits + 1 + 10 = 64 at most.
  return `${slug(suite, 16)}_${slug(caseId, 28)}_r${repeat}_${tripleHash(suite, caseId, repeat)}`;
}

/** The custom_id a run tagged `tag` sends for that sample. At most 64 characters. */
export function runCustomId(tag: string, suite: string, caseId: string, repeat: number): string {
  return taggedId(tag, suite, caseId, repeat, tripleHash(suite, caseId, repeat));
}

function taggedId(tag: string, suite: string, caseId: string, repeat: number, tail: string) {
  // 8 + 1 + 14 + 1 + 21 + 1 + r + up to 6 digits + 1 + 10 = 64 at most.
  return `${tag}_${slug(suite, 14)}_${slug(caseId, 21)}_r${repeat}_${tail}`;
}

/** The custom_id of the grader question whose content hashes to `questionHash` (hex). */
export function graderCustomId(tag: string | undefined, questionHash: string): string {
  // 8 + 3 + 48 = 59 characters.
  return `${tag ?? "untagged"}-g_${questionHash.slice(0, 48)}`;
}

/**
 * The tag of a run: a hash of its id and creation time (the same `--run-id` in two output
 * folders still gets two tags). Deterministic for a run; stored in its run.json.
 */
export function runTag(runId: string, createdAt: string): string {
  return hash("sha256", `${runId}\u0000${createdAt}`, "hex").slice(0, 8);
}

/**
 * The plan with every request's custom_id replaced by the one the run tagged `tag` sends.
 * `undefined` (a run from before tags) keeps the plan's ids, which is what such a run sent.
 */
export function tagPlan(plan: BatchPlan, tag: string | undefined): BatchPlan {
  if (tag === undefined) return plan;
  // A plan's id ends with the triple's hash (see customIdFor): it is not hashed again.
  const tagged = (r: CompiledRequest): CompiledRequest => {
    const tail = HASH_TAIL.exec(r.customId)?.[1] ?? tripleHash(r.suite, r.caseId, r.repeat);
    return { ...r, customId: taggedId(tag, r.suite, r.caseId, r.repeat, tail) };
  };
  return {
    ...plan,
    models: plan.models.map((m) => ({ ...m, requests: m.requests.map(tagged) })),
  };
}
