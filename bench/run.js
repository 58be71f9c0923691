#!/usr/bin/env node
// `npm run bench -- --cases N [--models M] [--rule-per-case] [--profile] [--keep]`: generates a
// project of N cases × M models (bench/generate-project.js) and runs the whole CLI on it as a
// user does, `batcheval run --backend sim --no-cache`, in a child process. Prints each phase's
// time (from the CLI's BATCHEVAL_TIMINGS lines), the child's peak RSS and the throughput, and
// ends with one line: `cases=N models=M requests=R wall_s=X peak_rss_mb=Y`.
// `--promptfoo PATH` (promptfoo's CLI, node_modules/.bin/promptfoo) then runs the same project in
// promptfoo (bench/promptfoo.js) and prints `promptfoo cases=N models=M wall_s=X peak_rss_mb=Y`
// and the ratios promptfoo / batcheval; `--promptfoo-node PATH` is the node that runs it.
// `npm run bench -- --stages` runs the stage micro-benchmarks instead (bench/stages.js).
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { generateProject } from "./generate-project.js";
import { checkPromptfooOutput, runPromptfoo, writePromptfooProject } from "./promptfoo.js";

const ROOT = new URL("..", import.meta.url).pathname;
const BIN = join(ROOT, "bin", "batcheval.js");

const { values } = parseArgs({
  options: {
    cases: { type: "string", default: "10000" },
    models: { type: "string", default: "3" },
    "rule-per-case": { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    stages: { type: "boolean", default: false },
    promptfoo: { type: "string" },
    "promptfoo-node": { type: "string", default: process.execPath },
  },
});

if (values.stages) {
  await import("./stages.js");
  process.exit(0);
}

/** Runs the CLI in `dir`; resolves with its exit code, stderr and wall time. */
function runCli(dir, profileDir) {
  const args = [...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []), BIN];
  args.push("run", "--backend", "sim", "--no-cache");
  const env = { PATH: process.env.PATH ?? "", BATCHEVAL_TIMINGS: "1" };
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: dir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let stdout = "";
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
}

/** The `timing` lines: name → { t, rss, peak } (the first line of each name). */
function timings(stderr) {
  const found = new Map();
  for (const line of stderr.split("\n")) {
    const m = /^timing (\S+)(?: first)? t_ms=(\d+) rss_mb=(\d+) peak_rss_mb=(\d+)$/.exec(line);
    if (m && !found.has(m[1])) found.set(m[1], { t: +m[2], rss: +m[3], peak: +m[4] });
  }
  return found;
}

/** The top self-time functions of the CPU profile in `dir`. */
async function profileTop(dir, count = 15) {
  const file = (await readdir(dir)).find((f) => f.endsWith(".cpuprofile"));
  if (!file) return ["(no profile written)"];
  const profile = JSON.parse(await readFile(join(dir, file), "utf8"));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const where = url ? `${url.split("/").slice(-2).join("/")}:${lineNumber + 1}` : "";
    const key = `${functionName || "(anonymous)"} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + profile.timeDeltas[i]);
    total += profile.timeDeltas[i];
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(
      ([key, us]) =>
        `${(us / 1000).toFixed(0).padStart(7)} ms ${((us / total) * 100).toFixed(1).padStart(5)}%  ${key}`,
    );
}

/** Checks that the run graded something real: every result there, answered by a fixture. */
async function checkReport(dir, requests) {
  const report = JSON.parse(await readFile(join(dir, "reports", "latest", "report.json"), "utf8"));
  const results = report.results;
  const problems = [];
  if (results.length !== requests) problems.push(`${results.length} results, expected ${requests}`);
  const unanswered = results.filter((r) => r.output.startsWith("[sim default reply]")).length;
  if (unanswered > 0) problems.push(`${unanswered} results were graded on the default reply`);
  const passed = results.filter((r) => r.outcome === "pass").length;
  if (passed !== requests) problems.push(`${passed} of ${requests} results passed, expected all`);
  return { problems, passed };
}

/** Runs the same project in promptfoo and prints its line and the ratios to batcheval's. */
async function comparePromptfoo(project, wall, peak) {
  const config = await writePromptfooProject(dir, project.models);
  const output = join(dir, "promptfoo", "results.json");
  console.log(
    `promptfoo eval --no-cache: the same ${cases.toLocaleString("en-US")} cases × ${project.models.length} models, offline provider`,
  );
  const run = await runPromptfoo({
    cli: values.promptfoo,
    node: values["promptfoo-node"],
    config,
    stateDir: join(dir, "promptfoo", "state"),
    output,
  });
  if (run.code !== 0) {
    console.error(run.stdout.slice(-2000));
    console.error(run.stderr.slice(-4000));
    throw new Error(`promptfoo eval exited ${run.code}`);
  }
  if (!Number.isFinite(run.peak)) throw new Error("promptfoo's peak RSS was not recorded");
  const { problems, passed } = await checkPromptfooOutput(output, project.requests);
  if (problems.length > 0) {
    throw new Error(`the promptfoo run checked nothing real: ${problems.join("; ")}`);
  }
  const pfWall = run.wallMs / 1000;
  console.log(
    `  results: ${project.requests.toLocaleString("en-US")} results, ${passed.toLocaleString("en-US")} passed`,
  );
  console.log(
    `promptfoo cases=${cases} models=${project.models.length} wall_s=${pfWall.toFixed(1)} peak_rss_mb=${run.peak}`,
  );
  console.log(`ratio wall=${(pfWall / wall).toFixed(1)}x rss=${(run.peak / peak).toFixed(1)}x`);
}

const cases = Number(values.cases);
const models = Number(values.models);
const dir = await mkdtemp(join(tmpdir(), "batcheval-bench-"));
try {
  const project = await generateProject(dir, {
    cases,
    models,
    rulePerCase: values["rule-per-case"],
  });
  const profileDir = values.profile ? join(dir, "profile") : undefined;
  console.log(
    `batcheval run --backend sim --no-cache: ${cases.toLocaleString("en-US")} cases × ${project.models.length} models (${project.requests.toLocaleString("en-US")} requests)${values["rule-per-case"] ? ", one fixture rule per case" : ""}`,
  );
  const run = await runCli(dir, profileDir);
  if (run.code !== 0) {
    console.error(run.stderr.slice(-4000));
    throw new Error(`batcheval run exited ${run.code}`);
  }
  const t = timings(run.stderr);
  const at = (name) => {
    const found = t.get(name);
    if (!found) throw new Error(`no "timing ${name}" line from the CLI`);
    return found.t;
  };
  const phases = [
    ["load", 0, at("phase=load")],
    ["compile", at("phase=load"), at("phase=compile")],
    ["submit", at("phase=compile"), at("stage=eval:polling")],
    ["wait", at("stage=eval:polling"), at("stage=eval:downloading")],
    ["download", at("stage=eval:downloading"), at("phase=batches")],
    ["grade", at("phase=batches"), at("phase=grade")],
    ["report", at("phase=grade"), at("phase=report")],
  ];
  for (const [name, from, to] of phases) {
    const rss = [...t.entries()].filter(([, v]) => v.t <= to).at(-1)?.[1].rss ?? 0;
    console.log(
      `  ${name.padEnd(9)} ${((to - from) / 1000).toFixed(2).padStart(7)} s   rss at end ${rss} MB`,
    );
  }
  const peak = Math.max(...[...t.values()].map((v) => v.peak));
  const wall = run.wallMs / 1000;
  console.log(
    `  throughput ${Math.round(project.requests / wall).toLocaleString("en-US")} requests/s (process start to exit)`,
  );
  const { problems, passed } = await checkReport(dir, project.requests);
  if (problems.length > 0) throw new Error(`the run checked nothing real: ${problems.join("; ")}`);
  console.log(
    `  report: ${project.requests.toLocaleString("en-US")} results, ${passed.toLocaleString("en-US")} passed`,
  );
  if (profileDir) {
    console.log("  top self time (CPU profile):");
    for (const line of await profileTop(profileDir)) console.log(`  ${line}`);
  }
  console.log(
    `cases=${cases} models=${project.models.length} requests=${project.requests} wall_s=${wall.toFixed(1)} peak_rss_mb=${peak}`,
  );
  if (values.promptfoo) await comparePromptfoo(project, wall, peak);
} finally {
  if (values.keep) console.log(`project kept in ${dir}`);
  else await rm(dir, { recursive: true, force: true });
}
