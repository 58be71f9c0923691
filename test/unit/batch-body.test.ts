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
    const text = [...batchBody(requests)].join("");
    const expected = JSON.stringify({
      requests: requests.map((r) => ({ custom_id: r.customId, params: r.params })),
    });
    expect(JSON.parse(text)).toEqual(JSON.parse(expected));
    expect(Buffer.byteLength(text)).toBe(Buffer.byteLength(expected));
  });

  it("yields one piece per request between the envelope", () => {
    expect([...batchBody([request(1), request(2)])]).toHaveLength(4);
  });
});
