// The passage a correction is saved with: the block trimmed to whole tokens; in a block longer
// than MAX_PASSAGE, the sentences the range touches; never narrower than the range itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_PASSAGE, passageInBlock } from '../../../src/model/text/passages';

test('a short paragraph: the whole block, trimmed of white space, offsets in the document', () => {
  const text = '  Acme Corp. pays $5.  \n';
  const block = { start: 100, text };
  const at = 100 + text.indexOf('Acme');
  assert.deepEqual(passageInBlock(block, { start: at, end: at + 4 }), {
    start: 100 + text.indexOf('Acme'),
    end: 100 + text.indexOf('$5.') + 3,
  });
});

test('a long paragraph: only the sentences the range touches', () => {
  const sentence = 'The Supplier shall deliver the goods to the Buyer in good order. ';
  const text = sentence.repeat(Math.ceil((MAX_PASSAGE * 2) / sentence.length)) + 'Acme Corp. signs here. ' + sentence;
  const at = text.indexOf('Acme');
  const p = passageInBlock({ start: 0, text }, { start: at, end: at + 10 });
  assert.equal(text.slice(p.start, p.end), 'Acme Corp. signs here.');
});

test('a block without tokens gives the range back', () => {
  assert.deepEqual(passageInBlock({ start: 5, text: '   ' }, { start: 6, end: 7 }), { start: 6, end: 7 });
});
