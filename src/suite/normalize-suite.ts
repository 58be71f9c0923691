/**
 * Normalizes schema-valid suite data into a `Suite`: applies defaults, reads `file:` system
 * blocks and case files (relative to the suite file), numbers cases, merges `defaults`.
 * Missing or unreadable files become located diagnostics.
 */
import { readFile } from "node:fs/promises";
import { dirname, extname, join, resolve } from "node:path";
import type { ProjectConfig } from "../config/types.js";
import { appendAll } from "./append-all.js";
import { diagnosticAt } from "./diagnostics.js";
import { CASE_FILE_TYPES, loadCaseFile } from "./load-case-file.js";
import type { CaseEntry, RawAssertion, RawCaseFileRef, RawSuite } from "./raw-suite.js";
import type {
  AssertionSpec,
  Diagnostic,
  SourceLocation,
  Suite,
  SuiteCase,
  SystemBlock,
} from "./types.js";
import type { Locate, PathSegment } from "./yaml-source.js";

/** Default `max_tokens` when a suite's params do not set it. */
export const DEFAULT_MAX_TOKENS = 1024;

/** What normalization needs besides the data. */
export interface NormalizeContext {
  /** The suite file, as shown in diagnostics. */
  file: string;
  cwd: string;
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
  const cases = await collectCaseEntries(raw, ctx);
  const defaultAsserts = (raw.defaults?.assert ?? []).map((a, i) =>
    toAssertion(a, ctx.locate, ["defaults", "assert", i]),
  );
  const suiteCases = cases.entries.map((entry, index) =>
    toSuiteCase(entry, index, raw, defaultAsserts),
  );
  const suite: Suite = {
    name: raw.name,
    ...(raw.description === undefined ? {} : { description: raw.description }),
    file: ctx.file,
    models: raw.models ?? [...ctx.config.models],
    params: { max_tokens: DEFAULT_MAX_TOKENS, ...raw.params },
    system: system.blocks,
    messages: toMessages(raw, ctx.locate),
    passThreshold: raw.pass_threshold ?? 1,
    repeat: raw.repeat ?? 1,
    cases: suiteCases,
  };
  const caseFiles = raw.cases.filter(isFileRef).map((ref) => join(dirname(ctx.file), ref.file));
  const draft = { suite, raw, locate: ctx.locate, entries: cases.entries, caseFiles };
  return { draft, diagnostics: [...system.diagnostics, ...cases.diagnostics] };
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
    const file = join(dirname(ctx.file), block.file);
    const text = await readTextFile(resolve(ctx.cwd, file));
    if (text === undefined) {
      const where = ctx.locate(["system", index, "file"]);
      diagnostics.push(missingFile(where, "system file", file, ctx.file));
    } else {
      blocks.push({ text, ...cache, file, source });
    }
  }
  return { blocks, diagnostics };
}

async function collectCaseEntries(
  raw: RawSuite,
  ctx: NormalizeContext,
): Promise<{ entries: CaseEntry[]; diagnostics: Diagnostic[] }> {
  const entries: CaseEntry[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [index, item] of raw.cases.entries()) {
    if (!isFileRef(item)) {
      const locate: Locate = (path, target) => ctx.locate(["cases", index, ...path], target);
      entries.push({ data: item, locate });
      continue;
    }
    const loaded = await loadCaseFileEntry(item.file, ["cases", index, "file"], ctx);
    appendAll(entries, loaded.entries);
    appendAll(diagnostics, loaded.diagnostics);
  }
  return { entries, diagnostics };
}

async function loadCaseFileEntry(
  relative: string,
  path: PathSegment[],
  ctx: NormalizeContext,
): Promise<{ entries: CaseEntry[]; diagnostics: Diagnostic[] }> {
  const file = join(dirname(ctx.file), relative);
  const extension = extname(file).toLowerCase();
  if (!(CASE_FILE_TYPES as readonly string[]).includes(extension)) {
    const message = `unsupported case file type '${extension || file}'`;
    const hint = `case files must end in ${CASE_FILE_TYPES.join(", ")}`;
    return { entries: [], diagnostics: [diagnosticAt(ctx.locate(path), message, hint)] };
  }
  const text = await readTextFile(resolve(ctx.cwd, file));
  if (text === undefined) {
    return {
      entries: [],
      diagnostics: [missingFile(ctx.locate(path), "case file", file, ctx.file)],
    };
  }
  return loadCaseFile(file, text);
}

function toSuiteCase(
  entry: CaseEntry,
  index: number,
  raw: RawSuite,
  defaultAsserts: AssertionSpec[],
): SuiteCase {
  const { data, locate } = entry;
  const own = (data.assert ?? []).map((a, i) => toAssertion(a, locate, ["assert", i]));
  return {
    id: data.id === undefined ? `case-${index + 1}` : String(data.id),
    ...(data.description === undefined ? {} : { description: data.description }),
    vars: { ...raw.defaults?.vars, ...data.vars },
    assert: [...defaultAsserts, ...own],
    source: locate([]),
  };
}

function toAssertion(raw: RawAssertion, locate: Locate, path: PathSegment[]): AssertionSpec {
  return {
    type: raw.type,
    ...("value" in raw ? { value: raw.value } : {}),
    ...(raw.weight === undefined ? {} : { weight: raw.weight }),
    ...(raw.threshold === undefined ? {} : { threshold: raw.threshold }),
    source: locate(path),
  };
}

function toMessages(raw: RawSuite, locate: Locate): Suite["messages"] {
  if (raw.prompt !== undefined) {
    return [{ role: "user", content: raw.prompt, source: locate(["prompt"]) }];
  }
  return (raw.messages ?? []).map((m, i) => ({ ...m, source: locate(["messages", i]) }));
}

function isFileRef(item: RawSuite["cases"][number]): item is RawCaseFileRef {
  return "file" in item;
}

function missingFile(
  where: SourceLocation,
  what: string,
  file: string,
  suiteFile: string,
): Diagnostic {
  const hint = `paths under file: are relative to the suite file's folder (${dirname(suiteFile)}/)`;
  return diagnosticAt(where, `${what} not found: ${file}`, hint);
}

/** The file's text, or undefined when it does not exist or is not a readable file. */
async function readTextFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}
