/**
 * On the simulator, a request that no fixture rule matches gets a default reply, which is then
 * graded as if it were an answer. This counts those results, so the run can say so instead of
 * passing or failing on text nobody wrote. Pure.
 */
import type { ResultRecord } from "./types.js";

/** The requests answered by the simulator's default reply, and the first few of them. */
export interface Unanswered {
  count: number;
  total: number;
  /** `suite/case on model`, for the first few. */
  examples: string[];
}

/** Results whose output is the simulator's default reply (`prefix` starts it). */
export function findUnanswered(
  results: readonly ResultRecord[],
  prefix: string,
  examples = 3,
): Unanswered {
  const hits = results.filter((r) => r.outcome !== "error" && r.output.startsWith(prefix));
  return {
    count: hits.length,
    total: results.length,
    examples: hits.slice(0, examples).map((r) => `${r.suite}/${r.caseId} on ${r.model}`),
  };
}
