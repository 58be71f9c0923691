/**
 * A case file of real-dataset size loads: 150,000 CSV rows used to overflow the call stack
 * (`push(...rows)`). The million-row figure is in bench/ (`npm run bench`).
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { loadSuites } from "../../src/suite/load-suites.js";
import { lines, loaderOptions, writeProject } from "../fixtures/suites/temp-project.js";

const ROWS = 150_000;

describe("large case files", () => {
  test(`${ROWS.toLocaleString("en-US")} CSV rows load, each case located at its row`, async () => {
    const dir = await writeProject({
      "s.yaml": lines(
        "name: big",
        "models: [claude-haiku-4-5]",
        "prompt: 'Q: {{q}}'",
        "cases: [{file: c.csv}]",
      ),
    });
    const rows = Array.from({ length: ROWS }, (_, i) => `c${i},What is ${i}?,${i}`);
    await writeFile(join(dir, "c.csv"), `${["id,q,assert:contains", ...rows].join("\n")}\n`);
    const result = await loadSuites(["s.yaml"], loaderOptions(dir));
    expect(result.diagnostics).toEqual([]);
    const cases = result.suites[0]?.cases ?? [];
    expect(cases).toHaveLength(ROWS);
    expect(cases.at(-1)).toMatchObject({
      id: `c${ROWS - 1}`,
      vars: { q: `What is ${ROWS - 1}?` },
      source: { file: "c.csv", line: ROWS + 1, col: 1 },
    });
  });

  test(`${ROWS.toLocaleString("en-US")} rows with a duplicate id: one located error`, async () => {
    const dir = await writeProject({
      "s.yaml": lines(
        "name: big",
        "models: [claude-haiku-4-5]",
        "prompt: 'Q: {{q}}'",
        "cases: [{file: c.csv}]",
      ),
    });
    const rows = Array.from({ length: ROWS }, (_, i) => `c${i === ROWS - 1 ? 0 : i},x`);
    await writeFile(join(dir, "c.csv"), `${["id,q", ...rows].join("\n")}\n`);
    const { diagnostics } = await loadSuites(["s.yaml"], loaderOptions(dir));
    expect(diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`)).toEqual([
      `c.csv:${ROWS + 1}:1: duplicate case id 'c0' (first defined at line 2)`,
    ]);
  });
});
