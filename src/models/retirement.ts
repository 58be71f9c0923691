/**
 * What to tell the user about a model's retirement on a given day: an error for a retired
 * model (the API refuses it, so nothing is sent), a warning for one that retires within
 * {@link RETIREMENT_WARNING_DAYS} days, nothing otherwise. Pure: the caller passes the date.
 */
import { findModelSpec, lifecycleOn, RETIREMENT_WARNING_DAYS } from "./model-table.js";

export { RETIREMENT_WARNING_DAYS };

/** A message about one model, to be placed where the model is named. */
export interface ModelNotice {
  severity: "error" | "warning";
  message: string;
  hint: string;
}

const DEPRECATIONS = "https://platform.claude.com/docs/en/about-claude/model-deprecations";

/**
 * The notice for `model` on `today` (YYYY-MM-DD, UTC), or undefined when the model is available
 * or the model table does not know it (an unknown model is the price check's business).
 */
export function retirementNotice(model: string, today: string): ModelNotice | undefined {
  const spec = findModelSpec(model);
  if (spec === undefined) return undefined;
  const life = lifecycleOn(spec, today);
  if (life.state === "available") return undefined;
  const use = (replacement: string | undefined, when: string): string =>
    replacement === undefined
      ? `pick a current model ${when} (see ${DEPRECATIONS})`
      : `use ${replacement}, the replacement Anthropic recommends, ${when}`;
  if (life.state === "retired") {
    const since = life.since === undefined ? "" : ` since ${life.since}`;
    return {
      severity: "error",
      message: `model '${model}' is retired${since}: the API refuses requests to it`,
      hint: use(life.replacement, "instead"),
    };
  }
  const days = life.days === 1 ? "1 day" : `${life.days} days`;
  return {
    severity: "warning",
    message: `model '${model}' retires on ${life.retires}, in ${days}; requests to it will fail from then on`,
    hint: use(life.replacement, "before then"),
  };
}
