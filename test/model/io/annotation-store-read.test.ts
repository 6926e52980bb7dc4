// readStore parses only what was appended since its last read, and the result is the same as a
// whole parse; a rewritten file (compaction) or a torn last line is read whole again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  appendRecords,
  compactIfWorthIt,
  createStoreCache,
  parseStore,
  readStore,
  type AnnotationRecord,
} from '../../../src/model/io/annotation-store';

const rec = (id: string, uri: string, text: string): AnnotationRecord => ({
  id,
  text,
  spans: text ? [{ start: 0, end: 4, label: 'PARTY' }] : [],
  uri,
  time: '2026-12-06T00:00:00.000Z',
});

async function tempFile(): Promise<{ file: string; done: () => Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'el-store-'));
  return { file: path.join(dir, 'annotations.jsonl'), done: () => fs.rm(dir, { recursive: true, force: true }) };
}

test('after appends, the cached read equals a whole parse (supersedes and tombstones included)', async () => {
  const { file, done } = await tempFile();
  const cache = createStoreCache();
  await appendRecords(file, [rec('a', 'u1', 'Acme one'), rec('b', 'u1', 'Beta two')]);
  assert.equal((await readStore(file, cache)).records.length, 2);
  await appendRecords(file, [rec('a', 'u1', 'Acme one, edited'), rec('c', 'u2', 'Beta two')]);
  await fs.appendFile(file, 'not json\n');
  await appendRecords(file, [rec('b', 'u1', '')]);
  const cached = await readStore(file, cache);
  const whole = parseStore(await fs.readFile(file, 'utf8'), 'annotations.jsonl');
  assert.deepEqual(
    cached.records.map((r) => [r.id, r.text]),
    whole.records.map((r) => [r.id, r.text]),
  );
  assert.deepEqual(
    cached.records.map((r) => r.id),
    ['a', 'c'],
  );
  assert.equal(cached.lines, whole.lines);
  assert.equal(cached.superseded, whole.superseded);
  assert.deepEqual(cached.problems, whole.problems);
  await done();
});

test('a compacted (rewritten) file and a torn last line are read whole again', async () => {
  const { file, done } = await tempFile();
  const cache = createStoreCache();
  for (let i = 0; i < 4; i++) await appendRecords(file, [rec('a', 'u1', `Acme version ${i}`)]);
  await readStore(file, cache);
  assert.equal(await compactIfWorthIt(file, 1), true);
  await appendRecords(file, [rec('d', 'u3', 'Delta')]);
  assert.deepEqual(
    (await readStore(file, cache)).records.map((r) => r.id),
    ['a', 'd'],
  );
  await fs.appendFile(file, '{"id": "e", "text": "Eps');
  const torn = await readStore(file, cache);
  assert.match(torn.problems.at(-1)?.message ?? '', /interrupted write/);
  await appendRecords(file, [rec('f', 'u4', 'Foxtrot')]);
  const after = await readStore(file, cache);
  assert.deepEqual(
    after.records.map((r) => r.id),
    ['a', 'd', 'f'],
  );
  await done();
});

test('a read after an append parses only the appended lines, not the whole store again', async () => {
  const { file, done } = await tempFile();
  const cache = createStoreCache();
  const many = Array.from({ length: 200 }, (_, i) => rec(`r${i}`, 'u1', `Acme passage ${i}`));
  await appendRecords(file, many);
  assert.equal((await readStore(file, cache)).records.length, 200);
  // change the first record's text in place (same length, same file): a store is append-only, so
  // a read that parses only what was appended keeps what it parsed before; a whole parse would not
  const bytes = await fs.readFile(file);
  const at = bytes.indexOf('Acme passage 0"');
  assert.ok(at > 0);
  const fh = await fs.open(file, 'r+');
  await fh.write(Buffer.from('Xcme'), 0, 4, at);
  await fh.close();
  await appendRecords(file, [rec('new', 'u2', 'Beta')]);
  const after = await readStore(file, cache);
  assert.equal(after.records.length, 201);
  assert.equal(after.records[0].text, 'Acme passage 0', 'the first 200 records were not parsed again');
  assert.equal(after.records[200].id, 'new');
  // a fresh cache parses the whole file and sees the change
  assert.equal((await readStore(file, createStoreCache())).records[0].text, 'Xcme passage 0');
  await done();
});
