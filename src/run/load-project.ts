/**
 * The part of every command that reads the user's files: the project config, the prices, and
 * the suites. Problems come back as located diagnostics; nothing is submitted while an error
 * stands.
 */

import { loadConfig } from "../config/load-config.js";
import type { ProjectConfig } from "../config/types.js";
import type { PricingTable } from "../cost/types.js";
import { BatchevalError } from "../errors.js";
import { DEFAULT_GRADERS, type GraderRegistry } from "../grade/registry.js";
import { retirementNotice } from "../models/retirement.js";
import { formatDiagnostics, hasErrors, sortDiagnostics } from "../source/diagnostics.js";
import type { Diagnostic } from "../source/types.js";
import { checkAssertionCoverage } from "../suite/assertion-coverage.js";
import { loadSuites } from "../suite/load-suites.js";
import type { Suite } from "../suite/types.js";
import { loadPricing } from "./load-pricing.js";

export interface Project {
  /** The day (UTC, YYYY-MM-DD) the retirement checks were made for. */
  today: string;
  config: ProjectConfig;
  pricing: PricingTable;
  suites: Suite[];
  files: string[];
  diagnostics: Diagnostic[];
  ok: boolean;
  /** `--strict` or `strict: true` in the config: uncertain passes and errors fail the gate. */
  strict: boolean;
}

/** What the checks depend on besides the files. */
export interface ProjectChecks {
  /** Today (YYYY-MM-DD, UTC), from the command's clock: which models are retired. */
  today: string;
  /** `--strict` on the command line. */
  strictFlag?: boolean;
  /** The run happens in CI, where a suite that asserts nothing is an error. */
  ci?: boolean;
  /** The assertion types suites may use (default: the built-in ones). */
  graders?: GraderRegistry;
}

/**
 * Loads config, prices and suites; `ok` is false when any diagnostic is an error. `today`
 * (the command passes its clock) decides which models are retired: a suite naming one gets a
 * located error, one retiring within 30 days a warning.
 */
export async function loadProject(
  paths: readonly string[],
  cwd: string,
  configPath: string | undefined,
  checks: ProjectChecks,
): Promise<Project> {
  const loaded = await loadConfig(cwd, configPath);
  const pricing = await loadPricing(loaded.config.pricing, loaded.config.sources?.pricing);
  const { today } = checks;
  const strict = checks.strictFlag === true || loaded.config.strict;
  if (hasErrors(loaded.diagnostics)) {
    const diagnostics = sortDiagnostics(loaded.diagnostics);
    const empty = { suites: [], files: [], diagnostics, ok: false };
    return { today, config: loaded.config, pricing, ...empty, strict };
  }
  const result = await loadSuites([...paths], {
    cwd,
    config: loaded.config,
    isKnownModel: (model) => pricing.lookup(model) !== undefined,
    // "Did you mean" suggests only models the API still serves.
    knownModels: pricing.models().filter((m) => retirementNotice(m, today)?.severity !== "error"),
    checkAssertion: (type, value, threshold) =>
      (checks.graders ?? DEFAULT_GRADERS).checkAt(type, value, threshold),
    modelNotice: (model) => retirementNotice(model, today),
    asksGrader: (type) => (checks.graders ?? DEFAULT_GRADERS).asksGrader(type),
  });
  const coverage = checkAssertionCoverage(result.suites, strict || checks.ci === true);
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...result.diagnostics, ...coverage]);
  return {
    today,
    config: loaded.config,
    pricing,
    suites: result.suites,
    files: result.files,
    diagnostics,
    ok: !hasErrors(diagnostics),
    strict,
  };
}

/**
 * Throws `invalid_suite` carrying every diagnostic (warnings too) when one is an error; `hint`
 * says what was (not) done.
 */
export function throwOnErrors(diagnostics: readonly Diagnostic[], hint: string): void {
  if (!hasErrors(diagnostics)) return;
  throw new BatchevalError("invalid_suite", formatDiagnostics(diagnostics), {
    diagnostics: [...diagnostics],
    hint,
  });
}
