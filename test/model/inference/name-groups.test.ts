// Distinct names among a document's entities: one group per label and text, occurrences in
// order, and stepping from one occurrence to the next.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { groupByName, nameKey, siblingOccurrence } from '../../../src/model/inference/name-groups';
import type { Entity } from '../../../src/model/core/types';

const e = (label: string, text: string, start: number, confidence = 0.5): Entity => ({
  label,
  text,
  start,
  end: start + text.length,
  confidence,
});

describe('groupByName', () => {
  const list = [
    e('PARTY', 'Bravatek', 0, 0.52),
    e('DATE', 'May 5, 2024', 20, 0.9),
    e('PARTY', 'BRAVATEK', 40, 0.58),
    e('PARTY', 'Bravatek\nSolutions', 60, 0.4),
    e('ADDRESS', 'Bravatek', 80, 0.3),
    e('PARTY', 'Bravatek', 100, 0.55),
  ];

  test('one group per label and text (case and whitespace aside), in order of first occurrence', () => {
    const groups = groupByName(list);
    assert.deepEqual(
      groups.map((g) => [g.label, g.name, g.items.map((x) => x.start)]),
      [
        ['PARTY', 'Bravatek', [0, 40, 100]],
        ['DATE', 'May 5, 2024', [20]],
        ['PARTY', 'Bravatek Solutions', [60]],
        ['ADDRESS', 'Bravatek', [80]],
      ],
    );
    assert.equal(groups[0].minConfidence, 0.52);
    assert.equal(groups[0].maxConfidence, 0.58);
    assert.equal(nameKey(list[0]), nameKey(list[2]));
  });

  test('keep picks the entities that count', () => {
    const low = groupByName(list, (x) => x.confidence < 0.55);
    assert.deepEqual(
      low.map((g) => [g.name, g.items.length]),
      [
        ['Bravatek', 1],
        ['Bravatek Solutions', 1],
        ['Bravatek', 1],
      ],
    );
  });

  test('siblingOccurrence steps through a name, wrapping around; none for a single occurrence', () => {
    assert.equal(siblingOccurrence(list, list[0], 1)?.start, 40);
    assert.equal(siblingOccurrence(list, list[2], 1)?.start, 100);
    assert.equal(siblingOccurrence(list, list[5], 1)?.start, 0);
    assert.equal(siblingOccurrence(list, list[0], -1)?.start, 100);
    assert.equal(siblingOccurrence(list, list[1], 1), undefined);
  });
});
