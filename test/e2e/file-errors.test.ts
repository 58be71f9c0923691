/**
 * Problems with the user's folders and disk, through the built CLI: one line naming the path
 * and the fix, exit 2 for input, no stack trace unless --debug, and no temp file left behind.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BatchevalError, fromFileError } from "../../src/errors.js";
import { writeFileAtomic } from "../../src/runner/run-store.js";
import { ROOT, runCli } from "../support/run-cli.js";

let temp: string;
beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), "batcheval-files-"));
});
afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

function nodeError(code: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: something, open '${path}'`), { code, path });
}

describe("fromFileError", () => {
  it.each([
    ["EACCES", "permission denied", 2],
    ["EPERM", "operation not permitted", 2],
    ["EROFS", "read-only file system", 2],
    ["ENOTDIR", "a file stands where a folder is expected", 2],
    ["ENOSPC", "no space left on the device", 3],
  ])("%s → one line naming the path, exit %s", (code, what, exit) => {
    const error = fromFileError(nodeError(code, "/data/reports"));
    expect(error).toBeInstanceOf(BatchevalError);
    expect(error?.message).toBe(`Cannot use /data/reports: ${what} (${code}).`);
    expect(error?.exitCode).toBe(exit);
    expect(error?.hint).toMatch(/^[A-Z]/);
  });

  it("leaves other errors alone", () => {
    expect(fromFileError(new TypeError("x is undefined"))).toBeUndefined();
    expect(fromFileError(nodeError("ECONNRESET", "/x"))).toBeUndefined();
  });
});

describe("writeFileAtomic", () => {
  it("removes its temp file when the write cannot complete", async () => {
    const dir = join(temp, "atomic");
    // The target is a non-empty folder, so the rename fails after the temp file was written.
    await mkdir(join(dir, "run.json", "inside"), { recursive: true });
    await expect(writeFileAtomic(join(dir, "run.json"), "{}")).rejects.toThrow();
    expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("writes text given in pieces whole, megabytes of it, in order", async () => {
    const dir = join(temp, "pieces");
    await mkdir(dir, { recursive: true });
    const pieces = Array.from({ length: 60_000 }, (_, i) => `{"i":${i},"t":"café 😀"}\n`);
    await writeFileAtomic(join(dir, "out.jsonl"), pieces);
    expect(await readFile(join(dir, "out.jsonl"), "utf8")).toBe(pieces.join(""));
    expect(await readdir(dir)).toEqual(["out.jsonl"]);
  });

  it("leaves the old file and no temp file when making a piece throws midway", async () => {
    const dir = join(temp, "pieces-throw");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "out.json"), "old");
    function* pieces(): Generator<string> {
      for (let i = 0; i < 40_000; i++) yield `${"x".repeat(100)}\n`; // some megabytes written
      throw new Error("render failed");
    }
    await expect(writeFileAtomic(join(dir, "out.json"), pieces())).rejects.toThrow("render failed");
    expect(await readFile(join(dir, "out.json"), "utf8")).toBe("old");
    expect(await readdir(dir)).toEqual(["out.json"]);
  });
});

describe("the CLI on a bad output folder", () => {
  it("--out naming a file: exit 2, one line with the path and the fix, no stack trace", async () => {
    const file = join(temp, "not-a-folder");
    await writeFile(file, "");
    const args = ["run", "--backend", "sim", "--out", file, "--cache-dir", join(temp, "c")];
    const result = await runCli(args, { cwd: ROOT });
    expect(result.code).toBe(2);
    const errors = result.stderr.split("\n").filter((l) => l.startsWith("error:"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`${file}/`);
    expect(errors[0]).toContain("ENOTDIR");
    expect(result.stderr).toContain("hint: Choose a folder, not a file (--out).");
    expect(result.stderr).not.toMatch(/^\s+at /m);

    const debug = await runCli([...args, "--debug"], { cwd: ROOT });
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(/^\s+at /m);
  });
});
