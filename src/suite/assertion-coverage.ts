/**
 * A case with no assertion passes whatever the model answers, so a suite of them is green while
 * checking nothing. Each suite with such cases gets one diagnostic, at its first such case: a
 * warning, or an error where a green run must mean something (CI, `--strict`). Pure.
 */

import type { Diagnostic } from "../source/types.js";
import type { Suite } from "./types.js";

/** How many cases of a suite to name in the message. */
const NAMED = 3;

/** One diagnostic per suite whose cases (some or all) assert nothing. */
export function checkAssertionCoverage(suites: readonly Suite[], strict: boolean): Diagnostic[] {
  return suites.flatMap((suite) => {
    const bare = suite.cases.filter((c) => c.assert.length === 0);
    const first = bare[0];
    if (first === undefined) return [];
    const named = bare.slice(0, NAMED).map((c) => `"${c.id}"`);
    const more = bare.length > NAMED ? ` and ${bare.length - NAMED} more` : "";
    const all = bare.length === suite.cases.length;
    const share = all
      ? `all ${bare.length} cases`
      : `${bare.length} of ${suite.cases.length} cases`;
    const verb = bare.length === 1 ? "asserts" : "assert";
    return [
      {
        ...first.source,
        severity: strict ? "error" : "warning",
        message: `suite "${suite.name}": ${share} ${verb} nothing (${named.join(", ")}${more}), so they pass whatever the model answers`,
        hint: `add \`assert:\` to the cases, or to \`defaults:\` for all of them${strict ? "" : "; under CI=true or --strict this is an error"}`,
      },
    ];
  });
}
