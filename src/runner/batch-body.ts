/**
 * The body of a batch create, as pieces of JSON: `{"requests":[` … `]}` with a piece or two per
 * request. It is sent as a stream (see batch-api.ts), so a batch of 100,000 requests never
 * becomes one string of hundreds of megabytes. Requests that share their system blocks (one
 * array, see compile/build-request.ts) share their serialization too: a shared prefix is
 * turned into JSON once per batch, not once per request; chunking sizes it the same way.
 */
import type { CompiledRequest } from "../compile/types.js";

/**
 * Whatever a caller derives from a system value, once per shared array: `memo` is the
 * caller's (one batch's), so nothing outlives the work it was made for.
 */
export function perSystem<T>(
  system: unknown,
  memo: WeakMap<object, T>,
  derive: (system: unknown) => T,
): T {
  if (typeof system !== "object" || system === null) return derive(system);
  let value = memo.get(system);
  if (value === undefined) {
    value = derive(system);
    memo.set(system, value);
  }
  return value;
}

/**
 * `{"custom_id":…,"params":{…}}` for one request, in one or two pieces: the request's own JSON,
 * then, when it has a `system`, that key and value as UTF-8 bytes made once per array (see
 * perSystem). A shared prefix of kilobytes is then copied into the body, not encoded again.
 */
function* requestPieces(
  request: CompiledRequest,
  memo: WeakMap<object, Uint8Array>,
  separator: string,
): Generator<string | Uint8Array> {
  const { system, ...rest } = request.params;
  const head = JSON.stringify({ custom_id: request.customId, params: rest });
  if (system === undefined) {
    yield `${separator}${head}`;
    return;
  }
  // head ends with the two braces that close params and the request: put system before them.
  yield `${separator}${head.slice(0, -2)}`;
  yield perSystem(system, memo, (value) => Buffer.from(`,"system":${JSON.stringify(value)}}}`));
}

/**
 * The create body's JSON, in pieces of text and bytes (UTF-8); joined, it is
 * `JSON.stringify({ requests })`.
 */
export function* batchBody(requests: readonly CompiledRequest[]): Generator<string | Uint8Array> {
  const memo = new WeakMap<object, Uint8Array>();
  yield '{"requests":[';
  for (const [index, request] of requests.entries()) {
    yield* requestPieces(request, memo, index === 0 ? "" : ",");
  }
  yield "]}";
}
