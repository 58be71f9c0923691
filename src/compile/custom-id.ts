/**
 * Deterministic `custom_id`s. The API requires `^[a-zA-Z0-9_-]{1,64}$`, unique per batch. The id
 * keeps a readable slug of the suite and case and ends in a hash of the exact
 * (suite, case, repeat) triple, so two cases whose slugs collide still get distinct ids.
 */
import { createHash } from "node:crypto";

export const CUSTOM_ID_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

function slug(text: string, max: number): string {
  const cleaned = text
    .replace(/[^a-zA-Z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, max)
    .replace(/-+$/, "");
  return cleaned.length > 0 ? cleaned : "x";
}

/** The custom_id of sample `repeat` (0-based) of `caseId` in `suite`. At most 64 characters. */
export function customIdFor(suite: string, caseId: string, repeat: number): string {
  const hash = createHash("sha256")
    .update(`${suite}\u0000${caseId}\u0000${repeat}`)
    .digest("hex")
    .slice(0, 10);
  // 16 + 1 + 28 + 1 + r + up to 6 digits + 1 + 10 = 64 at most.
  return `${slug(suite, 16)}_${slug(caseId, 28)}_r${repeat}_${hash}`;
}
