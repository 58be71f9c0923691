/**
 * One report record from one batch result: graded (grade/), priced (cost/), with the request it
 * answers. Pure; the run's grading stage (grade-run.ts) calls it for every request.
 */
import type { MessageBatchIndividualResponse } from "@anthropic-ai/sdk/resources/messages/batches";
import type { CompiledRequest } from "../compile/types.js";
import { priceResult } from "../cost/price-result.js";
import type { ModelPrice } from "../cost/types.js";
import { type GradeTarget, gradeResult } from "../grade/grade-result.js";
import { DEFAULT_GRADERS, type GraderRegistry } from "../grade/registry.js";
import { type GraderContext, isPending, type Pending } from "../grade/types.js";
import type { ResultRecord } from "../report/types.js";

export interface RecordInput {
  request: CompiledRequest;
  evalCase: GradeTarget;
  /** Undefined when the results hold no line for this request. */
  result: MessageBatchIndividualResponse | undefined;
  price: ModelPrice;
  /** The result came from the result cache, not from this run's batches. */
  replayed: boolean;
  /** Answers model-graded assertions' questions (see GraderContext.ask). */
  ask?: GraderContext["ask"];
  registry?: GraderRegistry;
}

/**
 * The most of an output a record keeps. Grading sees the whole output; the report keeps this
 * much (with `outputChars`, the whole length), so that report.json stays proportionate to the
 * number of results and not to the length of the replies. The raw results files keep it all.
 */
export const OUTPUT_CHARS = 4_000;

/** The first `max` UTF-16 units of `text`, one fewer rather than half a surrogate pair. */
function cut(text: string, max: number): string {
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/** The record of one request, or PENDING while a model-graded assertion waits for its answer. */
export function gradeAndPrice(input: RecordInput): ResultRecord | Pending {
  const { request, result } = input;
  // Priced first: the `cost` assertion grades the result's cost.
  const priced = priceResult(result, input.price);
  const registry = input.registry ?? DEFAULT_GRADERS;
  const graded = gradeResult(input.evalCase, result, input.ask, registry, priced.cost);
  if (isPending(graded)) return graded;
  // Errors carry no usage and cost nothing; only a reply can have come from the cache.
  const replayed = input.replayed && graded.outcome !== "error";
  return {
    suite: request.suite,
    caseId: request.caseId,
    model: request.model,
    repeat: request.repeat,
    customId: request.customId,
    source: replayed ? "cache" : "batch",
    ...graded,
    ...(graded.output.length > OUTPUT_CHARS
      ? { output: cut(graded.output, OUTPUT_CHARS), outputChars: graded.output.length }
      : {}),
    ...priced,
  };
}

/** The record of one request whose assertions need no grader model. */
export function buildRecord(input: Omit<RecordInput, "ask">): ResultRecord {
  const record = gradeAndPrice(input);
  if (isPending(record)) {
    throw new Error(`${input.request.customId}: a model-graded assertion needs the run's grader`);
  }
  return record;
}
