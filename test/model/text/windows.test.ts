// windowParts: the windows of a whole text, a part at a time, identical to windows() — the
// tagger holds one part's tokens at a time on long texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchesByLength, windowParts, windows } from '../../../src/model';
import { Rng } from '../../../src/model/core/random';
import { syntheticContracts } from '../../fixtures/contracts';

const key = (ws: { start: number; end: number; text: string }[][]) =>
  ws.map((w) => w.map((t) => `${t.start}:${t.end}:${t.text}`).join(' ')).join(' | ');

test('windowParts gives exactly the windows of windows(), whatever the part size', () => {
  const rng = new Rng(5);
  const paragraphs = syntheticContracts(300, 9).map((d) => d.text);
  // paragraphs apart by blank lines of every kind, some long lines, a sentence over 100 tokens
  const seps = ['\n\n', '\r\n\r\n', '\n \n', '\n\n\n', '\u2029', ' ', '\n'];
  let text = '';
  for (const p of paragraphs) text += p + seps[rng.int(seps.length)];
  text += Array.from({ length: 260 }, (_, i) => `word${i}`).join(' ') + '\n\nThe end.';
  for (const maxTokens of [1, 7, 100]) {
    const whole = key(windows(text, maxTokens));
    for (const partChars of [1, 50, 997, 5000, 1e9]) {
      const parts = [...windowParts(text, maxTokens, partChars)];
      assert.equal(key(parts.flat()), whole, `maxTokens ${maxTokens}, partChars ${partChars}`);
      if (partChars === 997) assert.ok(parts.length > 10, 'the text was cut into parts');
    }
  }
});

test('a text without blank lines or whitespace is one part', () => {
  const digits = '7'.repeat(100_000);
  const parts = [...windowParts(digits, 100, 1000)];
  assert.equal(parts.length, 1);
  assert.equal(key(parts.flat()), key(windows(digits, 100)));
});

test('batchesByLength: the windows with tokens, shortest first (ties in order), in batches of the size', () => {
  const wins = [[1, 2, 3], [], [1], [1, 2], [1], [1, 2, 3, 4]];
  assert.deepEqual(batchesByLength(wins, 2), [[2, 4], [3, 0], [5]]);
  assert.deepEqual(batchesByLength([[], []], 4), []);
});
