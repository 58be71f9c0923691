/**
 * Reads and validates the text of `pricing.yaml` (format documented at the top of that file).
 * Whether a model accepts `inference_geo` (and so pays 1.1× for `us`) is not in the price file:
 * it comes from the model table (src/models/model-table.ts), the one place that says so.
 * Prices are taken from each scalar's source text, not from the parsed float, so `0.10` is
 * validated and converted as the decimal the author wrote. Every problem in the file is
 * reported, each once, located with the shared YAML kit (src/source).
 */
import { invalidFileError } from "../errors.js";
import { findModelSpec } from "../models/model-table.js";
import { diagnosticAt, sortDiagnostics } from "../source/diagnostics.js";
import type { Diagnostic } from "../source/types.js";
import { type PathSegment, parseYamlSource, type YamlSource } from "../source/yaml-source.js";
import { priceTextProblem } from "./exact-money.js";
import type { ModelPrice, PriceBand } from "./types.js";

/** YAML key → PriceBand field. */
const PRICE_FIELDS = {
  input: "input",
  output: "output",
  cache_write_5m: "cacheWrite5m",
  cache_write_1h: "cacheWrite1h",
  cache_read: "cacheRead",
} as const satisfies Record<string, keyof PriceBand>;

const MODEL_KEYS = new Set([...Object.keys(PRICE_FIELDS), "seen", "source", "aliases", "bands"]);
const BAND_KEYS = new Set([...Object.keys(PRICE_FIELDS), "above_prompt_tokens"]);
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const HINT =
  "Fix the pricing file; its format is described in the comment at the top of pricing.yaml.";

/** Validated rows: prices in file order, and alias → canonical id. */
export interface PricingRows {
  prices: ModelPrice[];
  aliases: Map<string, string>;
}

/** Collects located problems for one file. */
class Reader {
  readonly problems: Diagnostic[] = [];
  constructor(readonly source: YamlSource) {}

  /** Records a problem at the value (or, with `target: "key"`, the key) at `path`. */
  fail(path: readonly PathSegment[], message: string, target: "key" | "value" = "value"): void {
    this.problems.push(diagnosticAt(this.source.locate(path, target), message));
  }
}

/** Validates pricing.yaml text into rows; throws a BatchevalError("bad_input") listing every problem. */
export function readPricingYaml(text: string, file: string): PricingRows {
  const source = parseYamlSource(file, text);
  const syntax = source.diagnostics.filter((d) => d.severity === "error");
  if (syntax.length > 0) throw invalidFileError(syntax, HINT);
  const reader = new Reader(source);
  const rows = readRows(reader, source.data);
  if (reader.problems.length > 0) throw invalidFileError(sortDiagnostics(reader.problems), HINT);
  return rows;
}

function readRows(reader: Reader, root: unknown): PricingRows {
  const rows: PricingRows = { prices: [], aliases: new Map() };
  if (!isRecord(root)) {
    reader.fail([], "expected a mapping with a `models:` key");
    return rows;
  }
  for (const key of Object.keys(root)) {
    if (key !== "models") reader.fail([key], `unknown top-level key "${key}"`, "key");
  }
  const models = root.models;
  if (!isRecord(models)) {
    reader.fail(["models"], "`models:` must map model ids to prices");
    return rows;
  }
  const seenIds = new Set<string>();
  const claim = (id: string, path: readonly PathSegment[]): void => {
    if (seenIds.has(id)) reader.fail(path, `model id "${id}" is listed twice`);
    seenIds.add(id);
  };
  for (const [model, row] of Object.entries(models)) {
    const path = ["models", model];
    // The YAML kit has already refused duplicate keys; an empty key is the only bad id left.
    if (model === "") reader.fail(path, "a model id must be a non-empty string", "key");
    claim(model, [...path]);
    if (!isRecord(row)) {
      reader.fail(path, `${model}: expected a mapping of prices`, "key");
      continue;
    }
    const price = readModel(reader, model, row);
    if (price !== undefined) rows.prices.push(price);
    for (const alias of readAliases(reader, model, row)) {
      claim(alias.id, alias.path);
      rows.aliases.set(alias.id, model);
    }
  }
  return rows;
}

/** One model's mapping → a frozen ModelPrice (undefined when it has problems). */
function readModel(
  reader: Reader,
  model: string,
  row: Record<string, unknown>,
): ModelPrice | undefined {
  const path = ["models", model];
  const before = reader.problems.length;
  checkKeys(reader, model, path, row, MODEL_KEYS);
  const seen = readString(reader, model, path, row, "seen");
  // A `seen` that is not a string has been reported as such; missing or malformed is reported here.
  const reported = seen === undefined && row.seen !== undefined;
  if (!reported && (seen === undefined || !DATE.test(seen))) {
    reader.fail([...path, "seen"], `${model}: "seen" must be a date YYYY-MM-DD`);
  }
  const source = readString(reader, model, path, row, "source");
  const prices = readPrices(reader, model, path, row);
  const aboveTokens = readBand(reader, model, row);
  if (reader.problems.length > before || prices === undefined || seen === undefined) {
    return undefined;
  }
  return Object.freeze({
    model,
    ...prices,
    seen,
    ...(source === undefined ? {} : { source }),
    ...(aboveTokens === undefined ? {} : { aboveTokens }),
    // One source for which models take inference_geo: the model table.
    geoUs: findModelSpec(model)?.inferenceGeo === true,
  });
}

/** The five prices of a model or band; each must be a plain decimal. */
function readPrices(
  reader: Reader,
  where: string,
  path: readonly PathSegment[],
  map: Record<string, unknown>,
): PriceBand | undefined {
  const band: Partial<Record<keyof PriceBand, number>> = {};
  for (const [key, field] of Object.entries(PRICE_FIELDS)) {
    if (!(key in map)) {
      reader.fail(path, `${where}: missing "${key}"`);
      continue;
    }
    const text =
      typeof map[key] === "number" ? (reader.source.scalarText([...path, key]) ?? "") : "";
    const problem = priceTextProblem(text);
    if (problem !== undefined) {
      reader.fail(
        [...path, key],
        `${where}: "${key}" must be a price in USD per million tokens (${problem})`,
      );
      continue;
    }
    band[field] = Number(text);
  }
  const { input, output, cacheWrite5m, cacheWrite1h, cacheRead } = band;
  if (
    input === undefined ||
    output === undefined ||
    cacheWrite5m === undefined ||
    cacheWrite1h === undefined ||
    cacheRead === undefined
  ) {
    return undefined;
  }
  return { input, output, cacheWrite5m, cacheWrite1h, cacheRead };
}

/** The optional `bands:` list (at most one band: a prompt-size threshold and its prices). */
function readBand(
  reader: Reader,
  model: string,
  row: Record<string, unknown>,
): ModelPrice["aboveTokens"] {
  const path = ["models", model, "bands"];
  const bands = row.bands;
  if (bands === undefined) return undefined;
  if (!Array.isArray(bands) || bands.length !== 1) {
    reader.fail(path, `${model}: "bands" must be a list with exactly one band`);
    return undefined;
  }
  const band: unknown = bands[0];
  if (!isRecord(band)) {
    reader.fail(path, `${model}: a band must be a mapping`);
    return undefined;
  }
  const bandPath = [...path, 0];
  checkKeys(reader, `${model} band`, bandPath, band, BAND_KEYS);
  const threshold = band.above_prompt_tokens;
  const prices = readPrices(reader, `${model} band`, bandPath, band);
  if (typeof threshold !== "number" || !Number.isSafeInteger(threshold) || threshold <= 0) {
    reader.fail(
      [...bandPath, "above_prompt_tokens"],
      `${model}: "above_prompt_tokens" must be a positive integer`,
    );
    return undefined;
  }
  return prices === undefined
    ? undefined
    : Object.freeze({ threshold, band: Object.freeze(prices) });
}

/** The optional `aliases:` list of other ids for the model. */
function readAliases(
  reader: Reader,
  model: string,
  row: Record<string, unknown>,
): { id: string; path: PathSegment[] }[] {
  const path = ["models", model, "aliases"];
  const aliases = row.aliases;
  if (aliases === undefined) return [];
  if (!Array.isArray(aliases)) {
    reader.fail(path, `${model}: "aliases" must be a list of ids`);
    return [];
  }
  return aliases.flatMap((id: unknown, index) => {
    if (typeof id === "string" && id !== "") return [{ id, path: [...path, index] }];
    reader.fail([...path, index], `${model}: every alias must be a non-empty string`);
    return [];
  });
}

/** An optional string field. */
function readString(
  reader: Reader,
  where: string,
  path: readonly PathSegment[],
  map: Record<string, unknown>,
  key: string,
): string | undefined {
  const value = map[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string") {
    reader.fail([...path, key], `${where}: "${key}" must be a string`);
    return undefined;
  }
  return value;
}

/** Rejects unknown keys, so a typo such as `cache_reads` is an error and not a silent default. */
function checkKeys(
  reader: Reader,
  where: string,
  path: readonly PathSegment[],
  map: Record<string, unknown>,
  allowed: Set<string>,
): void {
  for (const key of Object.keys(map)) {
    if (!allowed.has(key)) reader.fail([...path, key], `${where}: unknown key "${key}"`, "key");
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
