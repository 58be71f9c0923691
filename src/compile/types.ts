/** Types owned by the compile stage: Messages API requests grouped into batches. */
import type { MessageCreateParamsNonStreaming } from "@anthropic-ai/sdk/resources/messages/messages";
import type { Diagnostic } from "../source/types.js";

/** One Messages request for one (suite, case, repeat) on one model. */
export interface CompiledRequest {
  /**
   * `^[a-zA-Z0-9_-]{1,64}$`, unique within its batch, derived from (suite, case, repeat): the
   * plan's run-independent id, or in a tagged plan (`tagPlan`) the id the run sends.
   */
  customId: string;
  suite: string;
  caseId: string;
  /** 0-based sample index, below the case's `repeat`. */
  repeat: number;
  model: string;
  params: MessageCreateParamsNonStreaming;
}

/** Every request of one model, in suite order (the runner splits them into batches). */
export interface ModelPlan {
  model: string;
  requests: CompiledRequest[];
}

/** Everything the runner will submit, plus what the compiler noticed. */
export interface BatchPlan {
  models: ModelPlan[];
  /**
   * What the compiler noticed: cache mistakes (a prefix that varies, a prefix below the model's
   * minimum) as warnings, and requests the model cannot take (`max_tokens` above its output
   * limit, a prompt above its context window) as errors, which stop a run before it starts.
   */
  diagnostics: Diagnostic[];
}

/** The API's per-batch limits; tests pass smaller ones. */
export interface BatchLimits {
  maxRequests: number;
  maxBytes: number;
}

export const API_BATCH_LIMITS: BatchLimits = {
  maxRequests: 100_000,
  // 256 MB per batch body; counted in decimal megabytes to stay on the safe side.
  maxBytes: 256_000_000,
};
