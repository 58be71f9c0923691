// Generates the benchmark's project: N cases × M models of a support-triage suite, as a user
// would write it. A ~2 KB shared system prefix marked for caching, a short unique question per
// case (in a JSONL case file), three deterministic assertions per case, and simulator fixtures
// that answer with JSON: a few rules matching by substring, or one rule per case.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

export const BENCH_MODELS = ["claude-haiku-4-5", "claude-sonnet-4-6", "claude-opus-4-8"];
const KINDS = ["billing", "shipping", "other"];

export const PREFIX = (
  "You are the support triage assistant of Northwind Traders. Read the customer's ticket and " +
  "classify it as billing, shipping or other. Answer with one JSON object and nothing else: " +
  '{"category": "<billing|shipping|other>", "urgent": <true|false>}. '
)
  .repeat(8)
  .slice(0, 2000);

/** The user message of every case; `n` and `kind` are the case's vars. */
export const QUESTION = "Ticket {{n}} about {{kind}}: my order is late and I was charged twice";

/**
 * Writes the project into `dir`: batcheval.config.yaml, evals/triage.yaml with
 * evals/cases.jsonl, and fixtures/sim/triage.yaml. Returns what it wrote.
 */
export async function generateProject(dir, { cases, models = 3, rulePerCase = false }) {
  if (!Number.isInteger(cases) || cases < 1) throw new Error(`--cases must be >= 1, got ${cases}`);
  if (!Number.isInteger(models) || models < 1 || models > BENCH_MODELS.length) {
    throw new Error(`--models must be 1 to ${BENCH_MODELS.length}, got ${models}`);
  }
  await mkdir(join(dir, "evals"), { recursive: true });
  await mkdir(join(dir, "fixtures", "sim"), { recursive: true });
  const rows = [];
  for (let i = 0; i < cases; i++) {
    const kind = KINDS[i % KINDS.length];
    rows.push(
      JSON.stringify({
        id: `t${i}`,
        vars: { n: i, kind },
        assert: [
          { type: "is-json" },
          { type: "contains-json", value: { type: "object", required: ["category"] } },
          { type: "icontains", value: kind },
        ],
      }),
    );
  }
  await writeFile(join(dir, "evals", "cases.jsonl"), `${rows.join("\n")}\n`);
  const chosen = BENCH_MODELS.slice(0, models);
  await writeFile(
    join(dir, "evals", "triage.yaml"),
    `name: triage
models: [${chosen.join(", ")}]
params: { max_tokens: 50 }
system:
  - text: ${JSON.stringify(PREFIX)}
    cache: 1h
prompt: ${JSON.stringify(QUESTION)}
cases:
  - file: cases.jsonl
pass_threshold: 0.9
`,
  );
  const rules = rulePerCase
    ? rows.map((_, i) => {
        const kind = KINDS[i % KINDS.length];
        return `  - { match: "Ticket ${i} about", json: { category: ${kind}, urgent: false } }`;
      })
    : KINDS.map(
        (kind) => `  - { match: "about ${kind}", json: { category: ${kind}, urgent: false } }`,
      );
  await writeFile(join(dir, "fixtures", "sim", "triage.yaml"), `rules:\n${rules.join("\n")}\n`);
  await writeFile(join(dir, "batcheval.config.yaml"), "evals: evals/**/*.yaml\n");
  return { cases, models: chosen, requests: cases * chosen.length };
}
