/**
 * The pure stages (models, cost, grade, report) touch no file system, network, SDK runtime,
 * environment or clock: they are functions of plain data, so they are tested without mocks and
 * the same results always give the same report (docs/design.md, "What each folder owns"). This
 * test greps their sources. A folder it covers that is missing or empty fails the test, so a
 * move or rename cannot leave a stage unchecked: update PURE_FOLDERS with it.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const PURE_FOLDERS = ["src/models", "src/compile", "src/cost", "src/grade", "src/report"];
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Forbidden patterns, matched against source with comments removed. */
const FORBIDDEN: [string, RegExp][] = [
  ["node:fs / fs", /["'](node:)?fs(\/promises)?["']/],
  ["node:http(s) / http(s)", /["'](node:)?https?["']/],
  // Value imports/exports of the SDK; `import type` / `export type` are allowed.
  [
    "@anthropic-ai/sdk runtime import",
    /(^|[\n;])\s*(import|export)\s+(?!type\b)[^;]*?from\s*["']@anthropic-ai\/sdk/,
  ],
  ["@anthropic-ai/sdk dynamic import", /(import|require)\s*\(\s*["']@anthropic-ai\/sdk/],
  ["process.env", /\bprocess\.env\b/],
  ["Date.now", /\bDate\.now\b/],
];

/** Every .ts file under `folder` (relative to the repo root), recursively. */
function sourceFiles(folder: string): string[] {
  const absolute = `${ROOT}${folder}`;
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts"))
    .map((name) => `${folder}/${name}`);
}

/** Source text without comments, so a doc comment may mention what the code must not do. */
function code(file: string): string {
  return readFileSync(`${ROOT}${file}`, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|\s)\/\/.*$/gm, "$1");
}

const files = PURE_FOLDERS.flatMap(sourceFiles);

describe("pure stages", () => {
  it.each(PURE_FOLDERS)("covers %s: it exists and holds TypeScript sources", (folder) => {
    expect(existsSync(`${ROOT}${folder}`), `${folder} is missing`).toBe(true);
    expect(files.filter((file) => file.startsWith(`${folder}/`)).length).toBeGreaterThan(0);
  });

  it.each(files)("%s has no I/O, SDK runtime, environment or clock", (file) => {
    const text = code(file);
    const found = FORBIDDEN.filter(([, pattern]) => pattern.test(text)).map(([name]) => name);
    expect(found).toEqual([]);
  });

  it.each([
    ['import { readFile } from "node:fs/promises";', true],
    ['import {\n  Anthropic,\n} from "@anthropic-ai/sdk";', true],
    ['import type { Usage } from "@anthropic-ai/sdk/resources/messages";', false],
    ["const key = process.env.KEY;", true],
    ["const t = Date.now();", true],
    ["// we never read process.env here", false],
  ])("the check flags %j: %s", (source, flagged) => {
    const text = source.replace(/(^|\s)\/\/.*$/gm, "$1");
    expect(FORBIDDEN.some(([, pattern]) => pattern.test(text))).toBe(flagged);
  });
});
