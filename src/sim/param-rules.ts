/**
 * The parameter checks of a Messages body that depend on the model table: which top-level
 * parameters exist, `thinking`, `output_config.effort` and `inference_geo`. Each throws the
 * `invalid_request_error` the API answers with; messages follow the API's wording where it is
 * known (`<name>: Extra inputs are not permitted`), else they say plainly what is wrong.
 */
import { EFFORT_LEVELS, MIN_THINKING_BUDGET, THINKING_TYPES } from "../models/model-table.js";
import type { EffortLevel, ModelSpec, ThinkingType } from "../models/types.js";
import { invalidRequest } from "./api-errors.js";

/** Where the body came from (see sim-request.ts). */
type Mode = "batch" | "sync" | "count";

/**
 * Body parameters of `messages.create` in @anthropic-ai/sdk 1.14.0 (`MessageCreateParamsBase`;
 * `user_profile_id` and `workspace_id` there are headers, not body fields).
 */
const CREATE_KEYS: ReadonlySet<string> = new Set([
  "max_tokens",
  "messages",
  "model",
  "cache_control",
  "container",
  "diagnostics",
  "inference_geo",
  "metadata",
  "output_config",
  "service_tier",
  "speed",
  "stop_sequences",
  "stream",
  "system",
  "thinking",
  "tool_choice",
  "tools",
]);
/** Body parameters of `messages.countTokens` (SDK 1.14.0 `MessageCountTokensParams`). */
const COUNT_KEYS: ReadonlySet<string> = new Set([
  "messages",
  "model",
  "cache_control",
  "output_config",
  "speed",
  "system",
  "thinking",
  "tool_choice",
  "tools",
]);
/** Sampling parameters: accepted by `messages.create` under 2023-06-01, removed in 2026-10-21. */
const SAMPLING = new Set(["temperature", "top_p", "top_k"]);

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const quoted = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(", ");

/** Rejects a top-level parameter the endpoint does not define, as the API does. */
export function checkKnownKeys(params: Json, version: string, mode: Mode): void {
  const allowed = mode === "count" ? COUNT_KEYS : CREATE_KEYS;
  for (const key of Object.keys(params)) {
    if (allowed.has(key)) continue;
    if (SAMPLING.has(key) && mode !== "count" && version === "2023-06-01") continue;
    throw invalidRequest(`${key}: Extra inputs are not permitted`);
  }
}

/**
 * Checks `thinking`: a known type, one the model accepts, and for `enabled` a `budget_tokens` of
 * at least 1024 and below `max_tokens` (count_tokens has no max_tokens, so only the minimum).
 * Returns the type, or undefined when the request sets none.
 */
export function checkThinking(
  value: unknown,
  row: ModelSpec,
  maxTokens: number,
  mode: Mode,
): ThinkingType | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value) || typeof value.type !== "string") {
    throw invalidRequest("thinking.type: Field required");
  }
  const type = THINKING_TYPES.find((t) => t === value.type);
  if (type === undefined) {
    throw invalidRequest(
      `thinking: Input tag '${value.type}' found using 'type' does not match any of the expected tags: ${quoted(THINKING_TYPES)}`,
    );
  }
  if (!row.thinking.includes(type)) {
    throw invalidRequest(
      `thinking.type: '${type}' is not supported on ${row.id}; it accepts ${quoted(row.thinking)}`,
    );
  }
  if (type === "enabled") checkBudget(value.budget_tokens, maxTokens, mode);
  return type;
}

function checkBudget(budget: unknown, maxTokens: number, mode: Mode): void {
  if (budget === undefined) throw invalidRequest("thinking.enabled.budget_tokens: Field required");
  if (typeof budget !== "number" || !Number.isInteger(budget)) {
    throw invalidRequest("thinking.enabled.budget_tokens: Input should be a valid integer");
  }
  if (budget < MIN_THINKING_BUDGET) {
    throw invalidRequest(
      `thinking.enabled.budget_tokens: Input should be greater than or equal to ${MIN_THINKING_BUDGET}`,
    );
  }
  if (mode !== "count" && budget >= maxTokens) {
    throw invalidRequest(
      `max_tokens: must be greater than thinking.budget_tokens (${maxTokens} <= ${budget})`,
    );
  }
}

/**
 * Checks `output_config` and its `effort`: a known level, on a model that takes effort at all,
 * and one of the levels it accepts. Returns the level, or undefined when none is set.
 */
export function checkEffort(value: unknown, row: ModelSpec): EffortLevel | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw invalidRequest("output_config: Input should be an object");
  const raw = value.effort;
  if (raw === undefined || raw === null) return undefined;
  const effort = EFFORT_LEVELS.find((e) => e === raw);
  if (effort === undefined) {
    throw invalidRequest(`output_config.effort: Input should be ${quoted(EFFORT_LEVELS)}`);
  }
  if (row.effort.length === 0) {
    throw invalidRequest(`output_config.effort: ${row.id} does not support the effort parameter`);
  }
  if (!row.effort.includes(effort)) {
    throw invalidRequest(
      `output_config.effort: '${effort}' is not supported on ${row.id}; it accepts ${quoted(row.effort)}`,
    );
  }
  return effort;
}

/**
 * Sonnet 5.5 runs `between_tools` only at low, medium and high effort (its "what's new" page);
 * the model table marks the only model that accepts the type.
 */
export function checkBetweenTools(
  thinking: ThinkingType | undefined,
  effort: EffortLevel | undefined,
): void {
  if (thinking === "between_tools" && (effort === "xhigh" || effort === "max")) {
    throw invalidRequest(
      `thinking.type: 'between_tools' cannot be combined with output_config.effort '${effort}'; use adaptive thinking`,
    );
  }
}

/**
 * The geography inference runs in: `global` (the default when unset, as the simulator has no
 * workspace default) or `us`. Any other value, or the parameter on a model older than Opus 4.6
 * / Sonnet 4.6, is a 400.
 */
export function inferenceGeo(value: unknown, row: ModelSpec): "global" | "us" {
  if (value === undefined || value === null) return "global";
  if (value !== "global" && value !== "us") {
    throw invalidRequest("inference_geo: Input should be 'global' or 'us'");
  }
  if (!row.inferenceGeo) {
    throw invalidRequest(
      `inference_geo: not supported on ${row.id}; it is available on Claude Opus 4.6, Claude Sonnet 4.6 and later models`,
    );
  }
  return value;
}

/**
 * The tool a request forces (`tool_choice` `tool` names one, `any` leaves the choice to the
 * model: the simulator takes the first), else undefined (`auto`, `none`, unset). The API then
 * prefills the assistant turn with the call, so no text comes before it; the simulator sends
 * the tool_use block alone (nothing after it either: a choice: unverified). Forced tool use and
 * extended thinking do not go together (400), which is checked on the request's `thinking`
 * only: a model whose thinking is always on, told nothing, is not refused (a choice:
 * unverified). A `tool` choice must name a tool the request offers (the error text is the
 * simulator's own). See docs/api-facts.md, "Forced tool use".
 */
export function forcedTool(
  value: unknown,
  toolNames: readonly string[],
  thinking: ThinkingType | undefined,
): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value) || typeof value.type !== "string") {
    throw invalidRequest("tool_choice.type: Field required");
  }
  const { type } = value;
  if (type === "auto" || type === "none") return undefined;
  if (type !== "any" && type !== "tool") {
    throw invalidRequest(
      `tool_choice: Input tag '${type}' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'`,
    );
  }
  if (thinking !== undefined && thinking !== "disabled") {
    throw invalidRequest("Thinking may not be enabled when tool_choice forces tool use.");
  }
  if (type === "any") {
    if (toolNames[0] === undefined) throw invalidRequest("tool_choice: 'any' needs `tools`");
    return toolNames[0];
  }
  if (typeof value.name !== "string") throw invalidRequest("tool_choice.tool.name: Field required");
  if (!toolNames.includes(value.name)) {
    throw invalidRequest(`tool_choice.name: no tool named '${value.name}' in tools`);
  }
  return value.name;
}
