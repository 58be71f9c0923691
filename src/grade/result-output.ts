/**
 * What grading reads from a batch result: the reply's text and tool calls, or why there is no
 * reply. Pure.
 */
import type { MessageBatchResult } from "@anthropic-ai/sdk/resources/messages/batches";
import type { Message } from "@anthropic-ai/sdk/resources/messages/messages";
import type { ResultError, ToolCall } from "./types.js";

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

/** A request the batch results hold no line for. */
export const MISSING_RESULT: ResultError = Object.freeze({
  type: "missing",
  message: "the batch results have no line for this request",
});
