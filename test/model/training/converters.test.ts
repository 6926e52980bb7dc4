// Import converters check labels like every other entry point: a CoNLL sentence or a spaCy
// record with a label that breaks the grammar is reported, the rest is imported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromConll, fromJsonl } from '../../../src/model';

test('fromConll: a sentence with an invalid label is a problem; the other sentences keep their spans', () => {
  const conll = ['Acme\tB-ORG', 'Corp\tL-ORG', 'pays\tO', '', 'Beta\tU-bad<label>', 'pays\tO', ''].join('\n');
  const { docs, problems } = fromConll(conll, 'in.conll');
  assert.equal(docs.length, 1);
  assert.deepEqual(
    docs[0].spans.map((s) => s.label),
    ['ORG'],
  );
  assert.equal(problems.length, 1);
  assert.match(problems[0], /^in\.conll: sentence at character \d+: "bad<label>" is not a valid label/);
});

test('fromJsonl: a spaCy record with an invalid label is a problem with its line number', () => {
  const lines = [
    JSON.stringify({ text: 'Acme pays', entities: [[0, 4, 'ORG']] }),
    JSON.stringify({ text: 'Beta pays', entities: [[0, 4, 'org name']] }),
  ].join('\n');
  const { docs, problems } = fromJsonl(lines, 'in.jsonl');
  assert.equal(docs.length, 1);
  assert.equal(problems.length, 1);
  assert.match(problems[0], /^in\.jsonl:2: spans\[0\]\.label: "org name" is not a valid label.*use ORG_NAME/);
});
