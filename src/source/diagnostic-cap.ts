/**
 * Caps repeated diagnostics: a problem that recurs on every row of a large case file is
 * reported for its first few rows, then once more with a count, instead of a million times.
 */
import { diagnosticAt } from "./diagnostics.js";
import type { Diagnostic } from "./types.js";

/** Diagnostics of one key listed one by one before the rest are counted. */
export const MAX_REPEATED_REPORTS = 5;

interface Tally {
  count: number;
  /** The first diagnostic past the limit: the summary is placed there. */
  firstOver?: Diagnostic;
}

/** Keeps the first few diagnostics per key and folds the rest into one summary each. */
export class DiagnosticCap {
  private readonly kept: Diagnostic[] = [];
  private readonly tallies = new Map<string, Tally>();

  /** Records a diagnostic under `key` (e.g. file + rule + name). */
  add(key: string, diagnostic: Diagnostic): void {
    const tally = this.tallies.get(key) ?? { count: 0 };
    tally.count++;
    this.tallies.set(key, tally);
    if (tally.count <= MAX_REPEATED_REPORTS) this.kept.push(diagnostic);
    else tally.firstOver ??= diagnostic;
  }

  /** The kept diagnostics, then per key the first one past the limit, counting the others. */
  diagnostics(): Diagnostic[] {
    const summaries = [...this.tallies.values()].flatMap(({ count, firstOver }) => {
      if (firstOver === undefined) return [];
      const others = count - MAX_REPEATED_REPORTS - 1;
      if (others === 0) return [firstOver];
      const message = `${firstOver.message} — and ${others} more like it in ${firstOver.file}`;
      return [diagnosticAt(firstOver, message, firstOver.hint, firstOver.severity)];
    });
    return [...this.kept, ...summaries];
  }
}
