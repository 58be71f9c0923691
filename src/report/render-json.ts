/**
 * report.json: the versioned report, pretty-printed, except that each element of the lists
 * that grow with the suite (results, inputs, failures, cases) is one compact line (a report of
 * 100,000 results stays a third smaller, and a diff of two reports shows one line per changed
 * result). Pure. `renderJsonChunks` yields the text piece by piece (one element at a time), so
 * a report of 300,000 results is written without ever being one string (V8 caps a string near
 * 512 MB), nor one list of 100,000 inputs a string of its own.
 */
import type { Report } from "./types.js";

/** `JSON.stringify(value, null, 2)` for a value nested `depth` levels deep. */
function nested(value: unknown, depth: number): string {
  const text = JSON.stringify(value, null, 2);
  return depth === 0 ? text : text.replaceAll("\n", `\n${"  ".repeat(depth)}`);
}

/** The lists written one element per line. */
const LINE_LISTS = new Set(["results", "inputs", "failures", "cases"]);

/** The text of `renderJson`, in pieces. */
export function* renderJsonChunks(report: Report): Generator<string> {
  const entries = Object.entries(report).filter(([, value]) => value !== undefined);
  yield "{";
  for (const [index, [key, value]] of entries.entries()) {
    yield `${index === 0 ? "" : ","}\n  ${JSON.stringify(key)}: `;
    if (!LINE_LISTS.has(key) || !Array.isArray(value) || value.length === 0) {
      yield nested(value, 1);
      continue;
    }
    yield "[";
    for (const [i, record] of value.entries()) {
      yield `${i === 0 ? "" : ","}\n    ${JSON.stringify(record)}`;
    }
    yield "\n  ]";
  }
  yield entries.length === 0 ? "}\n" : "\n}\n";
}

export function renderJson(report: Report): string {
  return [...renderJsonChunks(report)].join("");
}
