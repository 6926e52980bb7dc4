// What a correction takes from the text: a selection loses only the white space at its ends
// (a selection inside a word keeps exactly the characters selected), and passages without a
// letter are too trivial to save.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTrivialPassage, trimSelection } from '../../../src/extension/passage-text';

test('a selection keeps exactly its characters but the white space at its ends', () => {
  const text = 'the Bravatek-identified risks';
  const at = text.indexOf('Bravatek');
  // "Bravatek" cut out of "Bravatek-identified": not widened to the token
  assert.deepEqual(trimSelection('Bravatek', at), { start: at, end: at + 8 });
  assert.deepEqual(trimSelection(' \tBravatek\n', at - 2), { start: at, end: at + 8 });
  // a cut inside a word is kept as cut
  assert.deepEqual(trimSelection('ravate', at + 1), { start: at + 1, end: at + 7 });
  // white space inside the selection stays
  assert.deepEqual(trimSelection('Acme  Corp. ', 5), { start: 5, end: 16 });
});

test('a selection of white space only tags nothing', () => {
  assert.equal(trimSelection(' \n\t ', 3), undefined);
  assert.equal(trimSelection('', 0), undefined);
});

test('page numbers and lines without a letter are trivial passages; any script counts as letters', () => {
  for (const t of ['1', '2', ' - 3 - ', '$ 4.00', '-----', '12/05/2024', ''])
    assert.equal(isTrivialPassage(t), true, JSON.stringify(t));
  for (const t of ['Page 1', 'Acme Corp.', 'Москва 1', '東京', 'é'])
    assert.equal(isTrivialPassage(t), false, JSON.stringify(t));
});
