/**
 * The text `batcheval estimate` prints: a table with a row per model and a total, each model's
 * shared prefixes with the warm-up decision, the budget-guard figure, and with a volume the
 * projected monthly cost. Pure: returns a string.
 */

import type { Workload, WorkloadEstimate } from "../cost/calculator.js";
import {
  type CostRange,
  type ModelEstimate,
  type PlanEstimate,
  projectVolume,
  worstCaseBatchCost,
} from "../cost/estimate.js";
import type { WarmupPlan } from "../cost/warmup-plan.js";
import { formatCount, formatPercent, formatUsd, textTable as table } from "./format.js";

/** What to show besides the estimate itself. */
export interface EstimateRenderOptions {
  /** Warm-up decision per model id; models without one show no warm-up line. */
  warmups?: ReadonlyMap<string, WarmupPlan>;
  /** Requests a month to project each model's cost to. */
  volume?: number;
}

/** Right-aligned columns after the first (the model). */
type Row = readonly string[];

const COST_HEADERS = ["sync", "batch", "batch+cache (low–high)"] as const;
const TABLE_HEADERS = [
  "model",
  "requests",
  "prompt tokens (est.)",
  "max output tokens",
  ...COST_HEADERS,
] as const;

/** The whole estimate as plain text. */
export function renderEstimate(
  estimate: PlanEstimate,
  options: EstimateRenderOptions = {},
): string {
  const rows: Row[] = estimate.models.map((m) => [
    m.model,
    formatCount(m.requests),
    formatCount(m.promptTokens),
    formatCount(m.maxOutputTokens),
    ...costCells(m.cost),
  ]);
  if (estimate.models.length > 1) rows.push(totalRow(estimate));
  const sections = [
    "Estimate: output at max_tokens (the worst case); tokens ≈ 4 characters each (×1.3 on Claude 4.7+).",
    "",
    table(TABLE_HEADERS, rows),
    "",
    "batch+cache: low = each shared prefix written once, then read by every other request;",
    "high = no cache hits, every request writes its prefix.",
    "",
    prefixSection(estimate.models, options.warmups),
    "",
    ...graderSection(estimate),
    `Worst-case batch cost (what --max-cost is compared with): ${formatUsd(worstCaseBatchCost(estimate))}`,
  ];
  if (options.volume !== undefined) sections.push("", volumeSection(estimate, options.volume));
  return `${sections.join("\n")}\n`;
}

/**
 * The grader models of model-graded assertions, billed apart: one question per model-graded
 * assertion and result, about an output at max_tokens. Nothing when no assertion asks one.
 */
function graderSection(estimate: PlanEstimate): string[] {
  if (estimate.graders.length === 0) return [];
  const rows = estimate.graders.map((m) => [
    m.model,
    formatCount(m.requests),
    formatCount(m.promptTokens),
    formatCount(m.maxOutputTokens),
    ...costCells(m.cost),
  ]);
  const headers = ["grader model", "questions", ...TABLE_HEADERS.slice(2)];
  return [
    "Grader models (model-graded assertions, billed apart from the models above; one question per assertion and result, about an output at max_tokens):",
    "",
    table(headers, rows),
    "",
  ];
}

function totalRow(estimate: PlanEstimate): Row {
  const sum = (pick: (m: ModelEstimate) => number) =>
    formatCount(estimate.models.reduce((n, m) => n + pick(m), 0));
  return [
    "total",
    sum((m) => m.requests),
    sum((m) => m.promptTokens),
    sum((m) => m.maxOutputTokens),
    ...costCells(estimate.total),
  ];
}

/** sync, batch, and the batch+cache range. */
function costCells(cost: CostRange): string[] {
  return [
    formatUsd(cost.high.standard),
    formatUsd(cost.high.batch),
    `${formatUsd(cost.low.batchCached)}–${formatUsd(cost.high.batchCached)}`,
  ];
}

/** Each model's shared prefixes and its warm-up decision. */
function prefixSection(
  models: readonly ModelEstimate[],
  warmups: ReadonlyMap<string, WarmupPlan> | undefined,
): string {
  const lines = ["Shared prefixes:"];
  for (const m of models) {
    if (m.sharedPrefixes.length === 0) {
      lines.push(
        `  ${m.model}: none cached (needs a cache: block of ≥${formatCount(m.minCacheableTokens)} tokens shared by ≥2 requests)`,
      );
      continue;
    }
    lines.push(`  ${m.model}:`);
    for (const p of m.sharedPrefixes) {
      lines.push(
        `    ${formatCount(p.tokens)} tokens, ${p.ttl} TTL, in ${formatCount(p.requests)} requests (${p.suites.join(", ")})`,
      );
    }
    const warmup = warmups?.get(m.model);
    if (warmup !== undefined) lines.push(`    ${warmupLine(warmup)}`);
  }
  return lines.join("\n");
}

/** "warm-up: worth it, saves ~$0.05" or why not. */
export function warmupLine(plan: WarmupPlan): string {
  if (plan.prefixes.length === 0 && plan.fiveMinutePrefixes > 0) {
    return "warm-up: none for 5m prefixes (a batch can outlive a 5m entry; use cache: 1h)";
  }
  const saving = `saves ~${formatUsd(plan.savingUsd)}`;
  return plan.worthIt ? `warm-up: worth it, ${saving}` : `warm-up: not worth the wait (${saving})`;
}

/** Per-model cost of `volume` requests a month, scaled from the per-request average. */
function volumeSection(estimate: PlanEstimate, volume: number): string {
  const rows = estimate.models.map((m) => [m.model, ...costCells(projectVolume(m, volume))]);
  return [
    `Projected at ${formatCount(volume)} requests a month (scaled from each model's average request):`,
    "",
    table(["model", ...COST_HEADERS.map((h) => `${h} / month`)], rows),
  ].join("\n");
}

/** A plain-text table: the first column left-aligned, the others right-aligned. */

/** Calculator mode: a workload's cost per model, with its cache writes and reads. */
export function renderWorkload(models: readonly WorkloadEstimate[], workload: Workload): string {
  const rows = models.map((m) => [
    m.model,
    formatCount(m.requests),
    formatCount(m.outputTokens),
    formatCount(m.cacheWrites),
    formatCount(m.cacheReads),
    formatUsd(m.cost.standard),
    formatUsd(m.cost.standardCached),
    formatUsd(m.cost.batch),
    formatUsd(m.cost.batchCached),
  ]);
  const shared = workload.sharedPrefixTokens ?? 0;
  const shape = `${formatCount(workload.requests)} requests of ${formatCount(workload.inputTokens)} prompt tokens (${
    shared === 0
      ? "no shared prefix"
      : `${formatCount(shared)} of them a shared prefix cached for ${workload.cacheTtl ?? "1h"}`
  })${workload.geo === "us" ? ", inference_geo us" : ""}`;
  const notes = models.flatMap((m) =>
    m.notCached === undefined
      ? []
      : [
          `${m.model}: a ${formatCount(shared)}-token prefix is below its minimum cacheable prefix of ${formatCount(m.notCached.minimum)} tokens: nothing is cached, the prefix is priced as input.`,
        ],
  );
  return `${shape}:

${table(["model", "requests", "output/request", "cache writes", "cache reads", "standard", "standard+cache", "batch", "batch+cache"], rows)}
${notes.map((n) => `\n${n}`).join("")}`;
}

/** One model's estimate on what a previous run measured, or that the run has no figures for it. */
export type MeasuredRow =
  | {
      model: string;
      measured: { outputTokensPerRequest: number; cacheHitRate: number };
      estimate: WorkloadEstimate;
    }
  | { model: string; missing: true };

/** `estimate --from REPORT`: the plan priced on a previous run's output tokens and hit rate. */
export function renderMeasured(runId: string, rows: readonly MeasuredRow[]): string {
  const known = rows.flatMap((r) => ("missing" in r ? [] : [r]));
  const table_ = table(
    ["model", "requests", "output/request", "cache hit", "standard", "batch", "batch+cache"],
    known.map((r) => [
      r.model,
      formatCount(r.estimate.requests),
      formatCount(Math.round(r.measured.outputTokensPerRequest)),
      formatPercent(r.measured.cacheHitRate),
      formatUsd(r.estimate.cost.standard),
      formatUsd(r.estimate.cost.batch),
      formatUsd(r.estimate.cost.batchCached),
    ]),
  );
  const missing = rows.flatMap((r) => ("missing" in r ? [r.model] : []));
  const note =
    missing.length === 0
      ? ""
      : `\nNot in run ${runId}, so only the worst case above applies: ${missing.join(", ")}.\n`;
  return `
Measured in run ${runId} (its mean output tokens and cache hit rate per model, in place of max_tokens and the range; the prompt beyond the shared prefixes spread evenly):

${table_}
${note}`;
}
