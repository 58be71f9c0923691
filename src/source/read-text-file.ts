/**
 * Reads the files a project names (the config, suites, case files, system, prompt and var files,
 * simulator fixtures) as UTF-8 text. A file that is binary (has a NUL byte) or is not valid
 * UTF-8 is refused with one reason, instead of its bytes being parsed as YAML or CSV or sent to
 * the model.
 */
import { constants } from "node:buffer";
import { readFile } from "node:fs/promises";

/** The text of a file, or why it has none. */
export type TextFileResult =
  | { ok: true; text: string }
  | { ok: false; kind: "missing" | "unreadable" | "binary"; reason: string };

/** Message fragment every "binary file" diagnostic shares, so users can search for it. */
export const NOT_TEXT = "not a UTF-8 text file";

/** Hint for a file refused as binary. */
export const NOT_TEXT_HINT =
  "suite, case, prompt and var files must be UTF-8 text: re-save it as UTF-8 (e.g. `iconv -t UTF-8`), or point at the right file";

/** Reads `path` as UTF-8 text (a leading byte-order mark is dropped); never throws. */
export async function readTextFile(path: string): Promise<TextFileResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const kind = code === "ENOENT" || code === "ENOTDIR" ? "missing" : "unreadable";
    return { ok: false, kind, reason: error instanceof Error ? error.message : String(error) };
  }
  return decodeText(bytes);
}

/** Decodes bytes as strict UTF-8; NUL bytes and invalid sequences make it binary. */
export function decodeText(bytes: Uint8Array): TextFileResult {
  const nul = bytes.indexOf(0);
  if (nul !== -1) return binary(`it has a NUL byte (${where(bytes, nul)})`);
  if (bytes.length > constants.MAX_STRING_LENGTH) {
    const reason = `it is larger than the ${constants.MAX_STRING_LENGTH} characters a string can hold`;
    return { ok: false, kind: "unreadable", reason };
  }
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return binary(`it is not valid UTF-8 at ${where(bytes, firstInvalidByte(bytes))}`);
  }
}

/** `byte 12, line 2` for a 0-based byte index. */
function where(bytes: Uint8Array, index: number): string {
  let line = 1;
  for (let i = bytes.indexOf(10); i !== -1 && i < index; i = bytes.indexOf(10, i + 1)) line++;
  return `byte ${index + 1}, line ${line}`;
}

function binary(reason: string): TextFileResult {
  return { ok: false, kind: "binary", reason };
}

/** Allowed range of the second byte after a lead byte, where it is narrower than 80..BF. */
const SECOND_BYTE: Readonly<Record<number, readonly [number, number]>> = {
  224: [0xa0, 0xbf], // no overlong 3-byte forms
  237: [0x80, 0x9f], // no UTF-16 surrogates
  240: [0x90, 0xbf], // no overlong 4-byte forms
  244: [0x80, 0x8f], // nothing above U+10FFFF
};

/** Index of the first byte of the first invalid UTF-8 sequence (0 if none is found). */
function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    const length =
      lead < 0x80 ? 1 : lead < 0xc2 ? 0 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : lead < 0xf5 ? 4 : 0;
    if (length === 0) return i;
    const [low, high] = SECOND_BYTE[lead] ?? [0x80, 0xbf];
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (next === undefined || next < min || next > max) return i;
    }
    i += length;
  }
  return 0;
}

/**
 * Reads each path once per load: many cases can name the same var file. Keyed by absolute
 * path; the promise is shared, so concurrent reads of one file read it once.
 */
export class TextFileCache {
  private readonly files = new Map<string, Promise<TextFileResult>>();

  /** The file's text (or why not), read on first use. */
  read(path: string): Promise<TextFileResult> {
    let result = this.files.get(path);
    if (result === undefined) {
      result = readTextFile(path);
      this.files.set(path, result);
    }
    return result;
  }
}
