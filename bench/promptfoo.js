// The same benchmark in promptfoo, for `npm run bench -- --cases N --promptfoo PATH`: writes a
// promptfooconfig.yaml into the project bench/generate-project.js generated (the same system
// prefix and question, the same cases read from evals/cases.jsonl, the same three assertions,
// one offline custom provider per model that answers what the simulator's fixtures answer),
// runs `promptfoo eval --no-cache` on it in a child process and measures its wall time and
// peak RSS. promptfoo is not a dependency: PATH is its CLI, a JavaScript file
// (node_modules/.bin/promptfoo), run with `node`.
import { spawn } from "node:child_process";
import { mkdir, readFile, realpath, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PREFIX, QUESTION } from "./generate-project.js";

// What the simulator's fixture rules answer: `about <kind>` → {category: kind, urgent: false}.
const PROVIDER = `// Offline promptfoo provider for the batcheval benchmark: answers as the simulator's fixtures do.
class BenchProvider {
  constructor(options = {}) {
    this.label = options.label;
    this.model = (options.config && options.config.model) || "bench";
  }
  id() {
    return \`bench:\${this.model}\`;
  }
  async callApi(prompt) {
    const m = /about (billing|shipping|other)/.exec(prompt);
    if (!m) return { error: "no fixture rule matched the prompt" };
    return {
      output: JSON.stringify({ category: m[1], urgent: false }),
      tokenUsage: { prompt: Math.ceil(prompt.length / 4), completion: 12, total: Math.ceil(prompt.length / 4) + 12 },
    };
  }
}
module.exports = BenchProvider;
`;

// Loaded into promptfoo's process with --import: writes its peak RSS (the same
// process.resourceUsage().maxRSS that batcheval's timing lines print) when it exits.
const PEAK = `import { writeFileSync } from "node:fs";
process.on("exit", () => {
  const peak = Math.round((process.resourceUsage().maxRSS * 1024) / 1e6);
  writeFileSync(process.env.BENCH_PEAK_FILE, String(peak));
});
`;

/**
 * Writes promptfoo/ (promptfooconfig.yaml, tests.jsonl, provider.js) into the generated
 * project `dir` for `models`. Returns the config's path.
 */
export async function writePromptfooProject(dir, models) {
  const out = join(dir, "promptfoo");
  await mkdir(out, { recursive: true });
  // The same cases, from the same file batcheval read: promptfoo's tests take the same vars and
  // the same assertions (promptfoo's contains-json takes a JSON Schema as its value too).
  const rows = (await readFile(join(dir, "evals", "cases.jsonl"), "utf8"))
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const row = JSON.parse(line);
      return JSON.stringify({ description: row.id, vars: row.vars, assert: row.assert });
    });
  await writeFile(join(out, "tests.jsonl"), `${rows.join("\n")}\n`);
  await writeFile(join(out, "provider.js"), PROVIDER);
  // The system prefix and the question, as a chat prompt: what batcheval sends as `system`
  // and the user message.
  const prompt = JSON.stringify([
    { role: "system", content: PREFIX },
    { role: "user", content: QUESTION },
  ]);
  const providers = models.map(
    (model) =>
      `  - id: file://provider.js\n    label: ${model}\n    config: { model: ${model}, max_tokens: 50 }`,
  );
  const config = join(out, "promptfooconfig.yaml");
  await writeFile(
    config,
    `description: batcheval benchmark, triage
prompts:
  - ${JSON.stringify(prompt)}
providers:
${providers.join("\n")}
tests: file://tests.jsonl
`,
  );
  return config;
}

/**
 * Runs `promptfoo eval` on `config` with the CLI at `cli` under `node`, offline, with its state
 * (database, logs) in `stateDir`. Resolves with exit code, output, wall time and peak RSS (MB).
 */
export async function runPromptfoo({ cli, node, config, stateDir, output }) {
  await mkdir(stateDir, { recursive: true });
  const peakFile = join(stateDir, "peak-rss-mb");
  const preload = join(stateDir, "peak-rss.mjs");
  await writeFile(preload, PEAK);
  const args = [
    "--import",
    pathToFileURL(preload).href,
    await realpath(cli),
    "eval",
    "-c",
    config,
    "--no-cache",
    "--no-share",
    "--no-table",
    "--no-progress-bar",
    "-o",
    output,
  ];
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: stateDir,
    PROMPTFOO_CONFIG_DIR: stateDir,
    PROMPTFOO_DISABLE_TELEMETRY: "1",
    PROMPTFOO_DISABLE_UPDATE: "1",
    PROMPTFOO_DISABLE_SHARING: "1",
    PROMPTFOO_DISABLE_REMOTE_GENERATION: "1",
    PROMPTFOO_DISABLE_REDTEAM_REMOTE_GENERATION: "1",
    PROMPTFOO_SELF_HOSTED: "1",
    PROMPTFOO_CACHE_ENABLED: "false",
    BENCH_PEAK_FILE: peakFile,
  };
  const started = performance.now();
  const run = await new Promise((resolve, reject) => {
    const child = spawn(node, args, {
      cwd: join(config, ".."),
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ code, stdout, stderr, wallMs: performance.now() - started }),
    );
  });
  const peak = Number(await readFile(peakFile, "utf8").catch(() => "NaN"));
  return { ...run, peak };
}

/**
 * Checks that promptfoo graded something real: `requests` results in its output file, each with
 * the three assertions, every one passed and none an error.
 */
export async function checkPromptfooOutput(output, requests) {
  const data = JSON.parse(await readFile(output, "utf8"));
  const results = data.results?.results ?? [];
  const stats = data.results?.stats ?? {};
  const problems = [];
  if (results.length !== requests) problems.push(`${results.length} results, expected ${requests}`);
  const passed = results.filter((r) => r.success === true).length;
  if (passed !== requests) problems.push(`${passed} of ${requests} results passed, expected all`);
  const graded = results.filter((r) => r.gradingResult?.componentResults?.length === 3).length;
  if (graded !== requests)
    problems.push(`${graded} of ${requests} results were graded on three assertions`);
  if ((stats.errors ?? 0) > 0) problems.push(`${stats.errors} results were errors`);
  return { problems, passed };
}
