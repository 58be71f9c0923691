/**
 * Keeps the committed JSON Schemas in step with the TypeScript shapes and defaults, and checks
 * that every field is documented (editors show these descriptions).
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import type { RawConfig, RawPrice } from "../../src/config/normalize-config.js";
import { DEFAULT_CONFIG } from "../../src/config/types.js";
import { DEFAULT_MAX_TOKENS } from "../../src/suite/normalize-suite.js";
import type { RawAssertion, RawCase, RawCaseFileRef, RawSuite } from "../../src/suite/raw-suite.js";

type Schema = { [key: string]: unknown };

function readSchema(name: string): Schema {
  return JSON.parse(readFileSync(new URL(`../../schema/${name}`, import.meta.url), "utf8"));
}

const SUITE = readSchema("suite.schema.json");
const CONFIG = readSchema("config.schema.json");

function at(schema: Schema, ...path: string[]): Schema {
  return path.reduce((node, key) => (node[key] ?? {}) as Schema, schema);
}

/** Property names a schema accepts (leaving out those it lists only to reject). */
function acceptedKeys(schema: Schema): string[] {
  return Object.entries(at(schema, "properties"))
    .filter(
      ([, p]) => !("not" in (p as Schema)) && !String((p as Schema).$ref).match(/removed|Owned/),
    )
    .map(([name]) => name)
    .sort();
}

/** Every object in a schema that has `properties`, with a path for messages. */
function propertyOwners(node: unknown, path = "#"): [string, Schema][] {
  if (node === null || typeof node !== "object") return [];
  const own: [string, Schema][] = "properties" in node ? [[path, node as Schema]] : [];
  return [
    ...own,
    ...Object.entries(node).flatMap(([key, child]) => propertyOwners(child, `${path}/${key}`)),
  ];
}

// `Record<keyof T, true>` makes the compiler check these lists against the types.
const SUITE_KEYS: Record<keyof RawSuite, true> = {
  name: true,
  description: true,
  models: true,
  params: true,
  system: true,
  prompt: true,
  messages: true,
  defaults: true,
  cases: true,
  pass_threshold: true,
  repeat: true,
  grader: true,
};
const CASE_KEYS: Record<keyof RawCase, true> = {
  id: true,
  description: true,
  vars: true,
  assert: true,
  threshold: true,
  pass: true,
  transform: true,
};
const CASE_FILE_KEYS: Record<keyof RawCaseFileRef, true> = {
  file: true,
  columns: true,
  vars_from: true,
};
const ASSERTION_KEYS: Record<keyof RawAssertion, true> = {
  type: true,
  value: true,
  weight: true,
  threshold: true,
  grader: true,
  metric: true,
  transform: true,
};
const CONFIG_KEYS: Record<keyof RawConfig, true> = {
  evals: true,
  models: true,
  backend: true,
  out_dir: true,
  cache_dir: true,
  grader_model: true,
  pricing: true,
  strict: true,
  reporters: true,
  sim: true,
};
const PRICE_KEYS: Record<keyof RawPrice, true> = {
  input: true,
  output: true,
  cache_write_5m: true,
  cache_write_1h: true,
  cache_read: true,
  seen: true,
};

describe("schemas match the types", () => {
  test.each([
    ["suite", SUITE, SUITE_KEYS],
    ["case", at(SUITE, "definitions", "case"), CASE_KEYS],
    ["case file", at(SUITE, "definitions", "caseFile"), CASE_FILE_KEYS],
    ["prompt file", at(SUITE, "definitions", "promptFile"), { file: true }],
    ["assertion", at(SUITE, "definitions", "assertion"), ASSERTION_KEYS],
    ["config", CONFIG, CONFIG_KEYS],
    ["price", at(CONFIG, "definitions", "price"), PRICE_KEYS],
  ])("%s keys", (_name, schema, keys) => {
    expect(acceptedKeys(schema)).toEqual(Object.keys(keys).sort());
  });

  test("defaults in the schemas are the defaults the code applies", () => {
    expect(at(SUITE, "definitions", "params", "properties", "max_tokens").default).toBe(
      DEFAULT_MAX_TOKENS,
    );
    expect(at(SUITE, "properties", "pass_threshold").default).toBe(1);
    expect(at(SUITE, "properties", "repeat").default).toBe(1);
    expect(at(SUITE, "definitions", "caseFile", "properties", "vars_from").default).toBe("vars");
    const config = at(CONFIG, "properties");
    expect(at(config, "evals").default).toBe(DEFAULT_CONFIG.evals);
    expect(at(config, "models").default).toEqual(DEFAULT_CONFIG.models);
    expect(at(config, "out_dir").default).toBe(DEFAULT_CONFIG.outDir);
    expect(at(config, "grader_model").default).toBe(DEFAULT_CONFIG.graderModel);
    expect(at(config, "reporters").default).toEqual(DEFAULT_CONFIG.reporters);
    expect(at(config, "sim", "properties", "fixtures").default).toBe(DEFAULT_CONFIG.sim.fixtures);
  });
});

describe("every field is documented", () => {
  test.each([
    ["suite.schema.json", SUITE],
    ["config.schema.json", CONFIG],
  ])("%s", (_name, schema) => {
    const undocumented = propertyOwners(schema).flatMap(([path, owner]) =>
      Object.entries(at(owner, "properties"))
        .filter(
          ([, p]) => typeof (p as Schema).description !== "string" && !("$ref" in (p as Schema)),
        )
        .map(([key]) => `${path}/properties/${key}`),
    );
    expect(undocumented).toEqual([]);
    const definitions = Object.entries(at(schema, "definitions"));
    expect(definitions.filter(([, d]) => typeof (d as Schema).description !== "string")).toEqual(
      [],
    );
  });
});
