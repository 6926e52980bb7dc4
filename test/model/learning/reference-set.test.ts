// The reference set beside a model: absent is empty; recorded in model.json by hash, checked when
// read, carried over (file and record) when a new version of the model is saved in the folder;
// a damaged file is refused with a sentence naming the file and the line.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import {
  InputError,
  loadModel,
  loadModelDataSet,
  loadReferenceSet,
  recordDataFiles,
  saveModel,
  type ModelManifest,
} from '../../../src/model';
import { tinyModel } from '../../fixtures/models';
import { TempFiles } from '../../fixtures/temp-files';

const temp = new TempFiles();
before(() => temp.create('reference-set'));
after(() => temp.remove());

const records = [
  { id: 'cuad:a', text: 'Acme Corp. signs.', spans: [{ start: 0, end: 10, label: 'PARTY' }], complete: ['PARTY'] },
  {
    id: 'synthetic-invoice:1:0',
    text: 'Total 5.00 EUR',
    spans: [{ start: 6, end: 14, label: 'AMOUNT' }],
    judged: [{ start: 0, end: 14, label: 'DATE' }],
  },
];
const jsonl = records.map((r) => JSON.stringify(r)).join('\n') + '\n';

async function modelWith(reference?: string | Uint8Array): Promise<string> {
  const dir = await temp.file('model');
  await saveModel(dir, tinyModel());
  if (reference !== undefined) await fs.writeFile(path.join(dir, 'reference.jsonl'), reference);
  return dir;
}

async function manifestOf(dir: string): Promise<ModelManifest> {
  return JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8')) as ModelManifest;
}

async function refused(promise: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
    assert.match(e.message, message);
    return true;
  });
}

describe('loadReferenceSet', () => {
  test('a model without one has an empty reference set', async () => {
    assert.deepEqual(await loadReferenceSet(await modelWith()), []);
  });

  test('reads the records, judged ranges and complete labels as written; recorded, the file is checked', async () => {
    const dir = await modelWith(jsonl);
    assert.deepEqual(await loadReferenceSet(dir), records);
    const written = await recordDataFiles(dir);
    assert.deepEqual(Object.keys(written), ['reference.jsonl']);
    assert.equal((await manifestOf(dir)).files?.['reference.jsonl']?.bytes, Buffer.byteLength(jsonl));
    assert.deepEqual(await loadReferenceSet(dir), records);
    await loadModel(dir); // the model itself still loads
    await fs.writeFile(path.join(dir, 'reference.jsonl'), jsonl.replace('Acme', 'Acne'));
    await refused(loadReferenceSet(dir), /reference\.jsonl does not match model\.json \(its content hash differs\)/);
    await fs.rm(path.join(dir, 'reference.jsonl'));
    await refused(loadReferenceSet(dir), /reference\.jsonl is missing, but model\.json records it/);
  });

  test('a new version saved into the folder keeps the file and its record', async () => {
    const dir = await modelWith(jsonl);
    await recordDataFiles(dir);
    const record = (await manifestOf(dir)).files?.['reference.jsonl'];
    await saveModel(dir, tinyModel(2));
    assert.deepEqual((await manifestOf(dir)).files?.['reference.jsonl'], record);
    assert.equal((await loadModel(dir)).info.version, '2');
    assert.deepEqual(await loadReferenceSet(dir), records);
  });

  test('a damaged file is refused with its line: bad JSON, a span outside the text, overlapping spans, an id twice', async () => {
    const line = (r: object) => JSON.stringify(r);
    const cases: Array<[string, RegExp]> = [
      [jsonl + '{"id": "x", "text": "cut', /reference\.jsonl:3: invalid JSON/],
      [
        line({ id: 'y', text: 'ab', spans: [{ start: 0, end: 5, label: 'PARTY' }] }),
        /reference\.jsonl:1: spans\[0\]\.end is 5/,
      ],
      [
        line({
          id: 'z',
          text: 'abcdef',
          spans: [
            { start: 0, end: 4, label: 'PARTY' },
            { start: 2, end: 6, label: 'PARTY' },
          ],
        }),
        /reference\.jsonl:1: spans\[1\] .* overlaps spans\[0\].*; the file is damaged\.$/,
      ],
      [jsonl + jsonl, /reference\.jsonl:3: the id "cuad:a" is used twice; the file is damaged\./],
      [line({ id: 'w', text: 'ab', spans: [], judged: [{ start: 0, end: 1, label: 'bad' }] }), /judged\[0\]\.label/],
    ];
    for (const [content, message] of cases) await refused(loadReferenceSet(await modelWith(content)), message);
    await refused(
      loadReferenceSet(await modelWith(Buffer.from([0x7b, 0xff, 0x7d, 0x0a]))),
      /reference\.jsonl is not valid UTF-8/,
    );
  });

  test('the rehearsal set is read the same way', async () => {
    const dir = await modelWith();
    await fs.writeFile(path.join(dir, 'rehearsal.jsonl'), jsonl);
    await recordDataFiles(dir);
    assert.deepEqual(await loadModelDataSet(dir, 'rehearsal.jsonl'), records);
    assert.ok((await manifestOf(dir)).files?.['rehearsal.jsonl']);
  });
});
