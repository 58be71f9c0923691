/**
 * Finds template syntax the engine cannot render: anything between `{{ }}` that is not a
 * variable path (filters, calls, expressions, `{{{triple}}}`), an unclosed `{{`, Nunjucks /
 * Jinja tags (`{% … %}`) and comments (`{# … #}`), and promptfoo's `file://` references.
 * Left alone, each would reach the model as literal text. Pure.
 */

/** One construct the template engine would not render. */
export interface ForeignSyntax {
  kind: "expression" | "filter" | "unclosed" | "tag" | "comment" | "file-url";
  /** 0-based offset of the construct in the template text. */
  offset: number;
  /** The construct as written (shortened when long). */
  text: string;
}

/** The variable paths `{{ … }}` may hold; the same grammar as template.ts's placeholders. */
const VARIABLE_PATH = /^\s*[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*\s*$/;

const OPENERS = /\{\{|\{%|\{#/g;

/** Every construct in `template` that the engine would send as literal text, in order. */
export function foreignSyntax(template: string): ForeignSyntax[] {
  if (!template.includes("{") && !template.includes("file://")) return [];
  const found: ForeignSyntax[] = [];
  const url = /^\s*file:\/\//.exec(template);
  if (url !== null) {
    found.push({ kind: "file-url", offset: url[0].length - 7, text: shorten(template.trim()) });
  }
  OPENERS.lastIndex = 0;
  for (let match = OPENERS.exec(template); match !== null; match = OPENERS.exec(template)) {
    const construct = readConstruct(template, match.index);
    if (construct === undefined) continue;
    if (construct.kind !== "ok") found.push({ ...construct, offset: match.index });
    OPENERS.lastIndex = construct.end;
  }
  return found;
}

type Construct =
  | { kind: "ok"; end: number }
  | { kind: Exclude<ForeignSyntax["kind"], "file-url">; end: number; text: string };

/** The construct opening at `start`, or undefined for an opener with no meaning here. */
function readConstruct(template: string, start: number): Construct | undefined {
  const opener = template.slice(start, start + 2);
  const closer = opener === "{{" ? "}}" : opener === "{%" ? "%}" : "#}";
  const close = template.indexOf(closer, start + 2);
  if (close === -1) {
    // A lone `{%` or `{#` is ordinary text (e.g. Markdown's `{#anchor}`); a lone `{{` is a typo.
    if (opener !== "{{") return undefined;
    return { kind: "unclosed", end: start + 2, text: shorten(template.slice(start)) };
  }
  const end = close + 2;
  const text = shorten(template.slice(start, end));
  if (opener === "{%") return { kind: "tag", end, text };
  if (opener === "{#") return { kind: "comment", end, text };
  const inner = template.slice(start + 2, close);
  if (VARIABLE_PATH.test(inner)) return { kind: "ok", end };
  return { kind: /\|/.test(inner) ? "filter" : "expression", end, text };
}

function shorten(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 40 || line.length < text.length ? `${line.slice(0, 40)}…` : line;
}

/** What to say about a construct: the message and how to fix it. */
export function describeForeignSyntax(found: ForeignSyntax): { message: string; hint: string } {
  const literal = "to send braces literally, put the text in a var (var values are inserted as-is)";
  switch (found.kind) {
    case "filter":
      return {
        message: `\`${found.text}\` uses a filter: the template engine only substitutes {{var}}`,
        hint: `compute the value into a var of its own (a column, or a var file) and write {{name}}; ${literal}`,
      };
    case "expression":
      return {
        message: `\`${found.text}\` is not a variable: the template engine only substitutes {{var}} and {{a.b.0}} paths`,
        hint: `put the value in a var and write {{name}}; ${literal}`,
      };
    case "unclosed":
      return {
        message: `\`${found.text}\` opens {{ without a closing }}`,
        hint: `close it as {{name}}; ${literal}`,
      };
    case "tag":
      return {
        message: `\`${found.text}\` is a template tag: the engine only substitutes {{var}} (no {% for %}, {% if %}, {% set %}…)`,
        hint: "build the text in a var instead (lists and maps render as JSON), or split the variants into separate cases or suites",
      };
    case "comment":
      return {
        message: `\`${found.text}\` is a template comment, which the engine does not strip`,
        hint: "delete it; use YAML comments (# …) in the suite file to annotate",
      };
    case "file-url":
      return {
        message: `\`${found.text}\` is literal text here: \`file://\` references are promptfoo's`,
        hint: "read a file with a `file:` entry (see the README's 'Coming from promptfoo')",
      };
  }
}

/** The path of a `file://path` value, for hints that show the exact replacement. */
export function fileUrlPath(value: string): string {
  return value.trim().slice("file://".length);
}
