/**
 * `batcheval init [dir]`: scaffolds a project (see init-files.ts). It never overwrites a file:
 * one that exists is kept and named, and the others are still written.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { ExitCode } from "../errors.js";
import { SCAFFOLD } from "./init-files.js";
import type { CliIo } from "./io.js";

export interface InitCommandOptions {
  /** The project folder (made when missing); default the current one. */
  dir?: string;
}

export async function initCommand(options: InitCommandOptions, io: CliIo): Promise<number> {
  const root = resolve(io.cwd, options.dir ?? ".");
  const kept: string[] = [];
  for (const file of SCAFFOLD) {
    const path = join(root, file.path);
    await mkdir(dirname(path), { recursive: true });
    try {
      // `wx`: fails when the file exists, in the same call that would create it.
      await writeFile(path, file.text, { flag: "wx" });
      io.out(`created ${file.path}\n`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      kept.push(file.path);
      io.out(`kept    ${file.path} (it exists; not overwritten)\n`);
    }
  }
  const where = options.dir === undefined ? "" : `cd ${options.dir} && `;
  io.out(
    [
      "",
      "Next:",
      `  ${where}npx batcheval validate            # check the suite`,
      `  ${where}npx batcheval run --backend sim   # run it offline on the simulator`,
      "  export ANTHROPIC_API_KEY=sk-ant-…   # then `npx batcheval run` uses the real API",
      "",
    ].join("\n"),
  );
  if (kept.length > 0 && kept.includes(".gitignore")) {
    io.out("Add reports/ and .batcheval/ to your .gitignore: runs and the result cache.\n");
  }
  return ExitCode.ok;
}
