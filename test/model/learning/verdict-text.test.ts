// How a verdict reads: the summary is the reason plus the reference set's scores with its size;
// the report has one table per set, each headed by its set and size, so scores of different
// sets never share a column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeVerdict } from '../../../src/model/learning/verdict-text';
import type { LabelComparison, SetComparison, Verdict } from '../../../src/model/learning/promotion';
import type { EvalReport } from '../../../src/model/evaluation/evaluate';

const cmp = (label: string, candidate: number, current: number, support: number): LabelComparison => ({
  label,
  candidate,
  current,
  delta: candidate - current,
  low: candidate - current - 0.01,
  high: candidate - current + 0.01,
  support,
});
const set = (name: SetComparison['set'], documents: number, labels: LabelComparison[]): SetComparison => ({
  set: name,
  documents,
  entities: labels.reduce((n, l) => n + l.support, 0),
  candidate: {} as EvalReport,
  current: {} as EvalReport,
  labels,
  better: 0,
  worse: 0,
  micro: cmp(
    'micro',
    0.9,
    0.8,
    labels.reduce((n, l) => n + l.support, 0),
  ),
});

test('a verdict with both sets: the reason, the reference scores with their size, one table per set', () => {
  const verdict: Verdict = {
    promote: true,
    reason: 'The new model is used: held-out F1 0.900 against 0.800 on 12 held-out entities in 3 documents.',
    heldOut: set('held-out', 3, [cmp('PARTY', 0.9, 0.8, 12)]),
    reference: set('reference', 211, [cmp('PARTY', 0.78, 0.781, 4208), cmp('DATE', 0.985, 0.985, 900)]),
  };
  const { summary, markdown } = describeVerdict(verdict);
  assert.equal(
    summary,
    `${verdict.reason} Reference set: F1 0.900 for the new model, 0.800 for the current one (5108 entities in 211 documents).`,
  );
  const [held, reference] = markdown.split(/\n\n(?=\*\*)/);
  assert.match(held, /^\*\*Your held-out documents\*\* \(3 documents, 12 entities/);
  assert.match(held, /\| PARTY \| 0\.900 \| 0\.800 \| \+10\.0 \[\+9\.0, \+11\.0\] \| 12 \|/);
  assert.match(reference, /^\*\*Reference set shipped with the model\*\* \(211 documents, 5108 entities\)/);
  assert.match(reference, /\| PARTY \| 0\.780 \| 0\.781 \| −0\.1 \[−1\.1, \+0\.9\] \| 4208 \|/);
});

test('a verdict without comparisons reads as its reason alone', () => {
  const { summary, markdown } = describeVerdict({
    promote: true,
    reason: 'There was no model before.',
    heldOut: null,
    reference: null,
  });
  assert.equal(summary, 'There was no model before.');
  assert.equal(markdown, '');
});
