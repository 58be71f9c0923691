/** The results download's line splitting: any chunking of a body gives the same lines. */
import { describe, expect, it } from "vitest";
import { bodyLineBatches } from "../../src/runner/body-lines.js";
import { random } from "../sim/random-text.js";

/** The splitter as first written, on decoded text: the oracle for the byte-level one. */
async function* decodedLines(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of body) {
    const text = rest + decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let end = text.indexOf("\n"); end >= 0; end = text.indexOf("\n", start)) {
      const line = text.slice(start, text.charCodeAt(end - 1) === 13 ? end - 1 : end);
      start = end + 1;
      if (line.trim() !== "") yield line;
    }
    rest = text.slice(start);
  }
  const last = rest + decoder.decode();
  if (last.trim() !== "") yield last;
}

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

/** The batches' lines, one after the other. */
async function* bodyLines(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  for await (const lines of bodyLineBatches(body)) yield* lines;
}

async function linesOf(chunks: Uint8Array[], split = bodyLines): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of split(streamOf(chunks))) lines.push(line);
  return lines;
}

describe("bodyLineBatches", () => {
  const lines = [
    JSON.stringify({ custom_id: "a", text: "caf\u00e9 \ud83d\ude00 \\n not a break" }),
    JSON.stringify({ custom_id: "b", text: "日本語" }),
    JSON.stringify({ custom_id: "c" }),
  ];

  it("splits at every chunk boundary the same, multi-byte characters included", async () => {
    const bytes = new TextEncoder().encode(`${lines.join("\n")}\n`);
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(await linesOf([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(lines);
    }
    expect(await linesOf([...bytes].map((b) => Uint8Array.of(b)))).toEqual(lines);
  });

  it("drops CRs before line ends and blank lines, and keeps a last line without a line end", async () => {
    const bytes = new TextEncoder().encode(`${lines[0]}\r\n\r\n${lines[1]}\n\n${lines[2]}`);
    expect(await linesOf([bytes])).toEqual(lines);
    expect(await linesOf([])).toEqual([]);
  });

  it("gives the lines the text-level splitter gives, at random chunkings", async () => {
    const rand = random(7);
    const pieces = [
      '{"a":1}',
      '  {"b":2}',
      "\r",
      "\n",
      "\r\n",
      " ",
      "\u00a0",
      "\ufeff",
      "é",
      "😀",
      "日本",
      "x",
    ];
    for (let round = 0; round < 300; round++) {
      const parts = Array.from({ length: 1 + Math.floor(rand() * 12) }, () => {
        return pieces[Math.floor(rand() * pieces.length)] ?? "";
      });
      const bytes = new TextEncoder().encode(parts.join(""));
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < bytes.length; ) {
        const size = 1 + Math.floor(rand() * 6);
        chunks.push(bytes.subarray(at, at + size));
        at += size;
      }
      expect(await linesOf(chunks)).toEqual(await linesOf(chunks, decodedLines));
    }
  });

  it("drops a byte order mark at the start only, even split across chunks", async () => {
    const bytes = new TextEncoder().encode(`\ufeff${lines[0]}\n\ufeff${lines[1]}`);
    expect(await linesOf([bytes.subarray(0, 1), bytes.subarray(1)])).toEqual([
      lines[0],
      `\ufeff${lines[1]}`,
    ]);
  });

  it("hands over the lines each chunk completes together, a line cut across chunks with the later", async () => {
    const encode = (text: string) => new TextEncoder().encode(text);
    const batches: string[][] = [];
    const chunks = [encode("{a}\n{b}\n{c"), encode("d}\n"), encode("{e}\n{f}")];
    for await (const lines of bodyLineBatches(streamOf(chunks))) batches.push(lines);
    expect(batches).toEqual([["{a}", "{b}"], ["{cd}"], ["{e}"], ["{f}"]]);
  });
});
