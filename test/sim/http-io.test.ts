import type { ServerResponse } from "node:http";
import { Writable } from "node:stream";
import { expect, test } from "vitest";
import { sendJsonl } from "../../src/sim/http-io.js";

/**
 * A response whose reader is slow: it takes a write only when the test lets it, and records
 * the most bytes that ever waited in its buffer.
 */
class SlowResponse extends Writable {
  readonly received: string[] = [];
  most = 0;
  private pending: (() => void)[] = [];
  constructor() {
    super({ highWaterMark: 16 * 1024, decodeStrings: false });
  }
  writeHead(): this {
    return this;
  }
  override _write(chunk: string, _encoding: BufferEncoding, done: () => void): void {
    this.received.push(chunk);
    this.most = Math.max(this.most, this.writableLength);
    this.pending.push(done);
  }
  /** Lets the reader take everything it has been given. */
  release(): void {
    const pending = this.pending;
    this.pending = [];
    for (const done of pending) done();
  }
}

test("a large results download is written as the reader takes it, not buffered whole", async () => {
  const rows = Array.from({ length: 20_000 }, (_, i) => ({
    custom_id: `c${i}`,
    text: "x".repeat(500),
  }));
  const lines = rows.map((row) => JSON.stringify(row));
  const total = lines.reduce((sum, line) => sum + line.length + 1, 0);
  const res = new SlowResponse();
  const sending = sendJsonl(res as unknown as ServerResponse, lines, "req_test");
  let finished = false;
  void sending.then(() => {
    finished = true;
  });
  await new Promise((resolve) => setTimeout(resolve, 20));
  // The reader has taken nothing: the writer waits, having serialized one chunk of rows.
  expect(finished).toBe(false);
  const written = res.received.join("").length;
  expect(written).toBeLessThan(total / 20);
  while (!finished) {
    res.release();
    await new Promise((resolve) => setImmediate(resolve));
  }
  res.release();
  const received = res.received.join("").split("\n");
  expect(received.pop()).toBe("");
  expect(received).toHaveLength(rows.length);
  expect(JSON.parse(received[19_999] ?? "")).toEqual(rows[19_999]);
  // At most one chunk of rows (500) waited at any time, never the whole download.
  expect(res.most).toBeLessThan(total / 20);
});
