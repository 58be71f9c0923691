/**
 * Backend choice (docs/design.md, decision 3): explicit and never silent. With an API key the
 * default is the real API; without one it is the simulator, with a banner; in CI, simulated
 * results are refused unless `--backend sim` was given on the command line.
 */
import type { BackendName } from "../config/types.js";
import { BatchevalError } from "../errors.js";

export interface BackendChoice {
  backend: BackendName;
  /** A line to print before the run (e.g. the simulator banner), if any. */
  banner?: string;
}

export interface BackendInputs {
  /** `--backend` on the command line. */
  flag: BackendName | undefined;
  /** `backend:` in batcheval.config.yaml. */
  config: BackendName | undefined;
  env: Readonly<Record<string, string | undefined>>;
}

const SIM_BANNER =
  "Using the embedded simulator: answers come from fixtures, not from Claude. Reports are marked backend: sim.";

export function hasCredentials(env: BackendInputs["env"]): boolean {
  return Boolean(env.ANTHROPIC_API_KEY || env.ANTHROPIC_AUTH_TOKEN);
}

/** The one credential the SDK client gets: it refuses to be given both a key and a token. */
export interface Credentials {
  apiKey: string | null;
  authToken: string | null;
  /** Said once when both variables are set: which one is used. */
  note?: string;
}

/**
 * Picks the credential from the environment. `ANTHROPIC_API_KEY` wins over
 * `ANTHROPIC_AUTH_TOKEN` when both are set (the SDK takes exactly one and throws otherwise);
 * the other is passed as null so the SDK does not read it from `process.env` behind our back.
 */
export function pickCredentials(env: BackendInputs["env"]): Credentials {
  const apiKey = env.ANTHROPIC_API_KEY || null;
  const authToken = env.ANTHROPIC_AUTH_TOKEN || null;
  if (apiKey !== null && authToken !== null) {
    return {
      apiKey,
      authToken: null,
      note: "Both ANTHROPIC_API_KEY and ANTHROPIC_AUTH_TOKEN are set: using ANTHROPIC_API_KEY.",
    };
  }
  return { apiKey, authToken };
}

/** Whether the environment says this is CI (`CI` set to anything but empty, `false` or `0`). */
export function isCi(env: BackendInputs["env"]): boolean {
  const ci = env.CI?.toLowerCase();
  return ci !== undefined && ci !== "" && ci !== "false" && ci !== "0";
}

/** Chooses the backend, or throws `backend_refused` with what to do instead. */
export function chooseBackend({ flag, config, env }: BackendInputs): BackendChoice {
  const requested = flag ?? config;
  if (requested === "anthropic" || (requested === undefined && hasCredentials(env))) {
    if (!hasCredentials(env)) {
      throw new BatchevalError("backend_refused", "The anthropic backend needs an API key.", {
        hint: "Set ANTHROPIC_API_KEY, or run on the simulator with --backend sim.",
      });
    }
    return { backend: "anthropic" };
  }
  if (flag === "sim") return { backend: "sim", banner: SIM_BANNER };
  if (isCi(env)) {
    throw new BatchevalError(
      "backend_refused",
      requested === "sim"
        ? "Refusing to run on the simulator in CI because of the config file alone."
        : "No ANTHROPIC_API_KEY in CI: refusing to fall back to the simulator.",
      {
        hint: "Set ANTHROPIC_API_KEY for real results, or pass --backend sim to run on the simulator on purpose.",
      },
    );
  }
  return { backend: "sim", banner: SIM_BANNER };
}
