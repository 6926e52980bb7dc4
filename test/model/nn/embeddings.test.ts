import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadWordVectors } from '../../../src/model/nn/embeddings';
import { InputError } from '../../../src/model/io/files';
import { train } from '../../../src/model/training/trainer';
import { syntheticContracts } from '../../fixtures/contracts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entity-lens-vec-'));

test('reads word2vec-style text with a header, normalises words, first vector wins', async () => {
  const file = path.join(dir, 'v.txt');
  fs.writeFileSync(file, '3 2\nAgreement 0.5 -1\nagreement 9 9\n2024 1e-1 2\n');
  const v = await loadWordVectors(file);
  assert.deepEqual(Array.from(v.get('agreement') ?? []), [0.5, -1]);
  assert.deepEqual(
    Array.from(v.get('0000') ?? []).map((x) => Math.round(x * 10) / 10),
    [0.1, 2],
  );
});

test('a line of the wrong width or a bad number is reported with its line number', async () => {
  const file = path.join(dir, 'bad.txt');
  fs.writeFileSync(file, 'a 1 2\nb 1\n');
  await assert.rejects(
    loadWordVectors(file),
    (e: unknown) => e instanceof InputError && /bad\.txt:2: expected 2 numbers/.test(e.message),
  );
  fs.writeFileSync(file, 'a 1 x\n');
  await assert.rejects(loadWordVectors(file), /"x" is not a number/);
  await assert.rejects(loadWordVectors(path.join(dir, 'missing.txt')), /no such file/);
});

test('pretrained vectors initialise the matching rows of the word table', async () => {
  const file = path.join(dir, 'glove.txt');
  fs.writeFileSync(file, 'agreement ' + Array(16).fill('0.25').join(' ') + '\n');
  const vectors = await loadWordVectors(file);
  const r = await train(syntheticContracts(10, 1), [], {
    labels: ['PARTY', 'DATE'],
    wordDim: 16,
    hidden: 8,
    charFilters: 4,
    epochs: 1,
    minWordCount: 1,
    learningRate: 0,
    pretrained: vectors,
  });
  const id = r.model.vocab.wordId('agreement');
  const row = r.model.weights['word.emb'].subarray(id * 16, id * 16 + 16);
  assert.ok(Array.from(row).every((x) => Math.abs(x - 0.25) < 1e-6));
});
