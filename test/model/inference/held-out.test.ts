// Held-out scoring of workspace annotations: which records are held out (by a hash of the
// id, so the same ones across trainings), and a score that counts only predictions inside
// the ranges a person reviewed.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  evaluateOn,
  isHeldOut,
  judgedLabels,
  judgedRanges,
  reportTable,
  reviewedRanges,
  splitHeldOut,
} from '../../../src/model/inference/held-out';
import type { Tagger } from '../../../src/model/inference/tagger';
import type { AnnotatedDocument, Entity, Span } from '../../../src/model/core/types';

const ids = Array.from({ length: 4000 }, (_, i) => `editor:${i.toString(16).padStart(8, '0')}`);

describe('isHeldOut and splitHeldOut', () => {
  test('about 15% of ids, the same ones on every call', () => {
    const held = ids.filter((id) => isHeldOut(id));
    const share = held.length / ids.length;
    assert.ok(share > 0.13 && share < 0.17, `share ${share}`);
    assert.deepEqual(
      ids.filter((id) => isHeldOut(id)),
      held,
    );
  });

  test('depends on the id alone: a record keeps its side when others come and go', () => {
    const before = new Map(ids.slice(0, 500).map((id) => [id, isHeldOut(id)]));
    const { heldOut } = splitHeldOut([...ids.slice(250, 1000), ...ids.slice(0, 250)].map((id) => ({ id })));
    const heldSet = new Set(heldOut.map((d) => d.id));
    for (const [id, held] of before) assert.equal(heldSet.has(id), held, id);
  });

  test('the percent: 0 holds nothing out, 100 everything; a larger share contains the smaller', () => {
    assert.equal(ids.filter((id) => isHeldOut(id, 0)).length, 0);
    assert.equal(ids.filter((id) => isHeldOut(id, 100)).length, ids.length);
    for (const id of ids.slice(0, 500)) if (isHeldOut(id, 10)) assert.ok(isHeldOut(id, 30), id);
  });

  test('splitHeldOut: a partition in input order, the records themselves', () => {
    const docs = ids.slice(0, 300).map((id, n) => ({ id, n }));
    const { train, heldOut } = splitHeldOut(docs);
    assert.equal(train.length + heldOut.length, docs.length);
    assert.ok(heldOut.length > 0 && train.length > 0);
    for (const part of [train, heldOut]) for (let i = 1; i < part.length; i++) assert.ok(part[i].n > part[i - 1].n);
    assert.equal(heldOut[0], docs[heldOut[0].n], 'the same objects, not copies');
    assert.ok(heldOut.every((d) => isHeldOut(d.id)) && train.every((d) => !isHeldOut(d.id)));
    assert.deepEqual(splitHeldOut([]), { train: [], heldOut: [] });
  });
});

describe('reviewedRanges', () => {
  const text = 'Acme Corp. shall pay Beta LLC on May 5, 2024.';
  test('complete: "all" is the whole text', () => {
    assert.deepEqual(reviewedRanges({ id: 'a', text, spans: [], complete: 'all' }), [{ start: 0, end: text.length }]);
  });

  test('otherwise the reviewed ranges and the labelled spans', () => {
    const doc: AnnotatedDocument = {
      id: 'b',
      text,
      spans: [{ start: 0, end: 10, label: 'PARTY' }],
      reviewed: [{ start: 21, end: 29 }],
      complete: ['PARTY'],
    };
    assert.deepEqual(reviewedRanges(doc), [
      { start: 21, end: 29 },
      { start: 0, end: 10, label: 'PARTY' },
    ]);
    assert.deepEqual(reviewedRanges({ id: 'c', text, spans: [] }), [], 'nothing reviewed, nothing labelled');
  });
});

describe('judgedRanges and judgedLabels', () => {
  const text = 'Acme Corp. shall pay Beta LLC on May 5, 2024.';
  const doc: AnnotatedDocument = {
    id: 'j',
    text,
    spans: [{ start: 0, end: 10, label: 'PARTY' }],
    reviewed: [{ start: 33, end: 44 }],
    judged: [
      { start: 11, end: 30, label: 'PARTY' },
      { start: 0, end: 20, label: 'DATE' },
    ],
  };

  test("a label's judged ranges, the reviewed ranges and its own spans; the whole text when it is complete", () => {
    assert.deepEqual(judgedRanges(doc, 'PARTY'), [
      { start: 33, end: 44 },
      { start: 11, end: 30 },
      { start: 0, end: 10 },
    ]);
    assert.deepEqual(judgedRanges(doc, 'DATE'), [
      { start: 33, end: 44 },
      { start: 0, end: 20 },
    ]);
    assert.deepEqual(judgedRanges({ ...doc, complete: ['DATE'] }, 'DATE'), [{ start: 0, end: text.length }]);
    assert.deepEqual(judgedRanges({ ...doc, complete: 'all' }, 'AMOUNT'), [{ start: 0, end: text.length }]);
    assert.deepEqual(judgedRanges({ id: 'e', text, spans: [] }, 'PARTY'), []);
  });

  test('labels some record judges, in the order asked', () => {
    const noReview = { ...doc, reviewed: undefined };
    assert.deepEqual(judgedLabels([noReview], ['AMOUNT', 'DATE', 'PARTY']), ['DATE', 'PARTY']);
    assert.deepEqual(
      judgedLabels([doc], ['AMOUNT', 'DATE']),
      ['AMOUNT', 'DATE'],
      'a reviewed range judges every label',
    );
    assert.deepEqual(judgedLabels([{ id: 'x', text, spans: [], complete: ['TAX_ID'] }], ['PARTY', 'TAX_ID']), [
      'TAX_ID',
    ]);
    assert.deepEqual(judgedLabels([], ['PARTY']), []);
  });
});

/** A stand-in for the tagger: fixed entities per text. */
function fakeTagger(byText: Record<string, Span[]>): Tagger {
  const calls: string[] = [];
  const tagger = {
    calls,
    async tag(text: string): Promise<Entity[]> {
      calls.push(text);
      return (byText[text] ?? []).map((s) => ({ ...s, text: text.slice(s.start, s.end), confidence: 0.9 }));
    },
  };
  return tagger as unknown as Tagger;
}

describe('evaluateOn', () => {
  const text = 'Acme Corp. pays Beta LLC. Gamma Inc. was paid on May 5, 2024 too.';
  const acme = { start: 0, end: 10, label: 'PARTY' };
  const beta = { start: 16, end: 24, label: 'PARTY' };
  const gamma = { start: 26, end: 36, label: 'PARTY' };
  const date = { start: 49, end: 60, label: 'DATE' };

  test('a prediction outside every reviewed range is not counted, right or wrong', async () => {
    // only Acme Corp. was reviewed (and labelled); Gamma Inc. is predicted but nobody looked there
    const doc: AnnotatedDocument = { id: 'd', text, spans: [acme] };
    const tagger = fakeTagger({ [text]: [acme, gamma] });
    const r = await evaluateOn(tagger, [doc], ['PARTY']);
    const party = r.labels.find((l) => l.label === 'PARTY');
    assert.deepEqual([party?.tp, party?.fp, party?.fn], [1, 0, 0]);
  });

  test('inside a reviewed range a spurious prediction is a false positive and a miss a false negative', async () => {
    const doc: AnnotatedDocument = {
      id: 'e',
      text,
      spans: [acme, beta],
      reviewed: [{ start: 0, end: 37 }],
    };
    // Beta missed, Gamma spurious inside the reviewed passage, the date is outside it
    const tagger = fakeTagger({ [text]: [acme, gamma, date] });
    const r = await evaluateOn(tagger, [doc], ['PARTY', 'DATE']);
    const party = r.labels.find((l) => l.label === 'PARTY');
    const dateScore = r.labels.find((l) => l.label === 'DATE');
    assert.deepEqual([party?.tp, party?.fp, party?.fn], [1, 1, 1]);
    assert.deepEqual([dateScore?.tp, dateScore?.fp, dateScore?.fn], [0, 0, 0]);
  });

  test('a prediction that only partly overlaps a reviewed range is counted (a boundary error there is an error)', async () => {
    const doc: AnnotatedDocument = { id: 'f', text, spans: [], reviewed: [{ start: 30, end: 40 }] };
    const tagger = fakeTagger({ [text]: [gamma] }); // 26-36 crosses the reviewed range's start
    const r = await evaluateOn(tagger, [doc], ['PARTY']);
    assert.equal(r.labels.find((l) => l.label === 'PARTY')?.fp, 1);
  });

  test('complete: "all" counts everything; labels outside the list count nowhere', async () => {
    const doc: AnnotatedDocument = { id: 'g', text, spans: [acme, date], complete: 'all' };
    const tagger = fakeTagger({ [text]: [acme, gamma, date] });
    const r = await evaluateOn(tagger, [doc], ['PARTY']);
    assert.deepEqual(
      r.labels.map((l) => l.label),
      ['PARTY'],
    );
    const party = r.labels[0];
    assert.deepEqual([party.tp, party.fp, party.fn, party.support], [1, 1, 0, 1]);
    assert.equal(r.micro.tp + r.micro.fp + r.micro.fn, 2, 'the DATE span and prediction are left out');
  });

  test("a label's prediction counts where that label is judged: its judged ranges, its spans, or everywhere when complete", async () => {
    // PARTY judged over the first sentence: Gamma (outside) is not counted, Beta (inside, missed) is;
    // the date is predicted where only PARTY was judged, so it is not counted
    const doc: AnnotatedDocument = {
      id: 'k',
      text,
      spans: [acme, beta],
      judged: [{ start: 0, end: 25, label: 'PARTY' }],
    };
    const spurious = { start: 11, end: 15, label: 'PARTY' }; // "pays", inside the judged range
    const r = await evaluateOn(fakeTagger({ [text]: [acme, spurious, gamma, date] }), [doc], ['PARTY', 'DATE']);
    const [party, dateScore] = ['PARTY', 'DATE'].map((l) => r.labels.find((s) => s.label === l));
    assert.deepEqual([party?.tp, party?.fp, party?.fn], [1, 1, 1]);
    assert.deepEqual([dateScore?.tp, dateScore?.fp, dateScore?.fn], [0, 0, 0]);
    // DATE complete: the whole record is judged for DATE, still not for PARTY
    const complete = await evaluateOn(
      fakeTagger({ [text]: [gamma, date] }),
      [{ ...doc, complete: ['DATE'] }],
      ['PARTY', 'DATE'],
    );
    const completeDate = complete.labels.find((s) => s.label === 'DATE');
    assert.deepEqual([completeDate?.tp, completeDate?.fp], [0, 1]);
    assert.equal(complete.labels.find((s) => s.label === 'PARTY')?.fp, 0);
  });

  test('every document is tagged once, whole; scores add up over documents', async () => {
    const other = 'Delta GmbH signed.';
    const docs: AnnotatedDocument[] = [
      { id: 'h', text, spans: [acme], complete: 'all' },
      { id: 'i', text: other, spans: [{ start: 0, end: 10, label: 'PARTY' }], complete: 'all' },
    ];
    const tagger = fakeTagger({ [text]: [acme], [other]: [] });
    const r = await evaluateOn(tagger, docs, ['PARTY']);
    assert.deepEqual((tagger as unknown as { calls: string[] }).calls, [text, other]);
    assert.deepEqual([r.micro.tp, r.micro.fn], [1, 1]);
    assert.equal(r.micro.recall, 0.5);
  });

  test('no documents: zero counts, n/a for the label, a micro row', async () => {
    const r = await evaluateOn(fakeTagger({}), [], ['PARTY']);
    assert.equal(r.micro.tp + r.micro.fp + r.micro.fn, 0);
    const table = reportTable(r);
    assert.match(table, /^\| label \| precision \| recall \| F1 \| support \|$/m);
    assert.match(table, /^\| PARTY \| n\/a \| n\/a \| n\/a \| 0 \|$/m);
    assert.match(table, /^\| \*\*micro\*\* \| 0\.000 \| 0\.000 \| \*\*0\.000\*\* \| 0 \|$/m);
  });

  test('reportTable prints n/a for a recall-only label and sums the support', async () => {
    const doc: AnnotatedDocument = { id: 'j', text, spans: [acme, beta, date], complete: 'all' };
    const r = await evaluateOn(fakeTagger({ [text]: [acme, date] }), [doc], ['PARTY', 'DATE']);
    const table = reportTable(r);
    assert.match(table, /^\| PARTY \| 1\.000 \| 0\.500 \| 0\.667 \| 2 \|$/m);
    assert.match(table, /^\| DATE \| 1\.000 \| 1\.000 \| 1\.000 \| 1 \|$/m);
    assert.match(table, /\| 3 \|$/);
    const recallOnly = {
      ...r,
      labels: r.labels.map((l) => (l.label === 'DATE' ? { ...l, precision: null, f1: null } : l)),
    };
    assert.match(reportTable(recallOnly), /^\| DATE \| n\/a \| 1\.000 \| n\/a \| 1 \|$/m);
  });
});
