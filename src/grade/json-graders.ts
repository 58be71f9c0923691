/** Graders about JSON output: is-json (optionally against a JSON Schema) and contains-json. */
import AjvModule, { type ValidateFunction } from "ajv";
import { preview } from "./text-graders.js";
import type { GradeResult, Grader, GraderContext } from "./types.js";

const Ajv = AjvModule.default;
// No formats are registered, so `format` would be ignored: checkSchema refuses it instead, and
// `logger: false` keeps ajv's own notices (console.warn) away from the user.
const ajv = new Ajv({ allErrors: true, strict: false, logger: false });

/** Strips a Markdown code fence around JSON, which models often add. */
function unfence(text: string): string {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/.exec(text);
  return fenced ? (fenced[1] ?? "") : text;
}

function parse(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(unfence(text)) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

/** The first `format` a schema uses (every format is unknown here), or undefined. */
function firstFormat(schema: unknown): string | undefined {
  if (schema === null || typeof schema !== "object") return undefined;
  for (const [key, child] of Object.entries(schema)) {
    if (key === "format" && typeof child === "string") return child;
    const nested = firstFormat(child);
    if (nested !== undefined) return nested;
  }
  return undefined;
}

export function checkSchema(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null) return "expects a JSON Schema object or nothing";
  const format = firstFormat(value);
  if (format !== undefined) {
    return `uses \`format: ${format}\`, which is not checked here (no formats are registered): use \`pattern\` instead, or remove it`;
  }
  try {
    validatorOf(value);
    return undefined;
  } catch (error) {
    return `has an invalid JSON Schema: ${(error as Error).message}`;
  }
}

/**
 * Compiled validators by the schema's text. Each case's assertion values are rendered into
 * objects of their own, so ajv's cache (by object) would compile, and keep, one validator per
 * result; equal schemas share one here.
 */
const validators = new Map<string, ValidateFunction>();
/** The same by the schema object: the models of a case share its rendered values. */
const bySchema = new WeakMap<object, ValidateFunction>();

function validatorOf(schema: object): ValidateFunction {
  const known = bySchema.get(schema);
  if (known !== undefined) return known;
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    validators.set(key, validate);
  }
  bySchema.set(schema, validate);
  return validate;
}

/** Checks JSON against a schema; `what` names the JSON in the reason (`output`, `input`). */
export function matchSchema(json: unknown, schema: unknown, what = "output"): GradeResult {
  if (schema === undefined) return { pass: true, score: 1, reason: `${what} is valid JSON` };
  const validate = validatorOf(schema as object);
  if (validate(json)) return { pass: true, score: 1, reason: `${what} matches the JSON Schema` };
  const problems = ajv.errorsText(validate.errors, { dataVar: what });
  return { pass: false, score: 0, reason: `JSON does not match the schema: ${problems}` };
}

/**
 * A reply with no text but a tool call carries its JSON as the tool's input: the JSON graders
 * read that instead of the empty text.
 */
function toolInput(
  output: string,
  context: GraderContext,
): { name: string; input: unknown } | undefined {
  if (output.trim() !== "") return undefined;
  return context.toolCalls?.[0];
}

function gradeToolInput(call: { name: string; input: unknown }, schema: unknown): GradeResult {
  const graded = matchSchema(call.input, schema);
  return { ...graded, reason: `${graded.reason} (the input of tool call \`${call.name}\`)` };
}

export const isJson: Grader = {
  checkValue: checkSchema,
  grade: (output, value, context) => {
    const call = toolInput(output, context);
    if (call !== undefined) return gradeToolInput(call, value);
    const parsed = parse(output);
    if (!parsed.ok) {
      return { pass: false, score: 0, reason: `expected JSON, got ${preview(output)}` };
    }
    return matchSchema(parsed.value, value);
  },
};

/** Finds the first JSON object or array embedded in free text. */
function findJson(text: string): unknown {
  for (let start = 0; start < text.length; start++) {
    const open = text[start];
    if (open !== "{" && open !== "[") continue;
    const close = open === "{" ? "}" : "]";
    for (let end = text.lastIndexOf(close); end > start; end = text.lastIndexOf(close, end - 1)) {
      const parsed = parse(text.slice(start, end + 1));
      if (parsed.ok) return parsed.value;
    }
  }
  return undefined;
}

export const containsJson: Grader = {
  checkValue: checkSchema,
  grade: (output, value, context) => {
    const call = toolInput(output, context);
    if (call !== undefined) return gradeToolInput(call, value);
    const json = findJson(output);
    if (json === undefined) {
      return {
        pass: false,
        score: 0,
        reason: `expected JSON in the output, got ${preview(output)}`,
      };
    }
    return matchSchema(json, value);
  },
};
