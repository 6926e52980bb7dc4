// The promotion rule on real tiny models: one trained on synthetic contracts, and the same
// network with a label switched off (a large negative label bias), so a candidate is better or
// worse than the current model on exactly the labels a test chooses.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  heldOutPlaces,
  judgeCandidate,
  referenceLosses,
  signTest,
  type LabelComparison,
  type Verdict,
} from '../../../src/model/learning/promotion';
import { Tagger } from '../../../src/model/inference/tagger';
import { train, type TrainOptions } from '../../../src/model/training/trainer';
import type { TrainedModel } from '../../../src/model/nn/trained-model';
import type { AnnotatedDocument } from '../../../src/model/core/types';
import { syntheticContracts } from '../../fixtures/contracts';

const labels = ['PARTY', 'DATE'];
const small: TrainOptions = {
  labels,
  wordDim: 16,
  shapeDim: 8,
  charDim: 8,
  charFilters: 12,
  hidden: 16,
  epochs: 10,
  batchSize: 16,
  learningRate: 5e-3,
  dropout: 0.1,
  minWordCount: 1,
  seed: 2,
};

let trained: TrainedModel;
const taggers: Tagger[] = [];
/** how often each tagger tagged a text */
const calls = new Map<Tagger, number>();

/** A tagger of the trained network; `off` labels are never predicted. */
async function tagger(...off: string[]): Promise<Tagger> {
  const labelBias = Object.fromEntries(off.map((l) => [l, -50]));
  const t = await Tagger.create({ ...trained, info: { ...trained.info, labelBias } });
  const tag = t.tag.bind(t);
  calls.set(t, 0);
  t.tag = (text, options) => {
    calls.set(t, (calls.get(t) ?? 0) + 1);
    return tag(text, options);
  };
  taggers.push(t);
  return t;
}

before(async () => {
  trained = (await train(syntheticContracts(80, 7), [], small)).model;
});
after(async () => {
  for (const t of taggers) await t.dispose();
});

/** Whole documents, every label complete. */
const judgedAll = (docs: AnnotatedDocument[]): AnnotatedDocument[] => docs.map((d) => ({ ...d, complete: labels }));
/** Documents judged for DATE only: PARTY's spans gone, unknown everywhere. */
const judgedDate = (docs: AnnotatedDocument[]): AnnotatedDocument[] =>
  docs.map((d) => ({
    ...d,
    spans: d.spans.filter((s) => s.label === 'DATE'),
    judged: [{ start: 0, end: d.text.length, label: 'DATE' }],
  }));

describe('judgeCandidate', () => {
  const heldOut = judgedAll(syntheticContracts(8, 21));
  const reference = judgedAll(syntheticContracts(30, 31));

  test('no current model: promote without scoring', async () => {
    const candidate = await tagger();
    const v = await judgeCandidate({ candidate, heldOut, reference, labels });
    assert.equal(v.promote, true);
    assert.match(v.reason, /no current model/);
    assert.deepEqual([v.heldOut, v.reference], [null, null]);
    assert.equal(calls.get(candidate), 0);
  });

  test('too few held-out entities: keep, and the reason names how many there are and how many are needed', async () => {
    const few = judgedAll(syntheticContracts(2, 41, { sentences: [1, 1] }));
    const entities = few.reduce((n, d) => n + d.spans.length, 0);
    assert.ok(entities < 10, `${entities} entities`);
    const v = await judgeCandidate({
      candidate: await tagger(),
      current: await tagger('DATE'),
      heldOut: few,
      reference,
      labels,
    });
    assert.equal(v.promote, false);
    assert.match(
      v.reason,
      new RegExp(`^Kept the current model: ${entities} held-out entities in 2 documents; 10 are needed`),
    );
    assert.equal(v.heldOut?.entities, entities);
    assert.match(
      v.reason,
      /better \(on these, the new model is right in \d places? where .*, which could be chance\)\./,
    );
    assert.equal(v.reference, null, 'the reference set is not scored');
    const none = await judgeCandidate({
      candidate: await tagger(),
      current: await tagger(),
      heldOut: [],
      reference,
      labels,
    });
    assert.match(none.reason, /0 held-out entities in 0 documents; 10 are needed/);
    const lower = await judgeCandidate({
      candidate: await tagger(),
      current: await tagger('DATE'),
      heldOut: few,
      reference: [],
      labels,
      minHeldOutEntities: 2,
    });
    assert.equal(lower.promote, true, 'the minimum is an option');
  });

  test('fewer held-out entities than needed, but a difference that cannot be chance: promoted, and the reason says why', async () => {
    // held out: DATE judged in documents holding 6 to 9 dates; the current model finds none
    const docs = judgedDate(syntheticContracts(12, 51));
    const some: AnnotatedDocument[] = [];
    for (const d of docs) if (some.reduce((n, x) => n + x.spans.length, 0) + d.spans.length < 10) some.push(d);
    const dates = some.reduce((n, d) => n + d.spans.length, 0);
    assert.ok(dates >= 6 && dates < 10, `${dates} dates`);
    const v = await judgeCandidate({
      candidate: await tagger(),
      current: await tagger('DATE'),
      heldOut: some,
      reference,
      labels,
    });
    assert.ok((v.heldOut?.better ?? 0) >= 5, JSON.stringify(v.heldOut && [v.heldOut.better, v.heldOut.worse]));
    assert.equal(v.heldOut?.worse, 0);
    assert.equal(v.promote, true, v.reason);
    assert.match(
      v.reason,
      new RegExp(
        `held-out F1 [\\d.]+ against 0\\.000 on ${dates} held-out entities in ${some.length} documents \\(fewer than 10, ` +
          `but the new model is right in ${v.heldOut?.better} places where the current one is wrong, and wrong in 0 where it is right: too many to be chance\\)`,
      ),
    );
    // the same documents with the models swapped: clearly worse
    const swapped = await judgeCandidate({
      candidate: await tagger('DATE'),
      current: await tagger(),
      heldOut: some,
      reference,
      labels,
    });
    assert.equal(swapped.promote, false);
    assert.match(
      swapped.reason,
      new RegExp(
        `^Kept the current model: on ${dates} held-out entities .* right in 0 places .* wrong in \\d+ where it is right: it is worse\\.$`,
      ),
    );
  });

  test('a candidate worse on the held-out documents is not promoted', async () => {
    const v = await judgeCandidate({
      candidate: await tagger('PARTY'),
      current: await tagger(),
      heldOut,
      reference,
      labels,
    });
    assert.equal(v.promote, false);
    assert.match(
      v.reason,
      /^Kept the current model: on \d+ held-out entities in 8 documents the new model scores F1 0\.\d{3}, the current one 0\.\d{3}\.$/,
    );
    assert.ok((v.heldOut?.micro.delta ?? 0) < 0);
    assert.equal(v.reference, null);
  });

  test('a candidate better on held-out but worse on the reference set is not promoted; the reason names the label', async () => {
    // held out: only DATE judged, where the candidate finds dates and the current model none
    const candidate = await tagger('PARTY');
    const current = await tagger('DATE');
    const v = await judgeCandidate({ candidate, current, heldOut: judgedDate(heldOut), reference, labels });
    assert.equal(v.promote, false, v.reason);
    assert.deepEqual(
      v.heldOut?.labels.map((l) => l.label),
      ['DATE'],
      'PARTY is not judged on the held-out documents',
    );
    assert.ok((v.heldOut?.micro.delta ?? 0) > 0);
    const party = v.reference?.labels.find((l) => l.label === 'PARTY');
    assert.ok(party && party.delta < -0.5 && party.high < 0, JSON.stringify(party));
    assert.match(v.reason, /worse on the reference set \(30 documents\) on PARTY \(F1 0\.000 against 0\.\d{3}/);
    assert.doesNotMatch(v.reason, /on DATE/);
    // each document tagged once per model, held-out and reference alike
    assert.equal(calls.get(candidate), heldOut.length + reference.length);
    assert.equal(calls.get(current), heldOut.length + reference.length);
  });

  test('a label the user corrected may lose on the reference set', async () => {
    const v = await judgeCandidate({
      candidate: await tagger('PARTY'),
      current: await tagger('DATE'),
      heldOut: judgedDate(heldOut),
      reference,
      labels,
      userLabels: ['PARTY'],
    });
    assert.equal(v.promote, true, v.reason);
    assert.match(v.reason, /^The new model is used: held-out F1 /);
  });

  test('a better candidate is promoted; the comparisons carry sizes, reports and intervals; the same seed gives the same verdict', async () => {
    const judge = async (): Promise<Verdict> =>
      judgeCandidate({ candidate: await tagger(), current: await tagger('DATE'), heldOut, reference, labels, seed: 5 });
    const v = await judge();
    assert.equal(v.promote, true, v.reason);
    assert.match(
      v.reason,
      /^The new model is used: held-out F1 0\.\d{3} against 0\.\d{3} on \d+ held-out entities in 8 documents, and no label is worse beyond noise on the reference set \(30 documents\)\.$/,
    );
    const ref = v.reference;
    assert.ok(ref && ref.set === 'reference' && ref.documents === 30 && ref.current);
    assert.equal(
      ref.entities,
      reference.reduce((n, d) => n + d.spans.length, 0),
    );
    const date = ref.labels.find((l) => l.label === 'DATE');
    assert.ok(
      date &&
        date.current === 0 &&
        date.delta > 0.5 &&
        date.low > 0 &&
        date.low <= date.delta &&
        date.delta <= date.high,
    );
    for (const l of [...ref.labels, ref.micro]) assert.ok(l.low <= l.delta && l.delta <= l.high, JSON.stringify(l));
    assert.deepEqual((await judge()).reference?.labels, ref.labels);
  });

  test('a cancelled signal stops the scoring', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      judgeCandidate({
        candidate: await tagger(),
        current: await tagger(),
        heldOut,
        reference,
        labels,
        signal: controller.signal,
      }),
      (e: Error) => e.name === 'AbortError',
    );
  });
});

describe('the sign test of small held-out sets', () => {
  test('heldOutPlaces: overlapping gold and predictions are one place; a model is right where it is exactly the gold', () => {
    const sp = (start: number, end: number, label = 'DATE') => ({ start, end, label });
    const places = heldOutPlaces(
      [sp(0, 10), sp(20, 25), sp(40, 45)],
      [sp(0, 10), sp(20, 24), sp(60, 62)],
      [sp(2, 10), sp(20, 25), sp(60, 62), sp(70, 72)],
    );
    assert.deepEqual(places, [
      { candidate: true, current: false }, // a boundary: one place, not a miss and a false alarm
      { candidate: false, current: true },
      { candidate: false, current: false }, // found by neither
      { candidate: false, current: false }, // the same false alarm
      { candidate: true, current: false }, // a false alarm of the current model only
    ]);
  });

  test('signTest: the chance of doing this well by luck', () => {
    assert.equal(signTest(0, 0), 1);
    assert.equal(signTest(5, 0), 1 / 32);
    assert.equal(signTest(4, 0), 1 / 16);
    assert.ok(Math.abs(signTest(7, 1) - 9 / 256) < 1e-12);
    assert.ok(signTest(6, 2) > 0.05);
  });
});

describe('referenceLosses', () => {
  const cmp = (label: string, delta: number, low: number, high: number): LabelComparison => ({
    label,
    candidate: 0.8 + delta,
    current: 0.8,
    delta,
    low,
    high,
    support: 100,
  });

  test('a loss over one point counts even when its interval reaches 0 (a few long documents)', () => {
    const party = cmp('PARTY', -0.043, -0.182, 0);
    assert.deepEqual(referenceLosses([party], []), [party]);
  });

  test('between half a point and one point, only a loss whose interval lies below 0', () => {
    const real = cmp('AMOUNT', -0.007, -0.012, -0.002);
    const noise = cmp('DATE', -0.007, -0.02, 0.004);
    assert.deepEqual(referenceLosses([real, noise], []), [real]);
  });

  test('small losses, gains and the labels the user corrected never count', () => {
    const labels = [
      cmp('DATE', -0.004, -0.006, -0.002),
      cmp('PARTY', 0.02, 0.01, 0.03),
      cmp('JURISDICTION', -0.3, -0.4, -0.2),
    ];
    assert.deepEqual(referenceLosses(labels, ['JURISDICTION']), []);
  });
});
