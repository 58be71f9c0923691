/**
 * Compiles rendered cases into one list of requests per model. Pure. How they are split into
 * batches within the API's limits is the runner's business (runner/chunk-requests.ts), since it
 * decides what to submit when (warm-ups, retries) and submits the run's tagged ids.
 */
import type { EvalCase } from "../suite/types.js";
import { buildRequest } from "./build-request.js";
import { checkCachePrefix } from "./cache-checks.js";
import { customIdFor } from "./custom-id.js";
import { checkModelLimits } from "./limit-checks.js";
import type { BatchPlan, CompiledRequest, ModelPlan } from "./types.js";

/** One suite's cases and the models they run on. */
export interface SuiteCases {
  suite: string;
  models: readonly string[];
  cases: readonly EvalCase[];
}

function* requestsFor(entry: SuiteCases, model: string): Generator<CompiledRequest> {
  for (const evalCase of entry.cases) {
    const params = buildRequest(evalCase, model);
    for (let repeat = 0; repeat < evalCase.repeat; repeat++) {
      const customId = customIdFor(entry.suite, evalCase.caseId, repeat);
      yield { customId, suite: entry.suite, caseId: evalCase.caseId, repeat, model, params };
    }
  }
}

/** The batch plan: per model, every (suite, case, repeat) request, in suite order. */
export function planBatches(suites: readonly SuiteCases[]): BatchPlan {
  const byModel = new Map<string, CompiledRequest[]>();
  for (const entry of suites) {
    for (const model of entry.models) {
      const list = byModel.get(model) ?? [];
      for (const request of requestsFor(entry, model)) list.push(request);
      byModel.set(model, list);
    }
  }
  const models: ModelPlan[] = [...byModel].map(([model, requests]) => {
    assertUniqueIds(model, requests);
    return { model, requests };
  });
  const diagnostics = suites.flatMap((entry) => [
    ...checkModelLimits(entry.cases, entry.models),
    ...checkCachePrefix(entry.cases, entry.models),
  ]);
  return { models, diagnostics };
}

function assertUniqueIds(model: string, requests: readonly CompiledRequest[]): void {
  const seen = new Map<string, CompiledRequest>();
  for (const request of requests) {
    const other = seen.get(request.customId);
    if (other !== undefined) {
      // Only reachable with a hash collision or the same suite loaded twice.
      throw new RangeError(
        `custom_id ${request.customId} is used twice on ${model}: ${other.suite}/${other.caseId} and ${request.suite}/${request.caseId}`,
      );
    }
    seen.set(request.customId, request);
  }
}
