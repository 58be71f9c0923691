import { describe, expect, it } from "vitest";
import { parsePricing } from "../../src/cost/pricing.js";
import { BatchevalError } from "../../src/errors.js";

const GOOD_ROW = `    input: 1
    output: 5
    cache_write_5m: 1.25
    cache_write_1h: 2
    cache_read: 0.10
    seen: 2026-10-04`;

/** A file with one model `m` whose row is GOOD_ROW plus `extra` lines. */
function oneModel(extra = "", row = GOOD_ROW): string {
  return `models:\n  m:\n${row}\n${extra}`;
}

describe("parsePricing", () => {
  it("reads a minimal row, taking prices from their decimal text", () => {
    const table = parsePricing(oneModel(), "p.yaml");
    expect(table.lookup("m")).toEqual({
      model: "m",
      input: 1,
      output: 5,
      cacheWrite5m: 1.25,
      cacheWrite1h: 2,
      cacheRead: 0.1,
      seen: "2026-10-04",
      geoUs: false,
    });
    expect(table.models()).toEqual(["m"]);
  });

  // Each bad file and a located message it must produce (file:line:col: message).
  const bad: [string, string, string][] = [
    [
      "invalid YAML",
      "models:\n  m: [1, 2\n",
      "p.yaml:3:1: invalid YAML: Flow sequence in block collection",
    ],
    ["not a mapping", "- 1\n", "p.yaml:1:1: expected a mapping with a `models:` key"],
    ["no models", "other: 1\n", "p.yaml:1:1: `models:` must map model ids to prices"],
    [
      "unknown top-level key",
      "models: {}\nextra: 1\n",
      'p.yaml:2:1: unknown top-level key "extra"',
    ],
    ["row not a mapping", "models:\n  m: 3\n", "p.yaml:2:3: m: expected a mapping of prices"],
    [
      "missing price",
      oneModel("", GOOD_ROW.replace("    cache_read: 0.10\n", "")),
      'p.yaml:3:5: m: missing "cache_read"',
    ],
    [
      "too many decimals",
      oneModel("", GOOD_ROW.replace("cache_read: 0.10", "cache_read: 0.12345")),
      'p.yaml:7:17: m: "cache_read" must be a price in USD per million tokens (0.12345 has more than 4 decimal places)',
    ],
    [
      "quoted price",
      oneModel("", GOOD_ROW.replace("input: 1", 'input: "1"')),
      'p.yaml:3:12: m: "input" must be a price in USD per million tokens ("" is not a plain non-negative decimal number)',
    ],
    [
      "negative price",
      oneModel("", GOOD_ROW.replace("output: 5", "output: -5")),
      'p.yaml:4:13: m: "output" must be a price in USD per million tokens ("-5" is not a plain non-negative decimal number)',
    ],
    [
      "bad date",
      oneModel("", GOOD_ROW.replace("2026-10-04", "2026-13-01")),
      'p.yaml:8:11: m: "seen" must be a date YYYY-MM-DD',
    ],
    [
      "missing date",
      oneModel("", GOOD_ROW.replace("    seen: 2026-10-04", "")),
      'p.yaml:3:5: m: "seen" must be a date YYYY-MM-DD',
    ],
    ["typo key", oneModel("    cache_reads: 1\n"), 'p.yaml:9:5: m: unknown key "cache_reads"'],
    [
      // Which models take inference_geo is the model table's to say, not the price file's.
      "inference_geo_us is not a price-file key",
      oneModel("    inference_geo_us: true\n"),
      'p.yaml:9:5: m: unknown key "inference_geo_us"',
    ],
    [
      "alias clash",
      `${oneModel("    aliases: [m]\n")}`,
      'p.yaml:9:15: model id "m" is listed twice',
    ],
    [
      "aliases not a list",
      oneModel("    aliases: m2\n"),
      'p.yaml:9:14: m: "aliases" must be a list of ids',
    ],
    [
      "two bands",
      oneModel("    bands: [{above_prompt_tokens: 1}, {above_prompt_tokens: 2}]\n"),
      'p.yaml:9:12: m: "bands" must be a list with exactly one band',
    ],
    [
      "band without threshold",
      oneModel(
        `    bands:\n      - ${GOOD_ROW.trim()
          .replace(/\n\s+seen.*$/, "")
          .replace(/\n\s+/g, "\n        ")}\n`,
      ),
      'p.yaml:10:9: m: "above_prompt_tokens" must be a positive integer',
    ],
    [
      "band missing a price",
      oneModel("    bands:\n      - above_prompt_tokens: 100000\n        input: 1\n"),
      'p.yaml:10:9: m band: missing "output"',
    ],
    [
      "duplicate model key",
      `${oneModel()}\n  m:\n${GOOD_ROW}\n`,
      "p.yaml:10:3: invalid YAML: Map keys must be unique",
    ],
  ];

  it.each(bad)("rejects %s", (_name, text, message) => {
    let error: unknown;
    try {
      parsePricing(text, "p.yaml");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BatchevalError);
    const e = error as BatchevalError;
    expect(e.code).toBe("bad_input");
    const lines = e.message.split("\n");
    expect(lines.filter((line) => line.startsWith(message))).toHaveLength(1);
    expect(lines.every((line) => /^p\.yaml:\d+:\d+: \S/.test(line))).toBe(true);
    expect(e.diagnostics).toHaveLength(lines.length);
    expect(e.diagnostics[0]?.file).toBe("p.yaml");
    expect(e.hint).toBeDefined();
  });

  it("lists every problem in the file, each once and in file order", () => {
    const text = oneModel(
      "    cache_reads: 1\n    aliases: [m]\n",
      GOOD_ROW.replace("output: 5", "output: -5"),
    );
    let error: unknown;
    try {
      parsePricing(`${text}extra: 1\n`, "p.yaml");
    } catch (caught) {
      error = caught;
    }
    const e = error as BatchevalError;
    expect(e.message.split("\n")).toEqual([
      'p.yaml:4:13: m: "output" must be a price in USD per million tokens ("-5" is not a plain non-negative decimal number)',
      'p.yaml:9:5: m: unknown key "cache_reads"',
      'p.yaml:10:15: model id "m" is listed twice',
      'p.yaml:11:1: unknown top-level key "extra"',
    ]);
    expect(e.diagnostics.map((d) => d.hint)).toEqual([undefined, undefined, undefined, undefined]);
    expect(e.hint).toMatch(/pricing\.yaml/);
  });
});
