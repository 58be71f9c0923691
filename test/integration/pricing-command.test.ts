import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pricingCommand } from "../../src/cli/pricing-command.js";
import type { PriceRow } from "../../src/report/render-pricing.js";
import { TempProject } from "../support/temp-project.js";

let project: TempProject;
beforeEach(async () => {
  project = await TempProject.create("batcheval-pricing-");
});
afterEach(async () => {
  await project.remove();
});

async function json(): Promise<{ unit: string; batchDiscount: number; models: PriceRow[] }> {
  const t = project.io();
  expect(await pricingCommand({ json: true }, t.io)).toBe(0);
  return JSON.parse(t.out());
}

describe("batcheval pricing", () => {
  it("lists the bundled prices with bands, the us multiplier, checked and retirement dates", async () => {
    const { models, batchDiscount } = await json();
    expect(batchDiscount).toBe(0.5);
    const byId = new Map(models.map((m) => [m.model, m]));
    expect(byId.get("claude-haiku-4-5")).toMatchObject({
      input: 1,
      output: 5,
      cacheWrite5m: 1.25,
      cacheWrite1h: 2,
      cacheRead: 0.1,
      usGeoMultiplier: null,
      seen: "2026-10-04",
    });
    expect(byId.get("claude-haiku-5-5")?.aboveTokens).toMatchObject({
      threshold: 100_000,
      band: { input: 0.5, output: 2.5 },
    });
    expect(byId.get("claude-sonnet-4-6")?.usGeoMultiplier).toBe(1.1);
    expect(byId.get("claude-opus-4-5")?.retires).toBe("2027-01-22");
    const t = project.io();
    expect(await pricingCommand({}, t.io)).toBe(0);
    expect(t.out()).toMatch(
      /^claude-haiku-5-5\s+\$0\.1\s+\$0\.5\s.*>100,000: \$0\.5\/\$2\.5\s+1\.1x/m,
    );
    expect(t.out()).toContain("the Batch API bills 50% of every");
  });

  it("shows the config's overrides and new models, marked as from the config", async () => {
    await project.write(
      "batcheval.config.yaml",
      "pricing:\n  my-model: { input: 2, output: 8 }\n  claude-haiku-4-5: { input: 0.8, output: 4 }\n",
    );
    const byId = new Map((await json()).models.map((m) => [m.model, m]));
    expect(byId.get("my-model")).toMatchObject({
      input: 2,
      output: 8,
      cacheWrite5m: 2.5,
      cacheWrite1h: 4,
      cacheRead: 0.2,
      seen: "config",
    });
    expect(byId.get("claude-haiku-4-5")).toMatchObject({ input: 0.8, output: 4, seen: "config" });
  });

  it("refuses a bad price in the config, located there", async () => {
    await project.write(
      "batcheval.config.yaml",
      "pricing:\n  my-model: { input: -1, output: 8 }\n",
    );
    await expect(pricingCommand({}, project.io().io)).rejects.toMatchObject({
      diagnostics: [expect.objectContaining({ file: "batcheval.config.yaml", line: 2 })],
    });
  });
});
