/**
 * Reads and validates the text of `pricing.yaml` (format documented at the top of that file).
 * Whether a model accepts `inference_geo` (and so pays 1.1× for `us`) is not in the price file:
 * it comes from the model table (model-table.ts), the one place that says so.
 * Prices are taken from each scalar's source text, not from the parsed float, so `0.10` is
 * validated and converted as the decimal the author wrote.
 */
import {
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type YAMLMap,
} from "yaml";
import { BatchevalError } from "../errors.js";
import { findModelSpec } from "../models/model-table.js";
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

/** Raises located errors for one file. */
class Reader {
  private readonly lines = new LineCounter();
  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {}

  /** Parses the text; YAML syntax errors are reported at their position. */
  parse(): Node | null {
    const doc = parseDocument(this.text, { lineCounter: this.lines, prettyErrors: false });
    const first = doc.errors[0];
    if (first !== undefined) {
      const { line, col } = this.lines.linePos(first.pos[0]);
      this.failAt(line, col, first.message.split("\n")[0] ?? "invalid YAML");
    }
    return doc.contents;
  }

  /** Throws a bad_input error located at `node` (or the file start). */
  fail(node: Node | null | undefined, message: string): never {
    const offset = node?.range?.[0] ?? 0;
    const { line, col } = this.lines.linePos(offset);
    return this.failAt(line, col, message);
  }

  private failAt(line: number, col: number, message: string): never {
    const diagnostic = {
      file: this.file,
      line,
      col,
      severity: "error" as const,
      message,
      hint: HINT,
    };
    throw new BatchevalError("bad_input", `${this.file}:${line}:${col}: ${message}`, {
      hint: HINT,
      diagnostics: [diagnostic],
    });
  }
}

/** Validates pricing.yaml text into rows; throws a located BatchevalError("bad_input"). */
export function readPricingYaml(text: string, file: string): PricingRows {
  const reader: Reader = new Reader(file, text);
  const root = reader.parse();
  if (!isMap(root)) return reader.fail(root, "expected a mapping with a `models:` key");
  const models = root.get("models", true);
  if (!isMap(models)) return reader.fail(models ?? root, "`models:` must map model ids to prices");
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    if (key !== "models") reader.fail(nodeOf(pair.key), `unknown top-level key "${key}"`);
  }
  const rows: PricingRows = { prices: [], aliases: new Map() };
  const seenIds = new Set<string>();
  const claim = (id: string, node: Node | undefined): void => {
    if (seenIds.has(id)) reader.fail(node, `model id "${id}" is listed twice`);
    seenIds.add(id);
  };
  for (const pair of models.items) {
    const keyNode = nodeOf(pair.key);
    const model = isScalar(keyNode) && typeof keyNode.value === "string" ? keyNode.value : "";
    if (model === "") reader.fail(keyNode, "a model id must be a non-empty string");
    claim(model, keyNode);
    if (!isMap(pair.value)) reader.fail(keyNode, `${model}: expected a mapping of prices`);
    const price = readModel(reader, model, pair.value);
    rows.prices.push(price);
    for (const alias of readAliases(reader, model, pair.value)) {
      claim(alias.id, alias.node);
      rows.aliases.set(alias.id, model);
    }
  }
  return rows;
}

/** One model's mapping → a frozen ModelPrice. */
function readModel(reader: Reader, model: string, map: YAMLMap): ModelPrice {
  checkKeys(reader, model, map, MODEL_KEYS);
  const seen = readString(reader, model, map, "seen");
  if (seen === undefined || !DATE.test(seen)) {
    reader.fail(map.get("seen", true) ?? map, `${model}: "seen" must be a date YYYY-MM-DD`);
  }
  const source = readString(reader, model, map, "source");
  const aboveTokens = readBand(reader, model, map);
  return Object.freeze({
    model,
    ...readPrices(reader, model, map),
    seen,
    ...(source === undefined ? {} : { source }),
    ...(aboveTokens === undefined ? {} : { aboveTokens }),
    // One source for which models take inference_geo: the model table.
    geoUs: findModelSpec(model)?.inferenceGeo === true,
  });
}

/** The five prices of a model or band; each must be a plain decimal. */
function readPrices(reader: Reader, where: string, map: YAMLMap): PriceBand {
  const band: Partial<Record<keyof PriceBand, number>> = {};
  for (const [key, field] of Object.entries(PRICE_FIELDS)) {
    const node = map.get(key, true);
    if (node === undefined) reader.fail(map, `${where}: missing "${key}"`);
    const text = isScalar(node) && typeof node.value === "number" ? (node.source ?? "") : "";
    const problem = priceTextProblem(text);
    if (problem !== undefined) {
      reader.fail(
        node,
        `${where}: "${key}" must be a price in USD per million tokens (${problem})`,
      );
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
    return reader.fail(map, `${where}: incomplete prices`);
  }
  return { input, output, cacheWrite5m, cacheWrite1h, cacheRead };
}

/** The optional `bands:` list (at most one band: a prompt-size threshold and its prices). */
function readBand(reader: Reader, model: string, map: YAMLMap): ModelPrice["aboveTokens"] {
  const bands = map.get("bands", true);
  if (bands === undefined) return undefined;
  if (!isSeq(bands) || bands.items.length !== 1) {
    return reader.fail(bands, `${model}: "bands" must be a list with exactly one band`);
  }
  const band = bands.items[0];
  if (!isMap(band)) return reader.fail(bands, `${model}: a band must be a mapping`);
  checkKeys(reader, `${model} band`, band, BAND_KEYS);
  const threshold = band.get("above_prompt_tokens", true);
  if (
    !isScalar(threshold) ||
    !Number.isSafeInteger(threshold.value) ||
    Number(threshold.value) <= 0
  ) {
    return reader.fail(
      threshold ?? band,
      `${model}: "above_prompt_tokens" must be a positive integer`,
    );
  }
  return Object.freeze({
    threshold: Number(threshold.value),
    band: Object.freeze(readPrices(reader, `${model} band`, band)),
  });
}

/** The optional `aliases:` list of other ids for the model. */
function readAliases(reader: Reader, model: string, map: YAMLMap): { id: string; node: Node }[] {
  const aliases = map.get("aliases", true);
  if (aliases === undefined) return [];
  if (!isSeq(aliases)) return reader.fail(aliases, `${model}: "aliases" must be a list of ids`);
  return aliases.items.map((item) => {
    if (!isScalar(item) || typeof item.value !== "string" || item.value === "") {
      return reader.fail(aliases, `${model}: every alias must be a non-empty string`);
    }
    return { id: item.value, node: item };
  });
}

/** An optional string field. */
function readString(reader: Reader, where: string, map: YAMLMap, key: string): string | undefined {
  const node = map.get(key, true);
  if (node === undefined) return undefined;
  if (!isScalar(node) || typeof node.value !== "string") {
    return reader.fail(node, `${where}: "${key}" must be a string`);
  }
  return node.value;
}

/** Rejects unknown keys, so a typo such as `cache_reads` is an error and not a silent default. */
function checkKeys(reader: Reader, where: string, map: YAMLMap, allowed: Set<string>): void {
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    if (!allowed.has(key)) reader.fail(nodeOf(pair.key), `${where}: unknown key "${key}"`);
  }
}

/** A pair's key as a node (keys parsed from text always are; anything else has no position). */
function nodeOf(key: unknown): Node | undefined {
  return isNode(key) ? key : undefined;
}
