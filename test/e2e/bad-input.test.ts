/**
 * End to end: inputs that used to crash, hang, flood or leak a stack trace, run through the
 * built CLI (`npm test` builds first) in temp folders. Each must end with exit 2 and located
 * messages, each printed once, or (for symlink loops) finish normally.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const BIN = resolve(import.meta.dirname, "../../bin/batcheval.js");

async function cli(args: string[], cwd: string) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", CI: "true" },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let temp: string;
beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), "batcheval-bad-input-"));
});
afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

async function project(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await mkdtemp(join(temp, "p-"));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

const SUITE = "name: s\nmodels: [claude-haiku-4-5]\nprompt: 'Q: {{q}}'\ncases:\n";

/** stderr has exactly these error lines (in order) and no stack frame. */
function expectErrors(stderr: string, expected: RegExp[]): void {
  const errors = stderr.split("\n").filter((line) => /: error: |^error: /.test(line));
  expect(errors).toHaveLength(expected.length);
  for (const [i, pattern] of expected.entries()) expect(errors[i]).toMatch(pattern);
  expect(stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(stderr).not.toContain("internal error");
}

describe("validate refuses bad input with one located message and exit 2", () => {
  it("a YAML alias bomb", async () => {
    const aliases = Array.from({ length: 8 }, (_, i) => {
      const prev =
        i === 0 ? "[x, x, x, x, x, x, x, x, x]" : `[${`*a${i - 1}, `.repeat(8)}*a${i - 1}]`;
      return `a${i}: &a${i} ${prev}`;
    });
    const dir = await project({ "s.yaml": `${SUITE}  - vars: {q: a}\n${aliases.join("\n")}\n` });
    const result = await cli(["validate", "s.yaml"], dir);
    expect(result.code).toBe(2);
    expectErrors(result.stderr, [/^s\.yaml:7:\d+: error: invalid YAML: its aliases/]);
  });

  it("a binary suite file", async () => {
    const dir = await project({
      "s.yaml": Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0xff]),
    });
    const result = await cli(["validate", "s.yaml"], dir);
    expect(result.code).toBe(2);
    expectErrors(result.stderr, [/^s\.yaml:1:1: error: not a UTF-8 text file/]);
  });

  it("a promptfoo suite's file:// prompt and __expected column", async () => {
    const dir = await project({
      "s.yaml":
        "name: s\nmodels: [claude-haiku-4-5]\nprompt: file://p.txt\ncases:\n  - file: c.csv\n",
      "c.csv": "q,__expected\na,Paris\n",
    });
    const result = await cli(["validate", "s.yaml"], dir);
    expect(result.code).toBe(2);
    expectErrors(result.stderr, [
      /^c\.csv:1:3: error: column '__expected' is promptfoo's assertion column/,
      /^s\.yaml:3:9: error: `file:\/\/p\.txt` is literal text here/,
    ]);
    expect(result.stderr).toContain("prompt: {file: p.txt}");
  });

  it("an is-json schema with a format: a located error, no ajv notice", async () => {
    const dir = await project({
      "s.yaml": `${SUITE}  - vars: {q: a}\n    assert:\n      - type: is-json\n        value: {properties: {e: {type: string, format: email}}}\n`,
    });
    const result = await cli(["validate", "s.yaml"], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain("unknown format");
    expectErrors(result.stderr, [/^s\.yaml:8:16: error: assertion "is-json" uses `format: email`/]);
  });

  it("a bad simulator fixture is printed once", async () => {
    const dir = await project({
      "evals/s.yaml": `${SUITE}  - { vars: {q: a}, assert: [{ type: contains, value: a }] }\n`,
      "fixtures/sim/bad.yaml": "rules:\n  - match: x\n",
    });
    const result = await cli(["run", "--backend", "sim", "--out", "out"], dir);
    expect(result.code).toBe(2);
    expectErrors(result.stderr, [/^fixtures\/sim\/bad\.yaml:2:5: error: a rule needs/]);
    expect(result.stderr.match(/Fix the simulator fixture file/g)).toHaveLength(1);
  });

  it("a bad price in the config's pricing: is located there and printed once", async () => {
    const dir = await project({
      "batcheval.config.yaml": "pricing:\n  my-model:\n    input: 0.123456\n    output: 1\n",
      "evals/s.yaml": `${SUITE}  - { vars: {q: a}, assert: [{ type: contains, value: a }] }\n`,
    });
    const result = await cli(["validate"], dir);
    expect(result.code).toBe(2);
    expectErrors(result.stderr, [
      /^batcheval\.config\.yaml:3:12: error: pricing\.my-model\.input: 0\.123456 has more than 4 decimal places$/,
    ]);
    expect(result.stderr.match(/at most 4 decimal places/g)).toHaveLength(1);
  });

  it("the problems of several fixture files are all printed, each once", async () => {
    const dir = await project({
      "evals/s.yaml": `${SUITE}  - { vars: {q: a}, assert: [{ type: contains, value: a }] }\n`,
      "fixtures/sim/a.yaml": "rules:\n  - match: x\n    reply: y\n    repyl: z\n",
      "fixtures/sim/b.yaml": "rules: 3\n",
    });
    const result = await cli(["run", "--backend", "sim", "--out", "out"], dir);
    expect(result.code).toBe(2);
    expectErrors(result.stderr, [
      /^fixtures\/sim\/a\.yaml:4:5: error: unknown rule key `repyl`$/,
      /^fixtures\/sim\/b\.yaml:1:8: error: expected a top-level `rules:` list$/,
    ]);
    expect(result.stderr.match(/Fix the simulator fixture file/g)).toHaveLength(1);
  });
});

describe("validate finishes on large or looping input", () => {
  it("150,000 CSV rows", async () => {
    const rows = Array.from({ length: 150_000 }, (_, i) => `What is ${i}?,${i}`);
    const dir = await project({
      "s.yaml": `${SUITE}  - file: c.csv\n`,
      "c.csv": `q,assert:contains\n${rows.join("\n")}\n`,
    });
    const result = await cli(["validate", "s.yaml"], dir);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("OK: 1 suites, 150000 cases in 1 files\n");
    expect(result.code).toBe(0);
  });

  it("a directory symlink loop under evals/", async () => {
    const dir = await project({
      "evals/sub/s.yaml": `${SUITE}  - { vars: {q: a}, assert: [{ type: contains, value: a }] }\n`,
    });
    await symlink("..", join(dir, "evals/sub/loop"));
    await symlink("../..", join(dir, "evals/sub/root"));
    const result = await cli(["validate"], dir);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("OK: 1 suites, 1 cases in 1 files\n");
    expect(result.code).toBe(0);
  });
});
