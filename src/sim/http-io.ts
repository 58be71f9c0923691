/**
 * The HTTP plumbing of the simulator: reading a size-capped JSON body, and writing JSON,
 * JSONL and error responses with the headers every API response carries.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError, invalidRequest } from "./api-errors.js";

/** Reads the request body as JSON; 413 `request_too_large` above `maxBytes`. */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
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
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) over = true;
    if (!over) chunks.push(buffer);
  }
  if (over) throw tooLarge();
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") throw invalidRequest("request body: a JSON body is required");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidRequest("request body: invalid JSON");
  }
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
 * Writes JSONL: one object per line, no blank lines. With `breakAfter`, the socket is
 * destroyed after that many lines (and half a line), to simulate a stream cut mid-way.
 */
export function sendJsonl(
  res: ServerResponse,
  rows: readonly unknown[],
  requestId: string,
  breakAfter?: number,
): void {
  res.writeHead(200, { ...baseHeaders(requestId), "content-type": "application/x-jsonl" });
  const lines = rows.map((row) => `${JSON.stringify(row)}\n`);
  if (breakAfter === undefined) {
    res.end(lines.join(""));
    return;
  }
  const kept = lines.slice(0, breakAfter).join("");
  const partial = (lines[breakAfter] ?? "").slice(0, 10);
  res.write(kept + partial, () => res.destroy());
}
