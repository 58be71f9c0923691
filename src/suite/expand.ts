/**
 * Expands a loaded suite into one EvalCase per case, with every template rendered. Pure.
 * `repeat` is carried as a count; compile turns it into separate requests.
 */
import { renderTemplate, renderValue } from "./template.js";
import type { EvalCase, Suite } from "./types.js";

/**
 * Renders the system blocks, messages and assertion values of every case with its vars.
 * Throws (see `renderTemplate`) on an undefined variable, which the loader has already
 * reported for any suite that loaded without errors.
 */
export function expandSuite(suite: Suite): EvalCase[] {
  // A system prompt without placeholders is the same for every case: one array, shared, so the
  // shared prefix is held once however many cases use it (compile shares its request blocks).
  const fixed = suite.system.every((block) => !block.text.includes("{{"));
  const shared = fixed ? renderSystem(suite, {}) : undefined;
  return suite.cases.map((testCase) => {
    const { vars } = testCase;
    return {
      suite: suite.name,
      caseId: testCase.id,
      ...(testCase.description === undefined ? {} : { description: testCase.description }),
      vars,
      system: shared ?? renderSystem(suite, vars),
      messages: suite.messages.map((message) => ({
        role: message.role,
        content: renderTemplate(message.content, vars),
      })),
      params: suite.params,
      assert: testCase.assert.map((assertion) =>
        "value" in assertion
          ? { ...assertion, value: renderValue(assertion.value, vars) }
          : assertion,
      ),
      ...(testCase.threshold === undefined ? {} : { threshold: testCase.threshold }),
      ...(testCase.pass === undefined ? {} : { pass: testCase.pass }),
      ...(testCase.transform === undefined ? {} : { transform: testCase.transform }),
      repeat: suite.repeat,
      ...(suite.grader === undefined ? {} : { grader: suite.grader }),
      source: testCase.source,
    };
  });
}

function renderSystem(suite: Suite, vars: EvalCase["vars"]): EvalCase["system"] {
  return suite.system.map((block) => ({
    text: renderTemplate(block.text, vars),
    ...(block.cache === undefined ? {} : { cache: block.cache }),
    source: block.source,
  }));
}
