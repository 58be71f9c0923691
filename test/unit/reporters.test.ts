/** The reporter registry: lookup with a suggestion, json always written, files pure of the report. */
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import * as batcheval from "../../src/index.js";
import {
  chooseReporters,
  DEFAULT_REPORTERS,
  fileText,
  lookupReporter,
  REPORTER_NAMES,
  REPORTERS,
  type Reporter,
} from "../../src/report/reporters.js";
import { describeProblem, jsonPath } from "../../src/run/read-report.js";
import { writeReports } from "../../src/run/write-reports.js";
import { sampleReport } from "../support/sample-report.js";

describe("lookupReporter", () => {
  it.each([
    ["json", { ok: true, reporter: REPORTERS.json }],
    ["html", { ok: true, reporter: REPORTERS.html }],
    [
      "htm",
      {
        ok: false,
        message: "unknown reporter 'htm' — did you mean 'html'?",
        hint: "reporters: json, html, junit, summary",
      },
    ],
    ["jsonn", { ok: false, message: "unknown reporter 'jsonn' — did you mean 'json'?" }],
    ["junit", { ok: true, reporter: REPORTERS.junit }],
    ["summary", { ok: true, reporter: REPORTERS.summary }],
    ["xunit", { ok: false, message: "unknown reporter 'xunit' — did you mean 'junit'?" }],
    ["sumary", { ok: false, message: "unknown reporter 'sumary' — did you mean 'summary'?" }],
    ["markdown", { ok: false, message: "unknown reporter 'markdown'" }],
    ["toString", { ok: false }],
  ])("%s", (name, expected) => {
    expect(lookupReporter(name)).toMatchObject(expected);
  });
});

describe("chooseReporters", () => {
  it.each([
    [[], ["json"]],
    [["html"], ["json", "html"]],
    [
      ["html", "json", "html"],
      ["json", "html"],
    ],
    [[...DEFAULT_REPORTERS], ["json", "html"]],
  ])("%j → %j (json is implied, each reporter once)", (names, expected) => {
    const chosen = chooseReporters(names);
    expect(chosen.ok && chosen.reporters.map((r) => r.name)).toEqual(expected);
  });

  it("returns the first unknown name's problem", () => {
    expect(chooseReporters(["html", "xml", "md"])).toMatchObject({
      ok: false,
      message: "unknown reporter 'xml'",
    });
  });
});

/** A reporter's files with their whole texts (pieces joined). */
function texts(reporter: Reporter, report: ReturnType<typeof sampleReport>) {
  return reporter.files(report).map((file) => ({ name: file.name, contents: fileText(file) }));
}

describe("the registry's files", () => {
  it.each(REPORTER_NAMES)("%s: a pure function of the report", (name) => {
    const reporter = REPORTERS[name];
    const report = sampleReport();
    const copy = structuredClone(report);
    const first = texts(reporter, report);
    expect(texts(reporter, structuredClone(report))).toEqual(first);
    expect(report).toEqual(copy);
    expect(texts(reporter, sampleReport("Lyon", "r2"))).not.toEqual(first);
    expect(reporter.name).toBe(name);
  });

  it("json and html write report.json and index.html", () => {
    const report = sampleReport();
    expect(texts(REPORTERS.json, report)).toEqual([
      { name: "report.json", contents: batcheval.renderJson(report) },
    ]);
    expect(texts(REPORTERS.html, report)).toEqual([
      { name: "index.html", contents: batcheval.renderHtml(report) },
    ]);
  });

  it("junit and summary write junit.xml and summary.md", () => {
    const report = sampleReport();
    expect(texts(REPORTERS.junit, report)).toEqual([
      { name: "junit.xml", contents: batcheval.renderJunit(report) },
    ]);
    expect(texts(REPORTERS.summary, report)).toEqual([
      { name: batcheval.SUMMARY_FILE, contents: batcheval.renderSummary(report) },
    ]);
    expect(batcheval.SUMMARY_FILE).toBe("summary.md");
  });

  it("report.json in pieces is the report's JSON, one line per result", () => {
    const report = sampleReport('tricky "quotes"\n and\u2028 lines');
    const many = { ...report, results: [...report.results, ...report.results], extra: undefined };
    for (const r of [report, many, { ...report, results: [] }]) {
      const text = batcheval.renderJson(r);
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(r)));
      const lines = text.split("\n").filter((line) => line.startsWith('    {"suite":'));
      expect(lines).toHaveLength(r.results.length);
    }
    // Everything but the results is indented as JSON.stringify indents it.
    const { results: _, ...rest } = report;
    expect(batcheval.renderJson(report)).toContain(
      JSON.stringify(rest.cost, null, 2).replaceAll("\n", "\n  "),
    );
  });

  it("are the names config.schema.json allows in reporters:", () => {
    const schema = JSON.parse(
      readFileSync(new URL("../../schema/config.schema.json", import.meta.url), "utf8"),
    );
    expect(schema.properties.reporters.items.enum).toEqual(REPORTER_NAMES);
  });

  it("is part of the public API", () => {
    expect(batcheval.REPORTERS).toBe(REPORTERS);
    expect(batcheval.lookupReporter("html")).toEqual({ ok: true, reporter: REPORTERS.html });
  });
});

describe("writeReports", () => {
  let dir: string;
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const twoFiles: Reporter = {
    name: "two",
    files: (report) => [
      { name: "a.txt", contents: report.runId },
      { name: "b.txt", contents: String(report.results.length) },
    ],
  };

  it("writes every reporter's files, in order, and returns their paths", async () => {
    dir = await mkdtemp(join(tmpdir(), "batcheval-reporters-"));
    const written = await writeReports(dir, sampleReport(), [REPORTERS.json, twoFiles]);
    expect(written).toEqual([join(dir, "report.json"), join(dir, "a.txt"), join(dir, "b.txt")]);
    expect((await readdir(dir)).sort()).toEqual(["a.txt", "b.txt", "report.json"]);
    expect(await readFile(join(dir, "a.txt"), "utf8")).toBe("r1");
  });

  it.each([
    [
      "a file outside the run directory",
      { name: "bad", files: () => [{ name: "../x", contents: "" }] },
    ],
    [
      "a file another reporter writes",
      { name: "bad", files: () => [{ name: "a.txt", contents: "" }] },
    ],
  ])("refuses %s, and writes nothing", async (_what, bad: Reporter) => {
    dir = await mkdtemp(join(tmpdir(), "batcheval-reporters-"));
    await expect(writeReports(dir, sampleReport(), [twoFiles, bad])).rejects.toThrow(/bad/);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe("writeReports and GITHUB_STEP_SUMMARY", () => {
  let dir: string;
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function setUp() {
    dir = await mkdtemp(join(tmpdir(), "batcheval-step-summary-"));
    const logged: string[] = [];
    const surroundings = (env: Record<string, string>) => ({
      cwd: dir,
      env,
      log: (text: string) => {
        logged.push(text);
      },
    });
    return { logged, surroundings };
  }

  it("appends summary.md to the file it names, once per write", async () => {
    const { logged, surroundings } = await setUp();
    const around = surroundings({ GITHUB_STEP_SUMMARY: "step.md" });
    await writeFile(join(dir, "step.md"), "# an earlier step\n");
    const report = sampleReport();
    const reporters = [REPORTERS.json, REPORTERS.summary];
    await writeReports(dir, report, reporters, around);
    await writeReports(dir, report, reporters, around);
    const summary = batcheval.renderSummary(report);
    expect(await readFile(join(dir, "summary.md"), "utf8")).toBe(summary);
    expect(await readFile(join(dir, "step.md"), "utf8")).toBe(
      `# an earlier step\n\n${summary}\n${summary}`,
    );
    expect(logged).toEqual([]);
  });

  it("appends nothing without the summary reporter, or without the variable", async () => {
    const { surroundings } = await setUp();
    const step = join(dir, "step.md");
    await writeReports(
      dir,
      sampleReport(),
      [REPORTERS.json, REPORTERS.junit],
      surroundings({ GITHUB_STEP_SUMMARY: step }),
    );
    expect(existsSync(step)).toBe(false);
    await writeReports(dir, sampleReport(), [REPORTERS.summary], surroundings({}));
    await writeReports(
      dir,
      sampleReport(),
      [REPORTERS.summary],
      surroundings({ GITHUB_STEP_SUMMARY: "" }),
    );
    await writeReports(dir, sampleReport(), [REPORTERS.summary]);
    expect(await readdir(dir)).toEqual(["junit.xml", "report.json", "summary.md"]);
  });

  it("warns and goes on when the file cannot be appended to", async () => {
    const { logged, surroundings } = await setUp();
    const written = await writeReports(
      dir,
      sampleReport(),
      [REPORTERS.summary, REPORTERS.html],
      surroundings({ GITHUB_STEP_SUMMARY: "no/such/dir/step.md" }),
    );
    expect(written).toEqual([join(dir, "summary.md"), join(dir, "index.html")]);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(
      /^warning: could not append summary\.md to GITHUB_STEP_SUMMARY \(.*step\.md\): ENOENT/,
    );
  });
});

describe("report.json problems", () => {
  it.each([
    ["", "$"],
    ["/models/0/passRate", "$.models[0].passRate"],
    ["/results/12/usage/cache_creation", "$.results[12].usage.cache_creation"],
    ["/pricing/claude-haiku-4-5", '$.pricing["claude-haiku-4-5"]'],
    ["/a~1b/c~0d", '$["a/b"]["c~d"]'],
  ])("%j is the JSON path %s", (pointer, path) => {
    expect(jsonPath(pointer)).toBe(path);
  });

  const error = (keyword: string, params: Record<string, unknown>, data: unknown) =>
    ({
      keyword,
      params,
      data,
      instancePath: "/models/0",
      schemaPath: "",
      message: "must be >= 0",
    }) as never;

  it.each([
    [error("type", { type: "number" }, "0.9"), '$.models[0]: expected number, got string "0.9"'],
    [
      error("type", { type: ["string", "null"] }, 3),
      "$.models[0]: expected string or null, got number 3",
    ],
    [
      error("required", { missingProperty: "cost" }, {}),
      "$.models[0].cost: missing (a required field)",
    ],
    [
      error("enum", { allowedValues: ["a", "b"] }, "c"),
      '$.models[0]: expected one of "a", "b", got string "c"',
    ],
    [error("const", { allowedValue: 1 }, 2), "$.models[0]: expected 1, got number 2"],
    [error("minimum", { limit: 0 }, -1), "$.models[0]: must be >= 0, got number -1"],
    [error("type", { type: "object" }, [1, 2]), "$.models[0]: expected object, got an array of 2"],
  ])("problem %#", (e, expected) => {
    expect(describeProblem(e)).toBe(expected);
  });
});
