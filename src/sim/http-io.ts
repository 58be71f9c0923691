/**
 * The HTTP plumbing of the simulator: reading a size-capped JSON body (whole, or a batch
 * create's streamed element by element), and writing JSON,
 * JSONL and error responses with the headers every API response carries.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError, invalidRequest } from "./api-errors.js";
import { type ElementSink, JsonArraySplitter } from "./json-array-stream.js";

/** Reads the request body as JSON; 413 `request_too_large` above `maxBytes`. */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  await readCapped(req, maxBytes, {
    take: (chunk) => chunks.push(chunk),
    drop: () => {
      chunks.length = 0;
    },
  });
  // A batch body can be hundreds of megabytes: let each copy go as soon as the next exists.
  let bytes: Buffer | undefined = Buffer.concat(chunks);
  chunks.length = 0;
  const text = bytes.toString("utf8");
  bytes = undefined;
  if (text.trim() === "") throw noBody();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badJson();
  }
}

/**
 * Reads a JSON body whose top-level `key` array goes to `sink` element by element as the
 * bytes arrive (see JsonArraySplitter), with the answers of readJsonBody: 413 above
 * `maxBytes`, no body, or invalid JSON anywhere in it, each once the whole body has been read.
 * Anything else about the body (no `key`, not an object) is for the sink's owner to judge.
 */
export async function readSplitJsonBody(
  req: IncomingMessage,
  maxBytes: number,
  key: string,
  sink: ElementSink,
): Promise<void> {
  let splitter: JsonArraySplitter | undefined = new JsonArraySplitter(key, sink);
  await readCapped(req, maxBytes, {
    take: (chunk) => splitter?.write(chunk),
    drop: () => {
      splitter = undefined; // the body is refused: let what was read so far go
    },
  });
  const outcome = splitter.end();
  if (outcome === "blank") throw noBody();
  if (outcome === "invalid") throw badJson();
}

const noBody = (): ApiError => invalidRequest("request body: a JSON body is required");
const badJson = (): ApiError => invalidRequest("request body: invalid JSON");

/**
 * Reads the body to its end, giving `take` each chunk while the bytes so far are within
 * `maxBytes`, and calling `drop` once they are not; then 413 `request_too_large`. A declared
 * `content-length` above the limit is refused before reading (the body drains on its own).
 */
async function readCapped(
  req: IncomingMessage,
  maxBytes: number,
  reader: { take(chunk: Buffer): void; drop(): void },
): Promise<void> {
  const tooLarge = (): ApiError =>
    new ApiError(
      413,
      "request_too_large",
      `Request exceeds the maximum allowed number of bytes (${maxBytes}).`,
    );
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > maxBytes) {
    req.resume(); // drain, so the client can read our answer
    throw tooLarge();
  }
  let size = 0;
  let over = false;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (!over && size > maxBytes) {
      over = true;
      reader.drop();
    }
    if (!over) reader.take(buffer);
  }
  if (over) throw tooLarge();
}

/** Headers of every response. */
export function baseHeaders(requestId: string): Record<string, string> {
  return { "request-id": requestId, "anthropic-organization-id": "sim-organization" };
}

/** Writes a JSON response. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...baseHeaders(requestId),
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** Writes an API error in the documented envelope. */
export function sendError(res: ServerResponse, error: ApiError, requestId: string): void {
  const text = JSON.stringify(error.envelope(requestId));
  res.writeHead(error.status, {
    ...baseHeaders(requestId),
    ...error.headers,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * JSONL lines by position, each without its newline: strings, or the bytes of each line (the
 * results endpoint serves them from a batch's results file).
 */
export interface JsonlLines {
  readonly length: number;
  at(index: number): string | Uint8Array | undefined;
}

const NEWLINE = Buffer.from("\n");

/**
 * Streams JSONL lines (already serialized), no blank lines, 500 at a time, respecting
 * backpressure. With `breakAfter`, the socket is destroyed after that many lines (and part of
 * the next), to simulate a stream cut mid-way.
 */
export async function sendJsonl(
  res: ServerResponse,
  lines: JsonlLines,
  requestId: string,
  breakAfter?: number,
): Promise<void> {
  res.writeHead(200, { ...baseHeaders(requestId), "content-type": "application/x-jsonl" });
  const end = breakAfter ?? lines.length;
  const CHUNK = 500;
  for (let start = 0; start < end && !res.destroyed; start += CHUNK) {
    if (!res.write(chunkOf(lines, start, Math.min(start + CHUNK, end)))) await drained(res);
  }
  if (breakAfter === undefined) {
    res.end();
    return;
  }
  const next = lines.at(breakAfter) ?? JSON.stringify({ cut: true });
  const partial = typeof next === "string" ? next.slice(0, 10) : next.subarray(0, 10);
  res.write(partial, () => res.destroy());
}

/** Lines `start` to `end` (exclusive), each followed by a newline, as one string or buffer. */
function chunkOf(lines: JsonlLines, start: number, end: number): string | Buffer {
  let text = "";
  const pieces: Uint8Array[] = [];
  for (let i = start; i < end; i++) {
    const line = lines.at(i) ?? "";
    if (typeof line === "string") {
      text += `${line}\n`;
      continue;
    }
    if (text !== "") pieces.push(Buffer.from(text));
    text = "";
    pieces.push(line, NEWLINE);
  }
  if (pieces.length === 0) return text;
  if (text !== "") pieces.push(Buffer.from(text));
  return Buffer.concat(pieces);
}

/** Resolves when the response can take more data, or when it has closed. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.once("drain", done);
    res.once("close", done);
  });
}
