/** Runs the built CLI (`npm test` builds first) as a process and captures what it printed. */
import { execFile } from "node:child_process";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/batcheval.js");

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** `batcheval ...args` in `cwd` (default: the repo), with CI=true and only PATH from the env. */
export async function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliOutcome> {
  const env = { PATH: process.env.PATH ?? "", CI: "true", ...options.env };
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
