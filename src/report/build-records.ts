/**
 * Turns raw batch results into report records: each result is graded against its case's
 * assertions and priced from its usage. Errored, expired and canceled results are outcome
 * `error` with their reason, never `fail`, and cost nothing. Pure.
 */
import type {
  MessageBatchIndividualResponse,
  MessageBatchResult,
} from "@anthropic-ai/sdk/resources/messages/batches";
import type { Message } from "@anthropic-ai/sdk/resources/messages/messages";
import type { CompiledRequest } from "../compile/types.js";
import { priceUsage, ZERO_COST } from "../cost/price-usage.js";
import type { CostFigures, ModelPrice } from "../cost/types.js";
import { gradeCase } from "../grade/grade-case.js";
import type { ToolCall } from "../grade/types.js";
import type { EvalCase } from "../suite/types.js";
import type { ResultError, ResultRecord, UsageRecord } from "./types.js";

/**
 * The text a grader sees: the reply's text blocks joined with nothing between them. The API
 * splits one answer into several text blocks (around citations, for example), so a separator
 * would insert characters the model never wrote. `thinking` and `redacted_thinking` blocks are
 * not the answer and are left out; a reply with no text block is the empty text.
 */
export function outputText(message: Message): string {
  return message.content.map((block) => (block.type === "text" ? block.text : "")).join("");
}

/** The reply's `tool_use` blocks: its structured content, for the graders that ask for it. */
export function toolCalls(message: Message): ToolCall[] {
  return message.content.flatMap((block) =>
    block.type === "tool_use" ? [{ name: block.name, input: block.input }] : [],
  );
}

function usageRecord(message: Message): UsageRecord {
  const u = message.usage;
  return {
    input_tokens: u.input_tokens,
    output_tokens: u.output_tokens,
    cache_creation_input_tokens: u.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: u.cache_read_input_tokens ?? 0,
    cache_creation:
      u.cache_creation === null || u.cache_creation === undefined
        ? null
        : {
            ephemeral_5m_input_tokens: u.cache_creation.ephemeral_5m_input_tokens ?? 0,
            ephemeral_1h_input_tokens: u.cache_creation.ephemeral_1h_input_tokens ?? 0,
          },
    service_tier: u.service_tier ?? null,
    inference_geo: u.inference_geo ?? null,
  };
}

/** Why a result that did not succeed has no output. */
export function resultError(
  result: Exclude<MessageBatchResult, { type: "succeeded" }>,
): ResultError {
  if (result.type === "errored") {
    const inner = result.error.error;
    return { type: `errored:${inner.type}`, message: inner.message };
  }
  if (result.type === "expired") {
    return { type: "expired", message: "the batch expired (24 h) before this request ran" };
  }
  return { type: "canceled", message: "the batch was canceled before this request ran" };
}

export interface RecordInput {
  request: CompiledRequest;
  evalCase: EvalCase;
  /** Undefined when the results hold no line for this request. */
  result: MessageBatchIndividualResponse | undefined;
  price: ModelPrice;
  /** The result came from the result cache, not from this run's batches. */
  replayed: boolean;
}

function base(request: CompiledRequest, replayed: boolean) {
  return {
    suite: request.suite,
    caseId: request.caseId,
    model: request.model,
    repeat: request.repeat,
    customId: request.customId,
    source: replayed ? ("cache" as const) : ("batch" as const),
  };
}

function errorRecord(request: CompiledRequest, error: ResultError): ResultRecord {
  return {
    ...base(request, false),
    outcome: "error",
    score: 0,
    output: "",
    stopReason: null,
    assertions: [],
    usage: null,
    cost: ZERO_COST,
    error,
  };
}

/** The report record of one request. */
export function buildRecord({
  request,
  evalCase,
  result,
  price,
  replayed,
}: RecordInput): ResultRecord {
  if (result === undefined) {
    return errorRecord(request, {
      type: "missing",
      message: "the batch results have no line for this request",
    });
  }
  const outcome = result.result;
  if (outcome.type !== "succeeded") return errorRecord(request, resultError(outcome));
  const message = outcome.message;
  const output = outputText(message);
  const calls = toolCalls(message);
  const grade = gradeCase(evalCase.assert, output, { vars: evalCase.vars, toolCalls: calls });
  const usage = usageRecord(message);
  const cost: CostFigures = priceUsage(usage, price);
  return {
    ...base(request, replayed),
    outcome: grade.pass ? "pass" : "fail",
    score: grade.score,
    output,
    stopReason: message.stop_reason,
    ...(calls.length > 0 ? { toolCalls: calls } : {}),
    assertions: grade.assertions,
    usage,
    cost,
  };
}
