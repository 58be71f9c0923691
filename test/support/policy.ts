/**
 * The policy suite: questions about one long document shared as a cached system prefix (long
 * enough to cache on Sonnet), for warm-up and caching tests.
 */
export const POLICY_DOC = "Northwind policy: returns within 60 days with receipt. ".repeat(500);

/** The suite YAML (the document goes in `evals/policy.md`); `asserts` adds `contains "60"`. */
export function policySuite(count: number, asserts = false): string {
  const check = asserts ? ', assert: [{ type: contains, value: "60" }]' : "";
  const cases = Array.from(
    { length: count },
    (_, i) => `  - { id: q${i}, vars: { n: ${i} }${check} }`,
  );
  return `name: policy
models: [claude-sonnet-4-6]
params: { max_tokens: 20 }
system:
  - file: policy.md
    cache: 1h
prompt: "Question {{n}}: how many days?"
cases:
${cases.join("\n")}
`;
}
