import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstEndingAfter, firstStartingAt } from '../../../src/model/core/ranges';

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
