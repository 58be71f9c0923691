/** The create body in pieces is exactly the JSON the SDK's `batches.create` would send. */
import { describe, expect, it } from "vitest";
import type { CompiledRequest } from "../../src/compile/types.js";
import { batchBody } from "../../src/runner/batch-body.js";

const shared = [
  {
    type: "text" as const,
    text: 'A "shared" prefix\n with ünïcode 😀',
    cache_control: { type: "ephemeral" as const, ttl: "1h" as const },
  },
];

function request(i: number, system?: unknown): CompiledRequest {
  return {
    customId: `t_c${i}_r0`,
    suite: "s",
    caseId: `c${i}`,
    repeat: 0,
    model: "claude-haiku-4-5",
    params: {
      model: "claude-haiku-4-5",
      max_tokens: 16,
      messages: [{ role: "user", content: `question ${i} \u2028` }],
      ...(system === undefined ? {} : { system }),
    } as CompiledRequest["params"],
  };
}

/** The pieces as one text: strings encoded, bytes as they are. */
function joined(pieces: Iterable<string | Uint8Array>): string {
  const buffers = [...pieces].map((p) => (typeof p === "string" ? Buffer.from(p) : p));
  return Buffer.concat(buffers).toString("utf8");
}

describe("batchBody", () => {
  it.each([
    ["no requests", []],
    ["one without system", [request(1)]],
    ["shared blocks", [request(1, shared), request(2, shared), request(3, shared)]],
    [
      "own blocks, a string system, and none",
      [request(1, [{ type: "text", text: "own" }]), request(2, "plain"), request(3)],
    ],
  ])("%s: joined, it is JSON.stringify of the requests", (_name, requests) => {
    const text = joined(batchBody(requests));
    const expected = JSON.stringify({
      requests: requests.map((r) => ({ custom_id: r.customId, params: r.params })),
    });
    expect(JSON.parse(text)).toEqual(JSON.parse(expected));
    expect(Buffer.byteLength(text)).toBe(Buffer.byteLength(expected));
  });

  it("yields a piece per request between the envelope, and a shared system's bytes once made", () => {
    expect([...batchBody([request(1), request(2)])]).toHaveLength(4);
    const pieces = [...batchBody([request(1, shared), request(2, shared), request(3, "own")])];
    const bytes = pieces.filter((p) => typeof p !== "string");
    expect(bytes).toHaveLength(3);
    expect(bytes[0]).toBe(bytes[1]); // the same buffer: the shared prefix was encoded once
    expect(bytes[2]).not.toBe(bytes[0]);
  });
});
