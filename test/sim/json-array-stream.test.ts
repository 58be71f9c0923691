import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { describe, expect, test } from "vitest";
import { ApiError, invalidRequest } from "../../src/sim/api-errors.js";
import type { BatchEntry } from "../../src/sim/batch-store.js";
import { readSplitJsonBody } from "../../src/sim/http-io.js";
import { JsonArraySplitter } from "../../src/sim/json-array-stream.js";
import { CreateRequests, MAX_BATCH_REQUESTS } from "../../src/sim/routes.js";

/** The body's bytes cut into pieces of `size` bytes (the last one shorter). */
function chunksOf(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
}

/** The body's bytes cut at the given positions. */
function cutAt(bytes: Buffer, ...cuts: number[]): Buffer[] {
  const ends = [...cuts, bytes.length];
  let start = 0;
  return ends.map((end) => {
    const chunk = bytes.subarray(start, end);
    start = end;
    return chunk;
  });
}

/** What a create body gives: its entries, or the message of the error the API answers. */
type Outcome = { entries: BatchEntry[] } | { error: string };

/**
 * The create body as the simulator read it before streaming: the whole body as one string,
 * JSON.parse, then the whole-list checks of parseCreateBody (copied here as it was, to be the
 * oracle the streamed reader is held to).
 */
function oldOutcome(bytes: Buffer): Outcome {
  const text = bytes.toString("utf8");
  if (text.trim() === "") return { error: "request body: a JSON body is required" };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { error: "request body: invalid JSON" };
  }
  try {
    return { entries: oldParseCreateBody(body) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;

function oldParseCreateBody(body: unknown): BatchEntry[] {
  if (!isRecord(body) || body.requests === undefined)
    throw invalidRequest("requests: Field required");
  const requests = body.requests;
  if (!Array.isArray(requests)) throw invalidRequest("requests: Input should be a valid list");
  if (requests.length === 0) {
    throw invalidRequest("requests: List should have at least 1 item after validation, not 0");
  }
  if (requests.length > MAX_BATCH_REQUESTS) {
    throw invalidRequest(
      `requests: List should have at most ${MAX_BATCH_REQUESTS} items after validation, not ${requests.length}`,
    );
  }
  const seen = new Set<string>();
  return requests.map((request, i) => {
    const customId = isRecord(request) ? request.custom_id : undefined;
    if (typeof customId !== "string" || !CUSTOM_ID.test(customId)) {
      throw invalidRequest(
        `requests.${i}.custom_id: String should match pattern '${CUSTOM_ID.source}'`,
      );
    }
    if (seen.has(customId)) {
      throw invalidRequest(
        `requests.${i}.custom_id: duplicate custom_id '${customId}' in this batch`,
      );
    }
    seen.add(customId);
    return { customId, params: isRecord(request) ? request.params : undefined };
  });
}

/** A request body arriving in exactly these chunks. */
function requestOf(chunks: Buffer[], headers: Record<string, string> = {}): IncomingMessage {
  return Object.assign(Readable.from(chunks), { headers }) as unknown as IncomingMessage;
}

/** The create body read as the simulator reads it now, streamed in these chunks. */
async function newOutcome(chunks: Buffer[], maxBytes = 1 << 30): Promise<Outcome> {
  const requests = new CreateRequests();
  try {
    await readSplitJsonBody(requestOf(chunks), maxBytes, "requests", requests);
    return { entries: requests.entries() };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { error: error.message };
  }
}

/** Checks that the streamed reader agrees with the old one, whole, byte by byte and in between. */
async function expectSame(body: string | Buffer): Promise<Outcome> {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  const expected = oldOutcome(bytes);
  expect(await newOutcome([bytes]), "whole").toEqual(expected);
  expect(await newOutcome(chunksOf(bytes, 1)), "1-byte chunks").toEqual(expected);
  for (const size of [2, 3, 7, 64]) {
    expect(await newOutcome(chunksOf(bytes, size)), `${size}-byte chunks`).toEqual(expected);
  }
  return expected;
}

const request = (customId: string, extra: Record<string, unknown> = {}) => ({
  custom_id: customId,
  params: {
    model: "claude-haiku-4-5",
    max_tokens: 16,
    system: "You are terse.",
    messages: [{ role: "user", content: `hello ${customId}` }],
    ...extra,
  },
});

/** Strings a scanner could trip on: quotes, backslashes, brackets and braces, non-ASCII. */
const TRICKY = [
  'say "hi"',
  "back\\slash",
  "ends with a backslash \\",
  '\\"',
  '\\\\"',
  "\\\\\\",
  "[not, an] {array}",
  '"]}],{[',
  "café é",
  "😀 and 日本語",
  "line\nbreak\ttab\r\u0000\u001f",
  "\u2028\u2029",
  "",
];

describe("the streamed create body gives what the whole-body parse gave", () => {
  test("requests with tricky strings, nested values and whitespace everywhere", async () => {
    const requests = TRICKY.map((text, i) =>
      request(`r${i}`, {
        system: [{ type: "text", text, cache_control: { type: "ephemeral" } }],
        messages: [{ role: "user", content: [{ type: "text", text }] }],
        metadata: { nested: [[text], { [text]: [1, -2.5e3, true, false, null, {}] }] },
      }),
    );
    const body = JSON.stringify({ requests });
    const outcome = await expectSame(body);
    expect("entries" in outcome && outcome.entries).toHaveLength(TRICKY.length);
    await expectSame(JSON.stringify({ requests }, null, 2));
    await expectSame(JSON.stringify({ requests }, null, "\t").replaceAll("\n", "\r\n"));
    await expectSame(` \n\t\r${body.replaceAll(",", " \n, \t").replaceAll(":", "\r:\n ")} \n`);
  });

  test("other top-level keys are ignored but must be JSON, before or after the list", async () => {
    const requests = [request("a"), request("b")];
    await expectSame(JSON.stringify({ before: { x: [1, "]"] }, requests, after: [[], "}"] }));
    await expectSame(JSON.stringify({ meta: [1, 2, 3], requests, n: null, s: "x", t: true }));
    await expectSame('{"requests": [{"custom_id": "a"}], "x": [1,]}');
    await expectSame('{"x": {"a" 1}, "requests": [{"custom_id": "a"}]}');
    await expectSame('{"x": 01, "requests": [{"custom_id": "a"}]}');
  });

  test("a repeated `requests`: the last one counts, as with JSON.parse", async () => {
    const good = JSON.stringify([request("a")]);
    const bad = JSON.stringify([{ custom_id: "has space" }]);
    const last = await expectSame(`{"requests": ${bad}, "requests": ${good}}`);
    expect(last).toMatchObject({ entries: [{ customId: "a" }] });
    await expectSame(`{"requests": ${good}, "requests": ${bad}}`);
    await expectSame(`{"requests": ${good}, "requests": 5}`);
    await expectSame(`{"requests": {}, "requests": ${good}}`);
    await expectSame(`{"requests": ${good}, "requests": []}`);
    // A key that decodes to "requests" is that key.
    await expectSame(`{"requests": ${bad}, "requ\\u0065sts": ${good}}`);
  });

  test("the create checks, in the order the API makes them", async () => {
    const bodies = [
      "{}",
      '{"other": 1}',
      "[]",
      JSON.stringify([request("a")]),
      '"requests"',
      "123",
      "true",
      "null",
      '{"requests": null}',
      '{"requests": {"0": {}}}',
      '{"requests": "a"}',
      '{"requests": []}',
      '{"requests": [ ]}',
      '{"requests": [1]}',
      '{"requests": [{"custom_id": "has space"}]}',
      `{"requests": [{"custom_id": "${"x".repeat(65)}"}]}`,
      '{"requests": [{"custom_id": 5}]}',
      '{"requests": [{"custom_id": "a"}, {"custom_id": "a"}]}',
      '{"requests": [{"custom_id": "a"}, {"custom_id": "b!"}, {"custom_id": "a"}]}',
      '{"requests": [{"custom_id": "a", "params": 3}]}',
      '{"requests": [{"custom_id": "a", "params": {"system": ["x", {"text": 1}]}}]}',
    ];
    for (const body of bodies) await expectSame(body);
    const outcome = await expectSame('{"requests": [{"custom_id": "a"}, {"custom_id": "a"}]}');
    expect(outcome).toEqual({
      error: "requests.1.custom_id: duplicate custom_id 'a' in this batch",
    });
  });

  test("more than 100,000 requests: the count wins over a bad request", async () => {
    const many = (first: string) =>
      `{"requests": [{"custom_id": "${first}"}${',{"custom_id": "c"}'.repeat(MAX_BATCH_REQUESTS)}]}`;
    for (const body of [many("ok"), many("bad id")]) {
      const bytes = Buffer.from(body);
      const expected = oldOutcome(bytes);
      expect(expected).toEqual({
        error: `requests: List should have at most 100000 items after validation, not 100001`,
      });
      expect(await newOutcome([bytes])).toEqual(expected);
      expect(await newOutcome(chunksOf(bytes, 1000))).toEqual(expected);
    }
    // At the limit, the checks of each request apply: "c" repeats.
    const atLimit = `{"requests": [${'{"custom_id": "c"},'.repeat(MAX_BATCH_REQUESTS - 1)}{"custom_id": "d"}]}`;
    expect(await newOutcome([Buffer.from(atLimit)])).toEqual(oldOutcome(Buffer.from(atLimit)));
  });

  test("no body: empty or whitespace, JSON's or String.prototype.trim's", async () => {
    for (const body of ["", " ", "\n\t\r ", "\u00a0", "\ufeff", " \u2028\u3000 ", "\u000b\u000c"]) {
      expect(await expectSame(body)).toEqual({ error: "request body: a JSON body is required" });
    }
  });

  test("invalid JSON anywhere: the body's error, whatever the requests before it", async () => {
    const ok = '{"custom_id": "a"}';
    const bad = '{"custom_id": "has space"}';
    const bodies = [
      "{",
      "[",
      '{"requests"',
      '{"requests":',
      '{"requests": [',
      `{"requests": [${ok}`,
      `{"requests": [${ok},`,
      `{"requests": [${ok}]`,
      `{"requests": [${ok}] `,
      `{"requests": [${ok},]}`,
      `{"requests": [,${ok}]}`,
      `{"requests": [${ok},,${ok}]}`,
      `{"requests": [${ok} ${ok}]}`,
      `{"requests": [${ok}]]}`,
      `{"requests": [${ok}}`,
      `{"requests": [${ok}],}`,
      `{"requests": [${ok}]}}`,
      `{"requests": [${ok}]} x`,
      `{"requests": [${ok}]}{}`,
      `{"requests": [${ok}]}\u00a0`,
      `\ufeff{"requests": [${ok}]}`,
      `\u000b{"requests": [${ok}]}`,
      `\u00a0 x`,
      `{"requests" [${ok}]}`,
      `{requests: [${ok}]}`,
      `{"requests": [${ok}] "x": 1}`,
      `{"requests": [{"custom_id": "a"]}]}`,
      `{"requests": [{"custom_id": "a"}, {"custom_id": "b}]}`,
      `{"requests": [{"custom_id": "a\\x"}]}`,
      `{"requests": [{"custom_id": "a\nb"}]}`,
      `{"requests": [{"custom_id": "a\\u12"}]}`,
      `{"requests": [${bad}, {"custom_id": ]}`,
      `{"requests": [${bad}, ${bad}, nul]}`,
      `{"requests": [${bad}], "x": }`,
      `{"requests": [${bad}]} ]`,
      `{"requ\nests": [${ok}]}`,
      `{"x": 1,}`,
      `{"x": 1]`,
      `{"x": {"a": 1}]`,
      `{"requests": 5]`,
      `{"requests": [${ok}], "x": [1]]`,
      `[${ok}}`,
      "{,}",
      '{"x"}',
      "[1,]",
      "[1 2]",
      "1 2",
      "1,2",
      '"a" "b"',
      "tru",
      "}",
      "]",
      "x",
      '"unterminated',
      '{"requests": "unterminated',
      '{"requests": [{"custom_id": "a\\"}]}',
    ];
    for (const body of bodies) {
      expect(await expectSame(body), body).toEqual({ error: "request body: invalid JSON" });
    }
  });

  test("a multi-byte character split at every byte position decodes whole", async () => {
    const body = JSON.stringify({
      requests: [request("u", { system: "é😀日", messages: [{ role: "user", content: "😀é" }] })],
    });
    const bytes = Buffer.from(body);
    const expected = oldOutcome(bytes);
    expect(expected).toMatchObject({ entries: [{ params: { system: "é😀日" } }] });
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await newOutcome(cutAt(bytes, cut)), `cut at ${cut}`).toEqual(expected);
    }
  });

  test("backslash runs and quotes cut at every position, two cuts at a time", async () => {
    const bytes = Buffer.from(
      JSON.stringify({ requests: [request("b", { system: 'a\\"\\\\"b\\', x: ['"\\'] })] }),
    );
    const expected = oldOutcome(bytes);
    for (let first = 1; first < bytes.length; first++) {
      for (let second = first; second < Math.min(bytes.length, first + 8); second++) {
        expect(await newOutcome(cutAt(bytes, first, second))).toEqual(expected);
      }
    }
  });

  test("bytes that are not UTF-8 read as they did (U+FFFD in strings, invalid outside)", async () => {
    const head = Buffer.from('{"requests": [{"custom_id": "a", "params": {"system": "x');
    const tail = Buffer.from('"}}]}');
    for (const junk of [[0xff], [0xe2, 0x82], [0xc3], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80]]) {
      await expectSame(Buffer.concat([head, Buffer.from(junk), tail]));
      await expectSame(Buffer.concat([Buffer.from(junk), head, tail]));
      await expectSame(Buffer.concat([head, tail, Buffer.from(junk)]));
    }
  });

  test("random chunkings of a larger body", async () => {
    const requests = Array.from({ length: 300 }, (_, i) =>
      request(`r${i}`, { system: TRICKY[i % TRICKY.length] }),
    );
    const bytes = Buffer.from(JSON.stringify({ requests }));
    const expected = oldOutcome(bytes);
    let seed = 7;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed;
    };
    for (let round = 0; round < 20; round++) {
      const cuts: number[] = [];
      for (let at = next() % 50; at < bytes.length; at += 1 + (next() % 300)) cuts.push(at);
      expect(await newOutcome(cutAt(bytes, ...cuts))).toEqual(expected);
    }
  });
});

describe("the splitter", () => {
  /** The sink's calls, in order. */
  function events(body: string, chunkSize: number): { outcome: string; calls: unknown[] } {
    const calls: unknown[] = [];
    const splitter = new JsonArraySplitter("requests", {
      begin: (isArray) => calls.push(isArray ? "array" : "not an array"),
      element: (value) => calls.push(value),
    });
    for (const chunk of chunksOf(Buffer.from(body), chunkSize)) splitter.write(chunk);
    return { outcome: splitter.end(), calls };
  }

  test("hands over each element of the key's array, parsed, and nothing of other keys", () => {
    const body = '{"a": [1, 2], "requests": [1, "x", [2, [3]], {"b": "]"}, null], "c": [4]}';
    for (const size of [1, 5, body.length]) {
      expect(events(body, size)).toEqual({
        outcome: "valid",
        calls: ["array", 1, "x", [2, [3]], { b: "]" }, null],
      });
    }
  });

  test("a repeated key begins again; a top-level array is not the key's", () => {
    expect(events('{"requests": [1], "requests": 2, "requests": [3]}', 1)).toEqual({
      outcome: "valid",
      calls: ["array", 1, "not an array", "array", 3],
    });
    expect(events('[{"requests": [1]}]', 1)).toEqual({ outcome: "valid", calls: [] });
    expect(events('{"x": {"requests": [1]}}', 1)).toEqual({ outcome: "valid", calls: [] });
  });

  test("keeps only the bytes of the element in progress", () => {
    const element = JSON.stringify(request("e", { system: "s".repeat(1_000) }));
    const count = 2_000;
    const bytes = Buffer.from(`{"requests": [${Array(count).fill(element).join(",")}]}`);
    let elements = 0;
    const splitter = new JsonArraySplitter("requests", {
      begin: () => {},
      element: () => elements++,
    });
    let most = 0;
    for (const chunk of chunksOf(bytes, 4_096)) {
      splitter.write(chunk);
      const kept = (splitter as unknown as { pieces: Buffer[] }).pieces;
      most = Math.max(
        most,
        kept.reduce((sum, piece) => sum + piece.length, 0),
      );
    }
    expect(splitter.end()).toBe("valid");
    expect(elements).toBe(count);
    expect(most).toBeLessThan(element.length + 2);
  });
});

describe("readSplitJsonBody", () => {
  const body = Buffer.from(JSON.stringify({ requests: [request("a")] }));

  test("413 above the limit, declared or counted, after reading the whole body", async () => {
    const tooLarge = `Request exceeds the maximum allowed number of bytes (${body.length - 1}).`;
    const counted = requestOf(chunksOf(body, 10));
    const error = await readSplitJsonBody(
      counted,
      body.length - 1,
      "requests",
      new CreateRequests(),
    )
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 413, type: "request_too_large", message: tooLarge });
    expect(counted.readableEnded).toBe(true);
    const declared = requestOf([body], { "content-length": String(body.length) });
    await expect(
      readSplitJsonBody(declared, body.length - 1, "requests", new CreateRequests()),
    ).rejects.toMatchObject({ status: 413, message: tooLarge });
    // At the limit exactly, it is read.
    expect(await newOutcome(chunksOf(body, 10), body.length)).toEqual(oldOutcome(body));
  });

  test("413 wins over invalid JSON and over the checks", async () => {
    const bad = Buffer.from('{"requests": [1,]}');
    await expect(
      readSplitJsonBody(requestOf([bad]), 5, "requests", new CreateRequests()),
    ).rejects.toMatchObject({ status: 413 });
  });

  test("an error is answered only once the body has been read to its end", async () => {
    const bad = requestOf(chunksOf(Buffer.from(`{"requests": [,${" ".repeat(10_000)}]}`), 100));
    await expect(
      readSplitJsonBody(bad, 1 << 20, "requests", new CreateRequests()),
    ).rejects.toMatchObject({ message: "request body: invalid JSON" });
    expect(bad.readableEnded).toBe(true);
  });
});
