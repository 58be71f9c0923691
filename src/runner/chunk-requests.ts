/**
 * Splits a model's requests into batches within the API's per-batch limits (100,000 requests,
 * 256 MB of request body), keeping their order. The runner calls it on what it submits.
 */
import { API_BATCH_LIMITS, type BatchLimits, type CompiledRequest } from "../compile/types.js";

/** Bytes of `{"requests":[` + `]}` around the requests. */
const ENVELOPE_BYTES = 16;

/** UTF-8 bytes of the JSON of each shared system array (see compile/build-request.ts). */
const systemBytes = new WeakMap<object, number>();

function jsonBytes(value: unknown): number {
  const cacheable = typeof value === "object" && value !== null;
  let bytes = cacheable ? systemBytes.get(value) : undefined;
  if (bytes === undefined) {
    bytes = Buffer.byteLength(JSON.stringify(value));
    if (cacheable) systemBytes.set(value, bytes);
  }
  return bytes;
}

/**
 * The size one request adds to a batch body: its JSON plus a separating comma, exactly. The
 * shared system prompt is measured once per array, not once per request.
 */
export function requestBytes(request: CompiledRequest): number {
  const { system, ...rest } = request.params;
  const head = Buffer.byteLength(JSON.stringify({ custom_id: request.customId, params: rest }));
  // `,"system":` and the value go inside the params object.
  return head + 1 + (system === undefined ? 0 : 10 + jsonBytes(system));
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
