/**
 * The local result cache (`.batcheval/cache/` by default). A content hash of the exact request
 * (model and params), the sample index and where it was answered keys each entry, so a CI rerun
 * pays only for what changed, and a simulated answer is never replayed into a real run
 * (docs/design.md, decision 3). Only succeeded results are cached. No credentials are stored.
 *
 * The store is append-only logs, not a file per result. Each ResultCache that writes opens
 * one log of its own (`<time>-<pid>-<random>.log`), so concurrent runs never write the same
 * file. A log line is `<key> <result JSON>\n`, the key being 64 hex characters. On the first
 * lookup every log is scanned for line boundaries and keys (the JSON is not parsed then) into
 * an index of where each entry is; a lookup reads and parses that one line. A line without its
 * newline (a run killed mid-write) or with a malformed key is skipped; a later line of a key
 * wins. Logs from before this format (`<xx>/<key>.json` files) are ignored.
 */
import { hash } from "node:crypto";
import { createReadStream, createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { type FileHandle, open, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { MessageBatchSucceededResult } from "@anthropic-ai/sdk/resources/messages/batches";
import type { MessageCreateParamsNonStreaming } from "@anthropic-ai/sdk/resources/messages/messages";
import { paramsFingerprint } from "./request-digest.js";

export { canonicalJson } from "./request-digest.js";

export interface CacheKeyInput {
  /** `sim:<fixtures hash>` or the API base URL. */
  origin: string;
  params: MessageCreateParamsNonStreaming;
  /** 0-based sample index: repeats are distinct samples. */
  repeat: number;
}

/** The cache key of a request: a SHA-256 (hex) of where it goes, its sample and its params. */
export function cacheKey({ origin, params, repeat }: CacheKeyInput): string {
  return hash(
    "sha256",
    `v2\u0000${origin}\u0000${repeat}\u0000${paramsFingerprint(params)}`,
    "hex",
  );
}

const KEY_LENGTH = 64;
const HEX = /^[0-9a-f]{64}$/;
const LOG_SUFFIX = ".log";

/** Where an entry's JSON is: which log, at which byte, how many bytes. */
interface Location {
  file: string;
  offset: number;
  length: number;
}

/**
 * Calls `onLine(start, end)` for every complete line (ending in "\n") of a file, with the
 * bytes of the line (without the newline); a torn last line is not reported.
 */
async function scanLines(
  path: string,
  onLine: (chunk: Buffer, start: number, end: number, base: number) => void,
): Promise<void> {
  let carry: Buffer = Buffer.alloc(0);
  let base = 0; // file offset of carry[0]
  for await (const piece of createReadStream(path)) {
    const chunk = carry.length === 0 ? (piece as Buffer) : Buffer.concat([carry, piece as Buffer]);
    let start = 0;
    for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, start)) {
      onLine(chunk, start, newline, base);
      start = newline + 1;
    }
    carry = chunk.subarray(start);
    base += start;
  }
}

/** This cache's own log: its name, its stream, its size so far, the last write's promise. */
interface Writer {
  name: string;
  stream: WriteStream;
  size: number;
  written: Promise<void>;
}

export class ResultCache {
  private index: Promise<Map<string, Location>> | undefined;
  private writer: Writer | undefined;
  /** The first failed write, reported by the next add, flushed or close. */
  private failed: Error | undefined;
  private readonly handles = new Map<string, Promise<FileHandle>>();

  private constructor(private readonly dir: string) {}

  static open(dir: string): ResultCache {
    return new ResultCache(dir);
  }

  /** Every entry of every log, by key: built once, on the first lookup. */
  private entries(): Promise<Map<string, Location>> {
    this.index ??= this.scan();
    return this.index;
  }

  private async scan(): Promise<Map<string, Location>> {
    const found = new Map<string, Location>();
    // Everything this cache has put is in its own log once written.
    await this.writer?.written;
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith(LOG_SUFFIX)).sort();
    } catch {
      return found;
    }
    for (const name of names) {
      await scanLines(join(this.dir, name), (chunk, start, end, base) => {
        if (end - start <= KEY_LENGTH + 1 || chunk[start + KEY_LENGTH] !== 32) return;
        const key = chunk.toString("latin1", start, start + KEY_LENGTH);
        if (!HEX.test(key)) return;
        const offset = base + start + KEY_LENGTH + 1;
        found.set(key, { file: name, offset, length: end - start - KEY_LENGTH - 1 });
      });
    }
    return found;
  }

  /** The cached result, or undefined (a missing or unreadable entry is a miss). */
  async get(key: string): Promise<MessageBatchSucceededResult | undefined> {
    const at = (await this.entries()).get(key);
    if (at === undefined) return undefined;
    try {
      if (at.file === this.writer?.name) await this.writer.written;
      const handle = await this.handle(at.file);
      const buffer = Buffer.alloc(at.length);
      await handle.read(buffer, 0, at.length, at.offset);
      const result = JSON.parse(buffer.toString("utf8")) as MessageBatchSucceededResult;
      return result.type === "succeeded" ? result : undefined;
    } catch {
      return undefined;
    }
  }

  private handle(file: string): Promise<FileHandle> {
    let handle = this.handles.get(file);
    if (handle === undefined) {
      handle = open(join(this.dir, file), "r");
      this.handles.set(file, handle);
    }
    return handle;
  }

  /** Appends an entry to this cache's own log (created on the first put), and waits for it. */
  async put(key: string, result: MessageBatchSucceededResult, now: Date): Promise<void> {
    this.add(key, result, now);
    await this.flushed();
  }

  /** Resolves once every entry added so far is written (rejects if a write failed). */
  async flushed(): Promise<void> {
    if (this.failed !== undefined) throw this.failed;
    await this.writer?.written;
    if (this.failed !== undefined) throw this.failed;
  }

  /**
   * Appends an entry to this cache's own log without waiting: the log's stream buffers it,
   * and `flushed` or `close` report a failed write.
   */
  add(key: string, result: MessageBatchSucceededResult, now: Date): void {
    if (!HEX.test(key)) throw new RangeError(`not a cache key: ${key}`);
    if (this.failed !== undefined) throw this.failed;
    const writer = this.writer ?? this.openWriter(now);
    const json = JSON.stringify(result);
    const line = `${key} ${json}\n`;
    const offset = writer.size + KEY_LENGTH + 1;
    writer.size += Buffer.byteLength(line);
    writer.written = new Promise<void>((resolve) =>
      writer.stream.write(line, (error) => {
        if (error) this.failed ??= error;
        resolve();
      }),
    );
    const location = { file: writer.name, offset, length: Buffer.byteLength(json) };
    void this.index?.then((index) => index.set(key, location));
  }

  private openWriter(now: Date): Writer {
    mkdirSync(this.dir, { recursive: true });
    const stamp = now.toISOString().replace(/[-:.]/g, "");
    const name = `${stamp}-${process.pid}-${Math.random().toString(36).slice(2, 8)}${LOG_SUFFIX}`;
    const stream = createWriteStream(join(this.dir, name), { flags: "a" });
    stream.on("error", (error) => {
      this.failed ??= error;
    });
    this.writer = { name, stream, size: 0, written: Promise.resolve() };
    return this.writer;
  }

  /** Writes out what was put and closes the files. The cache can be opened again after. */
  async close(): Promise<void> {
    const writer = this.writer;
    this.writer = undefined;
    if (writer !== undefined) {
      await new Promise<void>((resolve, reject) =>
        writer.stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
    }
    const handles = [...this.handles.values()];
    this.handles.clear();
    for (const handle of handles) await (await handle.catch(() => undefined))?.close();
    this.index = undefined;
    if (this.failed !== undefined) throw this.failed;
  }
}
