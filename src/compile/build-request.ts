/** Turns one rendered case into the Messages API params of one request. Pure. */
import type {
  MessageCreateParamsNonStreaming,
  TextBlockParam,
} from "@anthropic-ai/sdk/resources/messages/messages";
import type { EvalCase } from "../suite/types.js";

/**
 * Request blocks by the case's system array: cases that share one (a system prompt without
 * placeholders, see expandSuite) share their request blocks too, on every model, so a shared
 * prefix is held once in memory, not once per request. The SDK and the runner only read them.
 */
const sharedBlocks = new WeakMap<EvalCase["system"], TextBlockParam[]>();

/** The system blocks, with `cache_control` on the breakpoint block. */
function systemBlocks(evalCase: EvalCase): TextBlockParam[] {
  let blocks = sharedBlocks.get(evalCase.system);
  if (blocks === undefined) {
    blocks = buildBlocks(evalCase);
    sharedBlocks.set(evalCase.system, blocks);
  }
  return blocks;
}

function buildBlocks(evalCase: EvalCase): TextBlockParam[] {
  return evalCase.system.map((block) => {
    const param: TextBlockParam = { type: "text", text: block.text };
    if (block.cache !== undefined) param.cache_control = { type: "ephemeral", ttl: block.cache };
    return param;
  });
}

/** The request params for `evalCase` on `model`: suite params first, then the case's content. */
export function buildRequest(evalCase: EvalCase, model: string): MessageCreateParamsNonStreaming {
  // Copied with Object.assign, then the keys added one by one: a spread (`{ ...params, model }`)
  // gives every request its own hidden class in V8, and then every function reading params
  // (sizing, serializing, hashing, the simulator) reads 30,000 shapes instead of one.
  const params = Object.assign({}, evalCase.params) as unknown as MessageCreateParamsNonStreaming;
  params.model = model;
  params.messages = evalCase.messages.map((m) => ({ role: m.role, content: m.content }));
  if (evalCase.system.length > 0) params.system = systemBlocks(evalCase);
  return params;
}

/**
 * The shared, cacheable prefix of a case: tools and the system blocks up to and including the
 * breakpoint, or undefined when the case marks no breakpoint.
 */
export function cachePrefix(evalCase: EvalCase): string | undefined {
  const breakpoint = evalCase.system.findIndex((block) => block.cache !== undefined);
  if (breakpoint < 0) return undefined;
  const tools = evalCase.params.tools === undefined ? "" : JSON.stringify(evalCase.params.tools);
  return (
    tools +
    evalCase.system
      .slice(0, breakpoint + 1)
      .map((block) => block.text)
      .join("\n")
  );
}
