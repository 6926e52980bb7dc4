// What a person's records say about a scoped model's overlaps with its base: the base labels a
// corrected label takes over, and the labels whose lent names the person removed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { notLentOf, takeoversOf } from '../../../src/model/learning/takeovers';
import type { AnnotatedDocument, Entity, Span } from '../../../src/model/core/types';

const s = (start: number, end: number, label: string): Span => ({ start, end, label });
const e = (start: number, end: number, label: string): Entity => ({ start, end, label, text: '', confidence: 1 });

test('takeoversOf: the base labels a person marked over, at least twice and at least half of them where judged', () => {
  const doc = (spans: AnnotatedDocument['spans'], judged: AnnotatedDocument['judged']): AnnotatedDocument => ({
    id: 'd',
    text: 'x'.repeat(100),
    spans,
    judged,
  });
  const records = [
    doc([s(0, 5, 'LOCATION'), s(7, 12, 'LOCATION'), s(14, 18, 'LOCATION')], [{ start: 0, end: 40, label: 'LOCATION' }]),
    doc([s(0, 8, 'LOCATION'), s(10, 15, 'LOCATION'), s(20, 30, 'PARTY')], [{ start: 0, end: 60, label: 'LOCATION' }]),
  ];
  const shown = [
    [e(0, 12, 'ADDRESS'), e(20, 25, 'PARTY')],
    [e(2, 6, 'JURISDICTION'), e(10, 15, 'ADDRESS'), e(20, 30, 'PARTY'), e(45, 50, 'PARTY'), e(70, 80, 'ADDRESS')],
  ];
  // two ADDRESSes under marks (one over two of them counts once; the one at 70 lies outside what
  // was judged); JURISDICTION once; PARTY is in the scope
  assert.deepEqual(takeoversOf(records, shown, ['LOCATION', 'PARTY']), { LOCATION: ['ADDRESS'] });
  shown[0].push(e(14, 18, 'JURISDICTION'));
  assert.deepEqual(takeoversOf(records, shown, ['LOCATION', 'PARTY']), { LOCATION: ['ADDRESS', 'JURISDICTION'] });
  // two parties under LOCATION marks among the five shown where LOCATION was judged: not half
  shown[0].push(e(26, 30, 'PARTY'));
  records[0].spans.push(s(26, 30, 'LOCATION'));
  shown[1].push(e(0, 1, 'PARTY'));
  assert.deepEqual(takeoversOf(records, shown, ['LOCATION']).LOCATION, ['ADDRESS', 'JURISDICTION']);
  assert.deepEqual(takeoversOf(records, [], ['LOCATION']), {});
});

test('notLentOf: a label whose lent names the person mostly removed', () => {
  const receipt = (spans: Span[]): AnnotatedDocument => ({
    id: 'r',
    text: 'x'.repeat(100),
    spans,
    judged: [{ start: 0, end: 100, label: 'PARTY' }],
  });
  const lent = (start: number, end: number): Entity => ({ ...e(start, end, 'PARTY'), source: 'document' });
  // the seller confirmed; its name lent to three item lines, one of them kept by the person
  const records = [receipt([s(0, 10, 'PARTY'), s(50, 55, 'PARTY')]), receipt([s(0, 10, 'PARTY')])];
  const shown = [
    [e(0, 10, 'PARTY'), lent(30, 35), lent(50, 55)],
    [e(0, 10, 'PARTY'), lent(60, 65)],
  ];
  assert.deepEqual(notLentOf(records, shown, ['PARTY', 'ADDRESS']), ['PARTY']);
  // two of four kept: not fewer than half
  records[1].spans.push(s(60, 65, 'PARTY'));
  assert.deepEqual(notLentOf(records, shown, ['PARTY']), []);
  // too few lent names to judge
  assert.deepEqual(notLentOf(records.slice(1), shown.slice(1), ['PARTY']), []);
});
