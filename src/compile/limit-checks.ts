/**
 * Requests a model cannot take, caught before a token is spent: `max_tokens` above the model's
 * output limit, and a prompt above its context window (by the same estimate the simulator
 * counts with; the API would answer each such request with an errored result after the whole
 * batch wait). One error per suite, model and kind of problem, at the first case it hits, with
 * how many it hits. Models the table does not know are not checked. Pure.
 */
import { findModelSpec } from "../models/model-table.js";
import type { Diagnostic } from "../source/types.js";
import type { EvalCase } from "../suite/types.js";
import { estimateTextTokens } from "./token-estimate.js";

/** Characters of everything a case sends as prompt: tools, system blocks and messages. */
function promptChars(evalCase: EvalCase): number {
  const tools = evalCase.params.tools === undefined ? "" : JSON.stringify(evalCase.params.tools);
  let chars = tools.length;
  for (const block of evalCase.system) chars += block.text.length;
  for (const message of evalCase.messages) chars += message.content.length;
  return chars;
}

/** The first case a problem hits, and how many it hits. */
interface Hits {
  first: EvalCase;
  count: number;
  /** The figure of the first case (its max_tokens, or its estimated prompt tokens). */
  value: number;
}

function collect(cases: readonly EvalCase[], measure: (c: EvalCase) => number | undefined) {
  let hits: Hits | undefined;
  for (const c of cases) {
    const value = measure(c);
    if (value === undefined) continue;
    if (hits === undefined) hits = { first: c, count: 0, value };
    hits.count++;
  }
  return hits;
}

function others(hits: Hits): string {
  const more = hits.count - 1;
  return more > 0 ? ` (and ${more} more ${more === 1 ? "case" : "cases"})` : "";
}

/** Errors for the cases of one suite that `models` cannot take. */
export function checkModelLimits(
  cases: readonly EvalCase[],
  models: readonly string[],
): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const model of models) {
    const spec = findModelSpec(model);
    if (spec === undefined) continue;
    const output = collect(cases, (c) => {
      const max = c.params.max_tokens;
      return typeof max === "number" && max > spec.maxOutput ? max : undefined;
    });
    if (output !== undefined) {
      found.push({
        ...output.first.source,
        severity: "error",
        message: `max_tokens ${output.value} is above ${model}'s output limit of ${spec.maxOutput}${others(output)}: the API would reject every such request`,
        hint: `set params.max_tokens to at most ${spec.maxOutput}`,
      });
    }
    const prompt = collect(cases, (c) => {
      const tokens = estimateTextTokens(promptChars(c), model);
      return tokens > spec.contextWindow ? tokens : undefined;
    });
    if (prompt !== undefined) {
      found.push({
        ...prompt.first.source,
        severity: "error",
        message: `case "${prompt.first.caseId}" has a prompt of about ${prompt.value} tokens, above ${model}'s context window of ${spec.contextWindow}${others(prompt)}`,
        hint: "shorten the prompt (system files, variables), or run the case on a model with a larger context window",
      });
    }
  }
  return found;
}
