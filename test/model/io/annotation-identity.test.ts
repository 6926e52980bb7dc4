// A record is identified by its id, and by its text within one document only: two documents
// whose reviewed passages have the same text (boilerplate clauses) keep both records, also
// through compaction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  compactIfWorthIt,
  parseStore,
  serializeRecord,
  type AnnotationRecord,
} from '../../../src/model/io/annotation-store';

const CLAUSE = 'This Agreement shall be governed by the laws of the State of New York.';
const record = (id: string, uri: string, label: string): AnnotationRecord => ({
  id,
  text: CLAUSE,
  spans: [{ start: 48, end: 56, label }],
  uri,
  time: '2026-12-06T00:00:00.000Z',
});

test('the same passage text in two documents keeps both records', () => {
  const a = record('editor:a', 'file:///w/a.txt', 'JURISDICTION');
  const b = record('editor:b', 'file:///w/b.txt', 'LOCATION');
  const parsed = parseStore([a, b].map(serializeRecord).join('\n') + '\n');
  assert.deepEqual(
    parsed.records.map((r) => [r.id, r.spans[0].label]),
    [
      ['editor:a', 'JURISDICTION'],
      ['editor:b', 'LOCATION'],
    ],
  );
  assert.equal(parsed.superseded, 0);
});

test('the same text saved again in the same document under a new id replaces the older record', () => {
  const first = record('editor:old', 'file:///w/a.txt', 'JURISDICTION');
  const again = record('editor:new', 'file:///w/a.txt', 'LOCATION');
  const parsed = parseStore([first, again].map(serializeRecord).join('\n') + '\n');
  assert.deepEqual(
    parsed.records.map((r) => r.id),
    ['editor:new'],
  );
});

test('compaction keeps the other document’s record of the same text', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'el-identity-'));
  const file = path.join(dir, 'annotations.jsonl');
  const lines: string[] = [];
  // many superseded versions of a's record make compaction worth it
  for (let i = 0; i < 5; i++) lines.push(serializeRecord(record('editor:a', 'file:///w/a.txt', 'JURISDICTION')));
  lines.push(serializeRecord(record('editor:b', 'file:///w/b.txt', 'LOCATION')));
  await fs.writeFile(file, lines.join('\n') + '\n');
  assert.equal(await compactIfWorthIt(file, 1), true);
  const after = parseStore(await fs.readFile(file, 'utf8'));
  assert.deepEqual(after.records.map((r) => r.id).sort(), ['editor:a', 'editor:b']);
  await fs.rm(dir, { recursive: true, force: true });
});

test("a record keeps its document's kind through the store (a scoped model is trained for it)", () => {
  const withKind = { ...record('editor:a', 'file:///w/a.txt', 'JURISDICTION'), kind: 'contract' };
  const parsed = parseStore(
    [withKind, record('editor:b', 'file:///w/b.txt', 'PARTY')].map(serializeRecord).join('\n') + '\n',
  );
  assert.deepEqual(
    parsed.records.map((r) => r.kind),
    ['contract', undefined],
  );
});
