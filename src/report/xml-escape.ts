/**
 * Escaping for the XML reports (junit.xml): every piece of model output, reason and name goes
 * through here. Pure.
 */

/**
 * What XML 1.0 does not allow at all, even as a character reference: C0 controls other than
 * tab, newline and CR, lone surrogates, U+FFFE and U+FFFF. A model's output can hold any of
 * them (an ANSI escape, a NUL, half of an emoji cut by a length limit), and one is enough for
 * a CI parser to reject the whole file, so they are dropped. With the `u` flag a lone surrogate
 * is a code point of its own here, while a pair is one code point above U+FFFF and is kept.
 */
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** `text` without the characters XML 1.0 does not allow. */
export function xmlChars(text: string): string {
  return text.replace(NOT_XML, "");
}

const TEXT_ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
};

/**
 * Escapes text for element content. `>` is escaped too, so `]]>` in the text can never end a
 * CDATA section or break a parser.
 */
export function escapeXmlText(text: string): string {
  return xmlChars(text).replace(/[&<>]/g, (c) => TEXT_ENTITIES[c] ?? c);
}

const ATTRIBUTE_ENTITIES: Readonly<Record<string, string>> = {
  ...TEXT_ENTITIES,
  '"': "&quot;",
  "'": "&apos;",
  // A parser turns a literal tab or line break in an attribute into a space; as references
  // they survive.
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};

/** Escapes text for a quoted attribute value (either quote). */
export function escapeXmlAttribute(text: string): string {
  return xmlChars(text).replace(/[&<>"'\t\n\r]/g, (c) => ATTRIBUTE_ENTITIES[c] ?? c);
}
