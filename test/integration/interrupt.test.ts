/**
 * Ctrl-C in every phase of a run: before anything is written, while grading (after every result
 * is downloaded), and the second Ctrl-C, which ends the process at once.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/io.js";
import { runCommand } from "../../src/cli/run-command.js";
import { BatchevalError } from "../../src/errors.js";
import { capitalsFixtures, capitalsSuite } from "../support/capitals.js";
import { ROOT } from "../support/run-cli.js";
import { TempProject } from "../support/temp-project.js";

let project: TempProject;

const SUITE = capitalsSuite({ count: 2 });

beforeEach(async () => {
  project = await TempProject.create("batcheval-interrupt-");
  await project.write("evals/capitals.yaml", SUITE);
  await project.write("fixtures/sim/capitals.yaml", capitalsFixtures());
});

afterEach(async () => {
  await project.remove();
});

async function interruptedRun(io: CliIo): Promise<BatchevalError> {
  const error = await runCommand({ paths: [], backend: "sim" }, io).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BatchevalError);
  return error as BatchevalError;
}

describe("Ctrl-C", () => {
  it("before the plan is written stops with a message and leaves nothing", async () => {
    const t = project.io({}, Promise.resolve());
    const error = await interruptedRun(t.io);
    expect(error.code).toBe("interrupted");
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe("Interrupted before anything was submitted.");
    expect(await project.runs()).toEqual([]);
  });

  it("while grading stops there; the same command then grades without sending anything", async () => {
    let interrupt: () => void = () => undefined;
    const interrupted = new Promise<void>((resolve) => {
      interrupt = resolve;
    });
    const t = project.io({}, interrupted);
    // The last progress line of a batch says its results are downloaded: press Ctrl-C then.
    const io: CliIo = {
      ...t.io,
      err: (text) => {
        t.io.err(text);
        if (text.includes("results downloaded")) interrupt();
      },
    };
    const error = await interruptedRun(io);
    expect(error.message).toBe(
      "Interrupted while grading. Every result is downloaded and saved: continuing grades and reports without sending anything.",
    );
    expect(error.hint).toContain("Continue with: batcheval run");
    const [runId] = await project.runs();
    expect((await project.state(runId ?? "")).status).toBe("collected");

    const again = project.io();
    expect(await runCommand({ paths: [], backend: "sim" }, again.io)).toBe(0);
    expect(again.err()).toContain(`Resuming run ${runId} (status collected)`);
    const state = await project.state(runId ?? "");
    expect(state.status).toBe("reported");
    expect(state.batches).toHaveLength(1);
  });

  it("a second Ctrl-C ends the process at once", async () => {
    // A process that waits for the first signal and then never finishes on its own.
    const script = `
      import { processIo } from ${JSON.stringify(join(ROOT, "dist/cli/io.js"))};
      const io = processIo();
      io.interrupted.then(() => console.log("first"));
      setInterval(() => undefined, 1000);
      console.log("ready");
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script]);
    let out = "";
    let err = "";
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    const seen = (text: string) =>
      new Promise<void>((resolve) => {
        const check = (d?: Buffer) => {
          if (d) out += d.toString();
          if (out.includes(text)) {
            child.stdout.off("data", check);
            resolve();
          }
        };
        child.stdout.on("data", check);
        check();
      });
    await seen("ready");
    child.kill("SIGINT");
    await seen("first");
    expect(child.exitCode).toBeNull(); // the first Ctrl-C only asks to stop
    const ended = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on("exit", (_code, signal) => resolve(signal)),
    );
    child.kill("SIGINT");
    expect(await ended).toBe("SIGINT");
    expect(err).toContain("press Ctrl-C again to quit now");
  });
});
