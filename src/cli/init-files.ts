/**
 * What `batcheval init` writes: a config, an example suite with simulator fixtures that answer
 * it, and a GitHub Actions workflow. The project runs as it is written, offline: `batcheval run
 * --backend sim` passes on it, and the same suite runs on the real API with a key.
 */

/** One scaffolded file: its path in the project and its text. */
export interface ScaffoldFile {
  path: string;
  text: string;
}

const CONFIG = `# yaml-language-server: $schema=./node_modules/batcheval/schema/config.schema.json
#
# batcheval project config. Every key is optional; CLI flags override it.

# Where suites are found when \`batcheval run\` / \`estimate\` / \`validate\` get no paths.
evals: "evals/**/*.{yaml,yml}"

# Models to run suites on when a suite does not list its own \`models:\`. The report recommends
# the cheapest of them that passes every suite's pass_threshold.
models:
  - claude-haiku-4-5
  - claude-sonnet-4-6

# Where runs are written, one folder per run (reports/<run-id>/, and reports/latest).
out_dir: reports

# The outputs of each run: json (report.json, always written) and html (index.html).
reporters: [json, html]

# Identical requests are answered from this cache instead of being paid for again.
cache_dir: .batcheval/cache

# The model that answers model-graded assertions (llm-rubric, model-graded-closedqa, factuality).
grader_model: claude-sonnet-4-6

# The embedded simulator (\`--backend sim\`, or no API key) answers from these fixtures.
sim:
  fixtures: "fixtures/sim/**/*.{yaml,yml}"
`;

const SUITE = `# yaml-language-server: $schema=../node_modules/batcheval/schema/suite.schema.json
#
# An example suite: route support tickets to a queue. Replace the cases with your own; every
# case needs at least one assertion (a case that checks nothing is an error in CI).
name: ticket-routing
description: Route a support ticket to billing, technical or shipping; the reply is the queue.
params:
  max_tokens: 8
system: |-
  You route support tickets. Reply with exactly one word, the queue that should handle the
  ticket: billing (charges, refunds, invoices), technical (the app, the website, devices) or
  shipping (deliveries, returns, addresses). Lowercase, no punctuation.
prompt: "Ticket: {{ticket}}"
pass_threshold: 0.75
cases:
  - id: double-charge
    vars: { ticket: "I was charged twice for order 1182." }
    assert: [{ type: equals, value: billing }]
  - id: app-crash
    vars: { ticket: "The app closes every time I open my cart." }
    assert: [{ type: equals, value: technical }]
  - id: late-parcel
    vars: { ticket: "My parcel was due on Monday and has not arrived." }
    assert: [{ type: equals, value: shipping }]
  - id: refund-for-damage
    description: A shipping problem worded as a money question
    vars: { ticket: "The box arrived crushed and the lamp is broken. I want my money back." }
    assert: [{ type: equals, value: shipping }]
`;

const FIXTURES = `# Simulated answers for evals/ticket-routing.yaml, so \`batcheval run --backend sim\` runs
# offline. The first rule that fits wins: a model's wrong answer comes before the right one.
# On the real API (ANTHROPIC_API_KEY set) these are not used.
rules:
  - model: claude-haiku-*
    match: "arrived crushed"
    reply: billing
  - match: "charged twice"
    reply: billing
  - match: "app closes"
    reply: technical
  - match: "has not arrived"
    reply: shipping
  - match: "arrived crushed"
    reply: shipping
`;

/**
 * The CI recipe: evals on every pull request, against the real API when the repository has an
 * ANTHROPIC_API_KEY secret (on the simulator otherwise), with the result cache kept between
 * runs, the report uploaded, the summary on the run's page, and a regression against the
 * baseline report kept on the main branch failing the check.
 */
export const WORKFLOW = `# batcheval in GitHub Actions: evals on every pull request and push to main.
# - The result cache (.batcheval/cache) is kept between runs: unchanged requests cost nothing.
# - The report (reports/<run-id>/: index.html, report.json, junit.xml) is uploaded as an artifact,
#   and summary.md is added to the run's page (the summary reporter appends it to
#   $GITHUB_STEP_SUMMARY).
# - With batcheval-baseline.json committed on main (copy a good run's reports/latest/report.json
#   there), a pull request that makes a model regress on a suite fails (\`--baseline\`).
# - Without the ANTHROPIC_API_KEY secret the run uses the simulator, and says so.
name: evals
on:
  pull_request:
  push:
    branches: [main]
jobs:
  evals:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - uses: actions/cache@v4
        with:
          path: .batcheval/cache
          key: batcheval-\${{ github.sha }}
          restore-keys: batcheval-
      - name: Run the evals
        env:
          ANTHROPIC_API_KEY: \${{ secrets.ANTHROPIC_API_KEY }}
        run: |
          backend=anthropic
          if [ -z "$ANTHROPIC_API_KEY" ]; then backend=sim; fi
          baseline=""
          if [ -f batcheval-baseline.json ]; then baseline="--baseline batcheval-baseline.json"; fi
          npx batcheval run --backend "$backend" $baseline \\
            --reporter json --reporter html --reporter junit --reporter summary
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: batcheval-report
          path: reports/
`;

const GITIGNORE = `node_modules/
# batcheval's runs and its result cache
reports/
.batcheval/
`;

/** Every file `init` writes, in the order it writes them. */
export const SCAFFOLD: readonly ScaffoldFile[] = [
  { path: "batcheval.config.yaml", text: CONFIG },
  { path: ".gitignore", text: GITIGNORE },
  { path: "evals/ticket-routing.yaml", text: SUITE },
  { path: "fixtures/sim/ticket-routing.yaml", text: FIXTURES },
  { path: ".github/workflows/batcheval.yml", text: WORKFLOW },
];
