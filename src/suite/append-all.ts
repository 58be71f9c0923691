/**
 * `target.push(...items)` passes every item as a call argument, which overflows the call stack
 * for data-sized arrays (about 120,000 items). This appends in a loop instead.
 */

/** Appends every item of `items` to `target` (any length) and returns `target`. */
export function appendAll<T>(target: T[], items: readonly T[]): T[] {
  for (const item of items) target.push(item);
  return target;
}
