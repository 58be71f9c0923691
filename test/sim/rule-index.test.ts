import { describe, expect, test } from "vitest";
import { type FixtureQuery, type FixtureRule, globToRegExp } from "../../src/sim/fixtures.js";
import { RuleIndex } from "../../src/sim/rule-index.js";
import { random, text } from "./random-text.js";

/** The oracle: the first-match scan the simulator did before the index, kept as it was. */
function naiveFind(rules: readonly FixtureRule[], query: FixtureQuery): FixtureRule | undefined {
  const fits = (pattern: string | RegExp | undefined, text: string): boolean => {
    if (pattern === undefined) return true;
    if (typeof pattern === "string") return text.includes(pattern);
    pattern.lastIndex = 0;
    return pattern.test(text);
  };
  return rules.find(
    (rule) =>
      (rule.model === undefined || globToRegExp(rule.model).test(query.model)) &&
      fits(rule.match, query.lastUserText) &&
      fits(rule.system, query.systemText),
  );
}

const REGEXES = [/a+b/, /^b/, /é$/u, /A/i, /😀/u, /(?:ab){2}/, /^$/, /\s/];
const MODELS = ["claude-haiku-4-5", "claude-sonnet-4-6", "claude-opus-4-1"];
const GLOBS = ["claude-haiku-*", "claude-sonnet-?-6", "*", "claude-opus-4-1", "claude-*-4-5"];

const at = { file: "r.yaml", line: 1, col: 1 };

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

function randomRule(rand: () => number, earlier: readonly FixtureRule[]): FixtureRule {
  const rule: FixtureRule = { reply: `r${earlier.length}`, source: at };
  const kind = rand();
  const reused = earlier.filter((r) => typeof r.match === "string");
  if (kind < 0.5) rule.match = text(rand, 4);
  else if (kind < 0.6 && reused.length > 0) rule.match = pick(rand, reused).match as string;
  else if (kind < 0.75) rule.match = pick(rand, REGEXES);
  else if (kind < 0.8) rule.match = "";
  // else: no `match`, so it fits by its other conditions alone
  if (rand() < 0.3) rule.model = pick(rand, GLOBS);
  if (rand() < 0.15) rule.system = rand() < 0.5 ? text(rand, 2) : pick(rand, REGEXES);
  return rule;
}

function randomQuery(rand: () => number, rules: readonly FixtureRule[]): FixtureQuery {
  let lastUserText = text(rand, 12);
  // Splice in some rules' literals, so that most queries meet several of them.
  for (let i = 0; i < 3 && rules.length > 0; i++) {
    const match = pick(rand, rules).match;
    if (typeof match === "string" && rand() < 0.6) {
      const cut = Math.floor(rand() * (lastUserText.length + 1));
      lastUserText = lastUserText.slice(0, cut) + match + lastUserText.slice(cut);
    }
  }
  return { model: pick(rand, MODELS), lastUserText, systemText: text(rand, 3) };
}

describe("RuleIndex picks the rule the first-match scan picks", () => {
  test.each([1, 2, 3, 4, 5, 6, 7, 8])("random rule sets and prompts, seed %i", (seed) => {
    const rand = random(seed);
    for (let set = 0; set < 60; set++) {
      const rules: FixtureRule[] = [];
      const size = Math.floor(rand() * 40);
      for (let i = 0; i < size; i++) rules.push(randomRule(rand, rules));
      const index = new RuleIndex(rules);
      for (let q = 0; q < 80; q++) {
        const query = randomQuery(rand, rules);
        const expected = naiveFind(rules, query);
        const found = index.find(query);
        if (found !== expected) {
          // Name the case in the failure, with the indices both sides picked.
          expect({ query, found: rules.indexOf(found as FixtureRule) }).toEqual({
            query,
            found: rules.indexOf(expected as FixtureRule),
          });
        }
      }
    }
  });

  const rule = (extra: Partial<FixtureRule>, reply: string): FixtureRule => ({
    ...extra,
    reply,
    source: at,
  });
  const query = (lastUserText: string, model = "claude-haiku-4-5"): FixtureQuery => ({
    model,
    lastUserText,
    systemText: "you are terse",
  });

  test.each<[string, FixtureRule[], FixtureQuery, string | undefined]>([
    [
      "an earlier literal beats a later one that occurs first in the text",
      [rule({ match: "world" }, "0"), rule({ match: "hello" }, "1")],
      query("hello world"),
      "0",
    ],
    [
      "a literal inside an earlier one does not win",
      [rule({ match: "abc" }, "0"), rule({ match: "b" }, "1")],
      query("xabcx"),
      "0",
    ],
    [
      "an earlier regex beats a literal",
      [rule({ match: /wor.d/ }, "0"), rule({ match: "world" }, "1")],
      query("world"),
      "0",
    ],
    [
      "a literal that fails its model falls through to the next rule with it",
      [
        rule({ match: "world", model: "claude-sonnet-*" }, "0"),
        rule({ match: "world", system: "chatty" }, "1"),
        rule({ match: "world" }, "2"),
      ],
      query("world"),
      "2",
    ],
    [
      "a rule with no match fits by model alone",
      [rule({ match: "nope" }, "0"), rule({ model: "claude-haiku-*" }, "1"), rule({}, "2")],
      query("world"),
      "1",
    ],
    [
      "an empty match fits every text",
      [rule({ match: "nope" }, "0"), rule({ match: "" }, "1")],
      query(""),
      "1",
    ],
    ["case-sensitive, as includes", [rule({ match: "World" }, "0")], query("world"), undefined],
    [
      "unicode by code units, not normalized",
      [rule({ match: "é" }, "0"), rule({ match: "😀" }, "1")],
      query("e\u0301 😀"),
      "1",
    ],
    [
      "only the last user message is matched, not the system prompt",
      [rule({ match: "terse" }, "0")],
      query("world"),
      undefined,
    ],
  ])("%s", (_name, rules, q, reply) => {
    expect(new RuleIndex(rules).find(q)?.reply).toBe(reply);
    expect(naiveFind(rules, q)?.reply).toBe(reply);
  });
});
