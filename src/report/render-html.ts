/**
 * index.html: one self-contained file (no network, no CDN) with the verdict, the
 * cost-vs-pass-rate chart, the model table, and the case × model matrix with each case's
 * details. All model output is escaped. Pure: the page is a function of the report.
 */
import { formatInterval, formatPercent, formatUsd } from "./format.js";
import { renderChart } from "./html-chart.js";
import { escapeHtml } from "./html-escape.js";
import type { CaseSamples, ModelSummary, Report, ResultRecord } from "./types.js";

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1f2328}
table{border-collapse:collapse;margin:12px 0}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}.pass{color:#1a7f37}.fail{color:#cf222e}.error{color:#9a6700}.skipped{color:#888}
.muted{color:#656d76;font-size:12px}.badge{padding:2px 6px;border-radius:4px;background:#ddf4ff}
.sim{background:#fff8c5}pre{white-space:pre-wrap;max-width:60em;margin:4px 0;background:#f6f8fa;padding:6px}
.chart{max-width:720px;font-size:12px}.verdict{font-size:16px;font-weight:600}`;

const SCRIPT = `const q=document.getElementById("filter"),o=document.getElementById("outcome");
function f(){const t=q.value.toLowerCase(),w=o.value;for(const r of document.querySelectorAll("#matrix tbody tr")){
const ok=r.dataset.key.includes(t)&&(w===""||r.dataset.outcomes.includes(w));r.hidden=!ok;}}
q.addEventListener("input",f);o.addEventListener("change",f);`;

const GLYPH = { pass: "✔", fail: "✘", error: "!", skipped: "–" } as const;

function modelRow(m: ModelSummary): string {
  const cells = [
    escapeHtml(m.model),
    `<span class="${m.passes ? "pass" : "fail"}">${formatPercent(m.passRate)}</span>${m.uncertain ? " (uncertain)" : ""}`,
    formatInterval(m.passRateInterval),
    `${m.counts.passed} / ${m.counts.failed} / ${m.counts.errored}`,
    formatPercent(m.cacheHitRate),
    formatUsd(m.cost.standard),
    formatUsd(m.cost.standardCached),
    formatUsd(m.cost.batch),
    `<strong>${formatUsd(m.cost.batchCached)}</strong>`,
    m.costPerPass === null || m.costPerPass === undefined ? "–" : formatUsd(m.costPerPass),
  ];
  return `<tr>${cells.map((c) => `<td>${c}</td>`).join("")}</tr>`;
}

function detail(r: ResultRecord): string {
  const assertions = r.assertions
    .map(
      (a) =>
        `<li class="${a.pass ? "pass" : "fail"}">${escapeHtml(a.type)}: ${escapeHtml(a.reason)}</li>`,
    )
    .join("");
  const error = r.error
    ? `<div class="error">${escapeHtml(`${r.error.type}: ${r.error.message}`)}</div>`
    : "";
  const calls = (r.toolCalls ?? [])
    .map((c) => `<pre>tool_use ${escapeHtml(`${c.name} ${JSON.stringify(c.input)}`)}</pre>`)
    .join("");
  // report.json keeps the start of a long output; the raw result files next to it keep it all.
  const cut =
    r.outputChars === undefined
      ? ""
      : `<p class="muted">The first ${r.output.length.toLocaleString("en-US")} of ${r.outputChars.toLocaleString("en-US")} characters; the whole reply, custom_id ${escapeHtml(r.customId)}, is in <a href="results/">results/</a>.</p>`;
  return `<div><strong>${escapeHtml(r.model)}</strong> #${r.repeat} <span class="${r.outcome}">${r.outcome}</span>${error}<pre>${escapeHtml(r.output)}</pre>${cut}${calls}<ul>${assertions}</ul></div>`;
}

/** The results of each case, in the report's order. */
function byCase(results: readonly ResultRecord[]): Map<string, ResultRecord[]> {
  const rows = new Map<string, ResultRecord[]>();
  for (const r of results) {
    const key = `${r.suite}\u0000${r.caseId}`;
    const row = rows.get(key);
    if (row === undefined) rows.set(key, [r]);
    else row.push(r);
  }
  return rows;
}

/** A case's samples on each model, by model, suite and case. */
type SamplesIndex = ReadonlyMap<string, CaseSamples>;

function samplesKey(model: string, suite: string, caseId: string): string {
  return `${model}\u0000${suite}\u0000${caseId}`;
}

/** k/N passed, with the interval and the rule, after a repeated case's glyphs. */
function samplesNote(s: CaseSamples | undefined): string {
  if (s === undefined) return "";
  const need = s.toPass === undefined ? "each sample counts" : `needs ${s.toPass}`;
  const title = `95% CI ${formatInterval(s.passRateInterval)}; ${need}; ${s.outcome}${s.flaky ? "; flaky" : ""}`;
  return ` <span class="${s.outcome}" title="${escapeHtml(title)}">${s.passed}/${s.samples}</span>`;
}

function matrixRow(
  results: readonly ResultRecord[],
  models: readonly string[],
  samples: SamplesIndex,
): string {
  const first = results[0] as ResultRecord;
  const cells = models.map((model) => {
    const own = results.filter((r) => r.model === model);
    const glyphs = own.map(
      (r) => `<span class="${r.outcome}" title="${r.outcome}">${GLYPH[r.outcome]}</span>`,
    );
    const note = samplesNote(samples.get(samplesKey(model, first.suite, first.caseId)));
    return `<td>${glyphs.join("")}${note}</td>`;
  });
  const key = escapeHtml(`${first.suite} ${first.caseId}`.toLowerCase());
  const outcomes = [...new Set(results.map((r) => r.outcome))].join(" ");
  return `<tr data-key="${key}" data-outcomes="${outcomes}"><td>${escapeHtml(first.suite)}</td><td><details><summary>${escapeHtml(first.caseId)}</summary>${results.map(detail).join("")}</details></td>${cells.join("")}</tr>`;
}

/** Each suite's pass rate per model, against the suite's own threshold. */
function suiteGrid(report: Report): string {
  const head = report.models.map((m) => `<th>${escapeHtml(m.model)}</th>`).join("");
  const rows = report.suites.map((suite) => {
    const cells = report.models.map((m) => {
      const score = m.suites.find((s) => s.suite === suite.name);
      if (score === undefined) return "<td>–</td>";
      const mark = score.passes ? (score.uncertain ? " (uncertain)" : "") : " (misses)";
      return `<td><span class="${score.passes ? "pass" : "fail"}">${formatPercent(score.passRate)}</span> ${formatInterval(score.passRateInterval)}${mark}</td>`;
    });
    return `<tr><td>${escapeHtml(suite.name)}</td><td>${formatPercent(suite.passThreshold)}</td>${cells.join("")}</tr>`;
  });
  return `<h2>Suites</h2>
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

/** The case × model matrix, a row at a time. */
function* matrix(report: Report): Generator<string> {
  const models = report.models.map((m) => m.model);
  const head = models.map((m) => `<th>${escapeHtml(m)}</th>`).join("");
  yield `<table id="matrix"><thead><tr><th>suite</th><th>case</th>${head}</tr></thead><tbody>`;
  const samples = new Map(
    (report.cases ?? []).map((s) => [samplesKey(s.model, s.suite, s.caseId), s]),
  );
  let first = true;
  for (const results of byCase(report.results).values()) {
    yield `${first ? "" : "\n"}${matrixRow(results, models, samples)}`;
    first = false;
  }
  yield "</tbody></table>";
}

/**
 * The page in pieces (a case at a time), so that a report of 300,000 results is written without
 * ever being one string.
 */
export function* renderHtmlChunks(report: Report): Generator<string> {
  const { model, reason } = report.recommendation;
  const verdict =
    model === null
      ? `<p class="verdict fail">No model recommended: ${escapeHtml(reason)}</p>`
      : `<p class="verdict pass">Recommended: ${escapeHtml(model)}: ${escapeHtml(reason)}</p>`;
  const backend = `<span class="badge ${report.backend === "sim" ? "sim" : ""}">backend: ${escapeHtml(report.backend)}</span>`;
  yield `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>batcheval ${escapeHtml(report.runId)}</title><style>${STYLE}</style></head>
<body>
<h1>batcheval run ${escapeHtml(report.runId)}</h1>
<p class="muted">${escapeHtml(report.createdAt)} · SDK ${escapeHtml(report.sdkVersion)} · ${backend}</p>
${verdict}
${renderChart(report)}
<h2>Models</h2>
<table><thead><tr><th>model</th><th>pass rate</th><th>95% CI</th><th>pass / fail / error</th><th>cache hit</th><th>standard</th><th>standard + cache</th><th>batch</th><th>billed (batch + cache)</th><th>per passing case</th></tr></thead>
<tbody>${report.models.map(modelRow).join("\n")}</tbody></table>
${suiteGrid(report)}${metricsTable(report)}
<h2>Cases</h2>
<p><input id="filter" placeholder="filter suite or case" aria-label="filter"> <select id="outcome" aria-label="outcome"><option value="">any outcome</option><option>pass</option><option>fail</option><option>error</option></select></p>
`;
  yield* matrix(report);
  yield `
<script>${SCRIPT}</script>
</body></html>
`;
}

/** The page as one string. */
export function renderHtml(report: Report): string {
  return [...renderHtmlChunks(report)].join("");
}
