// Range algebra on UTF-16 offsets: binary searches over sorted ranges, overlap tests, unions
// and differences, and how entities, reviewed ranges and pending ranges follow a text edit
// (incremental tagging in the editor). One Range type for tokens, spans, entities and passages.
import type { Range } from './types';

/** Index of the first item whose end is > `pos` (items.length if none); items sorted, not overlapping. */
export function firstEndingAfter(items: readonly Range[], pos: number): number {
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
export function firstStartingAt(items: readonly Range[], pos: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].start < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One replacement, in the coordinates of the text BEFORE it: [start, oldEnd) became newLength units. */
export interface TextChange {
  start: number;
  oldEnd: number;
  newLength: number;
}

export function delta(c: TextChange): number {
  return c.newLength - (c.oldEnd - c.start);
}

/** Where an offset lands after the change; offsets inside the replaced text go to its start or end. */
export function mapOffset(pos: number, c: TextChange, bias: 'before' | 'after'): number {
  if (pos < c.start || (pos === c.start && bias === 'before')) return pos;
  if (pos >= c.oldEnd && !(pos === c.oldEnd && pos === c.start && bias === 'before')) return pos + delta(c);
  return bias === 'before' ? c.start : c.start + c.newLength;
}

/** Whether [s, e) touches the replaced text (sharing a boundary counts: typing right after a word changes it). */
export function touches(s: Range, c: TextChange): boolean {
  return s.end >= c.start && s.start <= c.oldEnd;
}

/**
 * Items after the change move by its length delta, items it touches are dropped, items
 * before it stay. Returns a new array in the same order.
 */
export function shiftItems<T extends Range>(items: readonly T[], c: TextChange): T[] {
  const d = delta(c);
  const out: T[] = [];
  for (const it of items) {
    if (it.end < c.start) out.push(it);
    else if (it.start > c.oldEnd) out.push({ ...it, start: it.start + d, end: it.end + d });
    else if (!touches(it, c)) out.push(it);
  }
  return out;
}

/** Ranges the change cuts are split around the new text (it is not reviewed); the rest move. */
export function shiftRangesSplit(ranges: readonly Range[], c: TextChange): Range[] {
  const d = delta(c);
  const out: Range[] = [];
  for (const r of ranges) {
    if (r.end <= c.start) out.push(r);
    else if (r.start >= c.oldEnd) out.push({ start: r.start + d, end: r.end + d });
    else {
      if (r.start < c.start) out.push({ start: r.start, end: c.start });
      if (r.end > c.oldEnd) out.push({ start: c.start + c.newLength, end: r.end + d });
    }
  }
  return out.filter((r) => r.end > r.start);
}

/** Ranges that grow or shrink with edits inside them (pending work, passages). */
export function shiftRangesStretch<T extends Range>(ranges: readonly T[], c: TextChange): T[] {
  const out: T[] = [];
  for (const r of ranges) {
    const start = mapOffset(r.start, c, 'before');
    const end = mapOffset(r.end, c, 'after');
    out.push({ ...r, start, end: Math.max(start, end) });
  }
  return out;
}

/** Sorted, merged union (ranges that touch are merged). */
export function normalizeRanges(ranges: readonly Range[]): Range[] {
  const sorted = ranges.filter((r) => r.end >= r.start).map((r) => ({ start: r.start, end: r.end }));
  sorted.sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push(r);
  }
  return out;
}

export function addRange(ranges: readonly Range[], r: Range): Range[] {
  return normalizeRanges([...ranges, r]);
}

/** The ranges without the characters of `cut` (a range it splits becomes two; an empty cut changes nothing). */
export function subtractRange(ranges: readonly Range[], cut: Range): Range[] {
  if (cut.end <= cut.start) return [...ranges];
  const out: Range[] = [];
  for (const r of ranges) {
    if (r.start >= cut.start && r.end <= cut.end) continue; // inside the cut (also empty ranges on its edge)
    if (r.end <= cut.start || r.start >= cut.end) {
      out.push(r);
      continue;
    }
    if (r.start < cut.start) out.push({ start: r.start, end: cut.start });
    if (r.end > cut.end) out.push({ start: cut.end, end: r.end });
  }
  return out;
}

export function overlaps(a: Range, b: Range): boolean {
  return a.start < b.end && b.start < a.end;
}

export function overlapsAny(a: Range, ranges: readonly Range[]): boolean {
  for (const r of ranges) if (overlaps(a, r)) return true;
  return false;
}

/** overlapsAny for `ranges` sorted and not overlapping each other: a binary search. */
export function overlapsAnySorted(a: Range, ranges: readonly Range[]): boolean {
  const k = firstEndingAfter(ranges, a.start);
  return k < ranges.length && ranges[k].start < a.end;
}

/** Whether one of `ranges` contains `inner` whole. */
export function insideAny(inner: Range, ranges: readonly Range[] | undefined): boolean {
  if (!ranges) return false;
  for (const r of ranges) if (contains(r, inner)) return true;
  return false;
}

export function contains(outer: Range, inner: Range): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

/** Inserts items (sorted by start) replacing every existing item that overlaps `region`. */
export function replaceInRegion<T extends Range>(items: readonly T[], region: Range, added: readonly T[]): T[] {
  const out = [...items];
  spliceRegion(out, region, added);
  return out;
}

/**
 * In place: removes the items overlapping `region` (items sorted, not overlapping) and puts
 * `added` (sorted) there. Binary search + one splice: cheap even with 100k+ items.
 */
export function spliceRegion<T extends Range>(items: T[], region: Range, added: readonly T[]): void {
  let lo = firstEndingAfter(items, region.start);
  // an empty item sitting exactly on the region's start belongs to it
  while (
    lo > 0 &&
    items[lo - 1].end === region.start &&
    items[lo - 1].start === region.start &&
    region.start < region.end
  )
    lo--;
  let hi = lo;
  while (hi < items.length && items[hi].start < region.end) hi++;
  items.splice(lo, hi - lo, ...added);
}

/** In place version of shiftItems, for long lists: drops touched items, moves the tail. */
export function shiftInPlace<T extends Range>(items: T[], c: TextChange): void {
  const d = delta(c);
  const lo = firstEndingAfter(items, c.start - 1); // first item with end >= c.start
  let hi = lo;
  while (hi < items.length && items[hi].start <= c.oldEnd) hi++;
  if (hi > lo) items.splice(lo, hi - lo);
  if (d !== 0) {
    for (let i = lo; i < items.length; i++) {
      items[i].start += d;
      items[i].end += d;
    }
  }
}
