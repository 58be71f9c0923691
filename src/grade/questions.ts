/**
 * Questions that model-graded assertions put to grader models, and their answers as the batch
 * results bring them. Pure.
 */
import { hash } from "node:crypto";
import type { MessageBatchIndividualResponse } from "@anthropic-ai/sdk/resources/messages/batches";
import { resultError } from "./result-output.js";
import type { GraderAnswer, GraderQuestion } from "./types.js";

/**
 * A question's fingerprint (hex): the same question (grader model and request) from two
 * assertions or two results is asked once and answered once.
 */
export function questionHash(question: GraderQuestion): string {
  return hash("sha256", JSON.stringify({ model: question.model, params: question.params }), "hex");
}

/** A grader batch's result as the grader reads it. */
export function answerOf(line: MessageBatchIndividualResponse): GraderAnswer {
  const result = line.result;
  return result.type === "succeeded" ? { message: result.message } : { error: resultError(result) };
}
