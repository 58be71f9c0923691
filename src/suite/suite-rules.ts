/**
 * Named semantic rules, run on a normalized suite after the schema has passed. Each rule is a
 * small function that returns located diagnostics; `SUITE_RULES` lists them in order.
 */
import { findModelSpec } from "../models/model-table.js";
import { closestMatch } from "../source/closest-match.js";
import { diagnosticAt, formatLocation } from "../source/diagnostics.js";
import { codeProblem } from "../source/javascript-code.js";
import type { Diagnostic, SourceLocation } from "../source/types.js";
import { foreignSyntax } from "./foreign-syntax.js";
import type { SuiteDraft } from "./normalize-suite.js";
import { renderValue, undefinedVariables, valueTemplates } from "./template.js";
import type { AssertionSpec, SuiteCase } from "./types.js";

/** What the rules need from the caller. */
export interface RuleOptions {
  isKnownModel: (model: string) => boolean;
  /** Every priced model id, for "did you mean" suggestions. */
  knownModels?: readonly string[] | undefined;
  checkAssertion: CheckAssertion;
  /** Where the config's `models` were written, for suites that use them. */
  configModelSources?: readonly SourceLocation[] | undefined;
  /** Where the config's `grader_model` was written, for suites whose graders use it. */
  configGraderSource?: SourceLocation | undefined;
  /** Whether an assertion type asks a grader model (`grader:` applies to it); absent: none do. */
  asksGrader?: ((type: string) => boolean) | undefined;
  /**
   * A retirement notice for a model (an error when it is retired, a warning when it retires
   * soon), else undefined. The caller decides the day; absent = no retirement checks.
   */
  modelNotice?:
    | ((
        model: string,
      ) => { severity: "error" | "warning"; message: string; hint: string } | undefined)
    | undefined;
}

/**
 * What is wrong with an assertion: a message, or a message and the key it is about (so the
 * diagnostic points at the type, the value or the threshold rather than at the assertion).
 */
export type AssertionProblem = string | { message: string; at: "type" | "value" | "threshold" };

/** Checks an assertion's type, value and threshold; undefined when it is usable. */
export type CheckAssertion = (
  type: string,
  value: unknown,
  threshold?: number,
) => AssertionProblem | undefined;

/** A semantic rule. */
export type SuiteRule = (draft: SuiteDraft, options: RuleOptions) => Diagnostic[];

/** Report at most this many cases per undefined variable and template, then summarize. */
const MAX_UNDEFINED_VAR_REPORTS = 5;

/** A suite needs exactly one of `prompt` and `messages`. */
export const promptXorMessages: SuiteRule = ({ raw, locate }) => {
  if (raw.prompt !== undefined && raw.messages !== undefined) {
    const hint = "keep `prompt:` for a single user message, or `messages:` for several turns";
    return [
      diagnosticAt(locate(["messages"], "key"), "use either prompt or messages, not both", hint),
    ];
  }
  if (raw.prompt === undefined && raw.messages === undefined) {
    const hint =
      "add `prompt:` (a user message template) or `messages:` (a list of {role, content})";
    return [diagnosticAt(locate([]), "the suite has neither prompt nor messages", hint)];
  }
  return [];
};

/** The model answers the last turn, so `messages` must end with a user turn. */
export const messagesEndWithUser: SuiteRule = ({ raw, locate }) => {
  const last = raw.messages?.at(-1);
  if (raw.messages === undefined || last === undefined || last.role === "user") return [];
  const where = locate(["messages", raw.messages.length - 1]);
  const hint = "add a final `- role: user` turn";
  return [
    diagnosticAt(where, `messages must end with a user turn (the last is '${last.role}')`, hint),
  ];
};

/** At most one system block may carry `cache:` — it marks the single cache breakpoint. */
export const singleCacheBreakpoint: SuiteRule = ({ suite, locate }) => {
  const marked = suite.system
    .map((block, index) => ({ block, index }))
    .filter(({ block }) => block.cache !== undefined);
  return marked.slice(1).map(({ index }) => {
    const first = marked[0]?.block.source.line ?? 0;
    const message = `more than one cache breakpoint (the first is at line ${first})`;
    const hint = "mark only the last block of the shared prefix with cache:";
    return diagnosticAt(locate(["system", index, "cache"], "key"), message, hint);
  });
};

/** Case ids are unique within a suite; the second use is the error. */
export const uniqueCaseIds: SuiteRule = ({ suite, entries }) => {
  const firstById = new Map<string, SuiteCase>();
  const diagnostics: Diagnostic[] = [];
  for (const [index, testCase] of suite.cases.entries()) {
    const first = firstById.get(testCase.id);
    if (first === undefined) {
      firstById.set(testCase.id, testCase);
      continue;
    }
    const where = entries[index]?.locate(["id"]) ?? testCase.source;
    const firstAt =
      first.source.file === where.file ? `line ${first.source.line}` : formatLocation(first.source);
    const message = `duplicate case id '${testCase.id}' (first defined at ${firstAt})`;
    diagnostics.push(diagnosticAt(where, message, "give every case a unique id"));
  }
  return diagnostics;
};

/**
 * Every model must have a price, or its cost would silently be $0, and must not be retired,
 * or the API would refuse every request (a model that retires soon is a warning).
 */
export const knownModels: SuiteRule = ({ suite, raw, locate }, options) =>
  suite.models.flatMap((model, index) => {
    const where =
      raw.models !== undefined
        ? locate(["models", index])
        : (options.configModelSources?.[index] ?? locate(["name"]));
    return modelProblems(model, where, options);
  });

/** A model written at `where` that is retired, retires soon, or has no price. */
function modelProblems(model: string, where: SourceLocation, options: RuleOptions): Diagnostic[] {
  const notice = options.modelNotice?.(model);
  const noticed =
    notice === undefined ? [] : [diagnosticAt(where, notice.message, notice.hint, notice.severity)];
  if (notice?.severity === "error" || options.isKnownModel(model)) return noticed;
  const hint = `add it under \`pricing:\` in batcheval.config.yaml (${model}: {input: <USD/MTok>, output: <USD/MTok>}), or fix the model id`;
  const close = closestMatch(model, options.knownModels ?? []);
  const guess = close === undefined ? "" : ` (did you mean '${close}'?)`;
  return [
    ...noticed,
    diagnosticAt(where, `unknown model '${model}': it has no price${guess}`, hint),
  ];
}

/**
 * A grader model whose thinking cannot be turned off: its verdict is asked for with a forced
 * tool call, which the Messages API documents as incompatible with extended thinking, so every
 * question may come back refused. A warning: whether thinking that is always on counts when the
 * request does not ask for it is not documented.
 */
function thinkingGrader(model: string, where: SourceLocation): Diagnostic[] {
  const spec = findModelSpec(model);
  if (spec === undefined) return [];
  if (spec.thinking.includes("disabled") || spec.thinking.includes("between_tools")) return [];
  return [
    diagnosticAt(
      where,
      `grader model '${model}' always thinks, and a grader's verdict is a forced tool call, which thinking does not allow: its questions may be refused`,
      "choose a grader model that can answer without thinking (claude-sonnet-4-6, claude-opus-4-8)",
      "warning",
    ),
  ];
}

/**
 * Grader models are checked as models under test are (priced, not retired), each where it is
 * written: an assertion's `grader:`, the suite's, or the config's `grader_model` when a
 * model-graded assertion falls back to it. `grader:` on an assertion that asks no grader model
 * is an error: it would do nothing.
 */
export const knownGraders: SuiteRule = ({ suite, raw, locate }, options) => {
  const asks = options.asksGrader ?? (() => false);
  const diagnostics: Diagnostic[] = [];
  const checked = new Set<string>();
  const check = (model: string, where: SourceLocation) => {
    if (checked.has(model)) return;
    checked.add(model);
    diagnostics.push(...modelProblems(model, where, options), ...thinkingGrader(model, where));
  };
  // A default assertion is one object shared by every case: it is looked at once.
  const seen = new Set<AssertionSpec>();
  let fallsBack = false;
  for (const testCase of suite.cases) {
    for (const assertion of testCase.assert) {
      if (seen.has(assertion)) continue;
      seen.add(assertion);
      const asking = asks(assertion.type);
      if (assertion.grader === undefined) {
        fallsBack ||= asking;
        continue;
      }
      if (asking) {
        check(assertion.grader, assertion.source);
        continue;
      }
      const message = `\`grader:\` on a "${assertion.type}" assertion does nothing: it asks no grader model`;
      diagnostics.push(
        diagnosticAt(
          assertion.source,
          message,
          "remove it, or use it on llm-rubric, model-graded-closedqa or factuality",
        ),
      );
    }
  }
  if (fallsBack && suite.grader !== undefined) {
    const where =
      raw.grader !== undefined
        ? locate(["grader"])
        : (options.configGraderSource ?? locate(["name"]));
    check(suite.grader, where);
  }
  return diagnostics;
};

/** Every `{{var}}` in every template must be defined for every case. */
export const definedTemplateVars: SuiteRule = (draft) => {
  // A template with syntax the engine cannot render is already an error (foreign-syntax-rules).
  const shared = suiteTemplates(draft).filter(isRenderable);
  const tally = new Map<string, { source: SourceLocation; name: string; count: number }>();
  const diagnostics: Diagnostic[] = [];
  for (const testCase of draft.suite.cases) {
    // Most cases of a large file have plain-text assertion values: skip building their list.
    const templates = testCase.assert.some(mayHoldTemplate)
      ? [...shared, ...assertionTemplates(testCase).filter(isRenderable)]
      : shared;
    for (const template of templates) {
      for (const name of undefinedVariables(template.text, testCase.vars)) {
        const key = `${formatLocation(template.source)}\0${name}`;
        const entry = tally.get(key) ?? { source: template.source, name, count: 0 };
        entry.count++;
        tally.set(key, entry);
        if (entry.count > MAX_UNDEFINED_VAR_REPORTS) continue;
        const message = `case '${testCase.id}': undefined template variable '${name}' in ${template.label}`;
        const hint = `define '${name.split(".")[0]}' in this case's vars or in defaults.vars (the template is at ${formatLocation(template.source)})`;
        diagnostics.push(diagnosticAt(testCase.source, message, hint));
      }
    }
  }
  const overflow = [...tally.values()]
    .filter((t) => t.count > MAX_UNDEFINED_VAR_REPORTS)
    .map((t) => {
      const more = t.count - MAX_UNDEFINED_VAR_REPORTS;
      return diagnosticAt(
        t.source,
        `undefined template variable '${t.name}' in ${more} more cases`,
      );
    });
  return [...diagnostics, ...overflow];
};

interface NamedTemplate {
  label: string;
  text: string;
  source: SourceLocation;
}

/** The system and message templates, named as the user wrote them. */
function suiteTemplates({ suite, raw }: SuiteDraft): NamedTemplate[] {
  const system = suite.system.map((block, index) => ({
    label:
      block.file !== undefined
        ? `system file ${block.file}`
        : typeof raw.system === "string"
          ? "system"
          : `system[${index}]`,
    text: block.text,
    source: block.source,
  }));
  const messages = suite.messages.map((message, index) => ({
    label:
      message.file !== undefined
        ? `prompt file ${message.file}`
        : raw.prompt !== undefined
          ? "prompt"
          : `messages[${index}]`,
    text: message.content,
    source: message.source,
  }));
  return [...system, ...messages];
}

function isRenderable(template: NamedTemplate): boolean {
  return foreignSyntax(template.text).length === 0;
}

function mayHoldTemplate(assertion: SuiteCase["assert"][number]): boolean {
  return typeof assertion.value !== "string" || assertion.value.includes("{{");
}

function assertionTemplates(testCase: SuiteCase): NamedTemplate[] {
  return testCase.assert.flatMap((a) =>
    valueTemplates(a.value).map((text) => ({
      label: `the value of assertion '${a.type}'`,
      text,
      source: a.source,
    })),
  );
}

/**
 * Assertion types must exist and their values and thresholds must be usable (checked per
 * rendered case).
 */
export const validAssertions: SuiteRule = ({ suite, raw, locate, entries }, options) => {
  const defaults = raw.defaults?.assert?.length ?? 0;
  return suite.cases.flatMap((testCase, caseIndex) =>
    testCase.assert.flatMap((assertion, index) => {
      const templates = valueTemplates(assertion.value);
      if (templates.some((t) => undefinedVariables(t, testCase.vars).length > 0)) return [];
      const value = renderValue(assertion.value, testCase.vars);
      const problem = options.checkAssertion(assertion.type, value, assertion.threshold);
      if (problem === undefined) return [];
      if (typeof problem === "string") {
        return [diagnosticAt(assertion.valueSource ?? assertion.source, problem)];
      }
      // Located only now, when something is wrong: a million cases keep one location each.
      const key = problem.at;
      const where =
        key === "value" && assertion.valueSource !== undefined
          ? assertion.valueSource
          : index < defaults
            ? locate(["defaults", "assert", index, key])
            : (entries[caseIndex]?.locate(["assert", index - defaults, key]) ?? assertion.source);
      return [diagnosticAt(where, problem.message)];
    }),
  );
};

/**
 * A case's `pass: {at_least: k}` cannot ask for more samples than the suite takes (`repeat`).
 * A rule written once in `defaults:` is reported once.
 */
export const reachableSamplePass: SuiteRule = ({ suite }) => {
  const reported = new Set<string>();
  return suite.cases.flatMap((testCase) => {
    const rule = testCase.pass;
    if (rule === undefined || !("atLeast" in rule) || rule.atLeast <= suite.repeat) return [];
    const where = formatLocation(rule.source);
    if (reported.has(where)) return [];
    reported.add(where);
    const message = `pass: {at_least: ${rule.atLeast}} asks for more samples than the suite takes (repeat: ${suite.repeat})`;
    const hint = `set \`repeat: ${rule.atLeast}\` or more on the suite, or lower at_least; \`{share: 0.6}\` follows the repeat`;
    return [diagnosticAt(rule.source, message, hint)];
  });
};

/**
 * A case's `threshold` is a score from 0 to 1. The schema checks YAML and JSON cases; a CSV
 * `__threshold` cell that is not a plain number arrives as text and is refused here, at its cell.
 */
export const numericCaseThresholds: SuiteRule = ({ suite, entries }) =>
  suite.cases.flatMap((testCase, index) => {
    const threshold: unknown = testCase.threshold;
    if (threshold === undefined) return [];
    if (typeof threshold === "number" && threshold >= 0 && threshold <= 1) return [];
    const where = entries[index]?.locate(["threshold"]) ?? testCase.source;
    const message = `a case threshold must be a number from 0 to 1, got ${JSON.stringify(threshold)}`;
    return [diagnosticAt(where, message, "write the minimum weighted score, e.g. 0.8")];
  });

/**
 * Transforms must compile (and a `file:` one must load and export a function): checked once
 * where each is written, the defaults' one at `defaults.transform`, not once per case.
 */
export const validTransforms: SuiteRule = ({ suite, raw, locate, entries }) => {
  const diagnostics: Diagnostic[] = [];
  const check = (code: string, where: SourceLocation) => {
    const problem = codeProblem(code);
    if (problem !== undefined) diagnostics.push(diagnosticAt(where, `transform ${problem}`));
  };
  // The defaults' transform as a case inherits it (its `file:` path resolved); none does when
  // every case has its own, and then it never runs.
  const inherited = suite.cases.find((_, i) => entries[i]?.data.transform === undefined);
  if (raw.defaults?.transform !== undefined && inherited?.transform !== undefined) {
    check(inherited.transform, locate(["defaults", "transform"]));
  }
  // A default assertion is one object shared by every case: it is looked at once.
  const seen = new Set<AssertionSpec>();
  suite.cases.forEach((testCase, index) => {
    const entry = entries[index];
    if (entry?.data.transform !== undefined && testCase.transform !== undefined) {
      check(testCase.transform, entry.locate(["transform"]));
    }
    for (const assertion of testCase.assert) {
      if (assertion.transform === undefined || seen.has(assertion)) continue;
      seen.add(assertion);
      check(assertion.transform, assertion.transformSource ?? assertion.source);
    }
  });
  return diagnostics;
};

/** The rules, in the order their diagnostics are most useful. */
export const SUITE_RULES: readonly SuiteRule[] = [
  promptXorMessages,
  messagesEndWithUser,
  singleCacheBreakpoint,
  uniqueCaseIds,
  knownModels,
  knownGraders,
  definedTemplateVars,
  validAssertions,
  reachableSamplePass,
  numericCaseThresholds,
  validTransforms,
];

/** Runs every rule on a draft. */
export function runSuiteRules(draft: SuiteDraft, options: RuleOptions): Diagnostic[] {
  return SUITE_RULES.flatMap((rule) => rule(draft, options));
}
