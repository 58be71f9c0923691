/**
 * Splitting a byte stream into lines: the results download (batch-api.ts) and reading results
 * files back (read-results.ts).
 */

const NEWLINE = 0x0a;
const CR = 0x0d;
const OPEN_BRACE = 0x7b;
const BOM = "\ufeff";

/**
 * The non-empty lines of a UTF-8 byte stream (a response body, a file), without their line
 * ends, in batches: the lines that each chunk completes. JSON text holds no raw line break
 * (JSON escapes them in strings), so a `\n` always ends a result; a `\r` before it is dropped.
 * The last line needs no line end. A byte order mark at the start is dropped, as TextDecoder
 * drops it.
 *
 * The lines are found in the bytes (a `\n` byte is never part of a multi-byte character) and
 * each is decoded on its own: no chunk becomes a string that every line would be a view of,
 * nor is joined with the line begun in the chunk before. They come a chunk's worth at a time,
 * so that a reader pays one turn of the event loop per chunk, not per line.
 */
export async function* bodyLineBatches(body: AsyncIterable<Uint8Array>): AsyncGenerator<string[]> {
  let begun: Uint8Array[] = []; // the bytes of a line that earlier chunks began
  let first = true;
  const text = (bytes: Buffer, ended = true): string => {
    const end = bytes.length;
    const stop = ended && end > 0 && bytes[end - 1] === CR ? end - 1 : end;
    const line = bytes.toString("utf8", 0, stop);
    if (!first) return line;
    first = false;
    return line.startsWith(BOM) ? line.slice(1) : line;
  };
  const kept = (line: string): boolean => line.charCodeAt(0) === OPEN_BRACE || line.trim() !== "";
  for await (const chunk of body) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const lines: string[] = [];
    let start = 0;
    for (let end = bytes.indexOf(NEWLINE); end >= 0; end = bytes.indexOf(NEWLINE, start)) {
      let line: string;
      if (begun.length > 0) {
        line = text(Buffer.concat([...begun, bytes.subarray(0, end)]));
        begun = [];
      } else {
        line = text(bytes.subarray(start, end));
      }
      start = end + 1;
      if (kept(line)) lines.push(line);
    }
    if (start < bytes.length) begun.push(bytes.subarray(start));
    if (lines.length > 0) yield lines;
  }
  if (begun.length === 0) return;
  const last = text(Buffer.concat(begun), false);
  if (kept(last)) yield [last];
}
