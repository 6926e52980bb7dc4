// Judged ranges as the editor keeps them: merged per label (never across labels), moved and
// split by edits, cut to a saved passage, and put back inside a region by an undo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  clipLabelRanges,
  normalizeLabelRanges,
  restoreLabelRanges,
  shiftLabelRanges,
} from '../../../src/extension/label-ranges';

test('ranges of one label merge when they touch; ranges of different labels never do', () => {
  assert.deepEqual(
    normalizeLabelRanges([
      { start: 10, end: 20, label: 'PARTY' },
      { start: 0, end: 5, label: 'DATE' },
      { start: 20, end: 30, label: 'PARTY' },
      { start: 12, end: 14, label: 'DATE' },
      { start: 7, end: 7, label: 'PARTY' },
    ]),
    [
      { start: 0, end: 5, label: 'DATE' },
      { start: 10, end: 30, label: 'PARTY' },
      { start: 12, end: 14, label: 'DATE' },
    ],
  );
});

test('an edit moves the ranges after it and leaves the edited text unjudged', () => {
  const judged = [
    { start: 0, end: 10, label: 'PARTY' },
    { start: 20, end: 30, label: 'DATE' },
  ];
  // "abc" typed over characters 4..6
  assert.deepEqual(shiftLabelRanges(judged, { start: 4, oldEnd: 6, newLength: 3 }), [
    { start: 0, end: 4, label: 'PARTY' },
    { start: 7, end: 11, label: 'PARTY' },
    { start: 21, end: 31, label: 'DATE' },
  ]);
});

test('a record stores the parts inside its passage, relative to its start', () => {
  assert.deepEqual(
    clipLabelRanges(
      [
        { start: 0, end: 15, label: 'PARTY' },
        { start: 18, end: 22, label: 'DATE' },
        { start: 40, end: 50, label: 'AMOUNT' },
      ],
      { start: 10, end: 30 },
    ),
    [
      { start: 0, end: 5, label: 'PARTY' },
      { start: 8, end: 12, label: 'DATE' },
    ],
  );
});

test('undo puts back the earlier ranges inside the region and keeps the rest as it is now', () => {
  const before = [{ start: 0, end: 8, label: 'PARTY' }];
  const now = [
    { start: 0, end: 8, label: 'PARTY' },
    { start: 20, end: 25, label: 'DATE' },
    { start: 50, end: 60, label: 'PARTY' },
  ];
  assert.deepEqual(restoreLabelRanges(now, before, [{ start: 15, end: 30 }]), [
    { start: 0, end: 8, label: 'PARTY' },
    { start: 50, end: 60, label: 'PARTY' },
  ]);
  // a region over part of a range: the part outside stays
  assert.deepEqual(restoreLabelRanges([{ start: 0, end: 30, label: 'DATE' }], [], [{ start: 10, end: 20 }]), [
    { start: 0, end: 10, label: 'DATE' },
    { start: 20, end: 30, label: 'DATE' },
  ]);
});
