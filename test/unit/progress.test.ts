import { describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/io.js";
import { describeProgress, progressReporter } from "../../src/cli/progress.js";
import type { BatchProgress } from "../../src/runner/run-context.js";

const base: BatchProgress = {
  model: "claude-haiku-4-5",
  purpose: "eval",
  key: "b001",
  kind: "main",
  batchId: "msgbatch_1",
  status: "in_progress",
  requests: 30,
  counts: { processing: 30, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
  downloaded: 0,
};

function io(isTty: boolean) {
  const err: string[] = [];
  const value: CliIo = {
    out: () => undefined,
    err: (t) => err.push(t),
    cwd: "/",
    env: {},
    isTty,
    interrupted: new Promise(() => undefined),
  };
  return { value, err };
}

describe("describeProgress", () => {
  it.each([
    [base, 1500, "claude-haiku-4-5 msgbatch_1: in_progress, 30 requests (1.5s)"],
    [
      {
        ...base,
        kind: "retry" as const,
        status: "ended" as const,
        counts: { processing: 0, succeeded: 27, errored: 2, canceled: 0, expired: 1 },
        downloaded: 30,
      },
      61_000,
      "claude-haiku-4-5 retry msgbatch_1: ended, 27 succeeded, 2 errored, 1 expired, 30 results downloaded (61.0s)",
    ],
    [
      { ...base, batchId: null, status: "planned" as const, counts: null },
      0,
      "claude-haiku-4-5 (submitting): planned, 30 requests (0.0s)",
    ],
  ])("%#", (progress, elapsed, text) => {
    expect(describeProgress(progress, elapsed)).toBe(text);
  });
});

describe("progressReporter", () => {
  it("prints a plain line per state change when not on a terminal", () => {
    let t = 0;
    const out = io(false);
    const reporter = progressReporter(out.value, () => t);
    reporter.onProgress(base);
    t = 100;
    reporter.onProgress(base); // same state: silent
    reporter.onProgress({ ...base, status: "ended" });
    reporter.onProgress({ ...base, status: "ended", counts: null, downloaded: 30 });
    expect(out.err).toEqual([
      "claude-haiku-4-5 msgbatch_1: in_progress, 30 requests (0.0s)\n",
      "claude-haiku-4-5 msgbatch_1: ended, 30 requests (0.1s)\n",
      "claude-haiku-4-5 msgbatch_1: ended, 30 requests, 30 results downloaded (0.1s)\n",
    ]);
  });

  it("prints a large download in a CI log in steps of 10% (or 30 s), not per thousand", () => {
    let t = 0;
    const out = io(false);
    const reporter = progressReporter(out.value, () => t);
    const big = { ...base, requests: 100_000, status: "ended" as const };
    reporter.onProgress(big);
    for (let downloaded = 1000; downloaded <= 100_000; downloaded += 1000) {
      t += 10;
      reporter.onProgress({ ...big, counts: null, downloaded });
    }
    // The state change, ten 10% steps (the last one the complete download).
    expect(out.err).toHaveLength(11);
    expect(out.err.at(-1)).toContain("100000 results downloaded");
    t += 31_000;
    reporter.onProgress({ ...big, counts: null, downloaded: 100_000 });
    expect(out.err).toHaveLength(12); // a heartbeat after 30 s of nothing new
  });

  it("prints a slow download after 30 s even below a 10% step", () => {
    let t = 0;
    const out = io(false);
    const reporter = progressReporter(out.value, () => t);
    const big = { ...base, requests: 100_000, status: "ended" as const };
    reporter.onProgress(big);
    t = 5_000;
    reporter.onProgress({ ...big, counts: null, downloaded: 2_000 });
    t = 31_000;
    reporter.onProgress({ ...big, counts: null, downloaded: 3_000 });
    expect(out.err).toHaveLength(2);
    expect(out.err[1]).toContain("3000 results downloaded");
  });

  it("redraws one line per batch in place on a terminal", () => {
    let t = 0;
    const out = io(true);
    const reporter = progressReporter(out.value, () => t);
    reporter.onProgress(base);
    t = 500;
    reporter.onProgress({ ...base, model: "claude-opus-4-8", key: "b002" });
    reporter.finish();
    const last = out.err.at(-1) ?? "";
    expect(last.startsWith("\u001b[2F")).toBe(true);
    expect(last.split("\n").filter((l) => l.includes("msgbatch_1"))).toHaveLength(2);
  });
});
