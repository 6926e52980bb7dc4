// Job ids: the same document (id and content) always has the same one; another id, another
// content, or the same id as a number instead of a string, another.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentHash, documentJobId } from '../../../src/model/batch/job-id';

test('content hashes are SHA-256 of the text as UTF-8 or of the bytes', () => {
  assert.equal(contentHash('abc'), 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(contentHash(Buffer.from('abc')), contentHash('abc'));
});

test('one job id per document id and content', () => {
  const h = contentHash('text');
  const id = documentJobId('a', h);
  assert.match(id, /^doc-[0-9a-f]{40}$/);
  assert.equal(documentJobId('a', h), id);
  assert.notEqual(documentJobId('b', h), id);
  assert.notEqual(documentJobId('a', contentHash('text2')), id);
  assert.notEqual(documentJobId(7, h), documentJobId('7', h));
});
