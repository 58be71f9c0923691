/**
 * The simulator's notion of "now". Everything time-dependent in the simulator (batch ends,
 * expiry, archival, cache TTLs, timestamps) reads the clock through this seam, so tests can
 * jump a day ahead without waiting.
 */

/** A source of the current time in epoch milliseconds. */
export interface SimClock {
  now(): number;
}

/** The wall clock. */
export const systemClock: SimClock = { now: () => Date.now() };

/**
 * A clock that only moves when told to. Starts at `start` (default: the wall clock at
 * construction time, so timestamps still look current).
 */
export class ManualClock implements SimClock {
  private current: number;

  constructor(start: number = Date.now()) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  /** Moves the clock forward by `ms` milliseconds (negative values are rejected). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance: ms must be >= 0, got ${ms}`);
    this.current += ms;
  }

  /** Sets the clock to an absolute time (epoch milliseconds). */
  set(ms: number): void {
    this.current = ms;
  }
}

/** Formats epoch milliseconds as RFC 3339 with microseconds, as the API does. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}
