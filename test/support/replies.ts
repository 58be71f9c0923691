/** A model's text reply as the API returns it, for tests that build results by hand. */
import type { MessageBatchSucceededResult } from "@anthropic-ai/sdk/resources/messages/batches";
import type { Message } from "@anthropic-ai/sdk/resources/messages/messages";

/** A Message whose only block is `text`, with the given usage. */
export function textMessage(
  text: string,
  usage: { input_tokens: number; output_tokens: number } = { input_tokens: 1, output_tokens: 1 },
): Message {
  return {
    id: "msg_1",
    type: "message",
    role: "assistant",
    model: "claude-haiku-4-5",
    content: [{ type: "text", text, citations: null }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage,
  } as Message;
}

/** A succeeded batch result carrying that message. */
export function succeededResult(
  text: string,
  usage?: { input_tokens: number; output_tokens: number },
): MessageBatchSucceededResult {
  return { type: "succeeded", message: textMessage(text, usage) };
}
