/**
 * index.html in a real browser (Debian's chromium, driven by playwright-core): it loads from
 * disk with no console error and no request but its own, shows the expected figures, its
 * filters work, model output stays inert, and a page of 100,000 cases × 3 models opens and
 * filters in seconds.
 */
import { createWriteStream, existsSync } from "node:fs";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderHtml, renderHtmlChunks } from "../../src/report/render-html.js";
import { summarize } from "../../src/report/summarize.js";
import type { CaseInput, ResultRecord, SuiteSummary } from "../../src/report/types.js";

const HOSTILE = "<img src=x onerror=alert(1)><script>alert(2)</script>";
const MODELS = ["claude-haiku-4-5", "claude-sonnet-4-6", "claude-opus-4-8"];

function record(
  model: string,
  suite: string,
  caseId: string,
  outcome: ResultRecord["outcome"],
  repeat = 0,
): ResultRecord {
  const pass = outcome === "pass";
  const usd = 0.001 * (MODELS.indexOf(model) + 1);
  return {
    suite,
    caseId,
    model,
    repeat,
    customId: `${suite}_${caseId}_r${repeat}`,
    outcome,
    source: "batch",
    score: pass ? 1 : 0,
    output: outcome === "error" ? "" : `answer ${caseId} from ${model}`,
    stopReason: outcome === "error" ? null : "end_turn",
    assertions:
      outcome === "error"
        ? []
        : [{ type: "contains", pass, score: pass ? 1 : 0, reason: pass ? "found" : "not found" }],
    usage:
      outcome === "error"
        ? null
        : {
            input_tokens: 120,
            output_tokens: 30,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 0,
            cache_creation: null,
          },
    // haiku costs least, opus most: $0.001, $0.002 and $0.003 a result in batch.
    cost: { standard: 2 * usd, standardCached: 2 * usd, batch: usd, batchCached: usd },
    ...(outcome === "error"
      ? { error: { type: "errored:overloaded_error", message: "busy" } }
      : {}),
  };
}

const SUITES: SuiteSummary[] = [
  { name: "triage", file: "evals/triage.yaml", passThreshold: 0.8, caseCount: 10 },
  { name: "qa", file: "evals/qa.yaml", passThreshold: 0.5, caseCount: 5, repeat: 3 },
];

/**
 * triage: 10 cases; haiku fails t0–t2, sonnet fails t0, opus passes all; t9's reply on haiku
 * is hostile markup and t8's was cut. qa: 5 cases of 3 samples each; haiku's q0 passes 2 of 3.
 */
function fixture() {
  const results: ResultRecord[] = [];
  for (let i = 0; i < 10; i++) {
    results.push(record(MODELS[0] as string, "triage", `t${i}`, i < 3 ? "fail" : "pass"));
    results.push(record(MODELS[1] as string, "triage", `t${i}`, i < 1 ? "fail" : "pass"));
    results.push(record(MODELS[2] as string, "triage", `t${i}`, "pass"));
  }
  const hostile = results.find((r) => r.caseId === "t9") as ResultRecord;
  hostile.output = HOSTILE;
  const cut = results.find((r) => r.caseId === "t8") as ResultRecord;
  cut.output = "y".repeat(4000);
  cut.outputChars = 12_345;
  for (let i = 0; i < 5; i++) {
    for (const model of MODELS) {
      for (let k = 0; k < 3; k++) {
        const fails = model === MODELS[0] && i === 0 && k === 1;
        const errs = model === MODELS[1] && i === 4 && k === 2;
        results.push(record(model, "qa", `q${i}`, fails ? "fail" : errs ? "error" : "pass", k));
      }
    }
  }
  const inputs: CaseInput[] = [
    {
      suite: "triage",
      caseId: "t1",
      vars: { ticket: "refund please" },
      messages: [{ role: "user", content: "Classify: refund please" }],
      assert: [{ type: "contains", value: "billing" }],
    },
  ];
  return summarize({
    runId: "browser-run",
    createdAt: "2026-12-03T00:00:00Z",
    backend: "sim",
    sdkVersion: "1.14.0",
    suites: SUITES,
    models: MODELS,
    results,
    batches: new Map(),
    samples: (suite) => (suite === "qa" ? { repeat: 3 } : undefined),
    inputs,
  });
}

let browser: Browser;
let dir: string;

const CHROMIUM = "/usr/bin/chromium";

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `the browser tests need Debian's chromium at ${CHROMIUM}: apt-get install chromium`,
    );
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  dir = await mkdtemp(join(tmpdir(), "batcheval-html-"));
});

afterAll(async () => {
  await browser?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  /** Console errors, page errors, dialogs and requests other than the page's own. */
  problems: string[];
  ms: number;
}

/** Opens `file` with every request but its own refused, and records what went wrong. */
async function open(file: string): Promise<Opened> {
  const page = await browser.newPage();
  const url = `file://${file}`;
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("dialog", (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on("request", (r) => {
    if (r.url() !== url) problems.push(`request: ${r.url()}`);
  });
  // A broken page should fail in seconds, not at the 30 s default.
  page.setDefaultTimeout(5_000);
  await page.route("**/*", (route) =>
    route.request().url() === url ? route.continue() : route.abort(),
  );
  const start = performance.now();
  await page.goto(url);
  return { page, problems, ms: performance.now() - start };
}

async function pageFile(name: string, html: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, html);
  return file;
}

const info = (page: Page) => page.locator("#page-info").textContent();

describe("index.html in chromium", () => {
  let opened: Opened;

  beforeAll(async () => {
    opened = await open(await pageFile("small.html", renderHtml(fixture())));
  });

  afterAll(async () => {
    await opened?.page.close();
  });

  it("loads with no console error and no request but its own", async () => {
    const { page } = opened;
    await expect.poll(() => info(page)).toBe("cases 1–15 of 15 (15 in all)");
    expect(await page.locator("#simulated").textContent()).toContain("SIMULATED");
    expect(opened.problems).toEqual([]);
  });

  it("shows the verdict, the grid, the charts and the model table", async () => {
    const { page } = opened;
    expect(await page.locator("#recommended").textContent()).toBe("claude-sonnet-4-6");
    // sonnet: 9/10 on triage; on qa 14 of 15 samples graded (one errored), all passing.
    expect(await page.locator("#verdict .pass-rate").textContent()).toBe("95.8%");
    expect(await page.locator("#verdict .billed").textContent()).toBe("$0.0500");
    expect(await page.locator("#verdict .saved").textContent()).toBe("$0.0500");
    expect(await page.locator("#standings").textContent()).toContain(
      "claude-haiku-4-5 misses triage (70.0% of 80.0%)",
    );
    const grid = await page.locator("#suites tbody tr").allInnerTexts();
    expect(grid[0]).toMatch(/^triage\t80\.0%\t70\.0% 40–89% misses\n7\/10 passed\t90\.0%/);
    expect(grid[1]).toMatch(/^qa\t50\.0%\t.*93\.3%.*\n14\/15 passed/);
    expect(await page.locator("figure.chart").count()).toBe(3);
    expect(await page.locator("line.threshold").count()).toBe(2);
    const models = await page.locator("#models tbody tr").allInnerTexts();
    expect(models[1]).toMatch(/^claude-sonnet-4-6\t95\.8%\n.*\t25\t23\t1\t1\t/);
  });

  it("filters by failures, search, suite and model", async () => {
    const { page } = opened;
    await page.locator("#f-failures").check();
    // Failing on some model: t0, t1, t2, and q0 (1 of 3 failed on haiku); q4 errored on sonnet.
    await expect.poll(() => info(page)).toBe("cases 1–5 of 5 (15 in all)");
    expect(await page.locator("#matrix tbody tr.case td:nth-child(2)").allInnerTexts()).toEqual([
      "t0",
      "t1",
      "t2",
      "q0",
      "q4",
    ]);
    await page.locator("#f-model").selectOption({ label: "claude-sonnet-4-6" });
    await expect.poll(() => info(page)).toBe("cases 1–2 of 2 (15 in all)");
    expect(await page.locator("#matrix thead th").allInnerTexts()).toEqual([
      "suite",
      "case",
      "claude-sonnet-4-6",
    ]);
    await page.locator("#f-model").selectOption({ label: "every model" });
    await page.locator("#f-suite").selectOption({ label: "qa" });
    await expect.poll(() => info(page)).toBe("cases 1–2 of 2 (15 in all)");
    await page.locator("#f-failures").uncheck();
    await expect.poll(() => info(page)).toBe("cases 1–5 of 5 (15 in all)");
    await page.locator("#f-suite").selectOption({ label: "every suite" });
    await page.locator("#f-search").fill("T1");
    await expect.poll(() => info(page)).toBe("cases 1–1 of 1 (15 in all)");
    await page.locator("#f-search").fill("nothing like it");
    await expect.poll(() => info(page)).toBe("no case matches");
    await page.locator("#f-search").fill("");
    await expect.poll(() => info(page)).toBe("cases 1–15 of 15 (15 in all)");
  });

  it("has no baseline filter without a baseline", async () => {
    expect(await opened.page.locator("#f-changed-label").isHidden()).toBe(true);
    expect(await opened.page.locator("#baseline").count()).toBe(0);
  });

  it("with a baseline, shows the flips first and filters the cases that changed", async () => {
    const report = fixture();
    const flip = (caseId: string) => ({
      suite: "triage",
      caseId,
      model: MODELS[0] as string,
      repeat: 0,
    });
    report.baseline = {
      runId: "base-run",
      tolerance: 0,
      regressions: 1,
      groups: [
        {
          model: MODELS[0] as string,
          suite: "triage",
          oldPassRate: 0.9,
          newPassRate: 0.7,
          change: -0.2,
          pValue: 0.5,
          regression: true,
          passToFail: [flip("t1"), flip("t2")],
          failToPass: [flip("t5")],
        },
      ],
    };
    const withBaseline = await open(await pageFile("baseline.html", renderHtml(report)));
    const { page } = withBaseline;
    try {
      expect(await page.locator("#baseline-verdict").textContent()).toBe(
        "✘ 1 regression against baseline base-run",
      );
      expect(await page.locator("#pass-to-fail li").allInnerTexts()).toEqual([
        "claude-haiku-4-5 · triage/t1",
        "claude-haiku-4-5 · triage/t2",
      ]);
      await page.locator("#f-changed").check();
      await expect.poll(() => info(page)).toBe("cases 1–3 of 3 (15 in all)");
      expect(await page.locator("#matrix tbody tr.case td:nth-child(2)").allInnerTexts()).toEqual([
        "t1",
        "t2",
        "t5",
      ]);
      expect(withBaseline.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("shows each repeated case's k/N with its interval and rule", async () => {
    const { page } = opened;
    const q0 = page.locator("#matrix tr.case", { hasText: "q0" }).locator("td").nth(2);
    expect(await q0.textContent()).toContain("2/3");
    expect(await q0.locator(".samples").getAttribute("title")).toMatch(
      /^95% CI \d+–\d+%; each sample counts; fail; flaky$/,
    );
  });

  it("opens a case's prompt, outputs, expected values, usage and cost", async () => {
    const { page } = opened;
    await page.locator("#matrix button.case-id", { hasText: "t1" }).click();
    const detail = page.locator("#matrix tr.detail");
    await expect.poll(() => detail.count()).toBe(1);
    const text = await detail.textContent();
    expect(text).toContain("Classify: refund please");
    expect(text).toContain('"ticket": "refund please"');
    expect(text).toContain("answer t1 from claude-opus-4-8");
    expect(text).toContain("expected: billing");
    expect(text).toContain("not found");
    expect(text).toContain("tokens: 120 in, 30 out");
    expect(text).toContain("cost: $0.00200 billed (batch + cache)");
    await page.locator("#matrix button.case-id", { hasText: "t1" }).click();
    await expect.poll(() => detail.count()).toBe(0);
    await page.locator("#matrix button.case-id", { hasText: "t8" }).click();
    expect(await detail.textContent()).toContain("The first 4,000 of 12,345 characters");
    await page.locator("#matrix button.case-id", { hasText: "t8" }).click();
  });

  it("renders a hostile reply as text, and no dialog opens", async () => {
    const { page } = opened;
    await page.locator("#matrix button.case-id", { hasText: "t9" }).click();
    const output = page.locator("#matrix tr.detail pre", { hasText: "onerror" });
    expect(await output.textContent()).toBe(HOSTILE);
    expect(await page.locator("#matrix img").count()).toBe(0);
    await page.waitForTimeout(100);
    expect(opened.problems).toEqual([]);
  });
});

/** A report of `cases` cases × 3 models, one suite, every 7th case failing on haiku. */
function large(cases: number) {
  const results: ResultRecord[] = new Array(cases * 3);
  for (let i = 0; i < cases; i++) {
    for (const [m, model] of MODELS.entries()) {
      results[i * 3 + m] = record(
        model,
        "triage",
        `case-${i}`,
        m === 0 && i % 7 === 0 ? "fail" : "pass",
      );
    }
  }
  return summarize({
    runId: "large",
    createdAt: "2026-12-03T00:00:00Z",
    backend: "sim",
    sdkVersion: "1.14.0",
    suites: [{ name: "triage", file: "evals/triage.yaml", passThreshold: 0.8, caseCount: cases }],
    models: MODELS,
    results,
    batches: new Map(),
  });
}

describe("index.html at 100,000 cases × 3 models", () => {
  it("opens and filters within 15 s", { timeout: 120_000 }, async () => {
    const file = join(dir, "large.html");
    await pipeline(renderHtmlChunks(large(100_000)), createWriteStream(file));
    const { page, problems, ms: load } = await open(file);
    await expect.poll(() => info(page)).toBe("cases 1–100 of 100,000 (100,000 in all)");
    expect(await page.locator("#matrix tbody tr").count()).toBe(100);
    let start = performance.now();
    await page.locator("#f-failures").check();
    await expect.poll(() => info(page)).toBe("cases 1–100 of 14,286 (100,000 in all)");
    const failures = performance.now() - start;
    start = performance.now();
    await page.locator("#f-search").fill("case-99995");
    await expect.poll(() => info(page)).toBe("cases 1–1 of 1 (100,000 in all)");
    const search = performance.now() - start;
    start = performance.now();
    await page.locator("#matrix button.case-id").click();
    await expect.poll(() => page.locator("#matrix tr.detail").count()).toBe(1);
    const details = performance.now() - start;
    const size = (await stat(file)).size;
    console.log(
      `index.html at 100,000 × 3: ${(size / 1e6).toFixed(1)} MB, load ${Math.round(load)} ms, failures only ${Math.round(failures)} ms, search ${Math.round(search)} ms, open a case ${Math.round(details)} ms`,
    );
    expect(problems).toEqual([]);
    expect(load + failures + search).toBeLessThan(15_000);
    await page.close();
  });
});
