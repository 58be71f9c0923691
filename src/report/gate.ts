/**
 * The quality gate: whether a finished run passes, and why not. A run fails the gate when no
 * model meets every threshold. Under `strict`, it also fails when the recommended model passes
 * only uncertainly (its interval crosses a threshold) or any result is still errored after
 * retries: a green run must not rest on luck or on answers that never came. Pure.
 */
import type { Report } from "./types.js";

/** The gate's verdict: whether it passed, and one line per reason it did not. */
export interface GateVerdict {
  pass: boolean;
  reasons: string[];
}

export function judgeGate(report: Report, strict: boolean): GateVerdict {
  const recommended = report.recommendation.model;
  if (recommended === null) return { pass: false, reasons: ["no model meets every threshold"] };
  if (!strict) return { pass: true, reasons: [] };
  const reasons: string[] = [];
  const summary = report.models.find((m) => m.model === recommended);
  if (summary?.uncertain) {
    reasons.push(
      `strict: ${recommended} passes only uncertainly (a 95% interval crosses a threshold); add cases or repeat`,
    );
  }
  const errored = report.models.filter((m) => m.counts.errored > 0);
  if (errored.length > 0) {
    const list = errored.map((m) => `${m.model} ${m.counts.errored}`).join(", ");
    reasons.push(`strict: results still errored after retries (${list})`);
  }
  return { pass: reasons.length === 0, reasons };
}
