/**
 * Which run a `batcheval run` continues: `--fresh` starts a new one; `--run-id ID` continues
 * that run (or starts one under that name); otherwise the newest unfinished run of the same
 * requests in the output directory is resumed.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { BatchPlan } from "../compile/types.js";
import { BatchevalError } from "../errors.js";
import { paramsFingerprint } from "./request-digest.js";
import { listRuns, type RunState, readRunState } from "./run-store.js";

/**
 * A fingerprint of every request of a plan (model, custom_id, params) and where it goes. The
 * shared system prompt is hashed once (see request-digest.ts), not once per request.
 */
export function planHash(plan: BatchPlan, origin: string): string {
  const hash = createHash("sha256").update(origin);
  for (const { model, requests } of plan.models) {
    for (const request of requests) {
      hash.update(`${model}\u0000${request.customId}\u0000${paramsFingerprint(request.params)}\n`);
    }
  }
  return hash.digest("hex").slice(0, 32);
}

export type RunChoice =
  | { kind: "new"; runId?: string; note?: string }
  | { kind: "resume"; dir: string; state: RunState };

export interface FindRunInput {
  outDir: string;
  planHash: string;
  runId: string | undefined;
  fresh: boolean;
}

/** Decides between resuming and starting; throws `bad_input` when `--run-id` does not fit. */
export async function findRun({
  outDir,
  planHash,
  runId,
  fresh,
}: FindRunInput): Promise<RunChoice> {
  if (runId !== undefined) {
    const dir = join(outDir, runId);
    let state: RunState;
    try {
      state = await readRunState(dir);
    } catch {
      return { kind: "new", runId };
    }
    if (fresh) {
      throw new BatchevalError(
        "bad_input",
        `Run ${runId} already exists; --fresh cannot reuse its name.`,
        {
          hint: "Drop --run-id to start a fresh run under a new id.",
        },
      );
    }
    if (state.planHash !== planHash) {
      throw new BatchevalError(
        "bad_input",
        `Run ${runId} was planned from different suites or settings.`,
        {
          hint: "Run with the same suites, models and --repeat as before, or drop --run-id (add --fresh) to start over.",
        },
      );
    }
    return { kind: "resume", dir, state };
  }
  if (fresh) return { kind: "new" };
  const unfinished = (await listRuns(outDir)).filter((r) => r.state.status !== "reported");
  const same = unfinished.find((r) => r.state.planHash === planHash);
  if (same !== undefined) return { kind: "resume", dir: same.dir, state: same.state };
  const newest = unfinished[0];
  return newest === undefined
    ? { kind: "new" }
    : {
        kind: "new",
        note: `Run ${newest.state.runId} is unfinished but was planned from other suites; starting a new run (resume it with --run-id ${newest.state.runId}).`,
      };
}
