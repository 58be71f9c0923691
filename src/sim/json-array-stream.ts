/**
 * A streaming reader of a JSON body whose top-level object holds one large array (a batch
 * create's `requests`): it splits the array into its elements as the bytes arrive and
 * JSON.parses each element on its own, so neither the whole body as one string nor its whole
 * parsed tree ever exists. Only the bytes of the value in progress are kept.
 *
 * The scanner does not parse values itself. Between the values it checks the structure byte
 * by byte (`{`, keys, `:`, `,`, `[`, `]`, `}`, whitespace); a value (an element, another key's
 * value, or a top-level value that is not an object) is found by tracking bracket depth and
 * whether it is inside a string, then given to JSON.parse, which judges its syntax. A body is
 * valid JSON exactly when the structure is and every value parses, as JSON's grammar composes:
 * if a value's bytes parse, the scanner read its strings and brackets right, so the byte that
 * ended it really ends it. Arrays directly under the top level (of any key, or the top-level
 * value itself) are split too, so a body with its list in the wrong place costs no more memory
 * than the right one; only the elements of `key` reach the sink.
 */
import { StringDecoder } from "node:string_decoder";

/** Where the elements of the split array go. */
export interface ElementSink {
  /**
   * The top-level object has the key: `isArray` says whether its value is an array (whose
   * elements then follow through `element`). Called again when the key repeats, and, as with
   * JSON.parse, the last one counts.
   */
  begin(isArray: boolean): void;
  /** The next element, parsed. */
  element(value: unknown): void;
}

/**
 * How a body ended: `blank` when it held no JSON value (nothing but whitespace, as
 * `String.prototype.trim` counts it), `invalid` when it is not valid JSON, `valid` else.
 */
export type SplitOutcome = "blank" | "invalid" | "valid";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** JSON's whitespace (tab, newline, carriage return, space), which JSON.parse skips. */
const isJsonSpace = (b: number | undefined): boolean =>
  b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** A byte a JSON scalar can start with: `"`, `-`, a digit, or `t`/`f`/`n` (true, false, null). */
const startsScalar = (b: number | undefined): boolean =>
  b !== undefined &&
  (b === QUOTE || b === 0x2d || (b >= 0x30 && b <= 0x39) || b === 0x74 || b === 0x66 || b === 0x6e);

/** What parseCaptured gives for bytes that are not one JSON value. */
const INVALID: unique symbol = Symbol("invalid JSON");

/** Whitespace as `String.prototype.trim` counts it (the same set as `\s`). */
const BLANK = /^\s*$/;

/** Whether an odd number of backslashes comes right before `end` (not looking before `from`). */
function escapedAt(buf: Buffer, end: number, from: number): boolean {
  let i = end;
  while (i > from && buf[i - 1] === BACKSLASH) i--;
  return (end - i) % 2 === 1;
}

type State =
  /** Before the top-level value. */
  | "start"
  /**
   * The first byte cannot start a JSON value: the body is invalid JSON, unless all of it is
   * whitespace to `trim` (a no-break space, a BOM…), which the reader reports as no body.
   */
  | "blank"
  /** After the top-level `{`: a key or `}`. */
  | "first-key"
  /** After a `,` of the top-level object: a key. */
  | "next-key"
  | "key"
  | "colon"
  /** After a key's `:`: its value. */
  | "value"
  /** In a key's value that is not an array. */
  | "member"
  /** After a split array that was a key's value: `,` or `}`. */
  | "member-end"
  /** After the `[` of a split array: an element or `]`. */
  | "first-element"
  | "element"
  /** In a top-level value that is neither an object nor an array; it runs to the end. */
  | "top-value"
  /** After the top-level value: whitespace only. */
  | "end"
  | "invalid";

/** Splits the top-level `key` array of a JSON body into parsed elements, chunk by chunk. */
export class JsonArraySplitter {
  private state: State = "start";
  /** The key whose value is being read, once its name has been parsed. */
  private key = "";
  /** Whether the split array in progress is the top-level value (else a key's value). */
  private arrayAtTop = false;
  /** Whether the elements of the split array in progress go to the sink. */
  private delivering = false;
  /** The value (or key) in progress: its bytes in earlier chunks, where it starts in this one. */
  private pieces: Buffer[] = [];
  private from = -1;
  private depth = 0;
  private inString = false;
  /** In a string, the last byte of the previous chunk was an escaping backslash. */
  private escaped = false;
  private decoder: StringDecoder | undefined;

  constructor(
    private readonly target: string,
    private readonly sink: ElementSink,
  ) {}

  /** Takes the next chunk of the body. */
  write(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length && this.state !== "invalid") pos = this.step(chunk, pos);
    if (this.from >= 0 && this.state !== "invalid") {
      this.pieces.push(chunk.subarray(this.from)); // the value goes on into the next chunk
      this.from = 0;
    }
  }

  /** The body has ended: what it was. */
  end(): SplitOutcome {
    switch (this.state) {
      case "start":
        return "blank";
      case "blank":
        return this.decoder !== undefined && BLANK.test(this.decoder.end()) ? "blank" : "invalid";
      case "top-value":
        return this.parseCaptured(undefined, 0) === INVALID ? "invalid" : "valid";
      case "end":
        return "valid";
      default:
        return "invalid";
    }
  }

  /** Handles the byte(s) from `pos` in the current state; returns where to go on. */
  private step(buf: Buffer, pos: number): number {
    const b = buf[pos];
    switch (this.state) {
      case "start":
        if (isJsonSpace(b)) return pos + 1;
        if (b === OPEN_BRACE) return this.go("first-key", pos + 1);
        if (b === OPEN_BRACKET) return this.openArray(true, pos + 1);
        if (startsScalar(b)) return this.capture("top-value", pos);
        this.state = "blank";
        this.decoder = new StringDecoder("utf8");
        return this.checkBlank(buf, pos);
      case "blank":
        return this.checkBlank(buf, pos);
      case "first-key":
        if (isJsonSpace(b)) return pos + 1;
        if (b === CLOSE_BRACE) return this.go("end", pos + 1);
        return b === QUOTE ? this.startKey(pos) : this.fail();
      case "next-key":
        if (isJsonSpace(b)) return pos + 1;
        return b === QUOTE ? this.startKey(pos) : this.fail();
      case "key":
        return this.readKey(buf, pos);
      case "colon":
        if (isJsonSpace(b)) return pos + 1;
        return b === COLON ? this.go("value", pos + 1) : this.fail();
      case "value":
        if (isJsonSpace(b)) return pos + 1;
        if (b === OPEN_BRACKET) return this.openArray(false, pos + 1);
        if (this.key === this.target) this.sink.begin(false);
        return this.capture("member", pos);
      case "member":
        return this.readMember(buf, pos);
      case "member-end":
        if (isJsonSpace(b)) return pos + 1;
        if (b === COMMA) return this.go("next-key", pos + 1);
        return b === CLOSE_BRACE ? this.go("end", pos + 1) : this.fail();
      case "first-element":
        if (isJsonSpace(b)) return pos + 1;
        if (b === CLOSE_BRACKET) return this.closeArray(pos + 1);
        return this.capture("element", pos);
      case "element":
        return this.readElement(buf, pos);
      case "top-value":
        // Any `,` or closer at depth 0 follows a complete top-level value: invalid.
        return this.scanValue(buf, pos) === -1 ? buf.length : this.fail();
      case "end":
        return isJsonSpace(b) ? pos + 1 : this.fail();
      case "invalid":
        return buf.length;
    }
  }

  private go(state: State, pos: number): number {
    this.state = state;
    return pos;
  }

  /** The body is not valid JSON; what is left of it only needs draining (write stops here). */
  private fail(): number {
    this.state = "invalid";
    this.pieces = [];
    this.from = -1;
    return Number.POSITIVE_INFINITY;
  }

  private checkBlank(buf: Buffer, pos: number): number {
    if (!BLANK.test(this.decoder?.write(buf.subarray(pos)) ?? "")) return this.fail();
    return buf.length;
  }

  private openArray(atTop: boolean, pos: number): number {
    this.arrayAtTop = atTop;
    this.delivering = !atTop && this.key === this.target;
    if (this.delivering) this.sink.begin(true);
    return this.go("first-element", pos);
  }

  private closeArray(pos: number): number {
    return this.go(this.arrayAtTop ? "end" : "member-end", pos);
  }

  /** Starts keeping the bytes of a value from `pos` (its scan begins there). */
  private capture(state: State, pos: number): number {
    this.state = state;
    this.pieces = [];
    this.from = pos;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    return pos;
  }

  private startKey(pos: number): number {
    this.capture("key", pos);
    this.inString = true;
    return pos + 1;
  }

  private readKey(buf: Buffer, pos: number): number {
    const after = this.scanString(buf, pos);
    if (after === -1) return buf.length;
    const key = this.parseCaptured(buf, after);
    if (typeof key !== "string") return this.fail();
    this.key = key;
    return this.go("colon", after);
  }

  private readMember(buf: Buffer, pos: number): number {
    const end = this.scanValue(buf, pos);
    if (end === -1) return buf.length;
    const closer = buf[end];
    if (closer !== COMMA && closer !== CLOSE_BRACE) return this.fail();
    if (this.parseCaptured(buf, end) === INVALID) return this.fail();
    return this.go(closer === COMMA ? "next-key" : "end", end + 1);
  }

  private readElement(buf: Buffer, pos: number): number {
    const end = this.scanValue(buf, pos);
    if (end === -1) return buf.length;
    const closer = buf[end];
    if (closer !== COMMA && closer !== CLOSE_BRACKET) return this.fail();
    const value = this.parseCaptured(buf, end);
    if (value === INVALID) return this.fail();
    if (this.delivering) this.sink.element(value);
    if (closer === COMMA) return this.capture("element", end + 1);
    return this.closeArray(end + 1);
  }

  /**
   * Scans a value from `pos`: the index of the `,`, `]` or `}` at depth 0 that ends it, or -1
   * when the chunk ends first. Closers inside it are only counted: a `]` that closes a `{`
   * leaves bytes that JSON.parse rejects.
   */
  private scanValue(buf: Buffer, pos: number): number {
    let i = pos;
    while (i < buf.length) {
      if (this.inString) {
        const after = this.scanString(buf, i);
        if (after === -1) return -1;
        i = after;
        continue;
      }
      const b = buf[i];
      if (b === QUOTE) this.inString = true;
      else if (b === OPEN_BRACE || b === OPEN_BRACKET) this.depth++;
      else if (b === CLOSE_BRACE || b === CLOSE_BRACKET || b === COMMA) {
        if (this.depth === 0) return i;
        if (b !== COMMA) this.depth--;
      }
      i++;
    }
    return -1;
  }

  /**
   * Inside a string from `pos`: the index just after its closing quote, or -1 when the chunk
   * ends first. Most bytes of a batch are inside strings, so this jumps from quote to quote
   * with indexOf; a quote after an odd run of backslashes is escaped.
   */
  private scanString(buf: Buffer, pos: number): number {
    let i = pos;
    if (this.escaped) {
      this.escaped = false;
      i++;
    }
    for (;;) {
      const quote = buf.indexOf(QUOTE, i);
      if (quote === -1) {
        this.escaped = i < buf.length && escapedAt(buf, buf.length, i);
        return -1;
      }
      if (!escapedAt(buf, quote, i)) {
        this.inString = false;
        return quote + 1;
      }
      i = quote + 1;
    }
  }

  /**
   * Parses the value in progress, ending at `end` of `buf` (or at the end of what was kept,
   * with no `buf`), from its bytes alone, decoded as UTF-8 now that they are all here (so a
   * character split across chunks is whole). Lets the bytes go.
   */
  private parseCaptured(buf: Buffer | undefined, end: number): unknown {
    if (buf !== undefined) this.pieces.push(buf.subarray(this.from, end));
    const pieces = this.pieces;
    this.pieces = [];
    this.from = -1;
    const bytes = pieces.length === 1 ? pieces[0] : Buffer.concat(pieces);
    try {
      return JSON.parse(bytes?.toString("utf8") ?? "") as unknown;
    } catch {
      return INVALID;
    }
  }
}
