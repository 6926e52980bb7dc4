// The range algebra: binary searches, how ranges follow an edit (each rule on its edge cases,
// then checked against a naive reference on random ranges and random edits), unions,
// differences and in-place splices.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  addRange,
  contains,
  firstEndingAfter,
  firstStartingAt,
  insideAny,
  mapOffset,
  normalizeRanges,
  overlaps,
  overlapsAny,
  overlapsAnySorted,
  replaceInRegion,
  shiftInPlace,
  shiftItems,
  shiftRangesSplit,
  shiftRangesStretch,
  spliceRegion,
  subtractRange,
  touches,
  type TextChange,
} from '../../../src/model/core/ranges';
import { Rng } from '../../../src/model/core/random';
import type { Range } from '../../../src/model/core/types';

const items = [
  { start: 0, end: 4 },
  { start: 4, end: 4 },
  { start: 6, end: 9 },
  { start: 12, end: 20 },
];

test('firstEndingAfter: the first item whose end is past the position', () => {
  assert.equal(firstEndingAfter([], 5), 0);
  assert.equal(firstEndingAfter(items, -1), 0);
  assert.equal(firstEndingAfter(items, 3), 0);
  assert.equal(firstEndingAfter(items, 4), 2, 'items ending exactly at 4 are not after it');
  assert.equal(firstEndingAfter(items, 9), 3);
  assert.equal(firstEndingAfter(items, 20), 4);
});

test('firstStartingAt: the first item starting at or after the position', () => {
  assert.equal(firstStartingAt([], 5), 0);
  assert.equal(firstStartingAt(items, 0), 0);
  assert.equal(firstStartingAt(items, 4), 1);
  assert.equal(firstStartingAt(items, 5), 2);
  assert.equal(firstStartingAt(items, 13), 4);
});

// ---------------------------------------------------------------------------
// Helpers for the reference checks: texts, edits and random ranges

/** The text after the change (the replaced part becomes `inserted`). */
function apply(text: string, c: TextChange, inserted: string): string {
  assert.equal(inserted.length, c.newLength);
  return text.slice(0, c.start) + inserted + text.slice(c.oldEnd);
}

const slice = (text: string, r: Range): string => text.slice(r.start, r.end);
const r = (start: number, end: number): Range => ({ start, end });
const change = (start: number, oldEnd: number, newLength: number): TextChange => ({ start, oldEnd, newLength });

/** Characters covered by the ranges, as a sorted list of offsets (empty ranges cover nothing). */
function cells(ranges: readonly Range[]): number[] {
  const set = new Set<number>();
  for (const x of ranges) for (let i = x.start; i < x.end; i++) set.add(i);
  return [...set].sort((a, b) => a - b);
}

/** Random text of `n` characters from a small alphabet (so slices compare meaningfully). */
function randomText(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += 'abcdefghij'[rng.int(10)];
  return s;
}

/** Sorted ranges that do not overlap (they may touch; some may be empty) inside [0, n]. */
function randomSortedRanges(rng: Rng, n: number, allowEmpty: boolean): Range[] {
  const out: Range[] = [];
  let at = rng.int(3);
  while (at < n) {
    const len = allowEmpty && rng.next() < 0.15 ? 0 : 1 + rng.int(6);
    const end = Math.min(n, at + len);
    out.push(r(at, end));
    at = end + rng.int(4); // a gap of 0 makes touching neighbours
    if (allowEmpty && len === 0) at++; // never two empty ranges at one offset
  }
  return out;
}

/** Any ranges (unsorted, overlapping, empty) inside [0, n]. */
function randomRanges(rng: Rng, n: number, count: number): Range[] {
  return Array.from({ length: count }, () => {
    const a = rng.int(n + 1);
    const b = rng.int(n + 1);
    return r(Math.min(a, b), Math.max(a, b));
  });
}

function randomChange(rng: Rng, n: number): { c: TextChange; inserted: string } {
  const start = rng.int(n + 1);
  const oldEnd = Math.min(n, start + (rng.next() < 0.3 ? 0 : rng.int(8)));
  const newLength = rng.next() < 0.3 ? 0 : rng.int(6);
  return { c: change(start, oldEnd, newLength), inserted: 'XYZUVW'.slice(0, newLength) };
}

// ---------------------------------------------------------------------------

describe('mapOffset', () => {
  test('before the change: unchanged; after it: moved by the length delta', () => {
    const c = change(10, 15, 2); // delta -3
    for (const bias of ['before', 'after'] as const) {
      assert.equal(mapOffset(9, c, bias), 9);
      assert.equal(mapOffset(16, c, bias), 13);
      assert.equal(mapOffset(0, c, bias), 0);
    }
  });

  test('inside the replaced text: to the start of the new text (before) or its end (after)', () => {
    const c = change(10, 15, 2);
    assert.equal(mapOffset(12, c, 'before'), 10);
    assert.equal(mapOffset(12, c, 'after'), 12);
    assert.equal(mapOffset(14, c, 'after'), 12);
  });

  test('on the edges of a replacement', () => {
    const c = change(10, 15, 2);
    assert.equal(mapOffset(10, c, 'before'), 10, 'the start stays before the new text');
    assert.equal(mapOffset(10, c, 'after'), 12, 'the start, biased after, goes past the new text');
    assert.equal(mapOffset(15, c, 'before'), 12, 'the old end is the end of the new text either way');
    assert.equal(mapOffset(15, c, 'after'), 12);
  });

  test('a pure insertion at the offset: the bias decides which side of the typed text it lands', () => {
    const c = change(10, 10, 3);
    assert.equal(mapOffset(10, c, 'before'), 10);
    assert.equal(mapOffset(10, c, 'after'), 13);
    assert.equal(mapOffset(11, c, 'before'), 14);
  });

  test('a pure deletion: offsets inside collapse onto its start', () => {
    const c = change(4, 8, 0);
    for (const bias of ['before', 'after'] as const) {
      assert.equal(mapOffset(4, c, bias), 4);
      assert.equal(mapOffset(6, c, bias), 4);
      assert.equal(mapOffset(8, c, bias), 4);
      assert.equal(mapOffset(9, c, bias), 5);
    }
  });

  test('an edit at offset 0 and at the end of the text', () => {
    assert.equal(mapOffset(0, change(0, 0, 5), 'before'), 0);
    assert.equal(mapOffset(0, change(0, 0, 5), 'after'), 5);
    assert.equal(mapOffset(20, change(20, 20, 2), 'after'), 22);
    assert.equal(mapOffset(20, change(20, 20, 2), 'before'), 20);
  });
});

describe('touches', () => {
  test('sharing a boundary counts; a gap of one does not', () => {
    const c = change(10, 12, 1);
    assert.ok(touches(r(5, 10), c), 'ends where the change starts');
    assert.ok(touches(r(12, 14), c), 'starts where the change ends');
    assert.ok(touches(r(0, 30), c), 'covers it');
    assert.ok(!touches(r(5, 9), c));
    assert.ok(!touches(r(13, 14), c));
    assert.ok(touches(r(10, 10), change(10, 10, 1)), 'an empty range at an insertion');
  });
});

describe('shiftItems', () => {
  test('items before stay (same object), after move, touched ones are dropped', () => {
    const a = { start: 0, end: 3, label: 'A' };
    const b = { start: 5, end: 8, label: 'B' }; // touches the change at 8
    const c = { start: 9, end: 12, label: 'C' };
    const d = { start: 14, end: 20, label: 'D' };
    const out = shiftItems([a, b, c, d], change(8, 10, 5)); // delta +3
    assert.equal(out.length, 2);
    assert.equal(out[0], a);
    assert.deepEqual(out[1], { start: 17, end: 23, label: 'D' }, 'extra fields are kept');
    assert.deepEqual(d, { start: 14, end: 20, label: 'D' }, 'the input is not changed');
  });

  test('an empty list and a no-op change', () => {
    assert.deepEqual(shiftItems([], change(3, 3, 0)), []);
    // an empty change still drops what touches it (the editor re-tags there)
    assert.deepEqual(shiftItems([r(0, 3), r(5, 7)], change(3, 3, 0)), [r(5, 7)]);
  });

  test('random items and edits: kept items keep their text; dropped ones are exactly those touched', () => {
    const rng = new Rng(101);
    for (let trial = 0; trial < 300; trial++) {
      const text = randomText(rng, 40);
      const list = randomSortedRanges(rng, text.length, false);
      const { c, inserted } = randomChange(rng, text.length);
      const after = apply(text, c, inserted);
      const out = shiftItems(list, c);
      const expected = list.filter((x) => !(x.end >= c.start && x.start <= c.oldEnd));
      assert.equal(out.length, expected.length);
      out.forEach((x, i) => assert.equal(slice(after, x), slice(text, expected[i]), `trial ${trial}`));
    }
  });
});

describe('shiftInPlace', () => {
  test('does what shiftItems does, in place, on random sorted lists', () => {
    const rng = new Rng(202);
    for (let trial = 0; trial < 400; trial++) {
      const list = randomSortedRanges(rng, 50, false);
      const { c } = randomChange(rng, 50);
      const expected = shiftItems(list, c);
      const copy = list.map((x) => ({ ...x }));
      shiftInPlace(copy, c);
      assert.deepEqual(copy, expected, `trial ${trial}: ${JSON.stringify({ list, c })}`);
    }
  });

  test('mutates the moved items and leaves the earlier ones alone', () => {
    const first = r(0, 2);
    const moved = r(10, 12);
    const list = [first, r(4, 6), moved];
    shiftInPlace(list, change(5, 5, 4));
    assert.deepEqual(list, [r(0, 2), r(14, 16)]);
    assert.equal(list[0], first);
    assert.equal(list[1], moved, 'the same object, moved');
  });
});

describe('shiftRangesSplit', () => {
  test('a change inside a range splits it around the new text', () => {
    assert.deepEqual(shiftRangesSplit([r(0, 20)], change(5, 8, 2)), [r(0, 5), r(7, 19)]);
  });

  test('a change covering a range removes it; one on its edge trims it', () => {
    assert.deepEqual(shiftRangesSplit([r(5, 8)], change(4, 9, 1)), []);
    assert.deepEqual(shiftRangesSplit([r(5, 10)], change(8, 12, 0)), [r(5, 8)]);
    assert.deepEqual(shiftRangesSplit([r(5, 10)], change(2, 7, 0)), [r(2, 5)]);
  });

  test('ranges that only touch the change are not cut', () => {
    assert.deepEqual(shiftRangesSplit([r(0, 5), r(8, 10)], change(5, 8, 1)), [r(0, 5), r(6, 8)]);
  });

  test('a pure insertion inside a range splits it: typed text is not reviewed', () => {
    assert.deepEqual(shiftRangesSplit([r(0, 10)], change(4, 4, 3)), [r(0, 4), r(7, 13)]);
  });

  test('random ranges and edits: covers exactly the surviving reviewed characters', () => {
    const rng = new Rng(303);
    for (let trial = 0; trial < 400; trial++) {
      const n = 40;
      const ranges = normalizeRanges(randomRanges(rng, n, 1 + rng.int(5)));
      const { c } = randomChange(rng, n);
      const out = shiftRangesSplit(ranges, c);
      // reference: per character, reviewed or not; the replaced characters go, the new ones are not reviewed
      const covered = new Array<boolean>(n).fill(false);
      for (const i of cells(ranges)) covered[i] = true;
      const expected = [
        ...covered.slice(0, c.start),
        ...new Array<boolean>(c.newLength).fill(false),
        ...covered.slice(c.oldEnd),
      ];
      const got = new Array<boolean>(expected.length).fill(false);
      for (const i of cells(out)) got[i] = true;
      assert.deepEqual(got, expected, `trial ${trial}: ${JSON.stringify({ ranges, c })}`);
      assert.ok(
        out.every((x) => x.end > x.start),
        'no empty range',
      );
      for (let i = 1; i < out.length; i++) assert.ok(out[i].start >= out[i - 1].end, 'sorted, not overlapping');
    }
  });
});

describe('shiftRangesStretch', () => {
  test('an edit inside a range grows or shrinks it', () => {
    assert.deepEqual(shiftRangesStretch([r(0, 10)], change(4, 6, 5)), [r(0, 13)]);
    assert.deepEqual(shiftRangesStretch([r(0, 10)], change(4, 9, 0)), [r(0, 5)]);
  });

  test('typing at either end of a range takes the typed text in', () => {
    assert.deepEqual(shiftRangesStretch([r(5, 10)], change(10, 10, 2)), [r(5, 12)]);
    assert.deepEqual(shiftRangesStretch([r(5, 10)], change(5, 5, 2)), [r(5, 12)]);
  });

  test('deleting a range whole leaves an empty range where it was; extra fields stay', () => {
    const [out] = shiftRangesStretch([{ start: 5, end: 10, id: 7 }], change(3, 12, 0));
    assert.deepEqual(out, { start: 3, end: 3, id: 7 });
  });

  test('random ranges and edits: the surviving text stays inside, untouched ranges keep their text', () => {
    const rng = new Rng(404);
    for (let trial = 0; trial < 400; trial++) {
      const text = randomText(rng, 40);
      const ranges = randomRanges(rng, text.length, 4);
      const { c, inserted } = randomChange(rng, text.length);
      const after = apply(text, c, inserted);
      const out = shiftRangesStretch(ranges, c);
      assert.equal(out.length, ranges.length);
      ranges.forEach((x, i) => {
        const y = out[i];
        const what = `trial ${trial}: ${JSON.stringify({ x, c, y })}`;
        assert.ok(y.start <= y.end && y.start >= 0 && y.end <= after.length, what);
        const got = slice(after, y);
        if (x.end < c.start || x.start > c.oldEnd) {
          assert.equal(got, slice(text, x), what);
          return;
        }
        // the range's own characters before and after the replaced text are still its ends
        const before = text.slice(x.start, Math.min(x.end, c.start));
        const behind = x.end > c.oldEnd ? text.slice(Math.max(x.start, c.oldEnd), x.end) : '';
        assert.ok(got.startsWith(before), what);
        assert.ok(got.endsWith(behind), what);
        if (x.start < c.start && c.oldEnd < x.end) assert.equal(got, before + inserted + behind, what);
      });
    }
  });
});

describe('normalizeRanges, addRange, subtractRange', () => {
  test('sorts, merges overlapping and touching ranges, drops reversed ones, copies', () => {
    const input = [r(8, 10), r(0, 3), r(2, 5), r(5, 6), r(12, 12), r(9, 7)];
    const out = normalizeRanges(input);
    assert.deepEqual(out, [r(0, 6), r(8, 10), r(12, 12)]);
    out[0].end = 99;
    assert.deepEqual(input[1], r(0, 3), 'the input ranges are not the output objects');
    assert.deepEqual(normalizeRanges([]), []);
  });

  test('an empty range on the edge of another merges into it', () => {
    assert.deepEqual(normalizeRanges([r(3, 3), r(0, 3)]), [r(0, 3)]);
    assert.deepEqual(normalizeRanges([r(3, 3), r(3, 3)]), [r(3, 3)]);
  });

  test('random ranges: sorted, apart, same characters, every input range inside one output range', () => {
    const rng = new Rng(505);
    for (let trial = 0; trial < 300; trial++) {
      const input = randomRanges(rng, 30, rng.int(7));
      const out = normalizeRanges(input);
      for (let i = 1; i < out.length; i++) assert.ok(out[i].start > out[i - 1].end, JSON.stringify(out));
      assert.deepEqual(cells(out), cells(input));
      for (const x of input) assert.ok(insideAny(x, out), `${JSON.stringify(x)} in ${JSON.stringify(out)}`);
      assert.deepEqual(normalizeRanges(out), out, 'idempotent');
    }
  });

  test('addRange joins what it bridges', () => {
    assert.deepEqual(addRange([r(0, 2), r(5, 7), r(10, 12)], r(2, 6)), [r(0, 7), r(10, 12)]);
    assert.deepEqual(addRange([], r(4, 9)), [r(4, 9)]);
  });

  test('subtractRange: splits a range around the cut, drops what it covers, keeps the rest', () => {
    assert.deepEqual(subtractRange([r(0, 10)], r(3, 5)), [r(0, 3), r(5, 10)]);
    assert.deepEqual(subtractRange([r(0, 3), r(4, 6), r(8, 12)], r(2, 9)), [r(0, 2), r(9, 12)]);
    assert.deepEqual(subtractRange([r(0, 3)], r(3, 5)), [r(0, 3)], 'touching is not cutting');
    assert.deepEqual(subtractRange([r(4, 4)], r(4, 6)), [], 'an empty range on the cut edge goes');
    assert.deepEqual(subtractRange([r(0, 10)], r(5, 5)), [r(0, 10)], 'an empty cut cuts nothing');
  });

  test('random ranges and cuts: exactly the characters outside the cut remain, in ranges that avoid it', () => {
    const rng = new Rng(606);
    for (let trial = 0; trial < 300; trial++) {
      const ranges = normalizeRanges(randomRanges(rng, 30, rng.int(6))).filter((x) => x.end > x.start);
      const [cut] = randomRanges(rng, 30, 1);
      const out = subtractRange(ranges, cut);
      const cutCells = new Set(cells([cut]));
      assert.deepEqual(
        cells(out),
        cells(ranges).filter((i) => !cutCells.has(i)),
      );
      for (const x of out) {
        assert.ok(x.end > x.start, 'no empty piece');
        if (cut.end > cut.start) assert.ok(!overlaps(x, cut), 'no piece overlaps the cut');
        assert.ok(insideAny(x, ranges), 'every piece comes from one range');
      }
    }
  });
});

describe('overlaps, contains, insideAny, overlapsAnySorted', () => {
  test('half-open ranges: touching is not overlapping; containment includes the edges', () => {
    assert.ok(!overlaps(r(0, 5), r(5, 9)));
    assert.ok(overlaps(r(0, 6), r(5, 9)));
    assert.ok(overlaps(r(3, 3), r(0, 5)), 'an empty range strictly inside overlaps');
    assert.ok(!overlaps(r(0, 0), r(0, 5)), 'an empty range on the start does not');
    assert.ok(contains(r(0, 5), r(0, 5)));
    assert.ok(contains(r(0, 5), r(5, 5)));
    assert.ok(!contains(r(0, 5), r(4, 6)));
  });

  test('insideAny: no ranges (or undefined) contain nothing; one range must hold it whole', () => {
    assert.equal(insideAny(r(1, 2), undefined), false);
    assert.equal(insideAny(r(1, 2), []), false);
    assert.equal(insideAny(r(2, 8), [r(0, 5), r(5, 10)]), false, 'two touching ranges are not one');
    assert.equal(insideAny(r(5, 10), [r(0, 5), r(5, 10)]), true);
  });

  test('overlapsAnySorted agrees with the linear overlapsAny on random sorted ranges', () => {
    const rng = new Rng(707);
    for (let trial = 0; trial < 500; trial++) {
      const ranges = randomSortedRanges(rng, 40, true);
      const [q] = randomRanges(rng, 42, 1);
      assert.equal(overlapsAnySorted(q, ranges), overlapsAny(q, ranges), JSON.stringify({ q, ranges }));
    }
    assert.equal(overlapsAnySorted(r(0, 5), []), false);
  });
});

describe('spliceRegion and replaceInRegion', () => {
  test('replaces the items overlapping the region, keeps neighbours that only touch it', () => {
    const list = [r(0, 2), r(3, 5), r(6, 8), r(9, 12), r(12, 14)];
    spliceRegion(list, r(5, 12), [r(6, 7), r(10, 11)]);
    assert.deepEqual(list, [r(0, 2), r(3, 5), r(6, 7), r(10, 11), r(12, 14)]);
  });

  test('an empty item on the region start belongs to the region; one on its end does not', () => {
    const list = [r(0, 2), r(4, 4), r(4, 6), r(8, 8)];
    spliceRegion(list, r(4, 8), []);
    assert.deepEqual(list, [r(0, 2), r(8, 8)]);
  });

  test('an empty region inserts without removing touching items; splits nothing', () => {
    const list = [r(0, 4), r(4, 8)];
    spliceRegion(list, r(4, 4), [r(4, 4)]);
    assert.deepEqual(list, [r(0, 4), r(4, 4), r(4, 8)]);
  });

  test('replaceInRegion leaves its input alone', () => {
    const list = [r(0, 2), r(3, 5)];
    const out = replaceInRegion(list, r(0, 10), [r(1, 9)]);
    assert.deepEqual(out, [r(1, 9)]);
    assert.deepEqual(list, [r(0, 2), r(3, 5)]);
  });

  test('random lists and regions: same as a linear filter-and-sort', () => {
    const rng = new Rng(808);
    for (let trial = 0; trial < 400; trial++) {
      const list = randomSortedRanges(rng, 40, true);
      const [region] = randomRanges(rng, 40, 1);
      // new items: sorted, non-empty, inside the region
      const added = randomSortedRanges(rng, region.end - region.start, false)
        .map((x) => r(x.start + region.start, x.end + region.start))
        .filter((x) => x.end > x.start);
      const removed = (x: Range): boolean =>
        overlaps(x, region) ||
        (x.start === x.end && x.start === region.start && region.start < region.end) ||
        (x.start === x.end && x.start > region.start && x.start < region.end);
      const expected = [...list.filter((x) => !removed(x)), ...added].sort((a, b) => a.start - b.start);
      const got = list.map((x) => ({ ...x }));
      spliceRegion(got, region, added);
      assert.deepEqual(got, expected, `trial ${trial}: ${JSON.stringify({ list, region, added })}`);
    }
  });
});
