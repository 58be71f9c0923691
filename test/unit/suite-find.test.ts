/**
 * Finding suites through symbolic links: a loop under evals/ is walked once (no hang, no
 * forty-levels-deep duplicates), a link to a folder elsewhere is followed, and a file reached
 * by two paths is loaded once.
 */
import { mkdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { loadSuites } from "../../src/suite/load-suites.js";
import { lines, loaderOptions, writeProject } from "../fixtures/suites/temp-project.js";

const suite = (name: string) =>
  lines(`name: ${name}`, "models: [claude-haiku-4-5]", "prompt: hi", "cases: [{id: a}]");

describe("symbolic links under evals/", () => {
  test("loops are not followed; each real suite file loads once", async () => {
    const dir = await writeProject({
      "evals/a.yaml": suite("a"),
      "evals/sub/b.yaml": suite("b"),
      "common/c.yaml": suite("c"),
    });
    await symlink("..", join(dir, "evals/sub/up")); // evals/sub/up -> evals
    await symlink("../..", join(dir, "evals/sub/root")); // -> the project folder
    await symlink(".", join(dir, "evals/self")); // -> evals
    await symlink("../common", join(dir, "evals/common")); // a folder outside evals: followed
    await symlink("a.yaml", join(dir, "evals/again.yaml")); // the same file by another name
    await mkdir(join(dir, "evals/empty"));
    const result = await loadSuites([], loaderOptions(dir));
    expect(result.diagnostics).toEqual([]);
    expect(result.files).toEqual(["evals/a.yaml", "evals/common/c.yaml", "evals/sub/b.yaml"]);
    expect(result.suites.map((s) => s.name).sort()).toEqual(["a", "b", "c"]);
  });

  test("two loops, given as a folder path, finish and find each suite once", async () => {
    const dir = await writeProject({ "evals/x/s.yaml": suite("s") });
    await symlink("..", join(dir, "evals/x/l1"));
    await symlink("../x", join(dir, "evals/x/l2"));
    const result = await loadSuites(["evals"], loaderOptions(dir));
    expect(result.files).toEqual(["evals/x/s.yaml"]);
    expect(result.diagnostics).toEqual([]);
  });
});
