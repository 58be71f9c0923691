import { describe, expect, it } from "vitest";
import { buildRequest } from "../../src/compile/build-request.js";
import { checkCachePrefix } from "../../src/compile/cache-checks.js";
import {
  CUSTOM_ID_PATTERN,
  customIdFor,
  RUN_TAG_PATTERN,
  runCustomId,
  runTag,
  tagPlan,
} from "../../src/compile/custom-id.js";
import { planBatches } from "../../src/compile/plan-batches.js";
import type { CompiledRequest } from "../../src/compile/types.js";
import { chunkRequests, requestBytes } from "../../src/runner/chunk-requests.js";
import { expandSuite } from "../../src/suite/expand.js";
import type { EvalCase, Suite } from "../../src/suite/types.js";

function evalCase(caseId: string, overrides: Partial<EvalCase> = {}): EvalCase {
  return {
    suite: "triage",
    caseId,
    vars: {},
    system: [],
    messages: [{ role: "user", content: `ticket ${caseId}` }],
    params: { max_tokens: 64 },
    assert: [],
    repeat: 1,
    source: { file: "evals/triage.yaml", line: 10, col: 5 },
    ...overrides,
  };
}

describe("customIdFor", () => {
  it.each([
    ["triage", "case-1", 0],
    ["a suite with spaces & symbols!", "case/with/slashes", 3],
    ["x".repeat(200), "y".repeat(200), 999_999],
    ["日本語", "ümlaut", 0],
    ["", "", 0],
  ])("fits the API pattern for %j / %j / %d", (suite, caseId, repeat) => {
    const id = customIdFor(suite, caseId, repeat);
    expect(id).toMatch(CUSTOM_ID_PATTERN);
    expect(id.length).toBeLessThanOrEqual(64);
    expect(customIdFor(suite, caseId, repeat)).toBe(id);
  });

  it("is unique across suites, cases and repeats whose slugs collide", () => {
    const ids = new Set<string>();
    for (const suite of ["s a", "s-a", "s_a", "s!a"]) {
      for (const caseId of ["c 1", "c-1", "c/1"]) {
        for (let repeat = 0; repeat < 5; repeat++) ids.add(customIdFor(suite, caseId, repeat));
      }
    }
    expect(ids.size).toBe(4 * 3 * 5);
  });
});

describe("run-tagged custom_ids", () => {
  const tag = runTag("20261125-121530-k3f9", "2026-11-25T12:15:30.000Z");

  it("derives an 8-hex tag from the run id and creation time, the same every time", () => {
    expect(tag).toMatch(RUN_TAG_PATTERN);
    expect(runTag("20261125-121530-k3f9", "2026-11-25T12:15:30.000Z")).toBe(tag);
    expect(runTag("20261125-121530-k3fa", "2026-11-25T12:15:30.000Z")).not.toBe(tag);
    // The same --run-id in another output folder is another run, with another tag.
    expect(runTag("20261125-121530-k3f9", "2026-11-25T12:15:30.001Z")).not.toBe(tag);
  });

  it.each([
    ["triage", "case-1", 0],
    ["a suite with spaces & symbols!", "case/with/slashes", 3],
    ["x".repeat(200), "y".repeat(200), 999_999],
    ["日本語", "ümlaut", 0],
    ["", "", 0],
  ])("fits the API pattern, tag first, for %j / %j / %d", (suite, caseId, repeat) => {
    const id = runCustomId(tag, suite, caseId, repeat);
    expect(id).toMatch(CUSTOM_ID_PATTERN);
    expect(id.length).toBeLessThanOrEqual(64);
    expect(id.startsWith(`${tag}_`)).toBe(true);
    expect(runCustomId(tag, suite, caseId, repeat)).toBe(id);
    expect(runCustomId("0badcafe", suite, caseId, repeat)).not.toBe(id);
  });

  it("tags every request of a plan, and leaves a plan alone without a tag (runs from before tags)", () => {
    const plan = planBatches([
      {
        suite: "triage",
        models: ["m1", "m2"],
        cases: [evalCase("a", { repeat: 2 }), evalCase("b")],
      },
    ]);
    expect(tagPlan(plan, undefined)).toBe(plan);
    const tagged = tagPlan(plan, tag);
    const before = plan.models.flatMap((m) => m.requests);
    const after = tagged.models.flatMap((m) => m.requests);
    expect(after.map((r) => r.customId)).toEqual(
      before.map((r) => runCustomId(tag, r.suite, r.caseId, r.repeat)),
    );
    expect(after.map(({ customId: _, ...rest }) => rest)).toEqual(
      before.map(({ customId: _, ...rest }) => rest),
    );
    expect(before.every((r) => !r.customId.startsWith(tag))).toBe(true);
  });
});

describe("buildRequest", () => {
  it("puts cache_control on the breakpoint block only", () => {
    const params = buildRequest(
      evalCase("c1", {
        system: [{ text: "long shared document", cache: "1h" }, { text: "per-case note" }],
      }),
      "claude-haiku-4-5",
    );
    expect(params.model).toBe("claude-haiku-4-5");
    expect(params.max_tokens).toBe(64);
    expect(params.system).toEqual([
      {
        type: "text",
        text: "long shared document",
        cache_control: { type: "ephemeral", ttl: "1h" },
      },
      { type: "text", text: "per-case note" },
    ]);
    expect(params.messages).toEqual([{ role: "user", content: "ticket c1" }]);
  });
});

describe("planBatches", () => {
  it("makes one batch per model with one request per case and repeat", () => {
    const cases = [evalCase("a", { repeat: 3 }), evalCase("b")];
    const plan = planBatches([{ suite: "triage", models: ["m1", "m2"], cases }]);
    expect(plan.models.map((m) => m.model)).toEqual(["m1", "m2"]);
    for (const model of plan.models) {
      const ids = model.requests.map((r) => r.customId);
      expect(new Set(ids).size).toBe(4);
      expect(model.requests.map((r) => [r.caseId, r.repeat])).toEqual([
        ["a", 0],
        ["a", 1],
        ["a", 2],
        ["b", 0],
      ]);
    }
  });

  it("groups several suites of the same model into one batch", () => {
    const plan = planBatches([
      { suite: "one", models: ["m1"], cases: [evalCase("a")] },
      { suite: "two", models: ["m1", "m2"], cases: [evalCase("a")] },
    ]);
    expect(plan.models.map((m) => [m.model, m.requests.length])).toEqual([
      ["m1", 2],
      ["m2", 1],
    ]);
  });
});

describe("chunkRequests", () => {
  const requests = planBatches([
    { suite: "s", models: ["m"], cases: Array.from({ length: 10 }, (_, i) => evalCase(`c${i}`)) },
  ]).models[0]!.requests;

  it("splits at the request limit and keeps order", () => {
    const chunks = chunkRequests(requests, { maxRequests: 4, maxBytes: 1e9 });
    expect(chunks.map((c) => c.length)).toEqual([4, 4, 2]);
    expect(chunks.flat()).toEqual(requests);
  });

  it("splits at the byte limit, each chunk within it", () => {
    const size = requestBytes(requests[0]!);
    const maxBytes = 16 + size * 3 + 2;
    const chunks = chunkRequests(requests, { maxRequests: 100_000, maxBytes });
    expect(chunks.map((c) => c.length)).toEqual([3, 3, 3, 1]);
    for (const chunk of chunks) {
      const body = JSON.stringify({
        requests: chunk.map((r) => ({ custom_id: r.customId, params: r.params })),
      });
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(maxBytes);
    }
  });

  it("does not split below the limits", () => {
    expect(chunkRequests(requests)).toEqual([requests]);
  });

  it("refuses a single request above the byte limit", () => {
    expect(() => chunkRequests(requests, { maxRequests: 10, maxBytes: 50 })).toThrow(RangeError);
  });
});

describe("chunkRequests at the API's own limits (the defaults)", () => {
  // Requests sharing one params object: 100,001 of them cost a few MB, not a suite compile.
  function many(count: number, text = "x"): CompiledRequest[] {
    const params = {
      model: "m",
      max_tokens: 1,
      messages: [{ role: "user" as const, content: text }],
    };
    return Array.from({ length: count }, (_, i) => ({
      customId: `r${i}`,
      suite: "s",
      caseId: `c${i}`,
      repeat: 0,
      model: "m",
      params,
    }));
  }

  it("puts 100,000 requests in one batch", () => {
    expect(chunkRequests(many(100_000)).map((c) => c.length)).toEqual([100_000]);
  });

  it("splits 100,001 requests into 100,000 + 1, keeping order", () => {
    const requests = many(100_001);
    const chunks = chunkRequests(requests);
    expect(chunks.map((c) => c.length)).toEqual([100_000, 1]);
    expect(chunks[1]![0]!.customId).toBe("r100000");
  });

  it("keeps 256,000,000 counted bytes in one batch, and splits one byte more", () => {
    // The client counts 16 bytes of envelope plus each request's JSON and a comma (the body
    // sent is 2 bytes smaller: a 15-byte envelope and n - 1 commas, so this is on the safe side).
    const [empty] = many(1, "");
    const a = { ...empty!, customId: "a" };
    const ab = { ...empty!, customId: "ab" };
    const shell = { ...empty!, customId: "big" };
    // ASCII text adds its length to the JSON: a + big count exactly 256,000,000, ab + big 1 more.
    const text = "y".repeat(256_000_000 - 16 - requestBytes(a) - requestBytes(shell));
    const messages = [{ role: "user" as const, content: text }];
    const big = { ...shell, params: { ...shell.params, messages } };
    expect(requestBytes(ab)).toBe(requestBytes(a) + 1);
    // One call, so the ~256 MB request is measured only twice (about a second each).
    const chunks = chunkRequests([a, big, ab, big]);
    expect(chunks.map((c) => c.map((r) => r.customId))).toEqual([["a", "big"], ["ab"], ["big"]]);
  });
});

describe("checkCachePrefix", () => {
  const long = "policy ".repeat(3000);

  it("warns when the cached prefix varies across cases", () => {
    const cases = [
      evalCase("a", { system: [{ text: `${long} A`, cache: "1h" }] }),
      evalCase("b", { system: [{ text: `${long} B`, cache: "1h" }] }),
    ];
    const warnings = checkCachePrefix(cases, ["claude-sonnet-4-6"]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('case "b" differs from case "a"');
  });

  it("names the var that makes the prefix differ", () => {
    const cases = [
      evalCase("a", {
        vars: { team: "billing", q: "x" },
        system: [{ text: `${long} billing`, cache: "1h" }],
      }),
      evalCase("b", {
        vars: { team: "shipping", q: "y" },
        system: [{ text: `${long} shipping`, cache: "1h" }],
      }),
    ];
    const [warning] = checkCachePrefix(cases, ["claude-sonnet-4-6"]);
    expect(warning?.message).toContain("(it holds {{team}}, which differ)");
  });

  it("warns per model when the prefix is below the model's minimum", () => {
    const cases = [evalCase("a", { system: [{ text: "policy ".repeat(1000), cache: "1h" }] })];
    const warnings = checkCachePrefix(cases, ["claude-haiku-4-5", "claude-sonnet-4-6"]);
    expect(warnings.map((w) => w.message)).toEqual([
      "the cached prefix is about 1750 tokens, below claude-haiku-4-5's minimum of 4096: it will not be cached on that model",
    ]);
  });

  it("says nothing without a breakpoint", () => {
    expect(checkCachePrefix([evalCase("a")], ["claude-haiku-4-5"])).toEqual([]);
  });

  const at = { file: "evals/triage.yaml", line: 4, col: 5 };
  it.each([
    ["5m", 1],
    ["1h", 0],
  ] as const)("a %s breakpoint in a batch suite: %d warning(s), once per suite", (ttl, count) => {
    const cases = ["a", "b"].map((id) =>
      evalCase(id, { system: [{ text: long, cache: ttl, source: at }, { text: id }] }),
    );
    const warnings = checkCachePrefix(cases, ["claude-sonnet-4-6", "claude-opus-4-8"]);
    expect(warnings).toHaveLength(count);
    if (count === 0) return;
    expect(warnings[0]).toEqual({
      ...at,
      severity: "warning",
      message:
        "`cache: 5m` in a batch suite: a batch can take longer than five minutes, so the entry may expire before the requests that share it read it (no warm-up is run for a 5m prefix)",
      hint: "use `cache: 1h`, the batch default (`cache: true` means 1h)",
    });
  });
});

describe("a shared system prompt", () => {
  const at = { file: "s.yaml", line: 1, col: 1 };
  const suite = (text: string): Suite => ({
    name: "s",
    file: "s.yaml",
    models: ["m1", "m2"],
    params: { max_tokens: 8 },
    system: [{ text, cache: "1h", source: at }],
    messages: [{ role: "user", content: "Q {{n}}", source: at }],
    passThreshold: 1,
    repeat: 2,
    cases: [0, 1, 2].map((n) => ({ id: `c${n}`, vars: { n }, assert: [], source: at })),
  });
  const systems = (s: Suite) =>
    planBatches([{ suite: "s", models: s.models, cases: expandSuite(s) }]).models.flatMap((m) =>
      m.requests.map((r) => r.params.system),
    );

  it("is held once: every request of every model shares its blocks", () => {
    const all = systems(suite("The long shared policy."));
    expect(all).toHaveLength(12);
    expect(new Set(all).size).toBe(1);
    expect(all[0]).toEqual([
      {
        type: "text",
        text: "The long shared policy.",
        cache_control: { type: "ephemeral", ttl: "1h" },
      },
    ]);
  });

  it("with a placeholder is rendered per case (samples and models of a case still share)", () => {
    const all = systems(suite("Policy for case {{n}}."));
    expect(new Set(all).size).toBe(3);
    expect(all.map((blocks) => (blocks as { text: string }[])[0]?.text)).toContain(
      "Policy for case 2.",
    );
  });
});
