import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, test } from "vitest";
import type { CliIo } from "../../src/cli/io.js";
import { simCommand } from "../../src/cli/sim-command.js";
import { BatchevalError } from "../../src/errors.js";
import { params } from "./helpers.js";

function fakeIo(cwd: string): { io: CliIo; out: string[]; stop: () => void } {
  let stop = (): void => {};
  const interrupted = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const out: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(text),
    err: (text) => out.push(`ERR ${text}`),
    cwd,
    env: {},
    isTty: false,
    interrupted,
  };
  return { io, out, stop };
}

async function firstLine(out: string[]): Promise<string> {
  for (let i = 0; i < 200 && out.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
  return out[0] ?? "";
}

describe("batcheval sim", () => {
  test("prints the base URL first, logs requests, answers from fixtures/sim, stops on interrupt", async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), "batcheval-sim-"));
    await mkdir(path.join(cwd, "fixtures", "sim"), { recursive: true });
    await writeFile(
      path.join(cwd, "fixtures", "sim", "x.yaml"),
      "rules:\n  - match: ping\n    reply: pong\n",
    );
    const { io, out, stop } = fakeIo(cwd);
    const done = simCommand({ port: 0, quiet: false, batchDuration: 1 }, io);
    const url = (await firstLine(out)).trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = new Anthropic({ apiKey: "x", baseURL: url, maxRetries: 0 });
    const message = await client.messages.create(params("ping"));
    expect(message.content).toEqual([{ type: "text", text: "pong", citations: null }]);
    // The log line is written when the response closes: give it a moment.
    for (let i = 0; i < 100 && out.length < 2; i++) await new Promise((r) => setTimeout(r, 2));
    expect(out.slice(1)).toEqual(["POST /v1/messages 200\n"]);
    stop();
    expect(await done).toBe(0);
    await expect(fetch(url)).rejects.toThrow();
    await rm(cwd, { recursive: true, force: true });
  });

  test("quiet: only the URL; faults are applied", async () => {
    const { io, out, stop } = fakeIo(tmpdir());
    const done = simCommand({ port: 0, quiet: true, faults: "http529=1" }, io);
    const url = (await firstLine(out)).trim();
    const client = new Anthropic({ apiKey: "x", baseURL: url, maxRetries: 0 });
    await expect(client.messages.batches.list()).rejects.toBeInstanceOf(Anthropic.OverloadedError);
    expect(out).toEqual([`${url}\n`]);
    stop();
    expect(await done).toBe(0);
  });

  test("a port in use is bad input", async () => {
    const first = fakeIo(tmpdir());
    const running = simCommand({ port: 0, quiet: true }, first.io);
    const port = Number(new URL((await firstLine(first.out)).trim()).port);
    const { io } = fakeIo(tmpdir());
    await expect(simCommand({ port, quiet: true }, io)).rejects.toThrow(/already in use/);
    first.stop();
    await running;
  });

  test("a bad fault spec is bad input, before anything listens", async () => {
    const { io, out } = fakeIo(tmpdir());
    await expect(
      simCommand({ port: 0, quiet: true, faults: "bogus=1" }, io),
    ).rejects.toBeInstanceOf(BatchevalError);
    expect(out).toEqual([]);
  });
});
