/**
 * The capitals suite most integration tests run: countries and their capitals, a suite that
 * asks for them, and simulator fixtures that answer them (right, unless told otherwise).
 */

/** Country and capital, in case order. */
export const CAPITALS: readonly (readonly [country: string, city: string])[] = [
  ["France", "Paris"],
  ["Italy", "Rome"],
  ["Spain", "Madrid"],
  ["Peru", "Lima"],
  ["Japan", "Tokyo"],
  ["Chile", "Santiago"],
  ["Kenya", "Nairobi"],
  ["Egypt", "Cairo"],
];

export interface CapitalsSuite {
  /** How many of the countries become cases (default all 8). */
  count?: number;
  models?: readonly string[];
  threshold?: number;
  /** Each case asserts its capital (default true). */
  asserts?: boolean;
}

/** The suite YAML: one case per country, `contains` its capital. */
export function capitalsSuite(options: CapitalsSuite = {}): string {
  const { count = CAPITALS.length, models = ["claude-haiku-4-5"], threshold = 0.5 } = options;
  const cases = CAPITALS.slice(0, count).map(([country, city]) => {
    const check = options.asserts === false ? "" : `, assert: [{ type: contains, value: ${city} }]`;
    return `  - { id: ${country.toLowerCase()}, vars: { country: ${country} }${check} }`;
  });
  return `name: capitals
models: [${models.join(", ")}]
params: { max_tokens: 20 }
prompt: "Capital of {{country}}?"
cases:
${cases.join("\n")}
pass_threshold: ${threshold}
`;
}

/**
 * Fixture rules answering every capital; `wrong` lists rules that come first, e.g.
 * `{ match: "Capital of Peru", reply: "Bogota." }` lines, to make some answers wrong.
 */
export function capitalsFixtures(wrong: readonly string[] = []): string {
  const right = CAPITALS.map(
    ([country, city]) => `  - { match: "Capital of ${country}", reply: "${city}." }`,
  );
  return `rules:\n${[...wrong.map((w) => `  - ${w}`), ...right].join("\n")}\n`;
}
