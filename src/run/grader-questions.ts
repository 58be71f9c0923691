/**
 * The questions a plan's model-graded assertions would put to their grader models, for the
 * estimate and the budget guard: each eval request's case is graded against a stand-in output
 * of `max_tokens` tokens (the estimate's worst case), and every question asked is collected.
 * Every output is different, so every question is counted (the run asks a repeated one once).
 */
import type { MessageBatchIndividualResponse } from "@anthropic-ai/sdk/resources/messages/batches";
import { minCacheableTokens } from "../compile/cache-checks.js";
import type { BatchPlan, CompiledRequest, ModelPlan } from "../compile/types.js";
import { promptShape } from "../cost/estimate-shape.js";
import { gradeResult } from "../grade/grade-result.js";
import type { GraderRegistry } from "../grade/registry.js";
import type { GraderQuestion } from "../grade/types.js";
import { fileLocation } from "../source/diagnostics.js";
import type { Diagnostic, SourceLocation } from "../source/types.js";
import type { EvalCase } from "../suite/types.js";
import { caseKey } from "./compile-run.js";
import type { Project } from "./load-project.js";

/** A reply as long as `maxTokens` allows (about 4 characters a token), standing in for one. */
function standIn(maxTokens: number): MessageBatchIndividualResponse {
  return {
    custom_id: "estimate",
    result: {
      type: "succeeded",
      message: {
        id: "msg_estimate",
        type: "message",
        role: "assistant",
        model: "estimate",
        content: [{ type: "text", text: "x".repeat(maxTokens * 4), citations: null }],
        stop_reason: "max_tokens",
        stop_sequence: null,
        usage: { input_tokens: 0, output_tokens: maxTokens },
      },
    } as MessageBatchIndividualResponse["result"],
  };
}

/** The grader questions of every request of `plan`, as requests per grader model. */
export function graderPlans(
  plan: BatchPlan,
  cases: ReadonlyMap<string, EvalCase>,
  registry: GraderRegistry,
): ModelPlan[] {
  const byModel = new Map<string, CompiledRequest[]>();
  const collect = (request: CompiledRequest) => (question: GraderQuestion) => {
    const requests = byModel.get(question.model) ?? [];
    const customId = `estimate_${requests.length}`;
    requests.push({ ...request, customId, model: question.model, params: question.params });
    byModel.set(question.model, requests);
    return undefined;
  };
  for (const { requests } of plan.models) {
    for (const request of requests) {
      const evalCase = cases.get(caseKey(request.suite, request.caseId));
      if (evalCase === undefined || !evalCase.assert.some((a) => registry.asksGrader(a.type))) {
        continue;
      }
      gradeResult(evalCase, standIn(request.params.max_tokens), collect(request), registry);
    }
  }
  return [...byModel].map(([model, requests]) => ({ model, requests }));
}

/**
 * Warnings for grader models whose grading instructions, the cached prefix of every question,
 * are shorter than the model's minimum cacheable prefix: the API then caches nothing and every
 * question pays the instructions in full (and no 1-hour write is wasted either). Located at the
 * config's `grader_model`, else at the config file.
 */
export function graderCacheWarnings(
  plans: readonly ModelPlan[],
  where: SourceLocation,
): Diagnostic[] {
  return plans.flatMap(({ model, requests }) => {
    const first = requests[0];
    if (first === undefined) return [];
    const shape = promptShape(first);
    const minimum = minCacheableTokens(model);
    if (shape.prefixKey === undefined || shape.prefixTokens >= minimum) return [];
    return [
      {
        ...where,
        severity: "warning" as const,
        message: `grader model ${model}: the grading instructions (about ${shape.prefixTokens} tokens) are below its minimum cacheable prefix of ${minimum}, so they are not cached and every question pays them in full`,
        hint: "grade with a model whose minimum is lower (claude-sonnet-4-6 and claude-opus-4-8 cache from 1,024 tokens), or accept the cost: estimate shows it",
      },
    ];
  });
}

/** Where a grader warning points: the config's `grader_model`, else the config file. */
export function graderSource(project: Project): SourceLocation {
  return (
    project.config.sources?.graderModel ??
    fileLocation(project.config.file ?? "batcheval.config.yaml")
  );
}
