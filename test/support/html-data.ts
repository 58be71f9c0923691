/** Reads back the case data index.html embeds (its layout: src/report/render-html.ts). */

export interface HtmlCases {
  models: string[];
  suites: string[];
  chunk: number;
  rows: [number, string, string[], unknown[], (number | null)[]][];
}

export interface HtmlCaseDetails {
  input: Record<string, unknown> | null;
  results: unknown[][];
}

function scriptText(html: string, id: string): string | undefined {
  const start = html.indexOf(`<script type="application/json" id="${id}">`);
  if (start < 0) return undefined;
  const from = html.indexOf(">", start) + 1;
  return html.slice(from, html.indexOf("</script>", from));
}

/** The matrix rows and every case's details, in order. */
export function htmlData(html: string): { cases: HtmlCases; details: HtmlCaseDetails[] } {
  const cases = JSON.parse(scriptText(html, "be-cases") ?? "null") as HtmlCases;
  const details: HtmlCaseDetails[] = [];
  for (let n = 0; ; n++) {
    const text = scriptText(html, `be-d${n}`);
    if (text === undefined) break;
    details.push(...(JSON.parse(text) as HtmlCaseDetails[]));
  }
  return { cases, details };
}
