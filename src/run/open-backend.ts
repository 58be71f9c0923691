/**
 * The batch port of a run. The only difference between production and the simulator is the
 * SDK client's base URL and key (docs/design.md, decision 1): backend `sim` starts the embedded
 * simulator on a free loopback port and points the client at it.
 */
import { createHash } from "node:crypto";
import { dirname, resolve } from "node:path";
import type { BackendName } from "../config/types.js";
import { BatchevalError } from "../errors.js";
import { pickCredentials } from "../runner/backend.js";
import { batchesAt } from "../runner/batch-api.js";
import type { BatchBackend } from "../runner/batch-port.js";
import { loadFixtures } from "../sim/fixtures.js";
import { startSimulator } from "../sim/server.js";
import type { RunIo } from "./io.js";
import type { Project } from "./load-project.js";

export interface OpenBackend {
  api: BatchBackend;
  /** Where answers come from, for the result cache and the plan hash (never the key). */
  origin: string;
  /** The embedded simulator forgets batches when it stops. */
  batchesMayVanish: boolean;
  close: () => Promise<void>;
}

export const DEFAULT_BASE_URL = "https://api.anthropic.com";

/**
 * The batch port on the real API at `baseURL`, with the one credential the environment gives
 * (the key when both variables are set, said once on stderr). `run`, `status` and `cancel` all
 * reach the API through this.
 */
export function apiBatches(baseURL: string, io: Pick<RunIo, "env" | "log">): BatchBackend {
  const { apiKey, authToken, note } = pickCredentials(io.env);
  if (note !== undefined) io.log(`${note}\n`);
  return batchesAt(baseURL, { apiKey, authToken });
}

/** Every request would get the default reply, graded as if it were an answer: refuse. */
function noFixtures(glob: string, root: string): BatchevalError {
  return new BatchevalError(
    "bad_input",
    `No simulator fixture rules: sim.fixtures \`${glob}\` matches no file with rules (in ${root}).`,
    {
      hint: 'Add fixture files (see "Fixture format" in the README) or point sim.fixtures in batcheval.config.yaml at them; without rules every answer would be the simulator\'s default reply.',
    },
  );
}

export async function openBackend(
  backend: BackendName,
  project: Project,
  io: Pick<RunIo, "cwd" | "env" | "log">,
): Promise<OpenBackend> {
  if (backend === "anthropic") {
    const baseURL = io.env.ANTHROPIC_BASE_URL || DEFAULT_BASE_URL;
    const api = apiBatches(baseURL, io);
    await api.checkAccess();
    return { api, origin: baseURL, batchesMayVanish: false, close: async () => undefined };
  }
  const root = project.config.file ? dirname(resolve(io.cwd, project.config.file)) : io.cwd;
  const rules = await loadFixtures(project.config.sim.fixtures, root);
  if (rules.length === 0) throw noFixtures(project.config.sim.fixtures, root);
  // Answers depend on the fixtures: a changed fixture must not replay an old answer.
  const fixtures = createHash("sha256")
    .update(JSON.stringify(rules, (_k, v) => (v instanceof RegExp ? String(v) : v)))
    .digest("hex");
  const sim = await startSimulator({ rules });
  const api = batchesAt(sim.url, { apiKey: "sim", authToken: null });
  return {
    api,
    origin: `sim:${fixtures.slice(0, 16)}`,
    batchesMayVanish: true,
    close: () => sim.close(),
  };
}
