/**
 * `batcheval report` after a real run on the simulator: today's report.json matches the schema
 * that `report` checks it against (and the schema describes every field the run wrote), a
 * corrupted report.json is refused with the JSON path of what is wrong, and a re-render writes
 * every configured reporter.
 */
import { readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { reportCommand } from "../../src/cli/report-command.js";
import { runCommand } from "../../src/cli/run-command.js";
import { BatchevalError } from "../../src/errors.js";
import type { Report } from "../../src/report/types.js";
import { readReportFile } from "../../src/run/read-report.js";
import { loadFixtures } from "../../src/sim/fixtures.js";
import { type Simulator, startSimulator } from "../../src/sim/server.js";
import { capitalsFixtures } from "../support/capitals.js";
import { TempProject } from "../support/temp-project.js";

let project: TempProject;
let sim: Simulator;
/** The run directory, relative to the project. */
const RUN = "reports/latest";

/** A suite that makes the report carry every kind of field: errors, tool calls, cache usage. */
const SUITE = `name: mixed
models: [claude-haiku-4-5, claude-sonnet-4-6]
params: { max_tokens: 20 }
system:
  - file: policy.md
    cache: 5m
prompt: "{{question}}"
cases:
  - { id: france, vars: { question: "Capital of France?" }, assert: [{ type: contains, value: Paris }] }
  - { id: peru, vars: { question: "Capital of Peru?" }, assert: [{ type: contains, value: Lima }] }
  - { id: spain, vars: { question: "Capital of Spain?" }, assert: [{ type: contains, value: Madrid }] }
  - { id: weather, vars: { question: "weather in Paris" }, assert: [{ type: contains-json, value: { city: Paris } }] }
pass_threshold: 0.5
repeat: 3
`;

const FIXTURES = `${capitalsFixtures(['{ match: "Capital of Peru", reply: "Bogota." }'])}  - { match: "weather in", tool_use: { name: get_weather, input: { city: Paris } } }
`;

beforeAll(async () => {
  project = await TempProject.create("batcheval-report-");
  await project.write("evals/mixed.yaml", SUITE);
  await project.write("evals/policy.md", "Answer in one word. ".repeat(400));
  await project.write("fixtures/sim/rules.yaml", FIXTURES);
  // Canceled entries and retries, so the report has errored results and retry batches.
  sim = await startSimulator({
    rules: await loadFixtures("fixtures/**/*.yaml", project.dir),
    batchDurationMs: 10,
    faults: { canceled: 0.2, overloaded: 0.3, seed: 7 },
  });
  const env = { ANTHROPIC_API_KEY: "k", ANTHROPIC_BASE_URL: sim.url };
  const options = { paths: [], backend: "anthropic" as const, pollInterval: 10 };
  expect(await runCommand(options, project.io(env).io)).toBeLessThan(2);
});

afterEach(async () => {
  await rm(join(project.dir, "batcheval.config.yaml"), { force: true });
});

afterAll(async () => {
  await sim.close();
  await project.remove();
});

const reportPath = () => join(project.dir, RUN, "report.json");

type Schema = { [key: string]: unknown };

/** Paths of fields in `value` that `schema` does not describe (its `properties`, `items`). */
function undescribed(value: unknown, schema: Schema, path = "$"): string[] {
  if (Array.isArray(value)) {
    const items = schema.items as Schema | undefined;
    return items === undefined
      ? []
      : value.flatMap((v, i) => undescribed(v, items, `${path}[${i}]`));
  }
  if (value === null || typeof value !== "object") return [];
  const properties = schema.properties as Record<string, Schema> | undefined;
  if (properties === undefined) return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const property = properties[key];
    return property === undefined ? [`${path}.${key}`] : undescribed(v, property, `${path}.${key}`);
  });
}

describe("today's report.json and the schema", () => {
  it("covers errors, tool calls, cache usage and retries", async () => {
    const report = await readReportFile(reportPath());
    const outcomes = new Set(report.results.map((r) => r.outcome));
    expect(outcomes).toEqual(new Set(["pass", "fail", "error"]));
    expect(report.results.some((r) => r.toolCalls !== undefined)).toBe(true);
    expect(report.results.some((r) => r.usage?.cache_creation != null)).toBe(true);
    expect(report.models.flatMap((m) => m.batches).some((b) => b.kind === "retry")).toBe(true);
  });

  it("matches the schema, which describes every field the run wrote", async () => {
    const schema = JSON.parse(
      await readFile(new URL("../../schema/report.schema.json", import.meta.url), "utf8"),
    ) as Schema;
    const report = JSON.parse(await readFile(reportPath(), "utf8")) as unknown;
    // Reported once per field, not once per result.
    const fields = new Set(undescribed(report, schema).map((p) => p.replace(/\[\d+\]/g, "[]")));
    expect([...fields]).toEqual([]);
  });
});

describe("batcheval report RUN_DIR", () => {
  it("re-renders index.html and prints the summary", async () => {
    await rm(join(project.dir, RUN, "index.html"));
    const before = await readFile(reportPath(), "utf8");
    const t = project.io();
    expect(await reportCommand({ runDir: RUN }, t.io)).toBeLessThan(2);
    expect(await readFile(join(project.dir, RUN, "index.html"), "utf8")).toContain("<html");
    expect(t.out()).toContain("Recommended");
    expect(t.out()).toContain(`Wrote ${join(project.dir, RUN, "index.html")}`);
    // report.json is the input: read, never rewritten.
    expect(await readFile(reportPath(), "utf8")).toBe(before);
  });

  it.each([
    ["the config's reporters", "reporters: [html]\n", undefined, true],
    ["reporters: [json] (html not written)", "reporters: [json]\n", undefined, false],
    ["--reporter over the config", "reporters: [json]\n", ["html"], true],
    ["--reporter json alone", "", ["json"], false],
  ])("writes %s", async (_name, config, reporter, html) => {
    await project.write("batcheval.config.yaml", config);
    await rm(join(project.dir, RUN, "index.html"), { force: true });
    const options = { runDir: RUN, ...(reporter ? { reporter } : {}) };
    expect(await reportCommand(options, project.io().io)).toBeLessThan(2);
    const exists = await stat(join(project.dir, RUN, "index.html")).then(
      () => true,
      () => false,
    );
    expect(exists).toBe(html);
  });

  it("reads the config named by --config", async () => {
    await project.write("conf/other.yaml", "reporters: [htm]\n");
    const t = project.io();
    expect(await reportCommand({ runDir: RUN, config: "conf/other.yaml" }, t.io)).toBe(2);
    expect(t.err()).toContain(
      "conf/other.yaml:1:13: error: reporters[0] must be one of json, html",
    );
  });

  it("stops at an unknown reporter in the config, located, with did-you-mean", async () => {
    await project.write("batcheval.config.yaml", "reporters:\n  - json\n  - htm\n");
    const t = project.io();
    expect(await reportCommand({ runDir: RUN }, t.io)).toBe(2);
    expect(t.err()).toContain(
      `batcheval.config.yaml:3:5: error: reporters[1] must be one of json, html, junit, summary; got "htm" — did you mean 'html'?`,
    );
    expect(t.err()).toContain(
      "hint: reporters: json (report.json), html (index.html), junit (junit.xml), summary (summary.md)",
    );
    expect(t.out()).toBe("");
  });

  it("stops at an unknown --reporter, with did-you-mean", async () => {
    const error = await reportCommand({ runDir: RUN, reporter: ["htm"] }, project.io().io).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BatchevalError);
    expect((error as BatchevalError).exitCode).toBe(2);
    expect((error as BatchevalError).message).toBe(
      "--reporter: unknown reporter 'htm' — did you mean 'html'?",
    );
  });
});

describe("a report.json that does not match the schema", () => {
  const corrupt = async (change: (report: Record<string, unknown>) => void) => {
    const dir = `reports/corrupt-${Math.random().toString(36).slice(2)}`;
    const report = JSON.parse(await readFile(reportPath(), "utf8")) as Record<string, unknown>;
    change(report);
    await project.write(`${dir}/report.json`, JSON.stringify(report));
    const error = await reportCommand({ runDir: dir }, project.io().io).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchevalError);
    expect((error as BatchevalError).exitCode).toBe(2);
    const exists = await stat(join(project.dir, dir, "index.html")).then(
      () => true,
      () => false,
    );
    expect(exists).toBe(false);
    return error as BatchevalError;
  };

  it("exits 2 with the JSON path of a field of the wrong type, and what was expected", async () => {
    const error = await corrupt((r) => {
      (r.models as Report["models"])[1]!.passRate = "0.9" as never;
    });
    expect(error.message).toMatch(/report\.json does not match the report\.json schema/);
    expect(error.message).toContain('$.models[1].passRate: expected number, got string "0.9"');
    expect(error.hint).toMatch(/may come from another batcheval version/);
  });

  it("lists the first few problems and counts the rest", async () => {
    const error = await corrupt((r) => {
      for (const result of r.results as Record<string, unknown>[]) result.outcome = "maybe";
      delete (r.cost as Record<string, unknown>).batch;
    });
    const lines = error.message.split("\n");
    expect(lines[1]).toBe("  $.cost.batch: missing (a required field)");
    expect(lines[2]).toBe(
      '  $.results[0].outcome: expected one of "pass", "fail", "error", "skipped", got string "maybe"',
    );
    expect(lines).toHaveLength(7);
    expect(lines[6]).toMatch(/^ {2}… and \d+ more$/);
  });

  it("names the version of a report from another schemaVersion", async () => {
    const error = await corrupt((r) => {
      r.schemaVersion = 2;
    });
    expect(error.message).toMatch(
      /is a schemaVersion 2 report; this batcheval reads schemaVersion 1\.$/,
    );
  });

  it("exits 2 for a file that is not JSON", async () => {
    await project.write("reports/broken/report.json", "{ not json");
    const error = await reportCommand({ runDir: "reports/broken" }, project.io().io).catch(
      (e: unknown) => e,
    );
    expect((error as BatchevalError).exitCode).toBe(2);
    expect((error as BatchevalError).message).toMatch(/is not valid JSON$/);
  });
});
