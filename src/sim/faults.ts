/**
 * Fault injection, deterministic under a seed. Three kinds:
 * - result faults turn a share of batch requests into `errored` (`overloaded_error` or
 *   `api_error`), `expired` or `canceled` results. The draw is a hash of the seed, the
 *   custom_id and how many times that custom_id has been seen, so a resubmitted request gets
 *   a fresh draw and retries can recover;
 * - HTTP faults answer a share of API calls with 429 / 500 / 529, the matching error type and
 *   a small `retry-after` (0.01–0.05 s), so the SDK's own retries kick in;
 * - `breakResults` cuts a share of results downloads mid-stream (the socket is destroyed).
 */
import { BatchevalError } from "../errors.js";
import { ApiError } from "./api-errors.js";
import { seededRandom, unitHash } from "./seeded.js";

/** Shares (0–1) of each fault, and the seed. */
export interface FaultSpec {
  /** Share of batch results errored with `overloaded_error`. */
  overloaded?: number;
  /** Share of batch results errored with `api_error`. */
  apiError?: number;
  /** Share of batch results `expired`. */
  expired?: number;
  /** Share of batch results `canceled`. */
  canceled?: number;
  /** Share of API calls answered 429 `rate_limit_error`. */
  http429?: number;
  /** Share of API calls answered 500 `api_error`. */
  http500?: number;
  /** Share of API calls answered 529 `overloaded_error`. */
  http529?: number;
  /** Share of results downloads cut mid-stream. */
  breakResults?: number;
  /** Seed of the fault draws (default: the simulator's seed). */
  seed?: number;
}

const KEYS: Record<string, keyof FaultSpec> = {
  overloaded: "overloaded",
  api_error: "apiError",
  expired: "expired",
  canceled: "canceled",
  http429: "http429",
  http500: "http500",
  http529: "http529",
  break_results: "breakResults",
  seed: "seed",
};

/**
 * Parses `overloaded=0.2,api_error=0.05,expired=0.1,canceled=0.05,http429=0.1,http500=0.05,
 * http529=0.05,break_results=0.5,seed=42`. Throws BatchevalError("bad_input") on any problem.
 */
export function parseFaults(spec: string): FaultSpec {
  const faults: FaultSpec = {};
  const problems: string[] = [];
  for (const item of spec
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")) {
    const [name = "", text = "", ...extra] = item.split("=").map((s) => s.trim());
    const key = KEYS[name];
    const value = Number(text);
    if (!key) problems.push(`unknown fault \`${name}\` (known: ${Object.keys(KEYS).join(", ")})`);
    else if (text === "" || extra.length > 0 || !Number.isFinite(value)) {
      problems.push(`\`${item}\`: expected ${name}=NUMBER`);
    } else if (key === "seed" ? !Number.isInteger(value) : value < 0 || value > 1) {
      problems.push(
        `\`${item}\`: ${key === "seed" ? "the seed must be an integer" : "a share must be between 0 and 1"}`,
      );
    } else faults[key] = value;
  }
  const sum = (...keys: (keyof FaultSpec)[]): number =>
    keys.reduce((s, k) => s + (faults[k] ?? 0), 0);
  if (sum("overloaded", "apiError", "expired", "canceled") > 1) {
    problems.push("result faults (overloaded, api_error, expired, canceled) add up to more than 1");
  }
  if (sum("http429", "http500", "http529") > 1) problems.push("HTTP faults add up to more than 1");
  if (problems.length > 0) {
    throw new BatchevalError("bad_input", `invalid --faults spec: ${problems.join("; ")}`, {
      hint: "Write a comma list like overloaded=0.2,http429=0.1,seed=42 (shares between 0 and 1).",
    });
  }
  return faults;
}

/** A result-level fault. */
export type ResultFault = "overloaded" | "api_error" | "expired" | "canceled";

/** Draws faults for one simulator. */
export class FaultInjector {
  private readonly random: () => number;
  private readonly seen = new Map<string, number>();
  private readonly seed: string;

  constructor(
    private readonly spec: FaultSpec,
    defaultSeed: number,
  ) {
    const seed = spec.seed ?? defaultSeed;
    this.seed = String(seed);
    this.random = seededRandom(seed);
  }

  /** An injected HTTP error for this API call, if any. */
  httpFault(): ApiError | undefined {
    const { http429 = 0, http500 = 0, http529 = 0 } = this.spec;
    if (http429 + http500 + http529 === 0) return undefined;
    const draw = this.random();
    const headers = { "retry-after": (0.01 + 0.04 * this.random()).toFixed(3) };
    if (draw < http429)
      return new ApiError(
        429,
        "rate_limit_error",
        "Number of requests has exceeded your rate limit (simulated)",
        headers,
      );
    if (draw < http429 + http500)
      return new ApiError(500, "api_error", "Internal server error (simulated)", headers);
    if (draw < http429 + http500 + http529)
      return new ApiError(529, "overloaded_error", "Overloaded (simulated)", headers);
    return undefined;
  }

  /** A result fault for this batch request, if any (each occurrence of a custom_id draws anew). */
  resultFault(customId: string): ResultFault | undefined {
    const { overloaded = 0, apiError = 0, expired = 0, canceled = 0 } = this.spec;
    if (overloaded + apiError + expired + canceled === 0) return undefined;
    const occurrence = (this.seen.get(customId) ?? 0) + 1;
    this.seen.set(customId, occurrence);
    const draw = unitHash(this.seed, "result-fault", customId, String(occurrence));
    if (draw < overloaded) return "overloaded";
    if (draw < overloaded + apiError) return "api_error";
    if (draw < overloaded + apiError + expired) return "expired";
    if (draw < overloaded + apiError + expired + canceled) return "canceled";
    return undefined;
  }

  /** Whether to cut this results download mid-stream. */
  breakResults(): boolean {
    const share = this.spec.breakResults ?? 0;
    return share > 0 && this.random() < share;
  }
}
