/**
 * Splits a model's requests into batches within the API's per-batch limits (100,000 requests,
 * 256 MB of request body), keeping their order. The runner calls it on what it submits.
 */
import { API_BATCH_LIMITS, type BatchLimits, type CompiledRequest } from "../compile/types.js";
import { perSystem } from "./batch-body.js";

/** Bytes of `{"requests":[` + `]}` around the requests. */
const ENVELOPE_BYTES = 16;

/**
 * The size one request adds to a batch body: its JSON plus a separating comma, exactly.
 * `memo` (chunkRequests passes one per call) measures a shared system prompt once per array.
 */
export function requestBytes(
  request: CompiledRequest,
  memo: WeakMap<object, number> = new WeakMap(),
): number {
  const { system, ...rest } = request.params;
  const head = Buffer.byteLength(JSON.stringify({ custom_id: request.customId, params: rest }));
  if (system === undefined) return head + 1;
  // `,"system":` and the value go inside the params object.
  const bytes = perSystem(system, memo, (value) => Buffer.byteLength(JSON.stringify(value)));
  return head + 1 + 10 + bytes;
}

/** Splits a model's requests into chunks within the limits, keeping their order. */
export function chunkRequests(
  requests: readonly CompiledRequest[],
  limits: BatchLimits = API_BATCH_LIMITS,
): CompiledRequest[][] {
  const chunks: CompiledRequest[][] = [];
  let current: CompiledRequest[] = [];
  let bytes = ENVELOPE_BYTES;
  const memo = new WeakMap<object, number>();
  for (const request of requests) {
    const size = requestBytes(request, memo);
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
