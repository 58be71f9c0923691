/**
 * Credentials and cancel against a simulator started apart from the run (as the real API is):
 * both credential variables set, refused credentials (a configuration error that moves
 * nothing), and cancel across batches that have ended and batches still running.
 */
import { readlink } from "node:fs/promises";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCommand } from "../../src/cli/run-command.js";
import { cancelCommand, statusCommand } from "../../src/cli/status-command.js";
import { BatchevalError } from "../../src/errors.js";
import { loadFixtures } from "../../src/sim/fixtures.js";
import { type Simulator, startSimulator } from "../../src/sim/server.js";
import { capitalsFixtures, capitalsSuite } from "../support/capitals.js";
import { TempProject } from "../support/temp-project.js";

const KEY = "sk-ant-test-right";
let project: TempProject;
let sim: Simulator | undefined;

const SUITE = capitalsSuite({ count: 2, models: ["claude-haiku-4-5", "claude-sonnet-4-6"] });
const FIXTURES = capitalsFixtures();

async function startSim(batchDurationMs = 20): Promise<Anthropic> {
  sim = await startSimulator({
    rules: await loadFixtures("fixtures/**/*.yaml", project.dir),
    batchDurationMs,
    apiKey: KEY,
  });
  return new Anthropic({ apiKey: KEY, baseURL: sim.url, maxRetries: 0 });
}

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: sim?.url ?? "", ...extra };
}

const base = { paths: [], backend: "anthropic" as const, pollInterval: 10 };

async function caught(promise: Promise<unknown>): Promise<BatchevalError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BatchevalError);
  return error as BatchevalError;
}

beforeEach(async () => {
  project = await TempProject.create("batcheval-credentials-");
  await project.write("evals/capitals.yaml", SUITE);
  await project.write("fixtures/sim/capitals.yaml", FIXTURES);
});

afterEach(async () => {
  await sim?.close();
  sim = undefined;
  await project.remove();
});

describe("credentials", () => {
  it("uses the API key when ANTHROPIC_AUTH_TOKEN is set too, and says so once", async () => {
    await startSim();
    const both = env({ ANTHROPIC_AUTH_TOKEN: "oauth-token-ignored" });
    const t = project.io(both);
    expect(await runCommand(base, t.io)).toBe(0);
    const said = t.err().split("using ANTHROPIC_API_KEY").length - 1;
    expect(said).toBe(1);
    const [runId] = await project.runs();
    for (const command of [statusCommand, cancelCommand]) {
      const c = project.io(both);
      expect(await command({ runDir: `reports/${runId}` }, c.io)).toBe(0);
      expect(c.err()).toContain("using ANTHROPIC_API_KEY");
    }
  });

  it("a refused key is a configuration error: exit 2, the variable named, nothing made or moved", async () => {
    await startSim();
    expect(await runCommand(base, project.io(env()).io)).toBe(0);
    const [first] = await project.runs();
    const latest = join(project.dir, "reports", "latest");
    expect(await readlink(latest)).toBe(first);

    const wrong = env({ ANTHROPIC_API_KEY: "sk-ant-wrong" });
    const error = await caught(runCommand({ ...base, fresh: true }, project.io(wrong).io));
    expect(error.code).toBe("auth_failed");
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain("401 authentication_error: invalid x-api-key");
    expect(error.message.split("401").length - 1).toBe(1);
    expect(error.hint).toContain("ANTHROPIC_API_KEY");
    expect(error.hint).not.toContain("Continue with");
    expect(await project.runs()).toEqual([first]);
    expect(await readlink(latest)).toBe(first);
  });

  it("status and cancel with a refused key exit 2 and change nothing", async () => {
    await startSim(10_000);
    expect(await runCommand({ ...base, detach: true }, project.io(env()).io)).toBe(0);
    const [runId] = await project.runs();
    const before = await project.state(runId ?? "");
    const wrong = env({ ANTHROPIC_API_KEY: "sk-ant-wrong" });
    for (const command of [statusCommand, cancelCommand]) {
      const refused = await caught(command({ runDir: `reports/${runId}` }, project.io(wrong).io));
      expect(refused.code).toBe("auth_failed");
      expect(refused.exitCode).toBe(2);
    }
    expect(await project.state(runId ?? "")).toEqual(before);
  });
});

describe("cancel", () => {
  it("skips batches that have ended, cancels the ones still running, and reports each", async () => {
    const client = await startSim(10_000);
    expect(await runCommand({ ...base, detach: true }, project.io(env()).io)).toBe(0);
    const [runId] = await project.runs();
    const state = await project.state(runId ?? "");
    // The two models submit concurrently, so run.json may list either one's batch first.
    const first = state.batches.find((b) => b.model === "claude-haiku-4-5");
    const second = state.batches.find((b) => b.model === "claude-sonnet-4-6");
    expect(state.batches).toHaveLength(2);
    // The first batch ends behind the run's back (canceled from elsewhere).
    await client.messages.batches.cancel(first?.id ?? "");
    for (let i = 0; i < 200; i++) {
      const live = await client.messages.batches.retrieve(first?.id ?? "");
      if (live.processing_status === "ended") break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const t = project.io(env());
    expect(await cancelCommand({ runDir: `reports/${runId}` }, t.io)).toBe(0);
    expect(t.out()).toContain(`${first?.id} (claude-haiku-4-5): already ended, left as is`);
    expect(t.out()).toContain(`${second?.id} (claude-sonnet-4-6): canceling`);
    expect(t.out()).toContain("cancel 1 of 2 batches");
    const live = await client.messages.batches.retrieve(second?.id ?? "");
    expect(live.cancel_initiated_at).not.toBeNull();
    const saved = await project.state(runId ?? "");
    const status = (model: string) =>
      saved.batches.find((b) => b.model === model)?.processingStatus;
    expect([status("claude-haiku-4-5"), status("claude-sonnet-4-6")]).toEqual([
      "ended",
      "canceling",
    ]);
  });
});
