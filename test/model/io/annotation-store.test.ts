// The workspace training set (.entity-lens/annotations.jsonl): parsing with "latest wins" by
// id and by text, tombstones, malformed and torn lines kept and reported; the record format;
// compaction that keeps malformed lines verbatim; the cached read.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  appendRecords,
  compactIfWorthIt,
  createStoreCache,
  parseStore,
  passageId,
  readStore,
  recordsForUri,
  serializeRecord,
  type AnnotationRecord,
  type StoreContents,
} from '../../../src/model/io/annotation-store';

const line = (o: Record<string, unknown>): string => JSON.stringify(o);
const rec = (id: string, text: string, extra: Record<string, unknown> = {}): string =>
  line({ id, text, spans: [], ...extra });

let dir: string;
let n = 0;
before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'entity-lens-store-'));
});
after(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});
async function storeFile(content?: string): Promise<string> {
  const file = path.join(dir, `annotations-${n++}.jsonl`);
  if (content !== undefined) await fs.writeFile(file, content);
  return file;
}

describe('parseStore', () => {
  test('the latest record wins for the same id, at its own place in file order', () => {
    const s = parseStore([rec('a', 'First.'), rec('b', 'Second.'), rec('a', 'First, edited.')].join('\n') + '\n');
    assert.deepEqual(
      s.records.map((r) => `${r.id}:${r.text}`),
      ['b:Second.', 'a:First, edited.'],
    );
    assert.equal(s.lines, 3);
    assert.equal(s.superseded, 1);
    assert.deepEqual(s.problems, []);
  });

  test('the latest record wins for the same text under another id (the same passage saved twice)', () => {
    const s = parseStore([rec('x', 'Same words.'), rec('y', 'Same words.', { spans: [] })].join('\n'));
    assert.deepEqual(
      s.records.map((r) => r.id),
      ['y'],
    );
  });

  test('a record with empty text deletes its id; a later record brings it back', () => {
    const s1 = parseStore([rec('a', 'Kept?'), rec('b', 'Other.'), rec('a', '')].join('\n'));
    assert.deepEqual(
      s1.records.map((r) => r.id),
      ['b'],
    );
    assert.equal(s1.superseded, 2, 'the deleted record and the tombstone itself');
    const s2 = parseStore([rec('a', 'Kept?'), rec('a', ''), rec('a', 'Back again.')].join('\n'));
    assert.deepEqual(
      s2.records.map((r) => r.text),
      ['Back again.'],
    );
  });

  test('two tombstones do not delete each other by their (empty) text', () => {
    const s = parseStore([rec('a', 'A.'), rec('b', 'B.'), rec('a', ''), rec('c', ''), rec('b', 'B again.')].join('\n'));
    assert.deepEqual(
      s.records.map((r) => r.text),
      ['B again.'],
    );
  });

  test('malformed lines are reported by line number, kept in `bad`, and the rest is read', () => {
    const text = [
      rec('a', 'Good.'),
      'not json',
      line({ id: 'b', text: 42, spans: [] }),
      '',
      rec('c', 'Also good.'),
    ].join('\n');
    const s = parseStore(text + '\n', 'store.jsonl');
    assert.deepEqual(
      s.records.map((r) => r.id),
      ['a', 'c'],
    );
    assert.deepEqual(
      s.problems.map((p) => p.line),
      [2, 3],
    );
    assert.match(s.problems[0].message, /^invalid JSON/);
    assert.match(s.problems[1].message, /^"text" must be a string/);
    assert.ok(!s.problems.some((p) => p.message.includes('store.jsonl:')), 'the line number is a field, not a prefix');
    assert.doesNotMatch(s.problems[0].message, /interrupted/);
    assert.deepEqual([...s.bad], [2, 3]);
    assert.equal(s.lines, 4, 'blank lines are not counted');
  });

  test('a torn last line (no newline, not JSON) is reported as an interrupted write', () => {
    const s = parseStore(rec('a', 'Good.') + '\n' + '{"id": "b", "text": "Cut off he');
    assert.equal(s.records.length, 1);
    assert.equal(s.problems.length, 1);
    assert.equal(s.problems[0].line, 2);
    assert.match(s.problems[0].message, /invalid JSON.*interrupted write/);
  });

  test('a complete but invalid last line without a newline is not called torn', () => {
    const s = parseStore(
      rec('a', 'Good.') + '\n' + line({ id: 'b', text: 'ab', spans: [{ start: 0, end: 9, label: 'X' }] }),
    );
    assert.equal(s.problems.length, 1);
    assert.match(s.problems[0].message, /past the end of the text/);
    assert.doesNotMatch(s.problems[0].message, /interrupted/);
  });

  test('CRLF line ends, astral characters: offsets stay UTF-16 and the text is exact', () => {
    const text = '📄 Acme Corp. signs.';
    const s = parseStore(
      rec('a', text, { spans: [{ start: 3, end: 13, label: 'PARTY' }] }) + '\r\n' + rec('b', 'B.') + '\r\n',
    );
    assert.deepEqual(s.problems, []);
    assert.equal(s.records[0].text, text);
    assert.equal(text.slice(s.records[0].spans[0].start, s.records[0].spans[0].end), 'Acme Corp.');
  });

  test("the editor's fields are read back; a bad start is ignored, not fatal", () => {
    const s = parseStore(
      [
        rec('a', 'A.', { uri: 'file:///c.txt', time: '2024-01-01T00:00:00.000Z', start: 120 }),
        rec('b', 'B.', { uri: 7, start: -1 }),
        rec('c', 'C.', { start: 1.5 }),
      ].join('\n'),
    );
    assert.deepEqual(
      s.records.map((r) => [r.uri, r.time, r.start]),
      [
        ['file:///c.txt', '2024-01-01T00:00:00.000Z', 120],
        [undefined, undefined, undefined],
        [undefined, undefined, undefined],
      ],
    );
  });

  test('overlapping spans: the record is kept (first span wins) and the fix is reported', () => {
    const s = parseStore(
      rec('a', 'Acme Corp.', {
        spans: [
          { start: 0, end: 4, label: 'PARTY' },
          { start: 2, end: 10, label: 'PARTY' },
        ],
      }),
    );
    assert.equal(s.records.length, 1);
    assert.deepEqual(s.records[0].spans, [{ start: 0, end: 4, label: 'PARTY' }]);
    assert.equal(s.problems.length, 1);
    assert.match(s.problems[0].message, /overlaps/);
    assert.equal(s.bad.size, 0, 'not a bad line: compaction rewrites it');
  });

  test('empty input', () => {
    for (const text of ['', '\n', '\r\n\r\n']) {
      const s = parseStore(text);
      assert.deepEqual([s.records, s.problems, s.lines, s.superseded], [[], [], 0, 0]);
    }
  });
});

describe('serializeRecord and passageId', () => {
  test('the data-format fields first, then the editor’s, in a fixed order', () => {
    const r: AnnotationRecord = {
      split: 'train',
      start: 40,
      time: '2024-05-05T10:00:00.000Z',
      uri: 'file:///w/contract.txt',
      complete: ['PARTY'],
      reviewed: [{ start: 0, end: 5 }],
      judged: [{ start: 0, end: 11, label: 'DATE' }],
      source: 'import',
      spans: [{ label: 'PARTY', end: 4, start: 0 }],
      text: 'Acme signs.',
      id: 'editor:1',
    };
    const s = serializeRecord(r);
    assert.deepEqual(Object.keys(JSON.parse(s) as object), [
      'id',
      'text',
      'spans',
      'source',
      'reviewed',
      'judged',
      'complete',
      'uri',
      'time',
      'start',
      'split',
    ]);
    assert.ok(s.includes('"spans":[{"start":0,"end":4,"label":"PARTY"}]'), 'span fields in order');
    assert.ok(!s.includes('\n'), 'one line');
  });

  test('defaults: source "editor", time now; absent optional fields are left out', () => {
    const t0 = Date.now();
    const o = JSON.parse(serializeRecord({ id: 'a', text: 'A.', spans: [] })) as Record<string, unknown>;
    assert.deepEqual(Object.keys(o), ['id', 'text', 'spans', 'source', 'time']);
    assert.equal(o.source, 'editor');
    const t = Date.parse(o.time as string);
    assert.ok(t >= t0 - 1000 && t <= Date.now() + 1000);
  });

  test('a serialized record parses back to the same record; text with newlines stays one line', () => {
    const r: AnnotationRecord = {
      id: 'editor:2',
      text: 'Line one\r\nline two 📄 "quoted"\u2028',
      spans: [{ start: 10, end: 14, label: 'X' }],
      source: 'editor',
      reviewed: [{ start: 0, end: 20 }],
      judged: [
        { start: 0, end: 8, label: 'DATE' },
        { start: 10, end: 20, label: 'X' },
      ],
      uri: 'file:///a.txt',
      time: '2024-01-01T00:00:00.000Z',
      start: 3,
    };
    const s = serializeRecord(r);
    assert.equal(s.split('\n').length, 1);
    const back = parseStore(s + '\n').records[0];
    assert.deepEqual(back, r);
  });

  test('a record of an extracted document keeps the hash of its file; a malformed hash is dropped', () => {
    const hash = 'ab'.repeat(32);
    const r: AnnotationRecord = {
      id: 'editor:3',
      text: 'Acme signs.',
      spans: [{ start: 0, end: 4, label: 'PARTY' }],
      source: 'editor',
      uri: 'file:///w/nda.pdf',
      sha256: hash,
      time: '2024-01-01T00:00:00.000Z',
      start: 0,
    };
    const s = serializeRecord(r);
    assert.deepEqual(Object.keys(JSON.parse(s) as object).slice(-4), ['uri', 'sha256', 'time', 'start']);
    assert.deepEqual(parseStore(s + '\n').records[0], r);
    const bad = parseStore(s.replace(hash, 'not a hash') + '\n').records[0];
    assert.equal(bad.sha256, undefined);
    assert.equal(bad.uri, 'file:///w/nda.pdf');
  });

  test('passageId: stable, depends on the uri and the start', () => {
    const a = passageId('file:///a.txt', 10);
    assert.match(a, /^editor:[0-9a-f]{16}$/);
    assert.equal(passageId('file:///a.txt', 10), a);
    assert.notEqual(passageId('file:///a.txt', 11), a);
    assert.notEqual(passageId('file:///b.txt', 10), a);
  });

  test('recordsForUri', () => {
    const s = parseStore([rec('a', 'A.', { uri: 'u1' }), rec('b', 'B.', { uri: 'u2' }), rec('c', 'C.')].join('\n'));
    assert.deepEqual(
      recordsForUri(s, 'u1').map((r) => r.id),
      ['a'],
    );
    assert.deepEqual(recordsForUri(s, 'nope'), []);
  });
});

describe('compactIfWorthIt', () => {
  test('rewrites with the latest records and every malformed line verbatim, in file order', async () => {
    const lines = [
      rec('a', 'Old A.'),
      '{"broken": tru',
      rec('a', 'Newer A.'),
      rec('b', 'B.'),
      rec('a', 'Latest A.'),
      line({ id: 'x', text: 1 }),
      rec('b', ''),
    ];
    const file = await storeFile(lines.join('\r\n') + '\r\n');
    assert.equal(await compactIfWorthIt(file, 2), true);
    const after = (await fs.readFile(file, 'utf8')).split('\n');
    assert.deepEqual(after, ['{"broken": tru', rec('a', 'Latest A.'), line({ id: 'x', text: 1 }), '']);
    const again = parseStore(after.join('\n'));
    assert.deepEqual(
      again.records.map((r) => r.text),
      ['Latest A.'],
    );
    assert.equal(again.superseded, 0);
  });

  test('leaves the file alone while superseded records are few or fewer than the live ones', async () => {
    const text = [rec('a', 'A.'), rec('a', 'A2.'), rec('b', 'B.'), rec('c', 'C.')].join('\n') + '\n';
    const file = await storeFile(text);
    assert.equal(await compactIfWorthIt(file, 5), false, 'fewer than the minimum');
    assert.equal(await compactIfWorthIt(file, 1), false, '1 superseded, 3 live');
    assert.equal(await fs.readFile(file, 'utf8'), text);
  });

  test('a missing file: nothing to do', async () => {
    assert.equal(await compactIfWorthIt(path.join(dir, 'never.jsonl'), 0), false);
  });

  test('only tombstones left: an empty file', async () => {
    const file = await storeFile([rec('a', 'A.'), rec('a', '')].join('\n') + '\n');
    assert.equal(await compactIfWorthIt(file, 1), true);
    assert.equal(await fs.readFile(file, 'utf8'), '');
  });
});

describe('readStore and appendRecords', () => {
  test('a missing file reads as empty (a fresh object each time)', async () => {
    const cache = createStoreCache();
    const a: StoreContents = await readStore(path.join(dir, 'absent.jsonl'), cache);
    assert.deepEqual({ ...a }, { records: [], problems: [], lines: 0, superseded: 0 });
    a.records.push({ id: 'x', text: 'X', spans: [] });
    assert.equal((await readStore(path.join(dir, 'absent.jsonl'), cache)).records.length, 0);
  });

  test('cached while the file is unchanged; read again after it changes; each problem warned once', async () => {
    const file = await storeFile([rec('a', 'A.'), 'garbage'].join('\n') + '\n');
    const cache = createStoreCache();
    const warnings: string[] = [];
    const first = await readStore(file, cache, (m) => warnings.push(m));
    assert.equal(first.records.length, 1);
    assert.deepEqual(warnings, [`${file}:2: invalid JSON (${jsonError('garbage')}). (the line is kept)`]);
    assert.equal(await readStore(file, cache, (m) => warnings.push(m)), first, 'the cached contents');

    await appendRecords(file, [{ id: 'b', text: 'B.', spans: [], time: '2024-01-01T00:00:00.000Z' }]);
    const second = await readStore(file, cache, (m) => warnings.push(m));
    assert.notEqual(second, first);
    assert.deepEqual(
      second.records.map((r) => r.id),
      ['a', 'b'],
    );
    assert.equal(warnings.length, 1, 'the same malformed line is not warned about again');
  });

  test('appending after a torn last line starts a new line, so the new record is intact', async () => {
    const file = await storeFile(rec('a', 'A.') + '\n{"id": "cut", "te');
    await appendRecords(file, [
      { id: 'b', text: 'B.', spans: [] },
      { id: 'c', text: 'C.', spans: [] },
    ]);
    const text = await fs.readFile(file, 'utf8');
    assert.ok(text.endsWith('\n'));
    const s = parseStore(text);
    assert.deepEqual(
      s.records.map((r) => r.id),
      ['a', 'b', 'c'],
    );
    assert.deepEqual(
      s.problems.map((p) => p.line),
      [2],
    );
    assert.equal(text.split('\n')[1], '{"id": "cut", "te', 'the torn line is kept as it was');
  });

  test('appending nothing does not create the file', async () => {
    const file = path.join(dir, 'not-created.jsonl');
    await appendRecords(file, []);
    await assert.rejects(fs.stat(file));
  });
});

/** The message JSON.parse gives for `text` on this Node version. */
function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}
