/**
 * The fixture rules, indexed so that finding a request's rule does not scan every rule: with
 * one rule per case, a first-match scan costs rules × requests. The answer is the same as the
 * scan's: the fitting rule with the lowest index (see {@link RuleIndex.find}).
 */
import { type FixtureQuery, type FixtureRule, ruleFits } from "./fixtures.js";
import { LiteralMatcher } from "./literal-matcher.js";

/** A rule set, indexed once by the literal `match` substrings of its rules. */
export class RuleIndex {
  /** The rules, in their order (first fit wins). */
  readonly rules: readonly FixtureRule[];
  private readonly matcher: LiteralMatcher;
  /** Per literal (by the matcher's id), the indices of the rules with that `match`, ascending. */
  private readonly byLiteral: number[][];
  /**
   * The indices of the other rules, ascending: no `match`, an empty one (which every text
   * contains), or a regex. Only a scan can tell whether they fit.
   */
  private readonly unindexed: number[];
  /** Per `replies:` rule, how many requests of each model and prompt it has answered. */
  private readonly turns = new Map<FixtureRule, Map<string, number>>();

  constructor(rules: readonly FixtureRule[]) {
    this.rules = rules;
    const ids = new Map<string, number>();
    this.byLiteral = [];
    this.unindexed = [];
    for (const [index, rule] of rules.entries()) {
      const literal = rule.match;
      if (typeof literal !== "string" || literal === "") {
        this.unindexed.push(index);
        continue;
      }
      let id = ids.get(literal);
      if (id === undefined) {
        id = ids.size;
        ids.set(literal, id);
        this.byLiteral.push([]);
      }
      this.byLiteral[id]?.push(index);
    }
    this.matcher = new LiteralMatcher([...ids.keys()]);
  }

  /**
   * The first rule that fits the request, or undefined: exactly `rules.find(r => ruleFits(r, q))`.
   *
   * A rule with a literal `match` can only fit if its literal occurs in the last user message,
   * so the candidates are the rules of the literals the matcher finds there plus the unindexed
   * rules. Every candidate is checked with the same `ruleFits` as the scan (model, match,
   * system), and among those that fit the lowest index wins. Each list is ascending, so a list
   * is read only up to its first fit or up to the best index found so far.
   */
  find(query: FixtureQuery): FixtureRule | undefined {
    let best = Number.POSITIVE_INFINITY;
    const earliestFit = (list: readonly number[]): void => {
      for (const index of list) {
        if (index >= best) return;
        const rule = this.rules[index];
        if (rule && ruleFits(rule, query)) {
          best = index;
          return;
        }
      }
    };
    for (const id of this.matcher.matches(query.lastUserText))
      earliestFit(this.byLiteral[id] ?? []);
    earliestFit(this.unindexed);
    return this.rules[best];
  }

  /**
   * The turn of a `replies:` rule for this request: 0 for the first request of its model and
   * prompt that the rule answers, 1 for the next, and so on.
   */
  nextTurn(rule: FixtureRule, query: FixtureQuery): number {
    let counts = this.turns.get(rule);
    if (counts === undefined) {
      counts = new Map();
      this.turns.set(rule, counts);
    }
    const key = `${query.model}\u0000${query.systemText}\u0000${query.lastUserText}`;
    const turn = counts.get(key) ?? 0;
    counts.set(key, turn + 1);
    return turn;
  }
}
