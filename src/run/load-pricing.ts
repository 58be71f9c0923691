/**
 * Loads the pricing table: the bundled `src/cost/pricing.yaml` overlaid with the project
 * config's `pricing:` section. The I/O edge of the cost stage (src/cost itself stays pure); it
 * sits in the run stage because config comes before cost and must not import it.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { PriceOverride } from "../config/types.js";
import { type OverrideSources, parsePricing, withOverrides } from "../cost/pricing.js";
import type { PricingTable } from "../cost/types.js";
import { BatchevalError } from "../errors.js";

/**
 * The bundled price file. `../../src/cost/pricing.yaml` resolves to the same file from
 * src/run/ (run from source) and from dist/run/ (built); package.json ships it in `files`.
 */
const PRICING_URL = new URL("../../src/cost/pricing.yaml", import.meta.url);

/**
 * Reads and validates the bundled prices, then applies `overrides` (the config's `pricing:`).
 * Throws BatchevalError("bad_input") when the file is missing or invalid, or an override is bad
 * (located in the config file when `sources`, the config's `sources.pricing`, is given).
 */
export async function loadPricing(
  overrides: Record<string, PriceOverride>,
  sources: OverrideSources = {},
): Promise<PricingTable> {
  const file = fileURLToPath(PRICING_URL);
  let text: string;
  try {
    text = await readFile(PRICING_URL, "utf8");
  } catch (cause) {
    throw new BatchevalError("bad_input", `Cannot read the price file ${file}`, {
      hint: "Reinstall batcheval: src/cost/pricing.yaml ships with the package.",
      cause,
    });
  }
  return withOverrides(parsePricing(text, file), overrides, sources);
}
