/** The is-xml grader: the output is one well-formed XML document. */
import { preview } from "./text-graders.js";
import type { Grader } from "./types.js";
import { xmlProblem } from "./well-formed-xml.js";

/**
 * Strips a Markdown code fence and the space around the document, which models often add;
 * the XML inside must then stand alone.
 */
function unfence(text: string): string {
  const fenced = /^\s*```(?:xml)?\s*\n([\s\S]*?)\n?```\s*$/.exec(text);
  return (fenced ? (fenced[1] ?? "") : text).trim();
}

export const isXml: Grader = {
  checkValue: (value) =>
    value === undefined
      ? undefined
      : `takes no value (required elements are not supported: check them with regex or contains), got ${JSON.stringify(value)}`,
  grade: (output) => {
    const problem = xmlProblem(unfence(output));
    return problem === undefined
      ? { pass: true, score: 1, reason: "output is well-formed XML" }
      : {
          pass: false,
          score: 0,
          reason: `expected well-formed XML: ${problem.message} at line ${problem.line}, column ${problem.column} of ${preview(output)}`,
        };
  },
};
