// Held-out documents for the promotion decision: whole documents by a hash of their key, the
// same side across runs and as records come and go, at least one held out once there are three,
// never all of them.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { documentKey, splitByDocument } from '../../../src/model/learning/split';
import type { AnnotatedDocument } from '../../../src/model/core/types';

type Rec = AnnotatedDocument & { uri?: string; n: number };

/** `passages` records of each of `documents` documents, by uri. */
function records(documents: number, passages = 3, offset = 0): Rec[] {
  const out: Rec[] = [];
  for (let d = offset; d < offset + documents; d++)
    for (let p = 0; p < passages; p++)
      out.push({ id: `editor:${d}-${p}`, uri: `file:///w/doc-${d}.txt`, text: 'x', spans: [], n: out.length });
  return out;
}

describe('documentKey', () => {
  test("the uri, else the id up to its last '#'", () => {
    assert.equal(documentKey({ id: 'editor:1', uri: 'file:///a.txt', text: '', spans: [] }), 'file:///a.txt');
    assert.equal(documentKey({ id: 'train.conll#3', text: '', spans: [] }), 'train.conll');
    assert.equal(documentKey({ id: 'a#b#12', text: '', spans: [] }), 'a#b');
    assert.equal(documentKey({ id: 'cuad:Some Contract', text: '', spans: [] }), 'cuad:Some Contract');
  });
});

describe('splitByDocument', () => {
  test('every passage of a document is on one side; about the share asked of the documents', () => {
    const recs = records(400);
    const { train, heldOut } = splitByDocument(recs);
    assert.equal(train.length + heldOut.length, recs.length);
    const heldDocs = new Set(heldOut.map((r) => r.uri));
    assert.ok(
      train.every((r) => !heldDocs.has(r.uri)),
      'no document on both sides',
    );
    const share = heldDocs.size / 400;
    assert.ok(share > 0.1 && share < 0.2, `share ${share}`);
    for (const part of [train, heldOut]) for (let i = 1; i < part.length; i++) assert.ok(part[i].n > part[i - 1].n);
    assert.equal(heldOut[0], recs[heldOut[0].n], 'the records themselves, in input order');
  });

  test('stable: the same split on every run, and a document keeps its side when others come and go', () => {
    const recs = records(200);
    const first = splitByDocument(recs).heldOut.map((r) => r.id);
    assert.deepEqual(
      splitByDocument(recs).heldOut.map((r) => r.id),
      first,
    );
    const more = splitByDocument([...records(100, 3, 200), ...recs.slice(0, 300).reverse()]);
    const held = new Set(more.heldOut.map((r) => r.id));
    for (const r of recs.slice(0, 300)) assert.equal(held.has(r.id), first.includes(r.id), r.id);
  });

  test('a key option decides the documents: the same folder-relative paths, the same split wherever the folder is', () => {
    const at = (root: string) =>
      records(60).map((r) => ({ ...r, uri: (r.uri as string).replace('file:///w/', `file:///${root}/`) }));
    const relative = { key: (r: { uri?: string; id: string }) => (r.uri ?? r.id).replace(/^file:\/\/\/[^/]+\//, '') };
    const here = splitByDocument(at('here'), relative).heldOut.map((r) => r.id);
    assert.ok(here.length > 0);
    assert.deepEqual(
      splitByDocument(at('there'), relative).heldOut.map((r) => r.id),
      here,
    );
  });

  test('at least one document held out once there are three, never every document', () => {
    for (let n = 3; n <= 12; n++) {
      const { train, heldOut } = splitByDocument(records(n, 2));
      assert.ok(new Set(heldOut.map((r) => r.uri)).size >= 1, `${n} documents`);
      assert.ok(train.length > 0, `${n} documents`);
    }
    for (const n of [1, 2]) assert.ok(splitByDocument(records(n)).train.length > 0, `${n} documents`);
    const all = splitByDocument(records(5), { percent: 100 });
    assert.equal(new Set(all.train.map((r) => r.uri)).size, 1, 'one document always trains');
    const none = splitByDocument(records(5), { percent: 0, minHeldOutDocuments: 0 });
    assert.equal(none.heldOut.length, 0);
    const two = splitByDocument(records(6), { percent: 0, minHeldOutDocuments: 2 });
    assert.equal(new Set(two.heldOut.map((r) => r.uri)).size, 2);
    assert.deepEqual(splitByDocument([]), { train: [], heldOut: [] });
  });

  test('passages without a uri are grouped by their id up to the last "#"', () => {
    const recs: Rec[] = [];
    for (let d = 0; d < 60; d++)
      for (let p = 0; p < 4; p++) recs.push({ id: `f${d}.conll#${p}`, text: '', spans: [], n: recs.length });
    const { train, heldOut } = splitByDocument(recs);
    const heldDocs = new Set(heldOut.map((r) => documentKey(r)));
    assert.ok(heldDocs.size > 0 && train.every((r) => !heldDocs.has(documentKey(r))));
  });
});

describe('splitByDocument with minHeldOutEntities', () => {
  /** `documents` receipts of two judged entities each (a seller and an address), one record each */
  function receipts(documents: number): Rec[] {
    return Array.from({ length: documents }, (_, d) => ({
      id: `editor:${d}`,
      uri: `file:///w/receipt-${d}.txt`,
      text: 'SHOP SDN BHD\nNO 1 JALAN',
      spans: [
        { start: 0, end: 12, label: 'PARTY' },
        { start: 13, end: 23, label: 'ADDRESS' },
      ],
      judged: [
        { start: 0, end: 23, label: 'PARTY' },
        { start: 0, end: 23, label: 'ADDRESS' },
      ],
      n: d,
    }));
  }
  const heldEntities = (held: Rec[]) => held.reduce((n, r) => n + r.spans.length, 0);

  test('holds out more documents, next by hash, until the entities suffice, within the share allowed', () => {
    const plain = splitByDocument(receipts(20));
    const more = splitByDocument(receipts(20), { minHeldOutEntities: 10 });
    assert.ok(heldEntities(plain.heldOut) < 10, 'the 15 % alone holds too few');
    assert.equal(heldEntities(more.heldOut), 10);
    // the documents the plain split holds out stay held out
    for (const r of plain.heldOut) assert.ok(more.heldOut.some((x) => x.uri === r.uri));
    // at most 30 % of the documents: 3 of 10, whatever the entities
    assert.equal(splitByDocument(receipts(10), { minHeldOutEntities: 10 }).heldOut.length, 3);
    assert.equal(splitByDocument(receipts(10), { minHeldOutEntities: 10, maxPercent: 50 }).heldOut.length, 5);
  });

  test('every confirmed span counts, inside a judged range or not, as the verdict counts it', () => {
    const unjudged = receipts(20).map((r) => ({ ...r, judged: [] }));
    const split = splitByDocument(unjudged, { minHeldOutEntities: 10 });
    assert.equal(heldEntities(split.heldOut), 10);
    const none = receipts(20).map((r) => ({ ...r, spans: [] }));
    assert.equal(splitByDocument(none, { minHeldOutEntities: 10 }).heldOut.length, 6, 'the most allowed');
  });
});
