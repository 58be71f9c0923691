/**
 * A test-only model-graded assertion: `judged` asks a grader model one question per result
 * ("Judge: <output>") and passes when the answer says PASS. It exercises the grading stage's
 * seam (questions sent as grader batches, answers read back) through the simulator, whose
 * fixtures answer the questions like any other prompt.
 */
import type { Grader } from "../../src/grade/types.js";
import { PENDING } from "../../src/grade/types.js";

export const JUDGE_MODEL = "claude-haiku-4-5";

export const judged: Grader = {
  checkValue: () => undefined,
  grade: (output, _value, context) => {
    const answer = context.ask?.({
      model: JUDGE_MODEL,
      params: {
        model: JUDGE_MODEL,
        max_tokens: 10,
        messages: [{ role: "user", content: `Judge: ${output}` }],
      },
    });
    if (answer === undefined) return PENDING;
    if ("error" in answer) return { pass: false, score: 0, reason: answer.error.message };
    const text = answer.message.content.map((b) => (b.type === "text" ? b.text : "")).join("");
    const pass = text.includes("PASS");
    return { pass, score: pass ? 1 : 0, reason: `the judge said ${JSON.stringify(text)}` };
  },
};
