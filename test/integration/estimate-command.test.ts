import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { estimateCommand } from "../../src/cli/estimate-command.js";
import { worstCaseBatchCost } from "../../src/cost/estimate.js";
import { formatUsd } from "../../src/report/format.js";
import { estimateRun } from "../../src/run/estimate-run.js";
import { runEval } from "../../src/run/run-eval.js";
import { TempProject } from "../support/temp-project.js";

let project: TempProject;

/**
 * A suite of 10 cases on Sonnet 4.6 sharing a `handbookChars`-character handbook marked
 * `cache: 1h`; each prompt is 400 characters (100 tokens), max_tokens 200.
 */
function policySuite(ttl: "5m" | "1h" = "1h"): string {
  const cases = Array.from(
    { length: 10 },
    (_, i) =>
      `  - id: q${i}\n    vars: { q: "${String(i).repeat(400)}" }\n    assert: [{ type: contains, value: "14 days" }]`,
  );
  return `name: policy
models: [claude-sonnet-4-6]
params: { max_tokens: 200 }
system:
  - file: handbook.md
    cache: ${ttl}
prompt: "{{q}}"
cases:
${cases.join("\n")}
`;
}

beforeEach(async () => {
  project = await TempProject.create("batcheval-estimate-");
  await project.write("evals/policy.yaml", policySuite());
});

afterEach(async () => {
  await project.remove();
});

describe("estimate", () => {
  it("prints the table, the shared prefix, the warm-up decision and the budget figure", async () => {
    // 20,000 characters = 5,000 tokens: the hand-worked case of test/unit/cost-estimate.test.ts.
    // sync 183,000 units = $0.183; batch $0.0915; batch+cache 76,500 / 2 = $0.03825 (low) to
    // 333,000 / 2 = $0.1665 (high); warm-up 0.3 × 9 × 5,000 × 5.7 × 0.5 = $0.038475.
    await project.write("evals/handbook.md", "h".repeat(20_000));
    const t = project.io();
    expect(await estimateCommand({ paths: [] }, t.io)).toBe(0);
    expect(t.err()).toBe("");
    const out = t.out();
    expect(out).toMatch(
      /^model\s+requests\s+prompt tokens \(est\.\)\s+max output tokens\s+sync\s+batch\s+batch\+cache \(low–high\)$/m,
    );
    expect(out).toMatch(
      /^claude-sonnet-4-6\s+10\s+51,000\s+2,000\s+\$0\.183\s+\$0\.0915\s+\$0\.0382–\$0\.167$/m,
    );
    expect(out).not.toMatch(/^total/m);
    expect(out).toContain("5,000 tokens, 1h TTL, in 10 requests (policy)");
    expect(out).toContain("warm-up: worth it, saves ~$0.0385");
    expect(out).toContain("Worst-case batch cost (what --max-cost is compared with): $0.167");
    expect(out).not.toContain("Projected");
  });

  it("counts the grader models' questions apart, and in the budget figure", async () => {
    await project.write(
      "evals/policy.yaml",
      `name: graded
models: [claude-haiku-4-5]
params: { max_tokens: 50 }
prompt: "Capital of {{c}}?"
cases:
  - { id: a, vars: { c: France }, assert: [{ type: llm-rubric, value: "Names Paris" }, { type: contains, value: Paris }] }
  - { id: b, vars: { c: Peru }, assert: [{ type: factuality, value: Lima, grader: claude-opus-4-8 }] }
repeat: 2
`,
    );
    const { estimate } = await estimateRun({ paths: [] }, project.io().io);
    // One question per model-graded assertion and result (2 cases × 2 samples).
    expect(estimate.graders.map((g) => [g.model, g.requests, g.maxOutputTokens])).toEqual([
      ["claude-sonnet-4-6", 2, 2048],
      ["claude-opus-4-8", 2, 2048],
    ]);
    // The fixed instructions are one cached prefix per grader model and kind of question.
    expect(estimate.graders[0]?.sharedPrefixes).toEqual([
      expect.objectContaining({ requests: 2, ttl: "1h" }),
    ]);
    const worst = worstCaseBatchCost(estimate);
    const evalOnly = estimate.total.high.batchCached;
    expect(worst).toBeCloseTo(evalOnly + estimate.graderTotal.high.batchCached, 12);
    expect(worst).toBeGreaterThan(evalOnly);
    const t = project.io();
    expect(await estimateCommand({ paths: [] }, t.io)).toBe(0);
    expect(t.out()).toContain("Grader models (model-graded assertions, billed apart");
    expect(t.out()).toMatch(/^claude-opus-4-8\s+2\s+[\d,]+\s+2,048\s+\$/m);
    expect(t.out()).toContain(
      `Worst-case batch cost (what --max-cost is compared with): ${formatUsd(worst)}`,
    );
  });

  it("warns when a grader model's minimum cacheable prefix is above the grading instructions", async () => {
    const suite = (grader: string) => `name: graded
models: [claude-haiku-4-5]
grader: ${grader}
prompt: "Capital of {{c}}?"
cases:
  - { id: a, vars: { c: France }, assert: [{ type: llm-rubric, value: "Names Paris" }] }
`;
    await project.write("evals/policy.yaml", suite("claude-haiku-4-5"));
    const haiku = await estimateRun({ paths: [] }, project.io().io);
    expect(haiku.diagnostics.map((d) => [d.severity, d.message])).toEqual([
      [
        "warning",
        expect.stringMatching(
          /^grader model claude-haiku-4-5: the grading instructions \(about \d+ tokens\) are below its minimum cacheable prefix of 4096/,
        ),
      ],
    ]);
    await project.write("evals/policy.yaml", suite("claude-sonnet-4-6"));
    expect((await estimateRun({ paths: [] }, project.io().io)).diagnostics).toEqual([]);
  });

  it("projects --volume per model and totals several models", async () => {
    await project.write("evals/handbook.md", "h".repeat(20_000));
    const t = project.io();
    const code = await estimateCommand(
      { paths: ["evals"], models: ["claude-sonnet-4-6", "claude-haiku-4-5"], volume: 1_000 },
      t.io,
    );
    expect(code).toBe(0);
    const out = t.out();
    // Haiku 4.5 (5,000 ≥ its 4,096 minimum): standard (5,100×1 + 200×5) × 10 = 61,000 units.
    expect(out).toMatch(/^claude-haiku-4-5\s+10\s+51,000\s+2,000\s+\$0\.0610\s/m);
    // 244,000 units sync in all: $0.244.
    expect(out).toMatch(/^total\s+20\s+102,000\s+4,000\s+\$0\.244\s/m);
    expect(out).toContain("Projected at 1,000 requests a month");
    // Sonnet ×100: sync $18.30, batch $9.15, batch+cache $3.83 (3.825)–$16.65.
    expect(out).toMatch(/^claude-sonnet-4-6\s+\$18\.30\s+\$9\.15\s+\$3\.83–\$16\.65$/m);
  });

  it("repeats multiply the requests; a short prefix is warned about and not cached", async () => {
    await project.write("evals/handbook.md", "h".repeat(2_000)); // 500 tokens < Sonnet 4.6's 1,024
    const t = project.io();
    expect(await estimateCommand({ paths: [], repeat: 3 }, t.io)).toBe(0);
    expect(t.err()).toMatch(/evals\/policy\.yaml:\d+:\d+: warning: .*below claude-sonnet-4-6/);
    expect(t.out()).toMatch(/^claude-sonnet-4-6\s+30\s/m);
    expect(t.out()).toContain("claude-sonnet-4-6: none cached (needs a cache: block of ≥1,024");
  });

  it("a 5m breakpoint: a located warning, and no warm-up", async () => {
    await project.write("evals/policy.yaml", policySuite("5m"));
    await project.write("evals/handbook.md", "h".repeat(20_000));
    const t = project.io();
    expect(await estimateCommand({ paths: [] }, t.io)).toBe(0);
    expect(t.err()).toContain(
      "evals/policy.yaml:5:5: warning: `cache: 5m` in a batch suite: a batch can take longer than five minutes",
    );
    expect(t.err()).toContain("hint: use `cache: 1h`, the batch default (`cache: true` means 1h)");
    expect(t.out()).toContain("5,000 tokens, 5m TTL, in 10 requests (policy)");
    expect(t.out()).toContain("warm-up: none for 5m prefixes");
    expect(t.out()).not.toContain("warm-up: worth it");
  });

  it("exits 2 with located diagnostics for a bad suite", async () => {
    await project.write("evals/handbook.md", "h".repeat(20_000));
    await project.write(
      "evals/bad.yaml",
      "name: bad\nmodels: [claude-sonnet-4-6]\nparams: { max_tokens: 10, temperature: 0.5 }\nprompt: hi\ncases:\n  - id: a\n",
    );
    const t = project.io();
    expect(await estimateCommand({ paths: [] }, t.io)).toBe(2);
    expect(t.err()).toMatch(/evals\/bad\.yaml:3:\d+: error: /);
    expect(t.err()).toContain("Nothing was estimated.");
    expect(t.out()).toBe("");
  });

  it("rejects a bad --volume before reading anything", async () => {
    await expect(estimateCommand({ paths: [], volume: 0 }, project.io().io)).rejects.toThrow(
      /--volume must be a whole number >= 1/,
    );
  });

  it("prices a workload with no suite in calculator mode, per model, as text and JSON", async () => {
    const workload = {
      paths: [],
      model: ["claude-sonnet-4-6", "claude-haiku-4-5"],
      requests: 3000,
      inputTokens: 40_100,
      outputTokens: 200,
      sharedPrefixTokens: 40_000,
    };
    const t = project.io();
    expect(await estimateCommand({ ...workload, json: true }, t.io)).toBe(0);
    const { models } = JSON.parse(t.out());
    expect(models.map((m: { model: string }) => m.model)).toEqual([
      "claude-sonnet-4-6",
      "claude-haiku-4-5",
    ]);
    expect(models[0].cost).toMatchObject({ standard: 369.9, batchCached: 23.064 });
    const text = project.io();
    expect(await estimateCommand(workload, text.io)).toBe(0);
    expect(text.out()).toMatch(
      /^claude-sonnet-4-6\s+3,000\s+200\s+1\s+2,999\s+\$369\.90\s+\$46\.13\s+\$184\.95\s+\$23\.06$/m,
    );
  });

  it("prints a suite's estimate as JSON with --json", async () => {
    await project.write(
      "evals/policy.yaml",
      'name: s\nmodels: [claude-haiku-4-5]\nprompt: "Q {{q}}"\ncases: [{vars: {q: a}, assert: [{type: contains, value: a}]}]\n',
    );
    const t = project.io();
    expect(await estimateCommand({ paths: [], json: true }, t.io)).toBe(0);
    const estimate = JSON.parse(t.out());
    expect(
      estimate.models.map((m: { model: string; requests: number }) => [m.model, m.requests]),
    ).toEqual([["claude-haiku-4-5", 1]]);
    expect(estimate.total.high.batch).toBeGreaterThan(0);
  });

  it("refuses calculator flags without --model, --model with suites, and missing workload flags", async () => {
    await expect(estimateCommand({ paths: [], requests: 5 }, project.io().io)).rejects.toThrow(
      "the workload flags need --model",
    );
    await expect(
      estimateCommand({ paths: ["evals"], model: ["claude-haiku-4-5"] }, project.io().io),
    ).rejects.toThrow("give no paths");
    await expect(
      estimateCommand({ paths: [], model: ["claude-haiku-4-5"], requests: 5 }, project.io().io),
    ).rejects.toThrow("calculator mode needs --input-tokens, --output-tokens");
  });

  it("--from prices the suites on a previous run's measured output and hit rate", async () => {
    await project.write("evals/handbook.md", "h".repeat(20_000));
    const outputs = Array.from(
      { length: 10 },
      (_, i) =>
        `  - { match: "${String(i).repeat(400)}", reply: "Within 14 days, as the handbook says." }`,
    );
    await project.write("fixtures/sim/policy.yaml", `rules:\n${outputs.join("\n")}\n`);
    const { report } = await runEval(
      { backend: "sim", warmup: "always", cache: false },
      { cwd: project.dir, env: {} },
    );
    expect(report?.models[0]?.cacheHitRate).toBe(0.9);
    const { measured, estimate } = await estimateRun(
      { paths: [], from: "reports/latest" },
      project.io().io,
    );
    const row = measured?.models[0];
    expect(row && "estimate" in row ? row.measured.outputTokensPerRequest : -1).toBe(
      (report?.models[0]?.tokens.output ?? 0) / 10,
    );
    // The worst case assumes max_tokens and no hits; the measured figure lands on what was billed.
    const billed = report?.models[0]?.cost.batchCached ?? 0;
    const priced = row && "estimate" in row ? row.estimate.cost.batchCached : 0;
    expect(Math.abs(priced - billed) / billed).toBeLessThan(0.05);
    expect(estimate.total.high.batchCached).toBeGreaterThan(billed * 2);
    const calc = project.io();
    expect(
      await estimateCommand(
        {
          paths: [],
          model: ["claude-sonnet-4-6"],
          requests: 100,
          inputTokens: 6000,
          sharedPrefixTokens: 5000,
          from: "reports/latest",
          json: true,
        },
        calc.io,
      ),
    ).toBe(0);
    const [calculated] = JSON.parse(calc.out()).models;
    expect(calculated.outputTokens).toBe(Math.round((report?.models[0]?.tokens.output ?? 0) / 10));
    await expect(
      estimateCommand(
        {
          paths: [],
          model: ["claude-haiku-4-5"],
          requests: 1,
          inputTokens: 10,
          from: "reports/latest",
        },
        project.io().io,
      ),
    ).rejects.toThrow("has no results on claude-haiku-4-5 to measure");
  });
});
