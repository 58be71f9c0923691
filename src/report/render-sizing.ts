/** The five-step sizing report as text (see cost/sizing.ts). Pure. */
import { BATCH_CEILING_HOURS, type Sizing } from "../cost/sizing.js";
import { formatCount, formatPercent, formatUsd } from "./format.js";

function step1(s: Sizing): string {
  const v = s.volume;
  return `  ${s.model}: ${formatCount(v.requestsPerMonth)} requests a month, ${formatCount(v.inputTokens)} input and ${formatCount(v.outputTokens)} output tokens per request (${v.from})`;
}

function step2(s: Sizing): string {
  return `  ${s.model}: ${formatUsd(s.cost.syncPerMonth)} a month synchronous at the standard rate; ${formatUsd(s.cost.batchPerMonth)} in batch (half)`;
}

function step3(s: Sizing): string[] {
  const c = s.sharedContext;
  if (c.sharedPrefixTokens === 0) {
    return [
      `  ${s.model}: no shared prefix: caching has nothing to read; the batch baseline stands`,
    ];
  }
  const head = `  ${s.model}: shared prefixes are ${formatCount(c.sharedPrefixTokens)} tokens of a request on average, ${formatPercent(c.share)} of its prompt`;
  const lever = c.cachingIsALever
    ? `; above half, so caching is a main lever: read from the cache that portion costs ${c.readMultiplier}x input (on the batch rate too), and the month comes to ${formatUsd(c.batchCachedPerMonth)} in batch with caching`
    : `; with caching the month comes to ${formatUsd(c.batchCachedPerMonth)} in batch`;
  return [head + lever, ...c.warnings.map((w) => `    warning: ${w}`)];
}

function step4(s: Sizing): string {
  const e = s.engineering;
  return `  ${s.model}: ${e.days} engineering days at ${formatUsd(e.dayRate)} a day avoided (${formatUsd(e.avoided)}: rate limits, retries and queueing a synchronous pipeline needs); first year ${formatUsd(e.firstYearSync)} synchronous with that work, ${formatUsd(e.firstYearBatch)} in batch: ${formatUsd(e.firstYearSaving)} saved`;
}

function step5(sizings: readonly Sizing[]): string[] {
  const l = sizings[0]?.latency;
  if (l === undefined || l.budgetHours === null) {
    return [
      `  no --latency-budget given: a batch ends within ${BATCH_CEILING_HOURS} hours (most within one); give the budget to check it`,
    ];
  }
  const lines = [
    l.fitsBatch
      ? `  a budget of ${l.budgetHours} h fits: batches end within ${BATCH_CEILING_HOURS} hours, most within one`
      : `  a budget of ${l.budgetHours} h is under the ${BATCH_CEILING_HOURS}-hour ceiling: keep this workload synchronous (a batch may take up to ${BATCH_CEILING_HOURS} hours)`,
  ];
  if (l.delayCostWorst !== null && l.delayCostUsual !== null) {
    lines.push(
      `  waiting costs ${formatUsd(l.delayCostUsual)} for a batch that ends in the usual hour, ${formatUsd(l.delayCostWorst)} at the ${BATCH_CEILING_HOURS}-hour ceiling`,
    );
  }
  return lines;
}

export function renderSizing(sizings: readonly Sizing[]): string {
  const pitfalls = [...new Set(sizings.flatMap((s) => s.pitfalls))];
  return [
    "Sizing",
    "",
    "1. Volume and tokens",
    ...sizings.map(step1),
    "",
    "2. Synchronous cost and the batch baseline",
    ...sizings.map(step2),
    "",
    "3. Shared context",
    ...sizings.flatMap(step3),
    "",
    "4. Engineering cost avoided",
    ...sizings.map(step4),
    "",
    "5. Latency budget",
    ...step5(sizings),
    "",
    "Pitfalls",
    ...pitfalls.map((p) => `  - ${p}`),
    "",
  ].join("\n");
}
