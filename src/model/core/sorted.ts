// Binary searches over offset ranges sorted by start and not overlapping (tokens, spans,
// entities), so their ends are sorted too. Shared by the engine and the editor glue.

export interface Ranged {
  start: number;
  end: number;
}

/** Index of the first item whose end is > `pos` (items.length if none). */
export function firstEndingAfter(items: readonly Ranged[], pos: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].end > pos) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Index of the first item whose start is >= `pos` (items.length if none); needs start order only. */
export function firstStartingAt(items: readonly Ranged[], pos: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].start < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
