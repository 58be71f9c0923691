/** The results download's line splitting: any chunking of a body gives the same lines. */
import { describe, expect, it } from "vitest";
import { bodyLines } from "../../src/runner/body-lines.js";

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function linesOf(chunks: Uint8Array[]): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of bodyLines(streamOf(chunks))) lines.push(line);
  return lines;
}

describe("bodyLines", () => {
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
});
