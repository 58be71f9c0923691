#!/usr/bin/env node
// Stage micro-benchmarks of batcheval's hot paths, on the built code (`npm run bench -- --stages`).
// Prints one line per benchmark: what was measured, wall time, throughput and peak RSS.
// Record the figures in bench/README.md with the date.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { planBatches } from "../dist/compile/plan-batches.js";
import { requirePrice } from "../dist/cost/pricing.js";
import { renderHtml } from "../dist/report/render-html.js";
import { renderJson } from "../dist/report/render-json.js";
import { summarize } from "../dist/report/summarize.js";
import { buildRecord } from "../dist/run/build-record.js";
import { loadPricing } from "../dist/run/load-pricing.js";
import { startSimulator } from "../dist/sim/server.js";

const N = Number(process.env.BENCH_N ?? 100_000);
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
// Groups run in this order: pipeline, sim, cli, rows.
const SIM_N = Number(process.env.BENCH_SIM_N ?? 20_000);

function report(name, count, started) {
  const ms = performance.now() - started;
  const rss = (process.memoryUsage().rss / 1024 / 1024).toFixed(0);
  const rate = Math.round((count / ms) * 1000).toLocaleString("en-US");
  console.log(
    `${name.padEnd(48)} ${ms.toFixed(0).padStart(7)} ms  ${rate.padStart(10)} /s  rss ${rss} MB`,
  );
}

function evalCase(i) {
  return {
    suite: "bench",
    caseId: `case-${i}`,
    vars: { n: i },
    system: [{ text: "You are a support triage assistant. ".repeat(40), cache: "1h" }],
    messages: [{ role: "user", content: `Ticket ${i}: my order has not arrived` }],
    params: { max_tokens: 16 },
    assert: [
      { type: "equals", value: "shipping", source: { file: "b", line: 1, col: 1 } },
      { type: "not-contains", value: "sorry", source: { file: "b", line: 1, col: 1 } },
    ],
    repeat: 1,
    source: { file: "bench.yaml", line: 1, col: 1 },
  };
}

function succeeded(request, i) {
  return {
    custom_id: request.customId,
    result: {
      type: "succeeded",
      message: {
        id: `msg_${i}`,
        type: "message",
        role: "assistant",
        model: request.model,
        content: [{ type: "text", text: i % 7 === 0 ? "billing" : "shipping", citations: null }],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage: {
          input_tokens: 12,
          output_tokens: 2,
          cache_creation_input_tokens: i === 0 ? 400 : 0,
          cache_read_input_tokens: i === 0 ? 0 : 400,
          cache_creation: {
            ephemeral_5m_input_tokens: 0,
            ephemeral_1h_input_tokens: i === 0 ? 400 : 0,
          },
          service_tier: "batch",
          inference_geo: "global",
        },
      },
    },
  };
}

async function benchPipeline() {
  const cases = Array.from({ length: N }, (_, i) => evalCase(i));
  let started = performance.now();
  const plan = planBatches([{ suite: "bench", models: ["claude-haiku-4-5"], cases }]);
  const requests = plan.models[0].requests;
  report(`compile ${N.toLocaleString("en-US")} requests`, N, started);

  const price = requirePrice(await loadPricing({}), "claude-haiku-4-5");
  started = performance.now();
  const records = requests.map((request, i) =>
    buildRecord({
      request,
      evalCase: cases[i],
      result: succeeded(request, i),
      price,
      replayed: false,
    }),
  );
  report(`grade + price ${N.toLocaleString("en-US")} results`, N, started);

  started = performance.now();
  const summary = summarize({
    runId: "bench",
    createdAt: new Date().toISOString(),
    backend: "sim",
    sdkVersion: "bench",
    suites: [{ name: "bench", file: "bench.yaml", passThreshold: 0.8, caseCount: N }],
    models: ["claude-haiku-4-5"],
    results: records,
    batches: new Map(),
  });
  report(`summarize ${N.toLocaleString("en-US")} results`, N, started);

  started = performance.now();
  const json = renderJson(summary);
  report(`render report.json (${(json.length / 1e6).toFixed(0)} MB)`, N, started);
  started = performance.now();
  const html = renderHtml(summary);
  report(`render index.html (${(html.length / 1e6).toFixed(0)} MB)`, N, started);
}

async function benchSimulator() {
  const sim = await startSimulator({
    rules: [{ match: "Ticket", reply: "shipping", source: { file: "b", line: 1, col: 1 } }],
    batchDurationMs: 1,
  });
  const client = new Anthropic({ apiKey: "bench", baseURL: sim.url });
  const cases = Array.from({ length: SIM_N }, (_, i) => evalCase(i));
  const requests = planBatches([{ suite: "bench", models: ["claude-haiku-4-5"], cases }]).models[0]
    .requests;
  const started = performance.now();
  const batch = await client.messages.batches.create({
    requests: requests.map((r) => ({ custom_id: r.customId, params: r.params })),
  });
  let current = batch;
  while (current.processing_status !== "ended") {
    await new Promise((r) => setTimeout(r, 10));
    current = await client.messages.batches.retrieve(batch.id);
  }
  let lines = 0;
  for await (const _ of await client.messages.batches.results(batch.id)) lines++;
  report(`sim: create + poll + download ${lines.toLocaleString("en-US")} via SDK`, lines, started);
  await sim.close();
}

async function benchCli() {
  const dir = await mkdtemp(join(tmpdir(), "batcheval-bench-"));
  const { runCommand } = await import("../dist/cli/run-command.js");
  const started = performance.now();
  const io = {
    out: () => undefined,
    err: () => undefined,
    cwd: process.cwd(),
    env: {},
    isTty: false,
    interrupted: new Promise(() => undefined),
  };
  const code = await runCommand(
    {
      paths: [],
      backend: "sim",
      out: join(dir, "reports"),
      cacheDir: join(dir, "cache"),
      repeat: 20,
    },
    io,
  );
  report(`demo suites x20 repeats, 3 models (exit ${code})`, 90 * 20, started);
  await rm(dir, { recursive: true, force: true });
}

/** `validate` on one suite whose case file has ROWS rows (CSV, then JSONL read as rows). */
async function benchSuiteLoad() {
  const { loadSuites } = await import("../dist/suite/load-suites.js");
  const { DEFAULT_CONFIG } = await import("../dist/config/types.js");
  const { checkAssertion } = await import("../dist/grade/registry.js");
  const dir = await mkdtemp(join(tmpdir(), "batcheval-bench-rows-"));
  const options = { cwd: dir, config: DEFAULT_CONFIG, isKnownModel: () => true, checkAssertion };
  const suite = (file, extra = "") =>
    `name: rows\nmodels: [claude-haiku-4-5]\nprompt: "Q: {{q}}"\ncases:\n  - file: ${file}${extra}\n`;
  const csv = ["id,q,assert:contains"];
  for (let i = 0; i < ROWS; i++) csv.push(`c${i},What is ${i}?,${i}`);
  await writeFile(join(dir, "c.csv"), `${csv.join("\n")}\n`);
  await writeFile(join(dir, "csv.yaml"), suite("c.csv"));
  const label = ROWS.toLocaleString("en-US");
  let started = performance.now();
  let result = await loadSuites(["csv.yaml"], options);
  report(`load ${label} CSV rows (${result.suites[0]?.cases.length ?? 0} cases)`, ROWS, started);
  result = undefined;
  const jsonl = [];
  for (let i = 0; i < ROWS; i++)
    jsonl.push(`{"id": "c${i}", "q": "What is ${i}?", "assert:contains": "${i}"}`);
  await writeFile(join(dir, "c.jsonl"), `${jsonl.join("\n")}\n`);
  await writeFile(join(dir, "jsonl.yaml"), suite("c.jsonl", "\n    vars_from: row"));
  started = performance.now();
  result = await loadSuites(["jsonl.yaml"], options);
  report(
    `load ${label} JSONL rows, vars_from: row (${result.suites[0]?.cases.length ?? 0})`,
    ROWS,
    started,
  );
  await rm(dir, { recursive: true, force: true });
}

// BENCH_ONLY=rows,cli runs only those groups (each line's rss is cumulative within the process).
const only = process.env.BENCH_ONLY?.split(",");
const groups = {
  pipeline: benchPipeline,
  sim: benchSimulator,
  cli: benchCli,
  rows: benchSuiteLoad,
};
for (const [name, run] of Object.entries(groups)) {
  if (only === undefined || only.includes(name)) await run();
}
