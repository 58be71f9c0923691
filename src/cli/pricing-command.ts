/** `batcheval pricing`: the price table in use, as text or JSON. */
import { loadConfig } from "../config/load-config.js";
import { ExitCode } from "../errors.js";
import { priceRows, renderPricing } from "../report/render-pricing.js";
import { loadPricing } from "../run/load-pricing.js";
import { throwOnErrors } from "../run/load-project.js";
import type { CliIo } from "./io.js";

export interface PricingCommandOptions {
  config?: string;
  json?: boolean;
}

export async function pricingCommand(options: PricingCommandOptions, io: CliIo): Promise<number> {
  const loaded = await loadConfig(io.cwd, options.config);
  throwOnErrors(loaded.diagnostics, "Fix the config, then run batcheval pricing again.");
  const pricing = await loadPricing(loaded.config.pricing, loaded.config.sources?.pricing);
  const rows = priceRows(pricing);
  if (options.json === true) {
    const unit = "USD per million tokens, standard (synchronous) rate; batch is 50%";
    io.out(`${JSON.stringify({ unit, batchDiscount: 0.5, models: rows }, null, 2)}\n`);
  } else io.out(renderPricing(rows));
  return ExitCode.ok;
}
