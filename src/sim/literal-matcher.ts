/**
 * An Aho–Corasick automaton over many literal strings: one pass over a text finds every
 * pattern that occurs in it, whatever the number of patterns. It works on UTF-16 code units,
 * as `String.prototype.includes` does, so "pattern p occurs in text t" means exactly
 * `t.includes(p)` (case-sensitive, no normalization, lone surrogates included).
 *
 * The trie lives in typed arrays (about 22 bytes a node) rather than objects or Maps, since
 * a rule set of one rule per case can hold millions of pattern characters. Children are a
 * sibling list, except the root's, which is a direct table of all 65,536 code units.
 */

const NONE = -1;
const ROOT = 0;

/** Matches a fixed list of non-empty literals; build once, search many times. */
export class LiteralMatcher {
  /** How many distinct patterns it holds (ids are 0 … size - 1). */
  readonly size: number;
  private nodes = 1;
  private code = new Uint16Array(1024);
  private firstChild = new Int32Array(1024).fill(NONE);
  private nextSibling = new Int32Array(1024).fill(NONE);
  private fail = new Int32Array(1024);
  /** The id of the pattern that ends at a node, or NONE. */
  private out = new Int32Array(1024).fill(NONE);
  /** The nearest proper suffix of a node that ends a pattern, or NONE (the "dictionary link"). */
  private dict = new Int32Array(1024).fill(NONE);
  private readonly rootChild = new Int32Array(65_536).fill(NONE);
  /** Per pattern, the search that last reported it, so each is reported once per search. */
  private readonly seen: Uint32Array;
  private generation = 0;

  /**
   * `patterns` must be distinct and non-empty (the empty string occurs in every text, so it
   * needs no matcher); pattern `i` gets id `i`.
   */
  constructor(patterns: readonly string[]) {
    this.size = patterns.length;
    this.seen = new Uint32Array(patterns.length);
    for (const [id, pattern] of patterns.entries()) this.insert(pattern, id);
    this.link();
    this.trim();
  }

  /** The ids of the distinct patterns that occur in `text`, in the order they are first found. */
  matches(text: string): number[] {
    const found: number[] = [];
    if (this.size === 0) return found;
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.seen.fill(0);
      this.generation = 1;
    }
    const { out, dict, seen, generation } = this;
    let state = ROOT;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let next = this.child(state, c);
      while (next === NONE && state !== ROOT) {
        state = this.fail[state] ?? ROOT;
        next = this.child(state, c);
      }
      state = next === NONE ? ROOT : next;
      // Every pattern ending here is `state`'s own and those down its dictionary links. Stop at
      // the first one already reported: it was reported with the rest of its chain.
      let node = (out[state] ?? NONE) !== NONE ? state : (dict[state] ?? NONE);
      while (node !== NONE) {
        const id = out[node] ?? NONE;
        if (seen[id] === generation) break;
        seen[id] = generation;
        found.push(id);
        node = dict[node] ?? NONE;
      }
    }
    return found;
  }

  private child(node: number, c: number): number {
    if (node === ROOT) return this.rootChild[c] ?? NONE;
    for (let n = this.firstChild[node] ?? NONE; n !== NONE; n = this.nextSibling[n] ?? NONE) {
      if (this.code[n] === c) return n;
    }
    return NONE;
  }

  private insert(pattern: string, id: number): void {
    let node = ROOT;
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern.charCodeAt(i);
      let next = this.child(node, c);
      if (next === NONE) {
        next = this.addNode(c);
        if (node === ROOT) this.rootChild[c] = next;
        else {
          this.nextSibling[next] = this.firstChild[node] ?? NONE;
          this.firstChild[node] = next;
        }
      }
      node = next;
    }
    this.out[node] = id;
  }

  private addNode(c: number): number {
    if (this.nodes === this.code.length) this.grow();
    const node = this.nodes++;
    this.code[node] = c;
    return node;
  }

  private grow(): void {
    const size = this.code.length * 2;
    const widen = <T extends Uint16Array | Int32Array>(from: T, to: T, fill: number): T => {
      to.fill(fill);
      to.set(from);
      return to;
    };
    this.code = widen(this.code, new Uint16Array(size), 0);
    this.firstChild = widen(this.firstChild, new Int32Array(size), NONE);
    this.nextSibling = widen(this.nextSibling, new Int32Array(size), NONE);
    this.fail = widen(this.fail, new Int32Array(size), ROOT);
    this.out = widen(this.out, new Int32Array(size), NONE);
    this.dict = widen(this.dict, new Int32Array(size), NONE);
  }

  /** Drops the spare room of the last doubling: the trie no longer grows. */
  private trim(): void {
    const n = this.nodes;
    this.code = this.code.slice(0, n);
    this.firstChild = this.firstChild.slice(0, n);
    this.nextSibling = this.nextSibling.slice(0, n);
    this.fail = this.fail.slice(0, n);
    this.out = this.out.slice(0, n);
    this.dict = this.dict.slice(0, n);
  }

  /** Failure and dictionary links, breadth first (a node's links need its parent's). */
  private link(): void {
    const queue = new Int32Array(this.nodes);
    let tail = 0;
    for (const node of this.rootChild) if (node !== NONE) queue[tail++] = node; // fail = ROOT
    for (let head = 0; head < tail; head++) {
      const parent = queue[head] ?? ROOT;
      for (let n = this.firstChild[parent] ?? NONE; n !== NONE; n = this.nextSibling[n] ?? NONE) {
        const c = this.code[n] ?? 0;
        let f = this.fail[parent] ?? ROOT;
        let target = this.child(f, c);
        while (target === NONE && f !== ROOT) {
          f = this.fail[f] ?? ROOT;
          target = this.child(f, c);
        }
        const fail = target === NONE ? ROOT : target;
        this.fail[n] = fail;
        this.dict[n] = (this.out[fail] ?? NONE) !== NONE ? fail : (this.dict[fail] ?? NONE);
        queue[tail++] = n;
      }
    }
  }
}
