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
import { checkAssertionCoverage } from "../suite/assertion-coverage.js";
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
  /** `--strict` or `strict: true` in the config: uncertain passes and errors fail the gate. */
  strict: boolean;
}

/** How hard the checks are. */
export interface ProjectChecks {
  /** `--strict` on the command line. */
  strictFlag?: boolean;
  /** The run happens in CI, where a suite that asserts nothing is an error. */
  ci?: boolean;
}

/** Loads config, prices and suites; `ok` is false when any diagnostic is an error. */
export async function loadProject(
  paths: readonly string[],
  cwd: string,
  configPath?: string,
  checks: ProjectChecks = {},
): Promise<Project> {
  const loaded = await loadConfig(cwd, configPath);
  const pricing = await loadPricing(loaded.config.pricing);
  const strict = checks.strictFlag === true || loaded.config.strict;
  if (hasErrors(loaded.diagnostics)) {
    const diagnostics = sortDiagnostics(loaded.diagnostics);
    return {
      config: loaded.config,
      pricing,
      suites: [],
      files: [],
      diagnostics,
      ok: false,
      strict,
    };
  }
  const result = await loadSuites([...paths], {
    cwd,
    config: loaded.config,
    isKnownModel: (model) => pricing.lookup(model) !== undefined,
    knownModels: pricing.models(),
    checkAssertion,
  });
  const coverage = checkAssertionCoverage(result.suites, strict || checks.ci === true);
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...result.diagnostics, ...coverage]);
  return {
    config: loaded.config,
    pricing,
    suites: result.suites,
    files: result.files,
    diagnostics,
    ok: !hasErrors(diagnostics),
    strict,
  };
}
