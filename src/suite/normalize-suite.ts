/**
 * Normalizes schema-valid suite data into a `Suite`: applies defaults, reads `file:` system
 * blocks, the prompt file, var files and case files (relative to the file that names them),
 * numbers cases, merges `defaults`. Missing, unreadable or binary files become located
 * diagnostics.
 */
import { dirname, resolve } from "node:path";
import type { ProjectConfig } from "../config/types.js";
import { resolveCodeFile } from "../source/javascript-code.js";
import type { Diagnostic } from "../source/types.js";
import type { Locate, PathSegment } from "../source/yaml-source.js";
import { caseFilePaths, collectCaseEntries } from "./case-entries.js";
import { type FileRefContext, readFileRef } from "./file-refs.js";
import type { CaseEntry, RawAssertion, RawSamplePass, RawSuite } from "./raw-suite.js";
import type {
  AssertionSpec,
  MessageTemplate,
  SamplePass,
  Suite,
  SuiteCase,
  SystemBlock,
  VarValue,
} from "./types.js";
import { readVarFiles } from "./var-files.js";

/** Default `max_tokens` when a suite's params do not set it. */
export const DEFAULT_MAX_TOKENS = 1024;

/** What normalization needs besides the data (`files` reads each file once per load). */
export interface NormalizeContext extends FileRefContext {
  /** The suite file, as shown in diagnostics. */
  file: string;
  config: ProjectConfig;
  locate: Locate;
}

/** A normalized suite plus what the semantic rules need to locate problems. */
export interface SuiteDraft {
  suite: Suite;
  raw: RawSuite;
  locate: Locate;
  /** The case entries, index-aligned with `suite.cases`. */
  entries: CaseEntry[];
  /** Case files the suite reads (paths as shown in diagnostics). */
  caseFiles: string[];
}

/** Builds the Suite; diagnostics are for files that could not be read. */
export async function normalizeSuite(
  raw: RawSuite,
  ctx: NormalizeContext,
): Promise<{ draft: SuiteDraft; diagnostics: Diagnostic[] }> {
  const system = await readSystem(raw, ctx);
  const messages = await readMessages(raw, ctx);
  const defaultVars = await readVarFiles(
    raw.defaults?.vars,
    ctx.file,
    (name) => ctx.locate(["defaults", "vars", name, "file"]),
    ctx,
  );
  const cases = await collectCaseEntries(raw, ctx);
  const suiteFolder = resolve(ctx.cwd, dirname(ctx.file));
  const defaultAsserts = (raw.defaults?.assert ?? []).map((a, i) =>
    toAssertion(a, ctx.locate, ["defaults", "assert", i], suiteFolder),
  );
  const defaults: CaseDefaults = {
    vars: defaultVars.vars ?? {},
    assert: defaultAsserts,
    rules: caseRules(raw.defaults ?? {}, (path) => ctx.locate(["defaults", ...path])),
    ...(raw.defaults?.transform === undefined
      ? {}
      : { transform: resolveCodeFile(raw.defaults.transform, suiteFolder) }),
  };
  // Case files in one folder share it: resolved once per file, not once per case.
  const folders = new Map<string, string>();
  const folderOf = (from: string): string => {
    let folder = folders.get(from);
    if (folder === undefined) {
      folder = resolve(ctx.cwd, dirname(from));
      folders.set(from, folder);
    }
    return folder;
  };
  const suiteCases = cases.entries.map((entry, index) =>
    toSuiteCase(entry, index, defaults, folderOf(entry.from)),
  );
  const suite: Suite = {
    name: raw.name,
    ...(raw.description === undefined ? {} : { description: raw.description }),
    file: ctx.file,
    models: raw.models ?? [...ctx.config.models],
    params: { max_tokens: DEFAULT_MAX_TOKENS, ...raw.params },
    system: system.blocks,
    messages: messages.messages,
    passThreshold: raw.pass_threshold ?? 1,
    repeat: raw.repeat ?? 1,
    grader: raw.grader ?? ctx.config.graderModel,
    cases: suiteCases,
  };
  const caseFiles = caseFilePaths(raw, ctx.file);
  const draft = { suite, raw, locate: ctx.locate, entries: cases.entries, caseFiles };
  const diagnostics = [
    ...system.diagnostics,
    ...messages.diagnostics,
    ...defaultVars.diagnostics,
    ...cases.diagnostics,
  ];
  return { draft, diagnostics };
}

async function readSystem(
  raw: RawSuite,
  ctx: NormalizeContext,
): Promise<{ blocks: SystemBlock[]; diagnostics: Diagnostic[] }> {
  if (raw.system === undefined) return { blocks: [], diagnostics: [] };
  if (typeof raw.system === "string") {
    return { blocks: [{ text: raw.system, source: ctx.locate(["system"]) }], diagnostics: [] };
  }
  const blocks: SystemBlock[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [index, block] of raw.system.entries()) {
    const source = ctx.locate(["system", index]);
    // `cache: true` takes the batch default, the 1-hour TTL.
    const cache =
      block.cache === undefined ? {} : { cache: block.cache === true ? "1h" : block.cache };
    if ("text" in block) {
      blocks.push({ text: block.text, ...cache, source });
      continue;
    }
    const where = ctx.locate(["system", index, "file"]);
    const read = await readFileRef(
      { path: block.file, from: ctx.file, where, what: "system file" },
      ctx,
    );
    if ("diagnostic" in read) diagnostics.push(read.diagnostic);
    else blocks.push({ text: read.text, ...cache, file: read.file, source });
  }
  return { blocks, diagnostics };
}

/** What `defaults:` gives every case. */
interface CaseDefaults {
  vars: Record<string, VarValue>;
  assert: AssertionSpec[];
  rules: CaseRules;
  transform?: string;
}

function toSuiteCase(
  entry: CaseEntry,
  index: number,
  defaults: CaseDefaults,
  folder: string,
): SuiteCase {
  const { data, locate } = entry;
  const { vars: defaultVars, assert: defaultAsserts } = defaults;
  const own = (data.assert ?? []).map((a, i) => toAssertion(a, locate, ["assert", i], folder));
  // A case's own transform replaces the defaults' one.
  const transform =
    data.transform === undefined ? defaults.transform : resolveCodeFile(data.transform, folder);
  const rules = caseRules(data, locate);
  const threshold = rules.threshold ?? defaults.rules.threshold;
  const pass = rules.pass ?? defaults.rules.pass;
  // Without defaults, the case's own vars and assertions are used as they are (no copies: a
  // case file can hold a million cases).
  const hasDefaultVars = Object.keys(defaultVars).length > 0;
  return {
    id: data.id === undefined ? `case-${index + 1}` : String(data.id),
    ...(data.description === undefined ? {} : { description: data.description }),
    vars: hasDefaultVars || data.vars === undefined ? { ...defaultVars, ...data.vars } : data.vars,
    assert: defaultAsserts.length > 0 ? [...defaultAsserts, ...own] : own,
    ...(threshold === undefined ? {} : { threshold }),
    ...(pass === undefined ? {} : { pass }),
    ...(transform === undefined ? {} : { transform }),
    source: locate([]),
  };
}

/** A case's (or the defaults') `threshold` and `pass:` rule. */
interface CaseRules {
  threshold?: number;
  pass?: SamplePass;
}

function caseRules(data: { threshold?: number; pass?: RawSamplePass }, locate: Locate): CaseRules {
  const rules: CaseRules = {};
  if (data.threshold !== undefined) rules.threshold = data.threshold;
  const pass = data.pass;
  if (pass !== undefined) {
    rules.pass =
      "at_least" in pass
        ? { atLeast: pass.at_least, source: locate(["pass", "at_least"]) }
        : { share: pass.share, source: locate(["pass", "share"]) };
  }
  return rules;
}

/** Assertion types whose value is JavaScript (see source/javascript-code.ts). */
const CODE_TYPES: ReadonlySet<string> = new Set(["javascript", "not-javascript"]);

/**
 * An assertion as the later stages see it. The `file:` path of JavaScript (a javascript value,
 * a transform) is relative to the folder of the file it is written in, like every `file:`
 * path; it is made absolute here, since grading knows no suite file.
 */
function toAssertion(
  raw: RawAssertion,
  locate: Locate,
  path: PathSegment[],
  folder: string,
): AssertionSpec {
  const isCode = CODE_TYPES.has(raw.type);
  const value =
    isCode && typeof raw.value === "string" ? resolveCodeFile(raw.value, folder) : raw.value;
  return {
    type: raw.type,
    ...("value" in raw ? { value } : {}),
    ...(raw.weight === undefined ? {} : { weight: raw.weight }),
    ...(raw.threshold === undefined ? {} : { threshold: raw.threshold }),
    ...(raw.grader === undefined ? {} : { grader: raw.grader }),
    ...(raw.metric === undefined ? {} : { metric: raw.metric }),
    ...(raw.transform === undefined
      ? {}
      : {
          transform: resolveCodeFile(raw.transform, folder),
          transformSource: locate([...path, "transform"]),
        }),
    ...(isCode && "value" in raw ? { valueSource: locate([...path, "value"]) } : {}),
    source: locate(path),
  };
}

/** The prompt (inline, or read from `prompt: {file}`) as one user message, or the messages. */
async function readMessages(
  raw: RawSuite,
  ctx: NormalizeContext,
): Promise<{ messages: MessageTemplate[]; diagnostics: Diagnostic[] }> {
  const source = ctx.locate(["prompt"]);
  if (typeof raw.prompt === "string") {
    return { messages: [{ role: "user", content: raw.prompt, source }], diagnostics: [] };
  }
  if (raw.prompt !== undefined) {
    const where = ctx.locate(["prompt", "file"]);
    const read = await readFileRef(
      { path: raw.prompt.file, from: ctx.file, where, what: "prompt file" },
      ctx,
    );
    if ("diagnostic" in read) return { messages: [], diagnostics: [read.diagnostic] };
    const message: MessageTemplate = { role: "user", content: read.text, file: read.file, source };
    return { messages: [message], diagnostics: [] };
  }
  const messages = (raw.messages ?? []).map((m, i) => ({
    ...m,
    source: ctx.locate(["messages", i]),
  }));
  return { messages, diagnostics: [] };
}
