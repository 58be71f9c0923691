/**
 * index.html: one self-contained file (inline CSS and JS, no network, opens from disk) that
 * reads at a glance: the verdict with what it costs and saves, the suite × model grid, the
 * cost-vs-pass-rate charts, the model table, and the case × model matrix with each case's
 * details. Pure: the page is a function of the report.
 *
 * Everything but the matrix is HTML, escaped here, and reads without JavaScript. The matrix is
 * data: a page of 300,000 results as DOM rows would not be usable, so the cases are embedded as
 * compact JSON and html-script.ts draws a page of rows at a time. The JSON sits in
 * `<script type="application/json">` elements with every `<` written `\u003c`, so no string in
 * it can close the element or open a comment. Its layout:
 *
 * - `#be-cases`: `{models, suites, chunk, rows}`, a row per case in the results' order:
 *   `[suite index, caseId, codes, notes, scores]`, each of the last three with one entry per
 *   model. codes: the outcome of each sample, one letter each (`p`ass, `f`ail, `e`rror,
 *   `s`kipped; empty when the model did not run the case). notes: for a case run more than
 *   once, `[passed, samples, outcome, toPass or null, flaky 0/1, interval low, high]`, else 0.
 *   scores: the mean score of the samples, or null.
 * - `#be-d0`, `#be-d1`…: the details of `chunk` cases each, parsed only when one is opened:
 *   `{input, results}`, input the case's CaseInput without suite and caseId (or null), results
 *   `[model index, repeat, outcome letter, score, output, outputChars or null, customId,
 *   stopReason, toolCalls as [name, input] or null, error as [type, message] or null,
 *   assertions as [type, pass, score, reason, error or null], usage as [input, output,
 *   cache write, cache read] or null, cost as [standard, standardCached, batch, batchCached],
 *   source]`.
 */
import { formatCount, formatInterval, formatPercent, formatUsd } from "./format.js";
import { renderCharts } from "./html-chart.js";
import { escapeHtml } from "./html-escape.js";
import { MATRIX_SCRIPT } from "./html-script.js";
import { formatChange } from "./render-compare.js";
import type {
  BatchRecord,
  CaseInput,
  CaseSamples,
  CostSummary,
  ModelSummary,
  Report,
  ResultRecord,
  ResultRef,
} from "./types.js";

/** Cases per details chunk: opening one parses a chunk of about this many. */
const DETAIL_CHUNK = 500;

const STYLE = `:root{--line:#d0d7de;--muted:#656d76;--pass:#1a7f37;--fail:#cf222e;--error:#9a6700}
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;padding:16px 24px;max-width:1280px;color:#1f2328}
h1{font-size:20px;margin:8px 0}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line)}h4{margin:8px 0 4px;font-size:14px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}td.num,#models td:first-child{white-space:nowrap}
.wide{overflow-x:auto}
.pass{color:var(--pass)}.fail{color:var(--fail)}.error{color:var(--error)}.skipped{color:#888}
.muted,.tick{color:var(--muted);fill:var(--muted);font-size:12px}
.banner{background:#fff8c5;border:2px solid #d4a72c;padding:8px 12px;font-weight:700;letter-spacing:.02em;margin:8px 0}
#verdict{border:1px solid var(--line);border-radius:6px;padding:12px 16px;margin:12px 0}
#verdict .headline{font-size:18px;font-weight:600;margin:0 0 6px}.figures{display:flex;flex-wrap:wrap;gap:8px 36px;margin:8px 0}
.figure .label{color:var(--muted);font-size:12px}.figure .value{font-size:22px;font-weight:600}#verdict ul{margin:6px 0;padding-left:20px}
td.cell-pass{background:#dafbe1}td.cell-fail{background:#ffebe9}td.cell-uncertain{background:#fff8c5}
.charts{display:flex;flex-wrap:wrap;gap:12px}.chart{margin:0;flex:1 1 420px;max-width:640px;font-size:12px}
.chart figcaption{font-weight:600}.chart svg{width:100%;height:auto}
pre{white-space:pre-wrap;word-break:break-word;max-width:100%;margin:4px 0;background:#f6f8fa;padding:6px;max-height:24em;overflow:auto}
#filters{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;margin:8px 0}
#matrix button.case-id{font:inherit;background:none;border:0;padding:0;color:#0969da;cursor:pointer;text-align:left}
#matrix tr.detail>td{background:#fbfcfd}.result{border-top:1px solid var(--line);padding:4px 0}.role{font-weight:600;font-size:12px}
.assertions li{margin:4px 0}.expected,.reason{font-size:13px;color:#1f2328}.samples{margin-left:2px;font-weight:600}`;

const LETTER = { pass: "p", fail: "f", error: "e", skipped: "s" } as const;

/** JSON that cannot end its `<script>` element or open a comment inside it. */
function scriptJson(value: unknown): string {
  const json = JSON.stringify(value);
  // replace() copies the string even when nothing matches; most case data has no `<`.
  return json.includes("<") ? json.replace(/</g, "\\u003c") : json;
}

/** A saving, or what caching added when it cost more than it saved. */
function saving(amount: number): string {
  return amount < 0 ? `−${formatUsd(-amount)}` : formatUsd(amount);
}

/**
 * What batch pricing and prompt caching saved against standard pricing. The split follows one
 * path, standard → batch → batch with caching: the batch discount is `standard − batch` (the
 * same requests, uncached, at batch prices) and caching the rest, `batch − batchCached`.
 */
function savings(cost: CostSummary): string {
  const total = cost.standard - cost.batchCached;
  const batch = cost.standard - cost.batch;
  const caching = cost.batch - cost.batchCached;
  return figure(
    "saved against standard pricing",
    `<span class="saved">${saving(total)}</span> <span class="muted">of ${formatUsd(cost.standard)}</span>`,
    `batch discount <span class="batch-discount">${saving(batch)}</span> (standard − batch) · prompt caching <span class="caching-saving">${saving(caching)}</span> (batch − batch with caching)`,
  );
}

/** One figure of the verdict: a label, the value, and a line under it. */
function figure(label: string, value: string, note = ""): string {
  return `<div class="figure"><div class="label">${label}</div><div class="value">${value}</div>${note === "" ? "" : `<div class="muted">${note}</div>`}</div>`;
}

/** How a model fares against the suites: the ones it misses, or that it passes them all. */
function standing(m: ModelSummary, thresholds: ReadonlyMap<string, number>): string {
  const misses = m.suites.filter((s) => !s.passes);
  const name = `<strong>${escapeHtml(m.model)}</strong>`;
  if (misses.length === 0 && m.suites.length > 0) {
    return `<li>${name} <span class="pass">passes every suite</span> for ${formatUsd(m.cost.batchCached)}, at ${formatPercent(m.passRate)}</li>`;
  }
  if (misses.length === 0) return `<li>${name}: no graded results</li>`;
  const listed = misses.map((s) => {
    // Reports written before `trials` was recorded count every result as one.
    const trials = s.trials ?? s.counts;
    const graded = trials.passed + trials.failed;
    const threshold = thresholds.get(s.suite);
    const rate = graded === 0 ? "every result errored" : formatPercent(s.passRate);
    const need = threshold === undefined ? "" : ` of ${formatPercent(threshold)}`;
    return `<span class="miss">${escapeHtml(s.suite)}</span> (${rate}${need})`;
  });
  return `<li>${name} <span class="fail">misses</span> ${listed.join(", ")}</li>`;
}

function verdict(report: Report): string {
  const { model, reason } = report.recommendation;
  const best = report.models.find((m) => m.model === model);
  const thresholds = new Map(report.suites.map((s) => [s.name, s.passThreshold]));
  const others = report.models.filter((m) => m !== best).map((m) => standing(m, thresholds));
  const banner =
    report.backend === "sim"
      ? `<div class="banner" id="simulated">SIMULATED: these results come from batcheval's simulator, not from Anthropic's API. Their outputs, pass rates and costs say nothing about the models.</div>`
      : "";
  const figures =
    best === undefined
      ? `<div class="figures">${figure("billed, every model (batch with caching)", formatUsd(report.cost.batchCached))}${savings(report.cost)}</div>`
      : `<div class="figures">${figure("pass rate", `<span class="pass-rate">${formatPercent(best.passRate)}</span>`, `95% CI ${formatInterval(best.passRateInterval)}${best.uncertain ? ", uncertain: it crosses a threshold" : ""}`)}${figure("billed (batch with caching)", `<span class="billed">${formatUsd(best.cost.batchCached)}</span>`, best.cost.replayed > 0 ? `${formatUsd(best.cost.replayed)} of it replayed from the result cache` : "")}${savings(best.cost)}</div>`;
  const headline =
    best === undefined
      ? `<p class="headline fail">No model recommended</p>`
      : `<p class="headline pass">Recommended: <span id="recommended">${escapeHtml(best.model)}</span></p>`;
  const run = `<p class="muted">The whole run: ${formatUsd(report.cost.batchCached)} billed${report.cost.replayed > 0 ? ` (${formatUsd(report.cost.replayed)} of it replayed from the result cache, not billed again)` : ""}, standard ${formatUsd(report.cost.standard)}${report.cost.grader > 0 ? `, grader models ${formatUsd(report.cost.grader)}` : ""}.</p>`;
  return `${banner}<section id="verdict">${headline}${figures}
${others.length > 0 ? `<ul id="standings">${others.join("")}</ul>` : ""}
<p class="muted">${escapeHtml(reason)}</p>${run}</section>`;
}

/** Each suite's pass rate per model, against the suite's own threshold. */
function suiteGrid(report: Report): string {
  const head = report.models.map((m) => `<th>${escapeHtml(m.model)}</th>`).join("");
  const rows = report.suites.map((suite) => {
    const cells = report.models.map((m) => {
      const score = m.suites.find((s) => s.suite === suite.name);
      if (score === undefined) return `<td class="muted">not run</td>`;
      const state = score.passes ? (score.uncertain ? "uncertain" : "pass") : "fail";
      const mark = score.passes ? (score.uncertain ? " uncertain" : "") : " misses";
      const trials = score.trials ?? score.counts;
      const graded = trials.passed + trials.failed;
      const errored = trials.errored > 0 ? `, ${formatCount(trials.errored)} errored` : "";
      return `<td class="cell-${state}"><span class="${score.passes ? "pass" : "fail"}">${formatPercent(score.passRate)}</span> ${formatInterval(score.passRateInterval)}${mark}<br><span class="muted">${formatCount(trials.passed)}/${formatCount(graded)} passed${errored}</span></td>`;
    });
    return `<tr><td>${escapeHtml(suite.name)}</td><td>${formatPercent(suite.passThreshold)}</td>${cells.join("")}</tr>`;
  });
  return `<h2>Suites</h2>
<p class="muted">Each suite's pass rate on each model, with its 95% interval, against the suite's own threshold; uncertain: the interval crosses it.</p>
<table id="suites"><thead><tr><th>suite</th><th>threshold</th>${head}</tr></thead>
<tbody>${rows.join("\n")}</tbody></table>`;
}

/** Named scores (assertions' `metric`) per model; nothing when no assertion names one. */
function metricsTable(report: Report): string {
  const names = [...new Set(report.models.flatMap((m) => (m.metrics ?? []).map((x) => x.name)))];
  if (names.length === 0) return "";
  const head = report.models.map((m) => `<th>${escapeHtml(m.model)}</th>`).join("");
  const rows = names.map((name) => {
    const cells = report.models.map((m) => {
      const score = m.metrics?.find((x) => x.name === name);
      return score === undefined
        ? "<td>–</td>"
        : `<td>${score.meanScore.toFixed(2)} <span class="muted">${score.passed}/${score.assertions} passed</span></td>`;
    });
    return `<tr><td>${escapeHtml(name)}</td>${cells.join("")}</tr>`;
  });
  return `
<h2>Metrics</h2>
<table id="metrics"><thead><tr><th>metric (mean score)</th>${head}</tr></thead>
<tbody>${rows.join("\n")}</tbody></table>`;
}

/** A model's batches: how many of each kind, and each id, folded. */
function batchList(batches: readonly BatchRecord[]): string {
  if (batches.length === 0) return `<span class="muted">none</span>`;
  const kinds = (["warmup", "main", "retry"] as const)
    .map((kind) => [kind, batches.filter((b) => b.kind === kind).length] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}`);
  const items = batches
    .map(
      (b) =>
        `<li><code>${escapeHtml(b.id)}</code> ${b.kind}${b.kind === "retry" ? ` #${b.attempt}` : ""}, ${formatCount(b.requests)} requests, ${escapeHtml(b.processingStatus)}</li>`,
    )
    .join("");
  return `<details><summary>${batches.length} (${kinds.join(", ")})</summary><ul>${items}</ul></details>`;
}

/**
 * From the first batch created to the last one ended: how long the model's results took. "–"
 * while a batch has not ended (or none was sent: every result came from the cache).
 */
export function timeToResult(batches: readonly BatchRecord[]): string {
  if (batches.length === 0 || batches.some((b) => b.endedAt === null)) return "–";
  const start = Math.min(...batches.map((b) => Date.parse(b.createdAt)));
  const end = Math.max(...batches.map((b) => Date.parse(b.endedAt ?? "")));
  if (!Number.isFinite(start) || !Number.isFinite(end)) return "–";
  const seconds = Math.max(0, Math.round((end - start) / 1000));
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

function modelRow(m: ModelSummary, expired: number): string {
  const n = (value: string) => `<td class="num">${value}</td>`;
  const total = (m.trials ?? m.counts).total;
  const trials =
    total === m.counts.total ? "" : `<br><span class="muted">${formatCount(total)} trials</span>`;
  const cells = [
    `<td>${escapeHtml(m.model)}</td>`,
    n(
      `<span class="${m.passes ? "pass" : "fail"}">${formatPercent(m.passRate)}</span><br><span class="muted">${formatInterval(m.passRateInterval)}${m.uncertain ? " uncertain" : ""}</span>`,
    ),
    n(`${formatCount(m.counts.total)}${trials}`),
    n(formatCount(m.counts.passed)),
    n(formatCount(m.counts.failed)),
    n(
      `<span class="${m.counts.errored > 0 ? "error" : ""}">${formatCount(m.counts.errored)}</span>${expired > 0 ? `<br><span class="muted">${formatCount(expired)} expired</span>` : ""}`,
    ),
    n(
      `${formatCount(m.tokens.input)} / ${formatCount(m.tokens.output)}<br><span class="muted">${formatCount(m.tokens.cacheWrite)} / ${formatCount(m.tokens.cacheRead)}</span>`,
    ),
    n(formatPercent(m.cacheHitRate)),
    n(formatUsd(m.cost.standard)),
    n(formatUsd(m.cost.standardCached)),
    n(formatUsd(m.cost.batch)),
    n(`<strong>${formatUsd(m.cost.batchCached)}</strong>`),
    n(formatUsd(m.cost.grader)),
    n(m.costPerPass === null || m.costPerPass === undefined ? "–" : formatUsd(m.costPerPass)),
    n(timeToResult(m.batches)),
    `<td>${batchList(m.batches)}</td>`,
  ];
  return `<tr>${cells.join("")}</tr>`;
}

/** Expired results per model: errors of their own kind, which a smaller batch may avoid. */
function expiredByModel(report: Report): Map<string, number> {
  const expired = new Map<string, number>();
  for (const r of report.results) {
    if (r.error?.type === "expired") expired.set(r.model, (expired.get(r.model) ?? 0) + 1);
  }
  return expired;
}

function modelTable(report: Report): string {
  const expired = expiredByModel(report);
  return `<h2>Models</h2>
<div class="wide"><table id="models"><thead><tr><th>model</th><th class="num">pass rate, 95% CI</th><th class="num">results</th><th class="num">passed</th><th class="num">failed</th><th class="num">errored</th><th class="num">tokens in / out<br>cache write / read</th><th class="num">cache hit</th><th class="num">standard</th><th class="num">standard + cache</th><th class="num">batch</th><th class="num">billed (batch + cache)</th><th class="num">grader</th><th class="num">per passing case</th><th class="num">time to result</th><th>batches</th></tr></thead>
<tbody>${report.models.map((m) => modelRow(m, expired.get(m.model) ?? 0)).join("\n")}</tbody></table></div>
<p class="muted">Errors are not failures: they are left out of the pass rate. Costs include results replayed from the result cache (what the workload costs on the model); grader is the cost of model-graded assertions, apart from the rest.</p>${graderTable(report)}`;
}

function graderTable(report: Report): string {
  const graders = report.graders ?? [];
  if (graders.length === 0) return "";
  const rows = graders
    .map(
      (g) =>
        `<tr><td>${escapeHtml(g.model)}</td><td class="num">${formatCount(g.questions)}</td><td class="num">${formatUsd(g.cost.batchCached)}</td><td>${batchList(g.batches)}</td></tr>`,
    )
    .join("\n");
  return `<h3>Grader models</h3>
<table id="graders"><thead><tr><th>model</th><th class="num">questions</th><th class="num">billed (batch + cache)</th><th>batches</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function provenanceLine(report: Report): string {
  const p = report.provenance;
  const parts = [
    escapeHtml(report.createdAt),
    `SDK ${escapeHtml(report.sdkVersion)}`,
    `backend ${escapeHtml(report.backend)}`,
  ];
  if (p !== undefined) {
    parts.push(`batcheval ${escapeHtml(p.batchevalVersion)}`);
    if (p.git !== undefined) {
      parts.push(`commit ${escapeHtml(p.git.commit.slice(0, 12))}${p.git.dirty ? " (dirty)" : ""}`);
    }
    if (p.command !== undefined) parts.push(`<code>${escapeHtml(p.command.join(" "))}</code>`);
  }
  return `<p class="muted">${parts.join(" · ")}</p>`;
}

/** The results of each case, in the report's order. */
function byCase(results: readonly ResultRecord[]): Map<string, ResultRecord[]> {
  const rows = new Map<string, ResultRecord[]>();
  for (const r of results) {
    const key = caseKey(r.suite, r.caseId);
    const row = rows.get(key);
    if (row === undefined) rows.set(key, [r]);
    else row.push(r);
  }
  return rows;
}

function caseKey(suite: string, caseId: string): string {
  return `${suite}\u0000${caseId}`;
}

type Note = [number, number, string, number | null, 0 | 1, number, number] | 0;

function note(s: CaseSamples | undefined): Note {
  if (s === undefined) return 0;
  const [lo, hi] = s.passRateInterval;
  return [s.passed, s.samples, s.outcome, s.toPass ?? null, s.flaky ? 1 : 0, lo, hi];
}

/** A case's row of the matrix data (see the layout above). */
function caseRow(
  results: readonly ResultRecord[],
  models: ReadonlyMap<string, number>,
  suites: ReadonlyMap<string, number>,
  samples: ReadonlyMap<string, CaseSamples>,
): unknown[] {
  const first = results[0] as ResultRecord;
  const codes = new Array<string>(models.size).fill("");
  const sums = new Array<number>(models.size).fill(0);
  const counts = new Array<number>(models.size).fill(0);
  for (const r of results) {
    const m = models.get(r.model);
    if (m === undefined) continue;
    codes[m] += LETTER[r.outcome];
    sums[m] = (sums[m] as number) + r.score;
    counts[m] = (counts[m] as number) + 1;
  }
  const notes = [...models.keys()].map((model) =>
    note(samples.get(`${model}\u0000${first.suite}\u0000${first.caseId}`)),
  );
  const scores = counts.map((n, m) =>
    n === 0 ? null : Math.round(((sums[m] as number) / n) * 100) / 100,
  );
  return [suites.get(first.suite) ?? -1, first.caseId, codes, notes, scores];
}

/** A case's details (see the layout above). */
function caseDetails(
  results: readonly ResultRecord[],
  models: ReadonlyMap<string, number>,
  input: CaseInput | undefined,
): unknown {
  const shown = results.flatMap((r) => {
    const m = models.get(r.model);
    if (m === undefined) return [];
    const u = r.usage;
    return [
      [
        m,
        r.repeat,
        LETTER[r.outcome],
        r.score,
        r.output,
        r.outputChars ?? null,
        r.customId,
        r.stopReason,
        r.toolCalls === undefined ? null : r.toolCalls.map((c) => [c.name, c.input]),
        r.error === undefined ? null : [r.error.type, r.error.message],
        r.assertions.map((a) => [a.type, a.pass, a.score, a.reason, a.error ?? null]),
        u === null
          ? null
          : [
              u.input_tokens,
              u.output_tokens,
              u.cache_creation_input_tokens,
              u.cache_read_input_tokens,
            ],
        [r.cost.standard, r.cost.standardCached, r.cost.batch, r.cost.batchCached],
        r.source,
      ],
    ];
  });
  let kept: Omit<CaseInput, "suite" | "caseId"> | null = null;
  if (input !== undefined) {
    const { suite: _suite, caseId: _caseId, ...rest } = input;
    kept = rest;
  }
  return { input: kept, results: shown };
}

/** The indices of the case rows with a result that flipped against the baseline. */
function changedRows(report: Report, cases: readonly ResultRecord[][]): number[] {
  const flipped = new Set(
    (report.baseline?.groups ?? []).flatMap((g) =>
      [...g.passToFail, ...g.failToPass].map((r) => caseKey(r.suite, r.caseId)),
    ),
  );
  return cases.flatMap((results, i) => {
    const first = results[0];
    return first !== undefined && flipped.has(caseKey(first.suite, first.caseId)) ? [i] : [];
  });
}

/** The embedded case data: the matrix rows, then the details chunks. */
function* caseData(report: Report): Generator<string> {
  const models = new Map(report.models.map((m, i) => [m.model, i]));
  const suites = new Map(report.suites.map((s, i) => [s.name, i]));
  const samples = new Map(
    (report.cases ?? []).map((s) => [`${s.model}\u0000${s.suite}\u0000${s.caseId}`, s]),
  );
  const inputs = new Map((report.inputs ?? []).map((i) => [caseKey(i.suite, i.caseId), i]));
  const cases = [...byCase(report.results).values()];
  const head = {
    models: report.models.map((m) => m.model),
    suites: report.suites.map((s) => s.name),
    chunk: DETAIL_CHUNK,
    ...(report.baseline === undefined ? {} : { changed: changedRows(report, cases) }),
  };
  yield `<script type="application/json" id="be-cases">${scriptJson(head).slice(0, -1)},"rows":[`;
  for (const [i, results] of cases.entries()) {
    yield `${i === 0 ? "" : ",\n"}${scriptJson(caseRow(results, models, suites, samples))}`;
  }
  yield "]}</script>\n";
  for (let from = 0; from < cases.length; from += DETAIL_CHUNK) {
    yield `<script type="application/json" id="be-d${from / DETAIL_CHUNK}">[`;
    const to = Math.min(cases.length, from + DETAIL_CHUNK);
    for (let i = from; i < to; i++) {
      const results = cases[i] as ResultRecord[];
      const first = results[0] as ResultRecord;
      const details = caseDetails(results, models, inputs.get(caseKey(first.suite, first.caseId)));
      yield `${i === from ? "" : ",\n"}${scriptJson(details)}`;
    }
    yield "]</script>\n";
  }
}

/** Flipped results listed per group at most; report.json has them all. */
const FLIPS_SHOWN = 20;

/**
 * With `run --baseline`: the results that flipped, pass → fail first, and the groups that
 * regressed, at the top of the page. Nothing without a baseline.
 */
function baselineSection(report: Report): string {
  const baseline = report.baseline;
  if (baseline === undefined) return "";
  const refs = (list: readonly ResultRef[]) =>
    list
      .slice(0, FLIPS_SHOWN)
      .map(
        (r) =>
          `<li>${escapeHtml(`${r.model} · ${r.suite}/${r.caseId}${r.repeat > 0 ? ` #${r.repeat}` : ""}`)}</li>`,
      )
      .join("") +
    (list.length > FLIPS_SHOWN
      ? `<li class="muted">and ${list.length - FLIPS_SHOWN} more (report.json, baseline)</li>`
      : "");
  const worse = baseline.groups.flatMap((g) => g.passToFail);
  const better = baseline.groups.flatMap((g) => g.failToPass);
  const rows = baseline.groups
    .map((g) => {
      const rate = (r: number | null) => (r === null ? "–" : formatPercent(r));
      const change = formatChange(g.change);
      return `<tr class="${g.regression ? "fail" : ""}"><td>${escapeHtml(g.model)}</td><td>${escapeHtml(g.suite)}</td><td>${rate(g.oldPassRate)}</td><td>${rate(g.newPassRate)}</td><td>${change}</td><td>${g.passToFail.length}</td><td>${g.failToPass.length}</td><td>${g.pValue.toPrecision(3)}</td><td>${g.regression ? "REGRESSION" : ""}</td></tr>`;
    })
    .join("\n");
  const headline =
    baseline.regressions > 0
      ? `<p class="verdict fail" id="baseline-verdict">✘ ${baseline.regressions} regression${baseline.regressions === 1 ? "" : "s"} against baseline ${escapeHtml(baseline.runId)}</p>`
      : `<p class="verdict pass" id="baseline-verdict">✔ No regression against baseline ${escapeHtml(baseline.runId)}</p>`;
  return `<section id="baseline">
${headline}
<h3>pass → fail (${worse.length})</h3><ul id="pass-to-fail">${refs(worse)}</ul>
<h3>fail → pass (${better.length})</h3><ul id="fail-to-pass">${refs(better)}</ul>
<table><thead><tr><th>model</th><th>suite</th><th>baseline</th><th>now</th><th>change</th><th>pass → fail</th><th>fail → pass</th><th>McNemar p</th><th></th></tr></thead>
<tbody>${rows}</tbody></table>
</section>
`;
}

/**
 * The page in pieces of about 64 KB, so that a report of 300,000 results is written without
 * ever being one string.
 */
export function* renderHtmlChunks(report: Report): Generator<string> {
  const top = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${report.backend === "sim" ? "SIMULATED · " : ""}batcheval ${escapeHtml(report.runId)}</title><style>${STYLE}</style></head>
<body>
<h1>batcheval run ${escapeHtml(report.runId)}</h1>
${provenanceLine(report)}
${baselineSection(report)}${verdict(report)}
${suiteGrid(report)}
<h2>Cost and pass rate</h2>
<p class="muted">Each model's pass rate (with its 95% interval) against its billed batch cost; the blue line joins the models no other model beats on both.</p>
<div class="charts">${renderCharts(report)}</div>
${modelTable(report)}${metricsTable(report)}
<h2>Cases</h2>
<noscript><p>The case matrix is drawn by the page's script; report.json holds every result.</p></noscript>
<div id="cases-ui" hidden>
<div id="filters"><label><input type="checkbox" id="f-failures"> failures only</label>
<label id="f-changed-label" hidden><input type="checkbox" id="f-changed"> changed since baseline</label>
<label>suite <select id="f-suite"><option value="">every suite</option></select></label>
<label>model <select id="f-model"><option value="">every model</option></select></label>
<label>search <input id="f-search" type="search" placeholder="suite or case id"></label>
<span><button type="button" id="prev">previous</button> <span id="page-info"></span> <button type="button" id="next">next</button></span></div>
<p class="muted">Click a case for its prompt, each model's output, its assertions with the expected values, usage and cost. k/N: samples passed of those taken, for a case run more than once.</p>
<table id="matrix"><thead></thead><tbody></tbody></table>
</div>
`;
  yield top;
  yield* caseData(report);
  yield `<script>${MATRIX_SCRIPT}</script>\n</body></html>\n`;
}

/** The page as one string. */
export function renderHtml(report: Report): string {
  return [...renderHtmlChunks(report)].join("");
}
