/**
 * The body of a batch create, as pieces of JSON text: `{"requests":[` … `]}` with one piece per
 * request. It is sent as a stream (see batch-api.ts), so a batch of 100,000 requests never
 * becomes one string of hundreds of megabytes. Requests that share their system blocks (one
 * array, see compile/build-request.ts) share their serialization too: a shared prefix is
 * turned into JSON once per batch, not once per request.
 */
import type { CompiledRequest } from "../compile/types.js";

/** `{"custom_id":…,"params":{…}}` for one request, with `system` from `systemJson`. */
function requestJson(request: CompiledRequest, systemJson: (system: unknown) => string): string {
  const { system, ...rest } = request.params;
  const head = JSON.stringify({ custom_id: request.customId, params: rest });
  if (system === undefined) return head;
  // head ends with the two braces that close params and the request: put system before them.
  return `${head.slice(0, -2)},"system":${systemJson(system)}}}`;
}

/** The create body's JSON text, in pieces; joined, it is `JSON.stringify({ requests })`. */
export function* batchBody(requests: readonly CompiledRequest[]): Generator<string> {
  const serialized = new WeakMap<object, string>();
  const systemJson = (system: unknown): string => {
    if (typeof system !== "object" || system === null) return JSON.stringify(system);
    let text = serialized.get(system);
    if (text === undefined) {
      text = JSON.stringify(system);
      serialized.set(system, text);
    }
    return text;
  };
  yield '{"requests":[';
  for (const [index, request] of requests.entries()) {
    yield `${index === 0 ? "" : ","}${requestJson(request, systemJson)}`;
  }
  yield "]}";
}
