/**
 * Sizing's step 1 on a backend: the prompt tokens of a sample of each model's requests counted
 * by the API (`count_tokens`, free), beside the local estimate of the same requests, so that the
 * plan's estimate can be corrected by their ratio.
 */
import type { BatchPlan, CompiledRequest } from "../compile/types.js";
import { promptShape } from "../cost/estimate-shape.js";
import type { BatchBackend } from "../runner/batch-port.js";

/** Requests counted per model at most. */
export const SAMPLE_SIZE = 20;

export interface CountedSample {
  /** Requests counted, and the model's requests. */
  counted: number;
  of: number;
  /** Mean prompt tokens of the sample: counted by the API, and as estimated locally. */
  measuredMean: number;
  estimatedMean: number;
}

/** Up to `size` requests spread evenly over `requests`. */
function spread(requests: readonly CompiledRequest[], size: number): CompiledRequest[] {
  if (requests.length <= size) return [...requests];
  const step = requests.length / size;
  return Array.from({ length: size }, (_, i) => requests[Math.floor(i * step)] as CompiledRequest);
}

export async function countSample(
  plan: BatchPlan,
  api: Pick<BatchBackend, "countTokens">,
  size = SAMPLE_SIZE,
): Promise<Map<string, CountedSample>> {
  const samples = new Map<string, CountedSample>();
  for (const { model, requests } of plan.models) {
    const sample = spread(requests, size);
    if (sample.length === 0) continue;
    let measured = 0;
    let estimated = 0;
    for (const request of sample) {
      measured += await api.countTokens(request.params);
      const shape = promptShape(request);
      estimated += shape.prefixTokens + shape.restTokens;
    }
    samples.set(model, {
      counted: sample.length,
      of: requests.length,
      measuredMean: measured / sample.length,
      estimatedMean: estimated / sample.length,
    });
  }
  return samples;
}
