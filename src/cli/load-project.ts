/**
 * The part of every command that reads the user's files: the project config, the prices, and
 * the suites. Problems come back as located diagnostics; nothing is submitted while an error
 * stands.
 */

import { loadConfig } from "../config/load-config.js";
import { loadPricing } from "../config/load-pricing.js";
import type { ProjectConfig } from "../config/types.js";
import type { PricingTable } from "../cost/pricing.js";
import { retirementNotice } from "../cost/retirement.js";
import { checkAssertion } from "../grade/registry.js";
import { hasErrors, sortDiagnostics } from "../suite/diagnostics.js";
import { loadSuites } from "../suite/load-suites.js";
import type { Diagnostic, Suite } from "../suite/types.js";

export interface Project {
  /** The day (UTC, YYYY-MM-DD) the retirement checks were made for. */
  today: string;
  config: ProjectConfig;
  pricing: PricingTable;
  suites: Suite[];
  files: string[];
  diagnostics: Diagnostic[];
  ok: boolean;
}

/**
 * Loads config, prices and suites; `ok` is false when any diagnostic is an error. `today`
 * (YYYY-MM-DD, UTC; the command passes its clock) decides which models are retired: a suite
 * naming one gets a located error, one retiring within 30 days a warning.
 */
export async function loadProject(
  paths: readonly string[],
  cwd: string,
  configPath: string | undefined,
  today: string,
): Promise<Project> {
  const loaded = await loadConfig(cwd, configPath);
  const pricing = await loadPricing(loaded.config.pricing);
  if (hasErrors(loaded.diagnostics)) {
    const diagnostics = sortDiagnostics(loaded.diagnostics);
    return { today, config: loaded.config, pricing, suites: [], files: [], diagnostics, ok: false };
  }
  const result = await loadSuites([...paths], {
    cwd,
    config: loaded.config,
    isKnownModel: (model) => pricing.lookup(model) !== undefined,
    // "Did you mean" suggests only models the API still serves.
    knownModels: pricing.models().filter((m) => retirementNotice(m, today)?.severity !== "error"),
    checkAssertion,
    modelNotice: (model) => retirementNotice(model, today),
  });
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...result.diagnostics]);
  return {
    today,
    config: loaded.config,
    pricing,
    suites: result.suites,
    files: result.files,
    diagnostics,
    ok: !hasErrors(diagnostics),
  };
}
