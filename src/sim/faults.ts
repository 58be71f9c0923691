/**
 * Fault injection, deterministic under a seed. Four kinds:
 * - result faults turn a share of batch requests into `errored` results (one per error type a
 *   batch result can carry: `overloaded_error`, `api_error`, `timeout_error`, …), `expired` or
 *   `canceled`. The draw is a hash of the seed, the request (its params) and how many times
 *   that request has been seen, so a resubmitted request gets a fresh draw and retries can
 *   recover, and the same requests draw the same faults whatever custom_ids a client gives
 *   them (batcheval's carry a per-run tag);
 * - HTTP faults answer a share of API calls with 429 / 500 / 529, the matching error type and
 *   a small `retry-after` (0.01–0.05 s), so the SDK's own retries kick in;
 * - create faults hit batch-create calls only: plain 429 / 500 / 529 before anything is
 *   created, a spend-limit 429 (`details.error_code: enforced_spend_limit_reached`, no
 *   `retry-after`, as the API sends it), or a batch that IS created but whose response is lost
 *   (`accept_then_500`: a 500 answer; `accept_then_reset`: the socket is destroyed first);
 * - `breakResults` cuts a share of results downloads mid-stream (the socket is destroyed).
 */
import { BatchevalError } from "../errors.js";
import { ApiError } from "./api-errors.js";
import { seededRandom, unitHash } from "./seeded.js";

/** The `error.type`s a batch result can carry (the SDK's `ErrorObject` union). */
export type ResultErrorType =
  | "overloaded_error"
  | "api_error"
  | "timeout_error"
  | "rate_limit_error"
  | "invalid_request_error"
  | "authentication_error"
  | "billing_error"
  | "permission_error"
  | "not_found_error";

/** Shares (0–1) of each fault, and the seed. */
export interface FaultSpec {
  /** Share of batch results errored with `overloaded_error`. */
  overloaded?: number;
  /** Share of batch results errored with `api_error`. */
  apiError?: number;
  timeoutError?: number;
  rateLimitError?: number;
  invalidRequestError?: number;
  authenticationError?: number;
  billingError?: number;
  permissionError?: number;
  notFoundError?: number;
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
  /** Share of batch creates answered 429 `rate_limit_error` (nothing created). */
  create429?: number;
  /** Share of batch creates answered 500 `api_error` (nothing created). */
  create500?: number;
  /** Share of batch creates answered 529 `overloaded_error` (nothing created). */
  create529?: number;
  /** Share of batch creates answered with a spend-limit 429 (nothing created). */
  spendLimit?: number;
  /** Share of batch creates that create the batch, then answer 500 `api_error`. */
  acceptThen500?: number;
  /** Share of batch creates that create the batch, then destroy the socket unanswered. */
  acceptThenReset?: number;
  /** Share of results downloads cut mid-stream. */
  breakResults?: number;
  /** Seed of the fault draws (default: the simulator's seed). */
  seed?: number;
}

type ShareKey = Exclude<keyof FaultSpec, "seed">;

/** Result faults that become `errored`, with the error type and message they carry. */
const RESULT_ERRORS: readonly [ShareKey, ResultErrorType, string][] = [
  ["overloaded", "overloaded_error", "Overloaded (simulated)"],
  ["apiError", "api_error", "Internal server error (simulated)"],
  ["timeoutError", "timeout_error", "Request timed out (simulated)"],
  ["rateLimitError", "rate_limit_error", "Rate limit exceeded while the batch ran (simulated)"],
  ["invalidRequestError", "invalid_request_error", "Invalid request (simulated)"],
  ["authenticationError", "authentication_error", "Invalid API key (simulated)"],
  ["billingError", "billing_error", "Your credit balance is too low (simulated)"],
  ["permissionError", "permission_error", "Not allowed to use this model (simulated)"],
  ["notFoundError", "not_found_error", "Model not found (simulated)"],
];
const RESULT_KEYS: readonly ShareKey[] = [...RESULT_ERRORS.map(([k]) => k), "expired", "canceled"];
const HTTP_KEYS: readonly ShareKey[] = ["http429", "http500", "http529"];
const CREATE_KEYS: readonly ShareKey[] = [
  "create429",
  "create500",
  "create529",
  "spendLimit",
  "acceptThen500",
  "acceptThenReset",
];

/** Spec names (snake_case, as on the command line) → FaultSpec keys. */
const KEYS: Record<string, keyof FaultSpec> = {
  overloaded: "overloaded",
  api_error: "apiError",
  timeout_error: "timeoutError",
  rate_limit_error: "rateLimitError",
  invalid_request_error: "invalidRequestError",
  authentication_error: "authenticationError",
  billing_error: "billingError",
  permission_error: "permissionError",
  not_found_error: "notFoundError",
  expired: "expired",
  canceled: "canceled",
  http429: "http429",
  http500: "http500",
  http529: "http529",
  create_429: "create429",
  create_500: "create500",
  create_529: "create529",
  spend_limit: "spendLimit",
  accept_then_500: "acceptThen500",
  accept_then_reset: "acceptThenReset",
  break_results: "breakResults",
  seed: "seed",
};

/** The spec name of a FaultSpec key, for messages. */
const nameOf = (key: keyof FaultSpec): string =>
  Object.keys(KEYS).find((name) => KEYS[name] === key) ?? key;

/**
 * Parses `overloaded=0.2,timeout_error=0.05,expired=0.1,http429=0.1,create_529=0.2,
 * accept_then_500=0.1,spend_limit=1,break_results=0.5,seed=42` (every name: see KEYS). Throws
 * BatchevalError("bad_input") on any problem, including a group whose shares add up above 1.
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
  const groups = [
    ["result faults", RESULT_KEYS],
    ["HTTP faults", HTTP_KEYS],
    ["create faults", CREATE_KEYS],
  ] as const;
  for (const [label, keys] of groups) {
    if (keys.reduce((s, k) => s + (faults[k] ?? 0), 0) > 1) {
      problems.push(`${label} (${keys.map(nameOf).join(", ")}) add up to more than 1`);
    }
  }
  if (problems.length > 0) {
    throw new BatchevalError("bad_input", `invalid --faults spec: ${problems.join("; ")}`, {
      hint: "Write a comma list like overloaded=0.2,http429=0.1,seed=42 (shares between 0 and 1).",
    });
  }
  return faults;
}

/** A result-level fault: an errored result's type and message, or expired / canceled. */
export type ResultFault =
  | { type: "errored"; errorType: ResultErrorType; message: string }
  | { type: "expired" }
  | { type: "canceled" };

/**
 * A create fault: an error to answer before anything is created, or a batch to create whose
 * response is then lost (`accept_then_500`, `accept_then_reset`).
 */
export type CreateFault = ApiError | "accept_then_500" | "accept_then_reset";

/** A small `retry-after`, as on the simulator's injected transient errors. */
function retryAfter(random: () => number): Record<string, string> {
  return { "retry-after": (0.01 + 0.04 * random()).toFixed(3) };
}

/** Draws the first fault of `keys` that the draw falls in, by cumulative share. */
function pick(spec: FaultSpec, keys: readonly ShareKey[], draw: number): ShareKey | undefined {
  let edge = 0;
  for (const key of keys) {
    edge += spec[key] ?? 0;
    if (draw < edge) return key;
  }
  return undefined;
}

const anyOf = (spec: FaultSpec, keys: readonly ShareKey[]): boolean =>
  keys.some((k) => (spec[k] ?? 0) > 0);

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
    if (!anyOf(this.spec, HTTP_KEYS)) return undefined;
    const draw = this.random();
    const headers = retryAfter(this.random); // drawn every call, to keep seeded runs repeatable
    const key = pick(this.spec, HTTP_KEYS, draw);
    return key === undefined ? undefined : plainError(key, headers);
  }

  /** An injected fault for this batch-create call, if any. */
  createFault(): CreateFault | undefined {
    if (!anyOf(this.spec, CREATE_KEYS)) return undefined;
    const key = pick(this.spec, CREATE_KEYS, this.random());
    if (key === undefined) return undefined;
    if (key === "acceptThen500") return "accept_then_500";
    if (key === "acceptThenReset") return "accept_then_reset";
    if (key === "spendLimit") {
      return new ApiError(
        429,
        "rate_limit_error",
        "This request would exceed your organization's monthly usage limit (simulated)",
        {},
        { error_code: "enforced_spend_limit_reached" },
      );
    }
    return plainError(key, retryAfter(this.random));
  }

  /**
   * A result fault for a batch request, if any. `requestKey` identifies the request (a hash of
   * its params); each occurrence of the same request draws anew.
   */
  resultFault(requestKey: string): ResultFault | undefined {
    if (!anyOf(this.spec, RESULT_KEYS)) return undefined;
    const occurrence = (this.seen.get(requestKey) ?? 0) + 1;
    this.seen.set(requestKey, occurrence);
    const draw = unitHash(this.seed, "result-fault", requestKey, String(occurrence));
    const key = pick(this.spec, RESULT_KEYS, draw);
    if (key === undefined) return undefined;
    if (key === "expired" || key === "canceled") return { type: key };
    const [, errorType, message] = RESULT_ERRORS.find(([k]) => k === key) ?? [];
    return errorType && message ? { type: "errored", errorType, message } : undefined;
  }

  /** Whether to cut this results download mid-stream. */
  breakResults(): boolean {
    const share = this.spec.breakResults ?? 0;
    return share > 0 && this.random() < share;
  }
}

/** The 429 / 500 / 529 of an HTTP or create fault. */
function plainError(key: ShareKey, headers: Record<string, string>): ApiError {
  if (key === "http429" || key === "create429") {
    return new ApiError(
      429,
      "rate_limit_error",
      "Number of requests has exceeded your rate limit (simulated)",
      headers,
    );
  }
  if (key === "http500" || key === "create500") {
    return new ApiError(500, "api_error", "Internal server error (simulated)", headers);
  }
  return new ApiError(529, "overloaded_error", "Overloaded (simulated)", headers);
}
