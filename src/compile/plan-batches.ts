/**
 * Compiles rendered cases into one batch per model, split only where the API's per-batch limits
 * (100,000 requests, 256 MB) force it. Pure.
 */
import type { EvalCase } from "../suite/types.js";
import { buildRequest } from "./build-request.js";
import { checkCachePrefix } from "./cache-checks.js";
import { customIdFor } from "./custom-id.js";
import { checkModelLimits } from "./limit-checks.js";
import {
  API_BATCH_LIMITS,
  type BatchLimits,
  type BatchPlan,
  type CompiledRequest,
  type ModelPlan,
} from "./types.js";

/** One suite's cases and the models they run on. */
export interface SuiteCases {
  suite: string;
  models: readonly string[];
  cases: readonly EvalCase[];
}

/** Bytes of `{"requests":[` + `]}` around the requests. */
const ENVELOPE_BYTES = 16;

/** The size one request adds to a batch body: its JSON plus a separating comma. */
export function requestBytes(request: CompiledRequest): number {
  return (
    Buffer.byteLength(JSON.stringify({ custom_id: request.customId, params: request.params })) + 1
  );
}

/** Splits a model's requests into chunks within the limits, keeping their order. */
export function chunkRequests(
  requests: readonly CompiledRequest[],
  limits: BatchLimits = API_BATCH_LIMITS,
): CompiledRequest[][] {
  const chunks: CompiledRequest[][] = [];
  let current: CompiledRequest[] = [];
  let bytes = ENVELOPE_BYTES;
  for (const request of requests) {
    const size = requestBytes(request);
    if (ENVELOPE_BYTES + size > limits.maxBytes) {
      throw new RangeError(
        `request ${request.customId} alone is ${size} bytes, above the batch limit of ${limits.maxBytes}`,
      );
    }
    if (current.length >= limits.maxRequests || bytes + size > limits.maxBytes) {
      chunks.push(current);
      current = [];
      bytes = ENVELOPE_BYTES;
    }
    current.push(request);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function* requestsFor(entry: SuiteCases, model: string): Generator<CompiledRequest> {
  for (const evalCase of entry.cases) {
    const params = buildRequest(evalCase, model);
    for (let repeat = 0; repeat < evalCase.repeat; repeat++) {
      const customId = customIdFor(entry.suite, evalCase.caseId, repeat);
      yield { customId, suite: entry.suite, caseId: evalCase.caseId, repeat, model, params };
    }
  }
}

/** The batch plan: per model, every (suite, case, repeat) request, chunked. */
export function planBatches(
  suites: readonly SuiteCases[],
  limits: BatchLimits = API_BATCH_LIMITS,
): BatchPlan {
  const byModel = new Map<string, CompiledRequest[]>();
  for (const entry of suites) {
    for (const model of entry.models) {
      const list = byModel.get(model) ?? [];
      for (const request of requestsFor(entry, model)) list.push(request);
      byModel.set(model, list);
    }
  }
  const models: ModelPlan[] = [...byModel].map(([model, requests]) => {
    assertUniqueIds(model, requests);
    return { model, chunks: chunkRequests(requests, limits) };
  });
  const diagnostics = suites.flatMap((entry) => [
    ...checkModelLimits(entry.cases, entry.models),
    ...checkCachePrefix(entry.cases, entry.models),
  ]);
  return { models, diagnostics };
}

function assertUniqueIds(model: string, requests: readonly CompiledRequest[]): void {
  const seen = new Map<string, CompiledRequest>();
  for (const request of requests) {
    const other = seen.get(request.customId);
    if (other !== undefined) {
      // Only reachable with a hash collision or the same suite loaded twice.
      throw new RangeError(
        `custom_id ${request.customId} is used twice on ${model}: ${other.suite}/${other.caseId} and ${request.suite}/${request.caseId}`,
      );
    }
    seen.set(request.customId, request);
  }
}
