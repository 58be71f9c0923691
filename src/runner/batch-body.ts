/**
 * The body of a batch create, as pieces of JSON text: `{"requests":[` … `]}` with one piece per
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

/** `{"custom_id":…,"params":{…}}` for one request, its `system` serialized once per array. */
function requestJson(request: CompiledRequest, memo: WeakMap<object, string>): string {
  const { system, ...rest } = request.params;
  const head = JSON.stringify({ custom_id: request.customId, params: rest });
  if (system === undefined) return head;
  // head ends with the two braces that close params and the request: put system before them.
  const json = perSystem(system, memo, (value) => JSON.stringify(value));
  return `${head.slice(0, -2)},"system":${json}}}`;
}

/** The create body's JSON text, in pieces; joined, it is `JSON.stringify({ requests })`. */
export function* batchBody(requests: readonly CompiledRequest[]): Generator<string> {
  const memo = new WeakMap<object, string>();
  yield '{"requests":[';
  for (const [index, request] of requests.entries()) {
    yield `${index === 0 ? "" : ","}${requestJson(request, memo)}`;
  }
  yield "]}";
}
