// The default model's reference and rehearsal sets: how they are built (on generated documents),
// and the files shipped in models/default — checked against model.json, within their size,
// disjoint, each record's complete labels those its source annotates exhaustively.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultModelDir, loadModelDataSet, loadReferenceSet, Rng, type AnnotatedDocument } from '../../src/model';
import { referenceRecords, rehearsalRecords, trainingWindows } from '../../src/recipes/reference-data';
import { generateContracts } from '../../src/recipes/synthetic-contracts';
import { generateInvoices } from '../../src/recipes/synthetic-invoices';
import { CUAD_COMPLETE, DEFAULT_LABELS } from '../../src/recipes/default-data';
import { ROOT } from '../fixtures/paths';

const surface = (d: AnnotatedDocument, spans = d.spans) =>
  spans.map((s) => `${s.label}:${d.text.slice(s.start, s.end)}`);

describe('trainingWindows', () => {
  const text = 'Acme Corp. signs on 1 May 2024.\n\nNothing here at all.\n\nPaid 5 EUR.';
  const doc: AnnotatedDocument = {
    id: 'cuad:x',
    text,
    spans: [{ start: 0, end: 10, label: 'PARTY' }],
    silver: [{ start: 60, end: 65, label: 'AMOUNT' }],
    complete: ['PARTY', 'IBAN'],
    source: 'cuad',
  };
  const wins = (sampleEmpty: boolean, keepEmpty: number) =>
    trainingWindows(doc, { maxTokens: 8, keepEmpty, seed: 1, sampleEmpty, rng: new Rng(1) });

  test('windows as records: offsets relative to the window, the same surface text, gold and silver apart', () => {
    const all = wins(false, 1);
    assert.ok(all.length >= 3, `${all.length} windows`);
    assert.deepEqual(surface(all[0]), ['PARTY:Acme Corp.']);
    assert.ok(all.every((w, i) => w.id === `cuad:x#w${i}` && text.includes(w.text)));
    const paid = all.find((w) => w.text.startsWith('Paid')) as AnnotatedDocument;
    assert.deepEqual(surface(paid, paid.silver), ['AMOUNT:5 EUR']);
    assert.deepEqual(paid.complete, ['PARTY', 'IBAN'], 'generated documents keep their complete labels');
  });

  test('as the recipe trains: empty windows subsampled; PARTY left open where only silver spans are', () => {
    const sampled = wins(true, 0);
    assert.ok(
      sampled.every((w) => w.spans.length + (w.silver?.length ?? 0) > 0),
      'no empty window at keepEmpty 0',
    );
    const paid = sampled.find((w) => w.text.startsWith('Paid')) as AnnotatedDocument;
    assert.deepEqual(paid.complete, ['IBAN']);
    assert.deepEqual(sampled[0].complete, ['PARTY', 'IBAN']);
  });

  test('a window that would cut a span is left out', () => {
    const long = { ...doc, spans: [{ start: 0, end: 30, label: 'PARTY' }], silver: [] };
    const all = trainingWindows(long, { maxTokens: 3, keepEmpty: 1, seed: 1, sampleEmpty: false, rng: new Rng(1) });
    assert.ok(all.every((w) => w.spans.length === 0 && !w.text.includes('Acme')));
  });
});

describe('referenceRecords and rehearsalRecords', () => {
  const dev = generateContracts(6, 5).map((d, i) => ({
    ...d,
    id: `cuad:${String.fromCharCode(102 - i)}`,
    source: 'cuad',
  }));
  const reference = referenceRecords(dev, { contracts: 4, invoices: 5, seed: 9 });

  test('every other dev contract by id, whole; then the generated passages and invoices; complete as their source annotates', () => {
    assert.deepEqual(
      reference.filter((d) => d.source === 'cuad').map((d) => d.id),
      ['cuad:a', 'cuad:c', 'cuad:e'],
    );
    const byId = new Map(dev.map((d) => [d.id, d]));
    for (const d of reference.filter((r) => r.source === 'cuad')) {
      assert.equal(d.text, byId.get(d.id)?.text);
      assert.deepEqual(d.complete, CUAD_COMPLETE);
    }
    const counts = (source: string) => reference.filter((d) => d.source === source).length;
    assert.deepEqual([counts('synthetic-contracts'), counts('synthetic-invoices')], [4, 5]);
    assert.ok(
      reference.filter((d) => d.source === 'synthetic-contracts').every((d) => String(d.complete) === 'PARTY,ADDRESS'),
    );
    assert.ok(
      reference
        .filter((d) => d.source === 'synthetic-invoices')
        .every((d) => String(d.complete) === DEFAULT_LABELS.join()),
    );
    assert.ok(reference.every((d) => d.split === 'reference' && d.silver === undefined));
  });

  test('a seeded sample without repeats, in document order', () => {
    const generated = generateInvoices(10, 3);
    const a = rehearsalRecords([], generated, 12, { maxTokens: 20, keepEmpty: 0.2, seed: 4 });
    assert.equal(a.length, 12);
    assert.equal(new Set(a.map((w) => w.id)).size, 12);
    assert.deepEqual(rehearsalRecords([], generated, 12, { maxTokens: 20, keepEmpty: 0.2, seed: 4 }), a);
    const order = (id: string) => Number(id.split(':')[2].split('#')[0]) * 1000 + Number(id.split('#w')[1]);
    for (let i = 1; i < a.length; i++) assert.ok(order(a[i].id) > order(a[i - 1].id));
  });
});

describe('the files shipped in models/default', () => {
  const dir = defaultModelDir();
  const MAX = 3 * 1024 * 1024;

  test('both are recorded in model.json, within 3 MB, and packaged', () => {
    const files = (
      JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as { files: Record<string, { bytes: number }> }
    ).files;
    for (const name of ['reference.jsonl', 'rehearsal.jsonl']) {
      assert.equal(files[name]?.bytes, fs.statSync(path.join(dir, name)).size, name);
      assert.ok(files[name].bytes <= MAX, `${name}: ${files[name].bytes} bytes`);
    }
    assert.match(fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8'), /^!models\/default\/\*\*$/m);
  });

  test('the reference set: whole documents of the three sources, none of them a rehearsal window', async () => {
    const reference = await loadReferenceSet(dir);
    const rehearsal = await loadModelDataSet(dir, 'rehearsal.jsonl');
    const count = (source: string) => reference.filter((d) => d.source === source).length;
    assert.ok(count('cuad') >= 25, `${count('cuad')} CUAD contracts`);
    assert.deepEqual([count('synthetic-contracts'), count('synthetic-invoices')], [60, 120]);
    assert.ok(reference.filter((d) => d.source === 'cuad').every((d) => String(d.complete) === CUAD_COMPLETE.join()));
    const documents = new Set(reference.map((d) => d.id));
    assert.ok(rehearsal.every((w) => !documents.has(w.id.slice(0, w.id.lastIndexOf('#')))));
    assert.ok(
      rehearsal.some((w) => (w.silver?.length ?? 0) > 0),
      'silver spans are kept',
    );
  });
});
