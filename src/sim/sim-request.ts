/**
 * Validates one Messages request body (a batch entry's `params`, a `POST /v1/messages` body or a
 * `count_tokens` body) and reduces it to what the simulator needs: the model, limits, the
 * prompt as cacheable blocks in prefix order (tools → system → messages), and the texts that
 * fixture rules match on. Problems throw {@link ApiError}s.
 */
import { ApiError, invalidRequest } from "./api-errors.js";
import { findModel, type SimModel } from "./models.js";
import {
  checkBetweenTools,
  checkEffort,
  checkKnownKeys,
  checkThinking,
  forcedTool,
  inferenceGeo,
} from "./param-rules.js";
import { countTextTokens, IMAGE_TOKENS, MESSAGE_OVERHEAD } from "./tokens.js";

/** Cache TTL of a breakpoint. */
export type CacheTtl = "5m" | "1h";

/** One block of the prompt, in prefix order. */
export interface PromptBlock {
  /** Estimated tokens, including the message overhead on a message's first block. */
  tokens: number;
  /** Canonical JSON of the block without its `cache_control`: what the cache prefix hashes. */
  fingerprint: string;
  /** The TTL when this block is a cache breakpoint, else null. */
  ttl: CacheTtl | null;
}

/** A validated request. */
export interface SimRequest {
  model: string;
  spec: SimModel;
  /** `max_tokens` (0 for count_tokens, which has none). */
  maxTokens: number;
  stopSequences: string[];
  blocks: PromptBlock[];
  /** The system prompt's text (blocks joined by newlines); "" when there is none. */
  systemText: string;
  /** Text of the last user message (string content or its text blocks joined). */
  lastUserText: string;
  /** Names of the tools offered, in order. */
  toolNames: string[];
  /** The tool `tool_choice` forces (see forcedTool); the reply is then that call alone. */
  forcedTool?: string;
  /** Where inference runs: the requested `inference_geo`, `global` when unset. */
  inferenceGeo: "global" | "us";
}

/** Where the body came from: the rules differ slightly. */
export type RequestMode = "batch" | "sync" | "count";

/** The most cache breakpoints one request may carry. */
export const MAX_BREAKPOINTS = 4;

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const withoutCache = ({ cache_control: _, ...rest }: Json): Json => rest;

/**
 * Fingerprints of plain system text blocks by their text. The requests of a batch share their
 * system texts (one string, see routes.ts), so a 2 KB prompt is serialized once, not once per
 * request. Bounded: cleared when it holds many texts.
 */
const textFingerprints = new Map<string, string>();
/** The same for a `system` given as one string. */
const stringFingerprints = new Map<string, string>();

/** `JSON.stringify(["system", block without cache_control])`, memoized for plain blocks. */
function systemFingerprint(block: Json): string {
  const keys = Object.keys(block);
  const plain =
    typeof block.text === "string" &&
    keys.every((k) => k === "type" || k === "text" || k === "cache_control") &&
    keys[0] === "type" &&
    keys[1] === "text";
  if (!plain) return JSON.stringify(["system", withoutCache(block)]);
  return memoized(textFingerprints, block.text as string, () =>
    JSON.stringify(["system", withoutCache(block)]),
  );
}

/** The fingerprint memoized in `memo` under `text`. */
function memoized(memo: Map<string, string>, text: string, fingerprint: () => string): string {
  let known = memo.get(text);
  if (known === undefined) {
    known = fingerprint();
    if (memo.size >= 10_000) memo.clear();
    memo.set(text, known);
  }
  return known;
}

/**
 * Validates `params` and builds the {@link SimRequest}. `now` (epoch ms, the simulator's clock)
 * decides which models are retired. Throws ApiError on any problem: an unknown or retired model
 * is `not_found_error` (`model: <id>`), everything else `invalid_request_error`.
 */
export function parseSimRequest(
  params: unknown,
  version: string,
  mode: RequestMode,
  now: number = Date.now(),
): SimRequest {
  if (!isRecord(params)) throw invalidRequest("params: Input should be an object");
  checkKnownKeys(params, version, mode);
  const model = params.model;
  if (typeof model !== "string" || model === "") throw invalidRequest("model: Field required");
  const spec = findModel(model, now);
  if (!spec) throw new ApiError(404, "not_found_error", `model: ${model}`);
  const maxTokens = mode === "count" ? 0 : checkMaxTokens(params.max_tokens, mode, model, spec);
  const thinking = checkThinking(params.thinking, spec.row, maxTokens, mode);
  checkBetweenTools(thinking, checkEffort(params.output_config, spec.row));
  const geo = mode === "count" ? "global" : inferenceGeo(params.inference_geo, spec.row);
  if (params.stream === true && mode !== "count") {
    throw invalidRequest(
      mode === "batch"
        ? "stream: streaming is not supported in batch requests"
        : "stream: the simulator does not support streaming responses",
    );
  }
  const blocks: PromptBlock[] = [];
  const toolNames = addTools(params.tools, spec, blocks);
  const forced = mode === "count" ? undefined : forcedTool(params.tool_choice, toolNames, thinking);
  const systemText = addSystem(params.system, spec, blocks);
  const lastUserText = addMessages(params.messages, spec, blocks);
  addAutomaticBreakpoint(params.cache_control, blocks);
  checkBreakpoints(blocks);
  checkContextWindow(blocks, spec);
  return {
    model,
    spec,
    maxTokens,
    stopSequences: stopSequences(params.stop_sequences),
    blocks,
    systemText,
    lastUserText,
    toolNames,
    ...(forced === undefined ? {} : { forcedTool: forced }),
    inferenceGeo: geo,
  };
}

/**
 * A prompt (every block, as the simulator counts tokens) above the model's context window is
 * refused as the API refuses it. Input plus max_tokens above the window is not checked: newer
 * models stop with `model_context_window_exceeded` instead, which the simulator does not model.
 */
function checkContextWindow(blocks: readonly PromptBlock[], spec: SimModel): void {
  const total = blocks.reduce((sum, b) => sum + b.tokens, 0);
  if (total > spec.row.contextWindow) {
    throw invalidRequest(`prompt is too long: ${total} tokens > ${spec.row.contextWindow} maximum`);
  }
}

function checkMaxTokens(value: unknown, mode: RequestMode, model: string, spec: SimModel): number {
  if (value === undefined) throw invalidRequest("max_tokens: Field required");
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw invalidRequest("max_tokens: Input should be a valid integer");
  }
  const min = mode === "batch" ? 1 : 0;
  if (value < min)
    throw invalidRequest(`max_tokens: Input should be greater than or equal to ${min}`);
  if (value > spec.maxTokens) {
    throw invalidRequest(`max_tokens: ${value} > ${spec.maxTokens}, the maximum for ${model}`);
  }
  return value;
}

function stopSequences(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((s) => typeof s === "string")) {
    throw invalidRequest("stop_sequences: Input should be a list of strings");
  }
  return value.filter((s) => s !== "");
}

function cacheTtl(value: unknown, where: string): CacheTtl | null {
  if (value === undefined || value === null) return null;
  if (!isRecord(value) || value.type !== "ephemeral") {
    throw invalidRequest(`${where}.cache_control.type: Input should be 'ephemeral'`);
  }
  const ttl = value.ttl ?? "5m";
  if (ttl !== "5m" && ttl !== "1h") {
    throw invalidRequest(`${where}.cache_control.ttl: Input should be '5m' or '1h'`);
  }
  return ttl;
}

function addTools(tools: unknown, spec: SimModel, blocks: PromptBlock[]): string[] {
  if (tools === undefined || tools === null) return [];
  if (!Array.isArray(tools)) throw invalidRequest("tools: Input should be a valid list");
  return tools.map((tool, i) => {
    if (!isRecord(tool) || typeof tool.name !== "string") {
      throw invalidRequest(`tools.${i}.name: Field required`);
    }
    const fingerprint = JSON.stringify(["tool", withoutCache(tool)]);
    const ttl = cacheTtl(tool.cache_control, `tools.${i}`);
    blocks.push({ tokens: countTextTokens(fingerprint, spec), fingerprint, ttl });
    return tool.name;
  });
}

function addSystem(system: unknown, spec: SimModel, blocks: PromptBlock[]): string {
  if (system === undefined || system === null) return "";
  if (typeof system === "string") {
    blocks.push({
      tokens: countTextTokens(system, spec),
      fingerprint: memoized(stringFingerprints, system, () => JSON.stringify(["system", system])),
      ttl: null,
    });
    return system;
  }
  if (!Array.isArray(system))
    throw invalidRequest("system: Input should be a string or a list of text blocks");
  const texts = system.map((block, i) => {
    if (!isRecord(block) || block.type !== "text" || typeof block.text !== "string") {
      throw invalidRequest(`system.${i}: Input should be a text block`);
    }
    const ttl = cacheTtl(block.cache_control, `system.${i}`);
    const fingerprint = systemFingerprint(block);
    blocks.push({ tokens: countTextTokens(block.text, spec), fingerprint, ttl });
    return block.text;
  });
  return texts.join("\n");
}

/** Adds every message's blocks; returns the last user message's text. */
function addMessages(messages: unknown, spec: SimModel, blocks: PromptBlock[]): string {
  if (messages === undefined) throw invalidRequest("messages: Field required");
  if (!Array.isArray(messages)) throw invalidRequest("messages: Input should be a valid list");
  if (messages.length === 0) throw invalidRequest("messages: at least one message is required");
  let lastUserText = "";
  messages.forEach((message, i) => {
    const where = `messages.${i}`;
    if (!isRecord(message)) throw invalidRequest(`${where}: Input should be an object`);
    const role = message.role;
    if (role !== "user" && role !== "assistant" && role !== "system") {
      throw invalidRequest(`${where}.role: Input should be 'user', 'assistant' or 'system'`);
    }
    const texts: string[] = [];
    messageParts(message.content, where).forEach((part, j) => {
      if (part.type === "text" && typeof part.text === "string") texts.push(part.text);
      const ttl = cacheTtl(part.cache_control, `${where}.content.${j}`);
      const fingerprint = JSON.stringify([role, withoutCache(part)]);
      const tokens = partTokens(part, fingerprint, spec) + (j === 0 ? MESSAGE_OVERHEAD : 0);
      blocks.push({ tokens, fingerprint, ttl });
    });
    if (role === "user") lastUserText = texts.join("\n");
  });
  return lastUserText;
}

/** A message's content as blocks (a string is one text block). */
function messageParts(content: unknown, where: string): Json[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  if (!Array.isArray(content)) {
    throw invalidRequest(`${where}.content: Input should be a string or a list of blocks`);
  }
  return content.map((part: unknown, j) => {
    if (!isRecord(part) || typeof part.type !== "string") {
      throw invalidRequest(`${where}.content.${j}.type: Field required`);
    }
    return part;
  });
}

/** Text blocks count their text; images a flat size; anything else its JSON. */
function partTokens(part: Json, fingerprint: string, spec: SimModel): number {
  if (part.type === "text" && typeof part.text === "string")
    return countTextTokens(part.text, spec);
  if (part.type === "image") return IMAGE_TOKENS;
  return countTextTokens(fingerprint, spec);
}

/** Top-level `cache_control` (automatic caching) marks the last block. */
function addAutomaticBreakpoint(value: unknown, blocks: PromptBlock[]): void {
  const ttl = cacheTtl(value, "cache_control");
  const last = blocks.at(-1);
  if (ttl === null || !last) return;
  if (last.ttl !== null && last.ttl !== ttl) {
    throw invalidRequest(
      "cache_control: automatic caching TTL differs from the explicit breakpoint on the last block",
    );
  }
  last.ttl = ttl;
}

function checkBreakpoints(blocks: PromptBlock[]): void {
  let count = 0;
  let seen5m = false;
  let late1h = false;
  for (const { ttl } of blocks) {
    if (ttl === null) continue;
    count++;
    if (ttl === "5m") seen5m = true;
    else if (seen5m) late1h = true;
  }
  if (count > MAX_BREAKPOINTS) {
    throw invalidRequest(
      `A maximum of ${MAX_BREAKPOINTS} blocks with cache_control may be provided. Found ${count}.`,
    );
  }
  if (late1h) {
    throw invalidRequest(
      "cache_control: a ttl='1h' breakpoint must not come after a ttl='5m' breakpoint",
    );
  }
}
