// parseStreamRecord: the records of `tag --jsonl` and the queue, and one clear sentence for each
// kind of bad line (with the id when the line had one); resultLine's fixed key order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecordError, parseStreamRecord, textTooLong } from '../../../src/model/batch/records';
import { resultLine } from '../../../src/model/batch/result-line';

const model = { name: 'm', version: '1', hash: 'sha256:' + '0'.repeat(64) };

function rejects(line: string, reason: RegExp, id?: string | number, maxChars?: number): void {
  assert.throws(
    () => parseStreamRecord(line, maxChars),
    (e: unknown) => e instanceof RecordError && reason.test(e.message) && e.id === id,
    line,
  );
}

test('records with text or path, string or number ids; other keys are ignored', () => {
  assert.deepEqual(parseStreamRecord('{"id":"a","text":"Hello"}'), { id: 'a', text: 'Hello' });
  assert.deepEqual(parseStreamRecord('{"id":7,"path":"x.pdf","meta":{"k":1}}'), { id: 7, path: 'x.pdf' });
  assert.deepEqual(parseStreamRecord('{"id":"e","text":""}'), { id: 'e', text: '' });
  assert.deepEqual(parseStreamRecord('{"id":"n","text":"t","path":null}'), { id: 'n', text: 't' });
});

test('bad lines: one sentence each, with the id when there is one', () => {
  rejects('not json', /^invalid JSON/);
  rejects('[1,2]', /expected a JSON object .* found an array/);
  rejects('"text"', /found the string "text"$/);
  rejects('{"text":"x"}', /missing "id"/);
  rejects('{"id":"","text":"x"}', /"id" must be a non-empty string or a number, found an empty string/);
  rejects('{"id":{"a":1},"text":"x"}', /"id" must be a non-empty string or a number, found an object/);
  rejects('{"id":null,"text":"x"}', /"id" must be a non-empty string or a number, found null/);
  rejects('{"id":"a"}', /missing "text" \(or "path"\)/, 'a');
  rejects('{"id":"a","text":5}', /"text" must be a string, found the number 5$/, 'a');
  rejects('{"id":"a","path":""}', /"path" must be a non-empty string, found an empty string$/, 'a');
  rejects('{"id":"a","path":["x"]}', /"path" must be a non-empty string, found an array$/, 'a');
  rejects('{"id":"a","path":"x\\u0000y"}', /NUL/, 'a');
  rejects('{"id":"a","path":"-"}', /"-" \(standard input\) is the stream itself/, 'a');
  rejects('{"id":3,"text":"x","path":"y"}', /not both/, 3);
});

test('a text over the limit is refused before any work, saying which flag lifts it', () => {
  rejects('{"id":"big","text":"abcdef"}', /6 characters, more than the limit of 5 \(--max-chars\)/, 'big', 5);
  assert.deepEqual(parseStreamRecord('{"id":"ok","text":"abcde"}', 5), { id: 'ok', text: 'abcde' });
  assert.match(textTooLong(50_000_000, 20_000_000), /50,000,000 characters/);
});

test('result lines keep one key order, and commands cannot overwrite the record keys', () => {
  const ok = resultLine({ id: 'a', path: 'p.txt' }, model, { ok: true, fields: { entities: [] } });
  assert.deepEqual(Object.keys(ok), ['id', 'path', 'model', 'entities']);
  const bad = resultLine({ id: null, line: 4 }, model, { ok: false, error: 'line 4: invalid JSON' });
  assert.equal(
    JSON.stringify(bad),
    `{"id":null,"line":4,"model":${JSON.stringify(model)},"error":"line 4: invalid JSON"}`,
  );
  assert.throws(() => resultLine({ id: 'a' }, model, { ok: true, fields: { id: 'b' } }), /cannot set "id"/);
});
