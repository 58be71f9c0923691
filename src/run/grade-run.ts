/**
 * The grading stage of a run, once every eval result is collected: each result is graded
 * against its case (grade/) and priced (cost/). The questions that model-graded assertions ask
 * are sent to their grader models as batches of their own (purpose `grader`, one lane per
 * grader model), and grading runs again with the answers. A crash while they run resumes like
 * any other batch: the same results ask the same questions, whose batches run.json already has.
 */
import type { MessageBatchIndividualResponse } from "@anthropic-ai/sdk/resources/messages/batches";
import { graderCustomId } from "../compile/custom-id.js";
import type { CompiledRequest } from "../compile/types.js";
import { addCosts } from "../cost/exact-cost.js";
import { priceResult } from "../cost/price-result.js";
import { sumCosts } from "../cost/price-usage.js";
import { requirePrice } from "../cost/pricing.js";
import type { CostFigures } from "../cost/types.js";
import { BatchevalError } from "../errors.js";
import { answerOf, questionHash } from "../grade/questions.js";
import type { GraderRegistry } from "../grade/registry.js";
import { type GraderQuestion, isPending, type Pending } from "../grade/types.js";
import type { GraderSummary, ResultRecord } from "../report/types.js";
import type { DriveOutcome } from "../runner/drive-model.js";
import { eachFinalResult } from "../runner/read-results.js";
import { collectedResults, type LaneRequests, resultKey } from "../runner/run-batches.js";
import type { RunState, RunStore } from "../runner/run-store.js";
import type { EvalCase } from "../suite/types.js";
import { gradeAndPrice } from "./build-record.js";
import type { CompiledRun } from "./compile-run.js";
import type { Project } from "./load-project.js";

/** Records graded between two looks at the stop signal (grading is CPU-bound). */
const GRADE_SLICE = 2_000;

/**
 * Rounds of questions at most. A grader asks once per result; a second round would mean a
 * grader that asks again after its answers came, which is a bug to report, not to loop on.
 */
const MAX_ROUNDS = 3;

/** Lets signal handlers run, then stops if the user asked to. */
async function pause(signal: AbortSignal | undefined): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  if (signal?.aborted) throw new BatchevalError("interrupted", "Interrupted while grading.");
}

export interface GradeInputs {
  compiled: CompiledRun;
  project: Project;
  store: RunStore;
  state: RunState;
  graders: GraderRegistry;
  /** Runs grader lanes to final results (the runner, with the run's options). */
  answer: (lanes: LaneRequests[]) => Promise<DriveOutcome>;
  signal?: AbortSignal;
}

/** Every eval result graded and priced, and what the graders cost per model under test. */
export interface GradedRun {
  records: ResultRecord[];
  /** Batch cost (with caching) of the grader questions, per model whose results they graded. */
  graderCost: Map<string, number>;
  /** Per grader model: the questions it answered and what they cost (batches come from state). */
  graders: Omit<GraderSummary, "batches">[];
}

/** A grader question's answer, with the grader model it was put to. */
interface Answer {
  model: string;
  line: MessageBatchIndividualResponse;
  /** Answered by the result cache, not by this run's batch. */
  replayed: boolean;
}

/** One grading pass over every result, with the answers known so far. */
interface Pass {
  records: ResultRecord[];
  /** Questions without an answer yet, by custom_id. */
  questions: Map<string, GraderQuestion>;
  /** The answered questions each model's results used, by custom_id. */
  used: Map<string, Set<string>>;
}

/**
 * Grades every eval result, one model at a time: a model's results are read from disk, graded
 * into records and dropped before the next model's are read, so memory holds one model's raw
 * replies at most, beside the (smaller) records.
 */
async function gradeOnce(inputs: GradeInputs, answers: ReadonlyMap<string, Answer>): Promise<Pass> {
  const { compiled, project, store, state, graders, signal } = inputs;
  const pass: Pass = { records: [], questions: new Map(), used: new Map() };
  const caseOf = caseFinder(compiled.cases);
  let graded = 0;
  for (const { model, requests } of compiled.plan.models) {
    const price = requirePrice(project.pricing, model);
    const used = pass.used.get(model) ?? new Set<string>();
    pass.used.set(model, used);
    const ask = (question: GraderQuestion) => {
      const id = graderCustomId(state.customIdTag, questionHash(question));
      const answer = answers.get(id);
      if (answer === undefined) {
        pass.questions.set(id, question);
        return undefined;
      }
      used.add(id);
      return answerOf(answer.line);
    };
    const grade = (
      request: CompiledRequest,
      result: MessageBatchIndividualResponse | undefined,
      replayed: boolean,
    ) => {
      const evalCase = caseOf(request);
      if (evalCase === undefined) throw new Error(`no case for ${request.customId}`);
      return gradeAndPrice({ request, evalCase, result, price, replayed, ask, registry: graders });
    };
    // Records in the plan's order; each result is graded as its line is read, and let go.
    const index = new Map(requests.map((request, i) => [request.customId, i]));
    const records: (ResultRecord | Pending | undefined)[] = new Array(requests.length);
    await eachFinalResult(store, state, { model, purpose: "eval" }, async (line, replayed) => {
      const i = index.get(line.custom_id);
      const request = i === undefined ? undefined : requests[i];
      if (i === undefined || request === undefined) return;
      if (graded++ % GRADE_SLICE === 0) await pause(signal);
      records[i] = grade(request, line, replayed);
    });
    for (const [i, request] of requests.entries()) {
      const record = records[i] ?? grade(request, undefined, false);
      if (!isPending(record)) pass.records.push(record);
    }
  }
  return pass;
}

/**
 * Finds a request's case by its suite and case id, the very strings the case holds (the plan
 * copies them): their hashes are computed once, where a `caseKey` joined for each of 300,000
 * results is a new string to hash every time.
 */
function caseFinder(
  cases: ReadonlyMap<string, EvalCase>,
): (request: CompiledRequest) => EvalCase | undefined {
  const bySuite = new Map<string, Map<string, EvalCase>>();
  for (const evalCase of cases.values()) {
    const suite = bySuite.get(evalCase.suite) ?? new Map<string, EvalCase>();
    suite.set(evalCase.caseId, evalCase);
    bySuite.set(evalCase.suite, suite);
  }
  return (request) => bySuite.get(request.suite)?.get(request.caseId);
}

/** The grader lanes that answer `questions`: one per grader model. */
function graderLanes(questions: ReadonlyMap<string, GraderQuestion>): LaneRequests[] {
  const byModel = new Map<string, CompiledRequest[]>();
  for (const [customId, { model, params }] of questions) {
    const requests = byModel.get(model) ?? [];
    requests.push({ customId, suite: "", caseId: customId, repeat: 0, model, params });
    byModel.set(model, requests);
  }
  return [...byModel].map(([model, requests]) => ({ model, purpose: "grader", requests }));
}

/** What the questions each model's results used cost, priced at each grader model's rates. */
function graderCosts(
  used: Pass["used"],
  answers: ReadonlyMap<string, Answer>,
  project: Project,
): Map<string, number> {
  const costs = new Map<string, number>();
  const counted = new Set<string>();
  for (const [model, ids] of used) {
    const figures: CostFigures[] = [];
    for (const id of ids) {
      const answer = answers.get(id);
      if (answer === undefined || counted.has(id)) continue;
      counted.add(id);
      figures.push(priceResult(answer.line, requirePrice(project.pricing, answer.model)).cost);
    }
    costs.set(model, sumCosts(figures).batchCached);
  }
  return costs;
}

/** Per grader model, the answered questions the records used, each counted once, priced. */
function graderTotals(
  used: Pass["used"],
  answers: ReadonlyMap<string, Answer>,
  project: Project,
): GradedRun["graders"] {
  const byModel = new Map<string, { costs: CostFigures[]; replayed: CostFigures[] }>();
  const counted = new Set<string>();
  for (const ids of used.values()) {
    for (const id of ids) {
      const answer = answers.get(id);
      if (answer === undefined || counted.has(id)) continue;
      counted.add(id);
      const model = byModel.get(answer.model) ?? { costs: [], replayed: [] };
      const cost = priceResult(answer.line, requirePrice(project.pricing, answer.model)).cost;
      model.costs.push(cost);
      if (answer.replayed) model.replayed.push(cost);
      byModel.set(answer.model, model);
    }
  }
  return [...byModel].map(([model, { costs, replayed }]) => ({
    model,
    questions: costs.length,
    cost: addCosts(costs),
    replayed: addCosts(replayed).batchCached,
  }));
}

/**
 * Grades every eval result; "detached" when the grader batches were submitted and the run
 * detached before their answers came.
 */
export async function gradeRun(inputs: GradeInputs): Promise<GradedRun | "detached"> {
  const { store, state } = inputs;
  const answers = new Map<string, Answer>();
  for (let round = 1; ; round++) {
    const pass = await gradeOnce(inputs, answers);
    if (pass.questions.size === 0) {
      return {
        records: pass.records,
        graderCost: graderCosts(pass.used, answers, inputs.project),
        graders: graderTotals(pass.used, answers, inputs.project),
      };
    }
    if (round > MAX_ROUNDS) {
      throw new BatchevalError(
        "run_failed",
        `Graders still had ${pass.questions.size} questions after ${MAX_ROUNDS} rounds of answers.`,
      );
    }
    if (state.status !== "grading") {
      state.status = "grading";
      await store.save(state);
    }
    const lanes = graderLanes(pass.questions);
    if ((await inputs.answer(lanes)) === "detached") return "detached";
    const answered = await collectedResults(store, state, lanes);
    for (const lane of lanes) {
      for (const request of lane.requests) {
        const key = resultKey(lane.model, request.customId);
        const line = answered.byKey.get(key);
        if (line === undefined) continue;
        answers.set(request.customId, {
          model: lane.model,
          line,
          replayed: answered.replayed.has(key),
        });
      }
    }
  }
}
