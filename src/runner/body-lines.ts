/**
 * Splitting a byte stream into lines: the results download (batch-api.ts) and reading results
 * files back (read-results.ts).
 */

/**
 * The non-empty lines of a UTF-8 byte stream (a response body, a file), without their line
 * ends. JSON text holds no raw line break (JSON escapes them in strings), so a `\n` always ends
 * a result; a `\r` before it is dropped. The last line needs no line end.
 */
export async function* bodyLines(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
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
