/**
 * The committed JSON Schemas (`schema/*.schema.json`), compiled once with ajv (`allErrors`).
 * They are read at runtime relative to this module, which works from `src/source` and from
 * `dist/source` alike.
 */
import { readFile } from "node:fs/promises";
import AjvModule, { type ErrorObject, type ValidateFunction } from "ajv";

// ajv is CommonJS: under NodeNext the default import is `module.exports`, whose `default` is the class.
const Ajv = AjvModule.default;

/** The validators the loaders use. */
export interface Validators {
  /** A whole suite file. */
  suite: ValidateFunction;
  /** One case in a case file (csv, jsonl or yaml). */
  caseItem: ValidateFunction;
  /** The project config file. */
  config: ValidateFunction;
}

const SUITE_SCHEMA_URL = new URL("../../schema/suite.schema.json", import.meta.url);
const CONFIG_SCHEMA_URL = new URL("../../schema/config.schema.json", import.meta.url);

let compiled: Promise<Validators> | undefined;

/** The compiled validators (read and compiled on first use, then shared). */
export function getValidators(): Promise<Validators> {
  compiled ??= compileValidators();
  return compiled;
}

async function compileValidators(): Promise<Validators> {
  const [suiteSchema, configSchema] = await Promise.all([
    readJson(SUITE_SCHEMA_URL),
    readJson(CONFIG_SCHEMA_URL),
  ]);
  // verbose: errors carry their parentSchema, which the messages use (allowed keys, hints).
  const ajv = new Ajv({ allErrors: true, verbose: true, strictTypes: false });
  // Annotations read by editors and by describe-schema-error.ts, not validation keywords.
  ajv.addVocabulary(["errorMessage", "x-hint"]);
  const suite = ajv.compile(suiteSchema);
  const caseItem = ajv.getSchema(`${schemaId(suiteSchema)}#/definitions/case`);
  if (caseItem === undefined) throw new Error("suite.schema.json has no definitions/case");
  return { suite, caseItem, config: ajv.compile(configSchema) };
}

/** Runs a validator and returns its errors (empty when the data is valid). */
export function validate(validator: ValidateFunction, data: unknown): ErrorObject[] {
  return validator(data) ? [] : [...(validator.errors ?? [])];
}

async function readJson(url: URL): Promise<Record<string, unknown>> {
  const parsed: unknown = JSON.parse(await readFile(url, "utf8"));
  if (parsed === null || typeof parsed !== "object") throw new Error(`${url.href}: not a schema`);
  return parsed as Record<string, unknown>;
}

function schemaId(schema: Record<string, unknown>): string {
  const id = schema.$id;
  if (typeof id !== "string") throw new Error("schema without $id");
  return id;
}
