import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { afterEach, describe, expect, test } from "vitest";
import { params, runBatch, type SimHarness, startHarness } from "./helpers.js";

/** The results folders (of any simulator) that hold this batch's file: exactly one. */
function folderOf(batchId: string): string {
  const found = readdirSync(tmpdir())
    .filter((name) => name.startsWith("batcheval-sim-results-"))
    .map((name) => join(tmpdir(), name))
    .filter((dir) => existsSync(join(dir, `${batchId}.jsonl`)));
  expect(found).toHaveLength(1);
  return found[0] ?? "";
}

async function rawResults(h: SimHarness, batchId: string): Promise<string> {
  const res = await fetch(`${h.sim.url}/v1/messages/batches/${batchId}/results`, {
    headers: { "x-api-key": "k", "anthropic-version": "2026-10-21" },
  });
  expect(res.status).toBe(200);
  return res.text();
}

describe("results are kept on disk", () => {
  let h: SimHarness | undefined;
  afterEach(async () => {
    await h?.sim.close();
    h = undefined;
  });

  test("the folder exists while the server runs, holds the lines, is removed on close", async () => {
    h = await startHarness({ defaultReply: "echo" });
    // Multi-byte text, and enough lines (several MiB) that the store writes more than once.
    const requests = Array.from({ length: 3_000 }, (_, i) => ({
      custom_id: `d${i}`,
      params: params(`héllo ✓ 😀 ${i} ${"x".repeat(1_000)}`),
    }));
    const { batch, results } = await runBatch(h.client, requests);
    expect(results.size).toBe(3_000);
    expect(results.get("d7")?.result.type).toBe("succeeded");
    const dir = folderOf(batch.id);
    const file = join(dir, `${batch.id}.jsonl`);
    expect(statSync(file).size).toBeGreaterThan(2 * 1024 * 1024);

    // The download is the file's lines, reordered: the same bytes, in a stable order.
    const served = await rawResults(h, batch.id);
    expect(served.endsWith("\n")).toBe(true);
    const servedLines = served.slice(0, -1).split("\n");
    const fileLines = readFileSync(file, "utf8").slice(0, -1).split("\n");
    expect(servedLines).toHaveLength(3_000);
    expect([...servedLines].sort()).toEqual([...fileLines].sort());
    expect(servedLines).not.toEqual(fileLines); // shuffled, not in submission order
    expect(await rawResults(h, batch.id)).toBe(served);
    for (const line of servedLines.slice(0, 50)) {
      expect(JSON.stringify(JSON.parse(line))).toBe(line);
    }

    await h.sim.close();
    h = undefined;
    expect(existsSync(dir)).toBe(false);
  });

  test("deleting a batch removes its file (and its results answer 404)", async () => {
    h = await startHarness();
    const { batch: kept } = await runBatch(h.client, [{ custom_id: "k", params: params("a") }]);
    const { batch } = await runBatch(h.client, [
      { custom_id: "x1", params: params("b") },
      { custom_id: "x2", params: params("c") },
    ]);
    const dir = folderOf(batch.id);
    const file = join(dir, `${batch.id}.jsonl`);
    expect(readFileSync(file, "utf8").split("\n")).toHaveLength(3);

    await h.client.messages.batches.delete(batch.id);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(join(dir, `${kept.id}.jsonl`))).toBe(true);
    await expect(h.client.messages.batches.results(batch.id)).rejects.toBeInstanceOf(
      Anthropic.NotFoundError,
    );
    expect((await rawResults(h, kept.id)).split("\n")).toHaveLength(2);
  });
});
