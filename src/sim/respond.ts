/**
 * Builds the simulated model's answer: picks the reply from the fixture rules (or the
 * deterministic default), applies stop sequences and `max_tokens`, and assembles a full
 * Message with every usage key the SDK types declare.
 */
import type { ContentBlock, Message, StopReason } from "@anthropic-ai/sdk/resources/messages";
import type { CacheUsage } from "./prompt-cache.js";
import type { RuleIndex } from "./rule-index.js";
import { digest, newId } from "./seeded.js";
import type { SimRequest } from "./sim-request.js";
import { countTextTokens, truncateToTokens } from "./tokens.js";

/** What the model says when no rule matches: a labelled hash-derived text, or an echo. */
export type DefaultReply = "digest" | "echo";

/** The reply chosen for a request, before limits apply. */
export interface ReplyPlan {
  text: string;
  /** How `text` splits into text blocks (their lengths sum to its length); one block if absent. */
  blocks?: string[];
  /** A thinking block before the answer. */
  thinking?: string;
  toolUse?: { name: string; input: unknown };
  /** Stop with `max_tokens` even when the text would fit. */
  forceMaxTokens: boolean;
}

/** Chooses the reply: the first matching rule, else the default; a forced tool call wins. */
export function planReply(
  request: SimRequest,
  rules: RuleIndex,
  defaultReply: DefaultReply,
): ReplyPlan {
  const plan = chosenReply(request, rules, defaultReply);
  return request.forcedTool === undefined ? plan : forcedCall(plan, request.forcedTool);
}

/**
 * The reply under a forced tool call: the call alone, no text (the API prefills the assistant
 * turn with it). Its input is the rule's `tool_use` input when the rule calls that tool, else
 * the reply text parsed when it is a JSON object (a `json:` rule's value), else
 * `{"text": <reply>}`: what the fixture said, kept visible.
 */
function forcedCall(plan: ReplyPlan, name: string): ReplyPlan {
  const { blocks: _, thinking: __, ...rest } = plan;
  if (plan.toolUse?.name === name) return { ...rest, text: "" };
  return {
    ...rest,
    text: "",
    toolUse: { name, input: jsonObject(plan.text) ?? { text: plan.text } },
  };
}

function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function chosenReply(request: SimRequest, rules: RuleIndex, defaultReply: DefaultReply): ReplyPlan {
  const rule = rules.find(request);
  if (!rule) {
    const text = defaultReply === "echo" ? request.lastUserText : defaultText(request);
    return { text, forceMaxTokens: false };
  }
  const text = rule.echo
    ? request.lastUserText
    : "json" in rule
      ? JSON.stringify(rule.json)
      : rule.replies
        ? (rule.replies[rules.nextTurn(rule, request) % rule.replies.length] ?? "")
        : (rule.reply ?? "");
  const plan: ReplyPlan = { text, forceMaxTokens: rule.stopReason === "max_tokens" };
  if (rule.toolUse) plan.toolUse = rule.toolUse;
  if (rule.replyBlocks) plan.blocks = rule.replyBlocks;
  if (rule.thinking !== undefined) plan.thinking = rule.thinking;
  return plan;
}

/** How the default reply starts, so a run can count the requests no fixture answered. */
export const DEFAULT_REPLY_PREFIX = "[sim default reply]";

/** `[sim default reply] …`: stable for the same model and prompt, different otherwise. */
function defaultText(request: SimRequest): string {
  const hash = digest(request.model, ...request.blocks.map((b) => b.fingerprint)).slice(0, 12);
  return `${DEFAULT_REPLY_PREFIX} No fixture matched this prompt on ${request.model} (prompt digest ${hash}).`;
}

/** Assembles the Message for a plan, with the caching usage already computed. */
export function buildMessage(
  request: SimRequest,
  plan: ReplyPlan,
  cache: CacheUsage,
  serviceTier: "batch" | "standard",
): Message {
  const { spec, maxTokens } = request;
  let text = plan.text;
  let stopReason: StopReason = plan.toolUse ? "tool_use" : "end_turn";
  let stopSequence: string | null = null;
  const stop = earliestStop(text, request.stopSequences);
  if (stop) {
    text = text.slice(0, stop.index);
    stopReason = "stop_sequence";
    stopSequence = stop.sequence;
  }
  const thinkingTokens = plan.thinking === undefined ? 0 : countTextTokens(plan.thinking, spec);
  let outputTokens = countTextTokens(text, spec) + thinkingTokens;
  const toolJson = plan.toolUse && !stop ? JSON.stringify(plan.toolUse) : "";
  outputTokens += toolJson ? countTextTokens(toolJson, spec) : 0;
  const truncated = plan.forceMaxTokens || outputTokens > maxTokens;
  if (truncated) {
    text = truncateToTokens(text, maxTokens, spec);
    stopReason = "max_tokens";
    stopSequence = null;
    outputTokens = maxTokens;
  }
  const content: ContentBlock[] = [];
  if (plan.thinking !== undefined) {
    content.push({
      type: "thinking",
      thinking: plan.thinking,
      signature: `sim-${digest(plan.thinking).slice(0, 16)}`,
    });
  }
  if (text !== "" || !plan.toolUse) {
    for (const block of splitLike(text, plan.blocks)) {
      content.push({ type: "text", text: block, citations: null });
    }
  }
  if (plan.toolUse && toolJson && !truncated) {
    const { name, input } = plan.toolUse;
    content.push({ type: "tool_use", id: newId("toolu"), name, input, caller: { type: "direct" } });
  }
  return {
    id: newId("msg"),
    type: "message",
    role: "assistant",
    model: request.model,
    content,
    stop_reason: stopReason,
    stop_sequence: stopSequence,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: {
      // Field by field, not spread: spreading was most of this function's time.
      input_tokens: cache.input_tokens,
      cache_creation_input_tokens: cache.cache_creation_input_tokens,
      cache_read_input_tokens: cache.cache_read_input_tokens,
      cache_creation: cache.cache_creation,
      output_tokens: outputTokens,
      service_tier: serviceTier,
      inference_geo: request.inferenceGeo,
      server_tool_use: null,
      output_tokens_details: null,
      speed: "standard",
    },
  };
}

/** `text` (a prefix of the blocks' concatenation, once cut) split at the blocks' boundaries. */
function splitLike(text: string, blocks: readonly string[] | undefined): string[] {
  if (blocks === undefined || blocks.length < 2) return [text];
  const parts: string[] = [];
  let at = 0;
  for (const block of blocks) {
    if (at >= text.length) break;
    parts.push(text.slice(at, at + block.length));
    at += block.length;
  }
  return parts.length > 0 ? parts : [text];
}

function earliestStop(
  text: string,
  sequences: readonly string[],
): { index: number; sequence: string } | undefined {
  let best: { index: number; sequence: string } | undefined;
  for (const sequence of sequences) {
    const index = text.indexOf(sequence);
    if (index !== -1 && (!best || index < best.index)) best = { index, sequence };
  }
  return best;
}
