/**
 * Splits a model's requests into batches within the API's per-batch limits (100,000 requests,
 * 256 MB of request body), keeping their order. The runner calls it on what it submits.
 */
import { API_BATCH_LIMITS, type BatchLimits, type CompiledRequest } from "../compile/types.js";

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
