/**
 * A well-formedness check for XML 1.0 documents, with no dependency: one root element, tags
 * that nest and match, quoted and unique attributes, known entity references, legal characters,
 * and only comments, processing instructions and a DOCTYPE beside the root. A DOCTYPE's
 * internal subset is skipped, not validated; the entities it declares count as known. Pure.
 */

/** Where the document first breaks a rule, or undefined when it is well formed. */
export interface XmlProblem {
  message: string;
  line: number;
  column: number;
}

const NAME = /[A-Za-z_:\u00C0-\uFFFF][\w.\-:\u00B7\u00C0-\uFFFF]*/y;
const SPACE = /[ \t\r\n]+/y;
const ILLEGAL_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const PREDEFINED = new Set(["lt", "gt", "amp", "quot", "apos"]);

class XmlError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

/** A cursor over the document text. */
interface Cursor {
  text: string;
  pos: number;
  entities: Set<string>;
}

function sticky(cursor: Cursor, pattern: RegExp): string | undefined {
  pattern.lastIndex = cursor.pos;
  const match = pattern.exec(cursor.text);
  if (match === null) return undefined;
  cursor.pos += match[0].length;
  return match[0];
}

function skipSpace(cursor: Cursor): boolean {
  return sticky(cursor, SPACE) !== undefined;
}

function name(cursor: Cursor, what: string): string {
  const found = sticky(cursor, NAME);
  if (found === undefined) throw new XmlError(`expected ${what}`, cursor.pos);
  return found;
}

function startsWith(cursor: Cursor, token: string): boolean {
  return cursor.text.startsWith(token, cursor.pos);
}

function expect(cursor: Cursor, token: string, what: string): void {
  if (!startsWith(cursor, token)) throw new XmlError(`expected ${what}`, cursor.pos);
  cursor.pos += token.length;
}

/** Moves past `end`, returning what came before it. */
function until(cursor: Cursor, end: string, what: string): string {
  const at = cursor.text.indexOf(end, cursor.pos);
  if (at < 0) throw new XmlError(`${what} is never closed with '${end}'`, cursor.pos);
  const body = cursor.text.slice(cursor.pos, at);
  cursor.pos = at + end.length;
  return body;
}

/** Checks every `&…;` in a run of text or an attribute value. */
function checkReferences(cursor: Cursor, run: string, start: number): void {
  for (let at = run.indexOf("&"); at >= 0; at = run.indexOf("&", at + 1)) {
    const ref = /^&(#[0-9]+|#x[0-9a-fA-F]+|[^\s&;<]+);/.exec(run.slice(at));
    const body = ref?.[1];
    if (body === undefined)
      throw new XmlError("'&' must start a reference such as &amp;", start + at);
    if (body.startsWith("#")) {
      const code = body[1] === "x" ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      const char = code <= 0x10ffff ? String.fromCodePoint(code) : "\0";
      if (ILLEGAL_CHAR.test(char))
        throw new XmlError(`&${body}; is not a legal character`, start + at);
    } else if (!PREDEFINED.has(body) && !cursor.entities.has(body)) {
      throw new XmlError(`unknown entity &${body};`, start + at);
    }
  }
}

function comment(cursor: Cursor): void {
  const start = cursor.pos;
  cursor.pos += "<!--".length;
  const body = until(cursor, "-->", "a comment");
  if (body.includes("--") || body.endsWith("-")) {
    throw new XmlError("a comment may not contain '--'", start);
  }
}

function instruction(cursor: Cursor): void {
  const start = cursor.pos;
  cursor.pos += "<?".length;
  const target = name(cursor, "a processing instruction's target");
  if (target.toLowerCase() === "xml") {
    throw new XmlError("the XML declaration is allowed only at the start", start);
  }
  if (!startsWith(cursor, "?>") && !skipSpace(cursor)) {
    throw new XmlError("expected a space after the processing instruction's target", cursor.pos);
  }
  until(cursor, "?>", "a processing instruction");
}

/** Skips a DOCTYPE, noting the entities its internal subset declares. */
function doctype(cursor: Cursor): void {
  const start = cursor.pos;
  let depth = 0;
  let quote: string | undefined;
  for (cursor.pos += "<!DOCTYPE".length; cursor.pos < cursor.text.length; cursor.pos++) {
    const char = cursor.text[cursor.pos];
    if (quote !== undefined) quote = char === quote ? undefined : quote;
    else if (char === '"' || char === "'") quote = char;
    else if (char === "[") depth++;
    else if (char === "]") depth--;
    else if (char === ">" && depth === 0) break;
  }
  if (cursor.pos >= cursor.text.length) throw new XmlError("the DOCTYPE is never closed", start);
  cursor.pos++;
  const subset = cursor.text.slice(start, cursor.pos);
  for (const match of subset.matchAll(/<!ENTITY\s+([^\s%]+)/g)) cursor.entities.add(match[1] ?? "");
}

/** Comments, processing instructions and space, before or after the root (and a DOCTYPE). */
function misc(cursor: Cursor, allowDoctype: boolean): boolean {
  let doctypeSeen = !allowDoctype;
  for (;;) {
    skipSpace(cursor);
    if (startsWith(cursor, "<!--")) comment(cursor);
    else if (startsWith(cursor, "<?")) instruction(cursor);
    else if (!doctypeSeen && startsWith(cursor, "<!DOCTYPE")) {
      doctype(cursor);
      doctypeSeen = true;
    } else return cursor.pos < cursor.text.length;
  }
}

function attributes(cursor: Cursor): void {
  const seen = new Set<string>();
  for (;;) {
    const spaced = skipSpace(cursor);
    if (startsWith(cursor, ">") || startsWith(cursor, "/>")) return;
    if (!spaced) throw new XmlError("expected a space, '>' or '/>' in a tag", cursor.pos);
    const at = cursor.pos;
    const attribute = name(cursor, "an attribute name");
    if (seen.has(attribute)) throw new XmlError(`attribute '${attribute}' is repeated`, at);
    seen.add(attribute);
    skipSpace(cursor);
    expect(cursor, "=", `'=' after attribute '${attribute}'`);
    skipSpace(cursor);
    const quote = cursor.text[cursor.pos];
    if (quote !== '"' && quote !== "'") {
      throw new XmlError(`the value of attribute '${attribute}' must be quoted`, cursor.pos);
    }
    cursor.pos++;
    const valueStart = cursor.pos;
    const value = until(cursor, quote, `the value of attribute '${attribute}'`);
    if (value.includes("<"))
      throw new XmlError("'<' is not allowed in an attribute value", valueStart);
    checkReferences(cursor, value, valueStart);
  }
}

/** A start tag; returns its name, or undefined when it closes itself (`<a/>`). */
function startTag(cursor: Cursor): string | undefined {
  cursor.pos++;
  const tag = name(cursor, "a tag name after '<'");
  attributes(cursor);
  if (startsWith(cursor, "/>")) {
    cursor.pos += 2;
    return undefined;
  }
  cursor.pos++;
  return tag;
}

function endTag(cursor: Cursor, open: string[]): void {
  const start = cursor.pos;
  cursor.pos += "</".length;
  const tag = name(cursor, "a tag name after '</'");
  skipSpace(cursor);
  expect(cursor, ">", `'>' to close </${tag}`);
  const expected = open.pop();
  if (tag !== expected) throw new XmlError(`</${tag}> closes <${expected}>`, start);
}

/** Character data up to the next '<': no ']]>', and only known references. */
function text(cursor: Cursor): void {
  const start = cursor.pos;
  const end = cursor.text.indexOf("<", start);
  const run = cursor.text.slice(start, end < 0 ? undefined : end);
  const cdataEnd = run.indexOf("]]>");
  if (cdataEnd >= 0) throw new XmlError("']]>' is not allowed in text", start + cdataEnd);
  checkReferences(cursor, run, start);
  cursor.pos += run.length;
}

/** The root element and everything inside it; a loop, not recursion, so depth is no limit. */
function element(cursor: Cursor): void {
  if (!startsWith(cursor, "<")) throw new XmlError("expected the root element", cursor.pos);
  const root = startTag(cursor);
  const open = root === undefined ? [] : [root];
  while (open.length > 0) {
    if (cursor.pos >= cursor.text.length) {
      throw new XmlError(`<${open[open.length - 1]}> is never closed`, cursor.pos);
    }
    if (startsWith(cursor, "</")) endTag(cursor, open);
    else if (startsWith(cursor, "<!--")) comment(cursor);
    else if (startsWith(cursor, "<![CDATA[")) {
      cursor.pos += "<![CDATA[".length;
      until(cursor, "]]>", "a CDATA section");
    } else if (startsWith(cursor, "<?")) instruction(cursor);
    else if (startsWith(cursor, "<")) {
      const tag = startTag(cursor);
      if (tag !== undefined) open.push(tag);
    } else text(cursor);
  }
}

function declaration(cursor: Cursor): void {
  if (!/^<\?xml[ \t\r\n]/.test(cursor.text)) return;
  const body = until(cursor, "?>", "the XML declaration");
  if (!/version\s*=\s*(["'])1\.[0-9]+\1/.test(body)) {
    throw new XmlError('the XML declaration needs version="1.x"', 0);
  }
}

function position(text: string, at: number): { line: number; column: number } {
  const before = text.slice(0, at).split("\n");
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}

/** Checks that `xml` is one well-formed XML document (see the module comment). */
export function xmlProblem(xml: string): XmlProblem | undefined {
  const cursor: Cursor = { text: xml, pos: 0, entities: new Set() };
  try {
    const illegal = ILLEGAL_CHAR.exec(xml);
    if (illegal !== null) throw new XmlError("illegal character in XML", illegal.index);
    declaration(cursor);
    if (!misc(cursor, true)) throw new XmlError("expected the root element", cursor.pos);
    element(cursor);
    if (misc(cursor, false)) throw new XmlError("content after the root element", cursor.pos);
    return undefined;
  } catch (error) {
    if (!(error instanceof XmlError)) throw error;
    return { message: error.message, ...position(xml, error.at) };
  }
}
