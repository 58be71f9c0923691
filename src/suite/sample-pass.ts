/** A case's `pass:` rule: how many of its samples must pass. Pure. */
import type { SamplePass } from "./types.js";

/**
 * The samples out of `repeat` a case must pass under its `pass:` rule: `atLeast` as written, or
 * the share rounded up (a share of 0.6 of 5 samples is 3). Undefined without a rule.
 */
export function samplesToPass(rule: SamplePass | undefined, repeat: number): number | undefined {
  if (rule === undefined) return undefined;
  if ("atLeast" in rule) return rule.atLeast;
  // Rounded up, with a tolerance so that 0.6 × 5 (2.9999…) is 3, not 4.
  return Math.max(1, Math.ceil(rule.share * repeat - 1e-9));
}
