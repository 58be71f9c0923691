/**
 * The part of every command that reads the user's files: the project config, the prices, and
 * the suites. Problems come back as located diagnostics; nothing is submitted while an error
 * stands.
 */

import { loadConfig } from "../config/load-config.js";
import { loadPricing } from "../config/load-pricing.js";
import type { ProjectConfig } from "../config/types.js";
import type { PricingTable } from "../cost/pricing.js";
import { checkAssertion } from "../grade/registry.js";
import { hasErrors, sortDiagnostics } from "../suite/diagnostics.js";
import { loadSuites } from "../suite/load-suites.js";
import type { Diagnostic, Suite } from "../suite/types.js";

export interface Project {
  config: ProjectConfig;
  pricing: PricingTable;
  suites: Suite[];
  files: string[];
  diagnostics: Diagnostic[];
  ok: boolean;
}

/** Loads config, prices and suites; `ok` is false when any diagnostic is an error. */
export async function loadProject(
  paths: readonly string[],
  cwd: string,
  configPath?: string,
): Promise<Project> {
  const loaded = await loadConfig(cwd, configPath);
  const pricing = await loadPricing(loaded.config.pricing);
  if (hasErrors(loaded.diagnostics)) {
    const diagnostics = sortDiagnostics(loaded.diagnostics);
    return { config: loaded.config, pricing, suites: [], files: [], diagnostics, ok: false };
  }
  const result = await loadSuites([...paths], {
    cwd,
    config: loaded.config,
    isKnownModel: (model) => pricing.lookup(model) !== undefined,
    knownModels: pricing.models(),
    checkAssertion,
  });
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...result.diagnostics]);
  return {
    config: loaded.config,
    pricing,
    suites: result.suites,
    files: result.files,
    diagnostics,
    ok: !hasErrors(diagnostics),
  };
}
