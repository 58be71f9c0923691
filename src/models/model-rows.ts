/**
 * The rows of the model table (see model-table.ts for the fields). Checked on 2026-12-02
 * against these pages, besides each row's own:
 *
 * - minimum cacheable prefix: https://platform.claude.com/docs/en/build-with-claude/prompt-caching
 *   (512: Fable 5.1, Mythos 5.1, Opus 5, Fable 5, Mythos 5, Opus 5.5, Sonnet 5.5; 1024: Opus 4.8,
 *   Sonnet 5, Sonnet 4.6, Sonnet 4.5, Opus 4.1, Opus 4, Sonnet 4; 2048: Mythos Preview, Opus 4.7,
 *   Haiku 3.5; 4096: Opus 4.6, Opus 4.5, Haiku 4.5);
 * - thinking: https://platform.claude.com/docs/en/build-with-claude/thinking-troubleshooting
 *   (manual `enabled` is deprecated but accepted on the 4.6 models and rejected with a 400 on
 *   Claude 4.7 and later; on 4.5 and earlier it is the only mode; Mythos Preview takes both;
 *   only Sonnet 5.5 accepts `between_tools`, in place of `disabled`; "always on" models reject
 *   `disabled`), and https://platform.claude.com/docs/en/build-with-claude/adaptive-thinking;
 * - effort: https://platform.claude.com/docs/en/build-with-claude/effort (Opus 4.5 low–high;
 *   `max` from Opus 4.6/Sonnet 4.6; `xhigh` from Opus 4.7; Sonnet 4.5 and Haiku 4.5 none);
 * - inference_geo: https://platform.claude.com/docs/en/build-with-claude/data-residency
 *   (Opus 4.6, Sonnet 4.6 and later; older models answer 400; `us` costs 1.1×);
 * - retirement: https://platform.claude.com/docs/en/about-claude/model-deprecations and the
 *   SDK's own list, @anthropic-ai/sdk 1.14.0 internal/data/deprecated-models.js.
 */
import type { EffortLevel, ModelSpec, ThinkingType } from "./types.js";

const CHECKED = "2026-12-02";
const overview = (slug: string): string =>
  `https://platform.claude.com/docs/en/models/${slug}/overview`;
const MODELS = "https://platform.claude.com/docs/en/about-claude/models/overview";
const DEPRECATIONS = "https://platform.claude.com/docs/en/about-claude/model-deprecations";
const SDK_DEPRECATED = "@anthropic-ai/sdk 1.14.0 DEPRECATED_MODELS";
const SHARED = [
  "https://platform.claude.com/docs/en/build-with-claude/prompt-caching",
  "https://platform.claude.com/docs/en/build-with-claude/thinking-troubleshooting",
  "https://platform.claude.com/docs/en/build-with-claude/effort",
  "https://platform.claude.com/docs/en/build-with-claude/data-residency",
];

const ALL_EFFORT: readonly EffortLevel[] = ["low", "medium", "high", "xhigh", "max"];
const NO_XHIGH: readonly EffortLevel[] = ["low", "medium", "high", "max"];
const ALWAYS_ON: readonly ThinkingType[] = ["adaptive"];
const ADAPTIVE: readonly ThinkingType[] = ["adaptive", "disabled"];
const BOTH: readonly ThinkingType[] = ["enabled", "adaptive", "disabled"];
const MANUAL: readonly ThinkingType[] = ["enabled", "disabled"];
const NONE: readonly ThinkingType[] = ["disabled"];

type Row = Omit<ModelSpec, "aliases" | "sources" | "checked" | "inferenceGeo" | "tokenizer"> & {
  aliases?: readonly string[];
  sources: readonly string[];
};

/** A Claude 4.6-or-later row: `inference_geo` accepted. */
const geo = (row: Row, tokenizer: ModelSpec["tokenizer"] = "claude-4.7"): ModelSpec =>
  finish(row, true, tokenizer);
/** A row from before Opus 4.6: no `inference_geo`, the classic tokenizer. */
const old = (row: Row): ModelSpec => finish(row, false, "classic");

function finish(row: Row, inferenceGeo: boolean, tokenizer: ModelSpec["tokenizer"]): ModelSpec {
  return Object.freeze({
    ...row,
    aliases: row.aliases ?? [],
    inferenceGeo,
    tokenizer,
    sources: [...row.sources, ...SHARED],
    checked: CHECKED,
  });
}

const M = 1_000_000;
const K = 1_000;

/** Context window, max output and minimum cacheable prefix, in tokens. */
const limits = (contextWindow: number, maxOutput: number, minCacheTokens: number) => ({
  contextWindow,
  maxOutput,
  minCacheTokens,
});

/** The `thinking` types and effort levels a model accepts, and its life-cycle status. */
const accepts = (
  thinking: readonly ThinkingType[],
  effort: readonly EffortLevel[],
  status: ModelSpec["status"],
) => ({ thinking, effort, status });

/** Newest first. Context and output in tokens (1M = 1,000,000; 128K = 128,000). */
export const MODEL_ROWS: readonly ModelSpec[] = [
  geo({
    id: "claude-fable-5-2",
    ...limits(M, 128 * K, 512),
    ...accepts(ALWAYS_ON, ALL_EFFORT, "active"),
    sources: [MODELS],
    chosen: "minimum cacheable prefix not published: 512, as Fable 5.1",
  }),
  geo({
    id: "claude-mythos-5-2",
    ...limits(M, 128 * K, 512),
    ...accepts(ALWAYS_ON, ALL_EFFORT, "active"),
    sources: [MODELS],
    chosen: "limits, thinking and effort not published: those of Fable 5.2; minimum cache 512",
  }),
  geo({
    id: "claude-haiku-5-5",
    ...limits(M, 128 * K, 2048),
    ...accepts(ADAPTIVE, ALL_EFFORT, "active"),
    sources: [overview("haiku-5-5")],
    chosen:
      "minimum cacheable prefix not published: 2048 (conservative); effort levels not listed: all five",
  }),
  geo({
    id: "claude-sonnet-5-5",
    ...limits(M, 128 * K, 512),
    batchMaxOutputBeta: 300 * K,
    ...accepts(["adaptive", "between_tools"], ALL_EFFORT, "active"),
    sources: [
      overview("sonnet-5-5"),
      "https://platform.claude.com/docs/en/models/sonnet-5-5/whats-new-sonnet-5-5",
    ],
  }),
  geo({
    id: "claude-fable-5-1",
    ...limits(M, 128 * K, 512),
    ...accepts(ALWAYS_ON, ALL_EFFORT, "active"),
    sources: [overview("fable-5-1")],
  }),
  geo({
    id: "claude-mythos-5-1",
    ...limits(M, 128 * K, 512),
    ...accepts(ALWAYS_ON, ALL_EFFORT, "active"),
    sources: [overview("fable-5-1")],
    chosen: "shares Fable 5.1's specifications (limited availability)",
  }),
  geo({
    id: "claude-opus-5-5",
    ...limits(M, 128 * K, 512),
    ...accepts(ALWAYS_ON, ALL_EFFORT, "active"),
    sources: [overview("opus-5-5")],
  }),
  geo({
    id: "claude-sonnet-5",
    ...limits(M, 128 * K, 1024),
    batchMaxOutputBeta: 300 * K,
    ...accepts(ADAPTIVE, ALL_EFFORT, "legacy"),
    sources: [overview("sonnet-5")],
  }),
  geo({
    id: "claude-fable-5",
    ...limits(M, 128 * K, 512),
    ...accepts(ALWAYS_ON, ALL_EFFORT, "legacy"),
    sources: [overview("fable-5")],
  }),
  geo({
    id: "claude-mythos-5",
    ...limits(M, 128 * K, 512),
    ...accepts(ALWAYS_ON, ALL_EFFORT, "legacy"),
    sources: [overview("fable-5")],
    chosen: "shares Fable 5's specifications (by invitation only)",
  }),
  geo({
    id: "claude-opus-5",
    ...limits(M, 128 * K, 512),
    ...accepts(ADAPTIVE, ALL_EFFORT, "active"),
    sources: [overview("opus-5")],
  }),
  geo({
    id: "claude-opus-4-8",
    ...limits(M, 128 * K, 1024),
    ...accepts(ADAPTIVE, ALL_EFFORT, "legacy"),
    sources: [overview("opus-4-8")],
  }),
  geo({
    id: "claude-opus-4-7",
    ...limits(M, 128 * K, 2048),
    ...accepts(ADAPTIVE, ALL_EFFORT, "active"),
    sources: [overview("opus-4-7")],
  }),
  geo({
    id: "claude-mythos-preview",
    ...limits(M, 128 * K, 2048),
    ...accepts(BOTH, ALL_EFFORT, "deprecated"),
    retires: "2026-06-30",
    replacement: "claude-mythos-5",
    sources: [DEPRECATIONS, SDK_DEPRECATED],
    chosen:
      "context window and effort levels not found: 1M and all five; replacement as the deprecations page named it on 2026-09-17 (it names none now)",
  }),
  geo(
    {
      id: "claude-opus-4-6",
      ...limits(M, 128 * K, 4096),
      ...accepts(BOTH, NO_XHIGH, "legacy"),
      sources: [overview("opus-4-6")],
    },
    "classic",
  ),
  geo(
    {
      id: "claude-sonnet-4-6",
      ...limits(M, 64 * K, 1024),
      ...accepts(BOTH, NO_XHIGH, "active"),
      sources: [MODELS],
    },
    "classic",
  ),
  old({
    id: "claude-opus-4-5",
    aliases: ["claude-opus-4-5-20251101"],
    ...limits(200 * K, 64 * K, 4096),
    ...accepts(MANUAL, ["low", "medium", "high"], "deprecated"),
    retires: "2027-01-22",
    replacement: "claude-opus-5-5",
    sources: [overview("opus-4-5"), DEPRECATIONS, SDK_DEPRECATED],
  }),
  old({
    id: "claude-sonnet-4-5",
    aliases: ["claude-sonnet-4-5-20250929"],
    ...limits(200 * K, 64 * K, 1024),
    ...accepts(MANUAL, [], "deprecated"),
    retires: "2026-11-30",
    replacement: "claude-sonnet-5-5",
    sources: [overview("sonnet-4-5"), DEPRECATIONS, SDK_DEPRECATED],
  }),
  old({
    id: "claude-haiku-4-5",
    aliases: ["claude-haiku-4-5-20251001"],
    ...limits(200 * K, 64 * K, 4096),
    ...accepts(MANUAL, [], "legacy"),
    sources: [overview("haiku-4-5")],
  }),
  old({
    id: "claude-opus-4-1",
    aliases: ["claude-opus-4-1-20250805"],
    ...limits(200 * K, 32 * K, 1024),
    ...accepts(MANUAL, [], "retired"),
    retires: "2026-08-05",
    sources: [DEPRECATIONS],
    chosen:
      "retired: limits not re-checked; date from third-party release notes; no replacement found",
  }),
  old({
    id: "claude-opus-4-20250514",
    ...limits(200 * K, 32 * K, 1024),
    ...accepts(MANUAL, [], "retired"),
    retires: "2026-06-15",
    replacement: "claude-opus-4-8",
    sources: [DEPRECATIONS, "https://platform.claude.com/docs/en/release-notes/overview"],
    chosen: "retired: limits not re-checked",
  }),
  old({
    id: "claude-sonnet-4-20250514",
    ...limits(200 * K, 64 * K, 1024),
    ...accepts(MANUAL, [], "retired"),
    retires: "2026-06-15",
    replacement: "claude-sonnet-4-6",
    sources: [DEPRECATIONS, "https://platform.claude.com/docs/en/release-notes/overview"],
    chosen: "retired: limits not re-checked",
  }),
  old({
    id: "claude-3-5-haiku-20241022",
    ...limits(200 * K, 8_192, 2048),
    ...accepts(NONE, [], "retired"),
    replacement: "claude-haiku-4-5",
    sources: [DEPRECATIONS],
    chosen:
      "retired: limits not re-checked, retirement date not found; no thinking (only `disabled`)",
  }),
  old({
    id: "claude-3-haiku-20240307",
    ...limits(200 * K, 4_096, 2048),
    ...accepts(NONE, [], "retired"),
    retires: "2026-04-20",
    replacement: "claude-haiku-4-5",
    sources: [DEPRECATIONS, "https://platform.claude.com/docs/en/release-notes/overview"],
    chosen: "retired: limits not re-checked; minimum cache 2048 as for Haiku 3.5; no thinking",
  }),
];
