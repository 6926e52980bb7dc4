// The training record in words: no raw field names or JSON in the Model Report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fieldWords, historyRows, recordRows } from '../../../src/model/training/record-text';
import { ROOT } from '../../fixtures/paths';

test('a workspace version: null dev F1 and partial true read as words', () => {
  const rows = recordRows({ trainDocuments: 12, trainSequences: 340, devF1: null, partial: true, seed: 1 });
  assert.deepEqual(rows, [
    { name: 'Training documents', value: '12' },
    { name: 'Training windows', value: '340' },
    { name: 'Dev F1 at the chosen epoch', value: 'not measured' },
    { name: 'Loss', value: 'partial-annotation CRF (text nobody labelled is unknown, not “outside”)' },
    { name: 'Random seed', value: '1' },
  ]);
});

test('the embedded model: nested counts as a phrase, minutes, the history apart; nothing raw left', () => {
  const info = JSON.parse(fs.readFileSync(path.join(ROOT, 'models', 'default', 'model.json'), 'utf8')) as {
    training?: Record<string, unknown>;
  };
  const training = info.training ?? { data: { contracts: 359, contractWindows: 32348 }, minutes: 8.85, history: [] };
  const rows = recordRows(training);
  const text = rows.map((r) => `${r.name}: ${r.value}`).join('\n');
  assert.doesNotMatch(text, /[{}[\]"]|\bnull\b|\btrue\b|\bfalse\b|devF1|trainSequences/, text);
  const data = rows.find((r) => r.name === 'Data');
  if (data) assert.match(data.value, /contracts [\d,]+, contract windows [\d,]+/);
  assert.ok(!rows.some((r) => r.name === 'History'), 'the history is its own table');
  if (Array.isArray(training.history) && training.history.length > 0)
    assert.equal(historyRows(training).length, training.history.length);
});

test('fieldWords splits camelCase and keeps F1', () => {
  assert.equal(fieldWords('contractWindowsDropped'), 'contract windows dropped');
  assert.equal(fieldWords('heldOutF1'), 'held out F1');
  assert.equal(fieldWords('silver_spans'), 'silver spans');
});
