// readJsonl and parseJsonlRecord: every bad line reported with its number while the rest is
// read; lines of any length, CRLF, BOM; a torn last line named as such.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { InputError, parseJsonlRecord, readJsonl } from '../../../src/model';
import { TempFiles, rejectsInput } from '../../fixtures/temp-files';

const temp = new TempFiles();
before(() => temp.create('jsonl'));
after(() => temp.remove());
const file = (name: string, content?: string | Uint8Array) => temp.file(name, content);

describe('readJsonl', () => {
  const good = (id: string, text: string, spans: unknown[] = []): string => JSON.stringify({ id, text, spans });

  test('reads good lines in order and reports each bad line with its number', async () => {
    const lines = [
      /* 1 */ good('a', 'ACME Corp signs', [{ start: 0, end: 9, label: 'PARTY' }]),
      /* 2 */ '',
      /* 3 */ 'this is not json',
      /* 4 */ good('b', 'On 1 May 2024 ACME', [
        { start: 14, end: 18, label: 'PARTY' },
        { start: 3, end: 13, label: 'DATE' },
      ]),
      /* 5 */ good('c', 'short', [{ start: 0, end: 99, label: 'DATE' }]),
      /* 6 */ good('d', 'Foo Bar Baz Inc', [
        { start: 0, end: 7, label: 'PARTY' },
        { start: 4, end: 15, label: 'PARTY' },
        { start: 12, end: 15, label: 'PARTY' },
      ]),
      /* 7 */ '[1, 2, 3]',
      /* 8 */ JSON.stringify({ id: 'e', spans: [] }),
      /* 9 */ JSON.stringify({ text: 'no id here', spans: [], source: 'cuad', split: 'dev', complete: 'all' }),
      /* 10 */ '   ',
      /* 11 */ '{"id": "f", "text": "torn wri',
    ];
    const p = await file('mixed.jsonl', lines.join('\n'));
    const { docs, problems } = await readJsonl(p);

    assert.deepEqual(
      docs.map((d) => d.id),
      ['a', 'b', 'd', 'mixed.jsonl:9'],
    );
    // unsorted spans are sorted
    assert.deepEqual(docs[1].spans, [
      { start: 3, end: 13, label: 'DATE' },
      { start: 14, end: 18, label: 'PARTY' },
    ]);
    // the later overlapping span is dropped, the rest kept
    assert.deepEqual(docs[2].spans, [
      { start: 0, end: 7, label: 'PARTY' },
      { start: 12, end: 15, label: 'PARTY' },
    ]);
    assert.deepEqual(docs[3], {
      id: 'mixed.jsonl:9',
      text: 'no id here',
      spans: [],
      source: 'cuad',
      split: 'dev',
      complete: 'all',
    });

    assert.deepEqual(
      problems.map((p) => p.line),
      [3, 5, 6, 7, 8, 11],
    );
    const byLine = new Map(problems.map((p) => [p.line, p.message]));
    assert.match(byLine.get(3) ?? '', /invalid JSON/);
    assert.match(byLine.get(5) ?? '', /spans\[0\]\.end is 99, past the end of the text \(5 characters\)/);
    assert.match(
      byLine.get(6) ?? '',
      /spans\[1\] \(4-15 PARTY\) overlaps spans\[0\] \(0-7 PARTY\); dropped spans\[1\]/,
    );
    assert.match(byLine.get(7) ?? '', /expected a JSON object, found an array/);
    assert.match(byLine.get(8) ?? '', /missing "text"/);
    assert.match(byLine.get(11) ?? '', /invalid JSON.*does not end with a newline.*interrupted write/);
  });

  test('CRLF line endings, a UTF-8 BOM and a last line without newline', async () => {
    const content = '\ufeff' + good('a', 'x\r\ny', [{ start: 0, end: 1, label: 'L' }]) + '\r\n\r\n' + good('b', 'z');
    const { docs, problems } = await readJsonl(await file('crlf.jsonl', content));
    assert.deepEqual(problems, []);
    assert.deepEqual(
      docs.map((d) => [d.id, d.text]),
      [
        ['a', 'x\r\ny'],
        ['b', 'z'],
      ],
    );
  });

  test('lines longer than a read chunk are joined correctly', async () => {
    const long = 'word '.repeat(60_000);
    const content =
      [
        good('a', 'a'),
        good('long', long, [{ start: long.length - 5, end: long.length - 1, label: 'X' }]),
        good('c', 'c'),
      ].join('\n') + '\n';
    const { docs, problems } = await readJsonl(await file('long.jsonl', content));
    assert.deepEqual(problems, []);
    assert.deepEqual(
      docs.map((d) => d.id),
      ['a', 'long', 'c'],
    );
    assert.equal(docs[1].text.length, long.length);
  });

  test('a line with invalid UTF-8 is reported and the rest read', async () => {
    const content = Buffer.concat([
      Buffer.from(good('a', 'a') + '\n'),
      Buffer.from('{"id": "b", "text": "caf'),
      Buffer.from([0xe9]),
      Buffer.from('", "spans": []}\n' + good('c', 'c') + '\n'),
    ]);
    const { docs, problems } = await readJsonl(await file('enc.jsonl', content));
    assert.deepEqual(
      docs.map((d) => d.id),
      ['a', 'c'],
    );
    assert.deepEqual(problems, [{ line: 2, message: 'not valid UTF-8 (at byte 24 of the line)' }]);
  });

  test('an empty file has no documents and no problems', async () => {
    assert.deepEqual(await readJsonl(await file('none.jsonl', '')), { docs: [], problems: [] });
  });

  test('a PNG is recognised as an image, though its first line is only 5 bytes', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    await rejectsInput(readJsonl(await file('train.png', png)), 'train.png', /looks like a PNG image/);
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x0a, 0x10, 0x4a, 0x46]);
    await rejectsInput(readJsonl(await file('train.jsonl', jpeg)), 'train.jsonl', /looks like a JPEG image/);
  });

  test('a named pipe (FIFO) is refused at once', async () => {
    const p = await file('train.jsonl');
    assert.equal(spawnSync('mkfifo', [p]).status, 0);
    await rejectsInput(readJsonl(p), 'train.jsonl', /named pipe \(FIFO\)/);
  });

  test('a missing or binary file is an InputError', async () => {
    await rejectsInput(readJsonl(path.join(temp.root, 'absent.jsonl')), 'absent.jsonl', /no such file/);
    await rejectsInput(readJsonl(await file('data.jsonl', '%PDF-1.4\n')), 'data.jsonl', /looks like a PDF/);
  });
});

describe('parseJsonlRecord', () => {
  const parse = (record: unknown): ReturnType<typeof parseJsonlRecord> =>
    parseJsonlRecord(JSON.stringify(record), 7, 'train.jsonl');
  const rejects = (record: unknown, reason: RegExp): void => {
    assert.throws(
      () => parse(record),
      (err: unknown) => {
        assert.ok(err instanceof InputError);
        assert.equal(err.line, 7);
        assert.ok(err.message.startsWith('train.jsonl:7: '), err.message);
        assert.match(err.message, reason);
        return true;
      },
    );
  };

  test('validates text, spans and labels', () => {
    rejects({ text: 5, spans: [] }, /"text" must be a string, found the number 5/);
    rejects({ text: 'abc' }, /missing "spans"/);
    rejects({ text: 'abc', spans: {} }, /"spans" must be an array, found an object/);
    rejects({ text: 'abc', spans: [5] }, /spans\[0\] must be an object/);
    rejects(
      { text: 'abc', spans: [{ start: 0.5, end: 2, label: 'X' }] },
      /spans\[0\]\.start must be an integer, found the number 0\.5/,
    );
    rejects(
      { text: 'abc', spans: [{ start: 0, end: '2', label: 'X' }] },
      /spans\[0\]\.end must be an integer, found the string "2"/,
    );
    rejects(
      { text: 'abc', spans: [{ start: 2, end: 2, label: 'X' }] },
      /spans\[0\] is empty or reversed \(start 2 >= end 2\)/,
    );
    rejects({ text: 'abc', spans: [{ start: -1, end: 2, label: 'X' }] }, /spans\[0\]\.start is -1, below 0/);
    rejects({ text: 'abc', spans: [{ start: 0, end: 4, label: 'X' }] }, /past the end of the text \(3 characters\)/);
    rejects({ text: 'abc', spans: [{ start: 0, end: 2, label: '' }] }, /spans\[0\]\.label must be a non-empty string/);
    rejects(
      { text: 'abc', spans: [{ start: 0, end: 2 }] },
      /spans\[0\]\.label must be a non-empty string, found nothing/,
    );
    rejects({ id: 3, text: 'abc', spans: [] }, /"id" must be a non-empty string/);
  });

  test('labels must follow the label grammar; hostile labels are shown escaped', () => {
    rejects(
      { text: 'abc', spans: [{ start: 0, end: 2, label: 'party' }] },
      /spans\[0\]\.label: "party" is not a valid label \(labels are 1-32 upper-case letters.*\); use PARTY\.$/,
    );
    rejects({ text: 'abc', spans: [{ start: 0, end: 2, label: '__proto__' }] }, /"__proto__" is not a valid label/);
    rejects(
      { text: 'abc', spans: [{ start: 0, end: 2, label: '\u001b[2J<b>*X*</b>' }] },
      /spans\[0\]\.label: "\\u001b\[2J<b>\*X\*<\/b>" is not a valid label/,
    );
    rejects(
      { text: 'abc', spans: [], complete: ['DATE', 'due date'] },
      /complete\[1\]: "due date" is not a valid label/,
    );
  });

  test('validates the optional fields', () => {
    rejects({ text: 'abc', spans: [], source: 1 }, /"source" must be a non-empty string/);
    rejects({ text: 'abc', spans: [], complete: 'some' }, /"complete" must be "all" or an array of labels/);
    rejects({ text: 'abc', spans: [], complete: ['DATE', 3] }, /complete\[1\] must be a non-empty string/);
    rejects({ text: 'abc', spans: [], reviewed: [{ start: 0, end: 9 }] }, /reviewed\[0\]\.end is 9, past the end/);
    rejects(
      { text: 'abc', spans: [], silver: [{ start: 0, end: 1, label: 7 }] },
      /silver\[0\]\.label must be a non-empty string, found the number 7\.$/,
    );
    rejects({ text: 'abc', spans: [], split: true }, /"split" must be a non-empty string, found the boolean true\.$/);
    rejects({ text: 'abc', spans: [], reviewed: 'all' }, /"reviewed" must be an array, found the string "all"\.$/);
    rejects({ text: 'abc', spans: [], reviewed: [[0, 1]] }, /reviewed\[0\] must be an object, found an array\.$/);
    rejects(
      { text: 'abc', spans: [], complete: { DATE: true } },
      /"complete" must be "all" or an array of labels, found an object\.$/,
    );
  });

  test('judged ranges: each a range inside the text with a valid label; ranges of one label merged', () => {
    const text = 'Acme Corp. pays Beta LLC on 1 May.';
    const doc = parseJsonlRecord(
      JSON.stringify({
        text,
        spans: [{ start: 0, end: 10, label: 'PARTY' }],
        judged: [
          { start: 11, end: 24, label: 'PARTY' },
          { start: 0, end: 12, label: 'PARTY' },
          { start: 0, end: 33, label: 'DATE' },
          { start: 28, end: 33, label: 'DATE' },
        ],
      }),
      1,
      'j.jsonl',
    );
    assert.deepEqual(doc.judged, [
      { start: 0, end: 33, label: 'DATE' },
      { start: 0, end: 24, label: 'PARTY' },
    ]);
    assert.equal(parseJsonlRecord(JSON.stringify({ text, spans: [], judged: null }), 1, 'j.jsonl').judged, undefined);
    rejects({ text: 'abc', spans: [], judged: 'all' }, /"judged" must be an array, found the string "all"\.$/);
    rejects(
      { text: 'abc', spans: [], judged: [{ start: 0, end: 9, label: 'DATE' }] },
      /judged\[0\]\.end is 9, past the end/,
    );
    rejects(
      { text: 'abc', spans: [], judged: [{ start: 2, end: 1, label: 'DATE' }] },
      /judged\[0\] is empty or reversed/,
    );
    rejects(
      { text: 'abc', spans: [], judged: [{ start: 0, end: 1 }] },
      /judged\[0\]\.label must be a non-empty string/,
    );
    rejects(
      { text: 'abc', spans: [], judged: [{ start: 0, end: 1, label: 'date' }] },
      /judged\[0\]\.label: "date" is not a valid label/,
    );
  });

  test('values in messages are described as the reader found them, cut at 40 characters on one line', () => {
    rejects({ text: 'abc', spans: [], id: 12 }, /"id" must be a non-empty string, found the number 12\.$/);
    rejects(
      { text: 'abc', spans: [{ start: 0, end: `1${'0'.repeat(60)}`, label: 'X' }] },
      new RegExp(`spans\\[0\\]\\.end must be an integer, found the string "1${'0'.repeat(39)}…"\\.$`),
    );
    rejects({ text: null, spans: [] }, /"text" must be a string, found null\.$/);
  });

  test('keeps the optional fields; merges reviewed ranges; drops overlapping silver with a warning', () => {
    const warnings: string[] = [];
    const doc = parseJsonlRecord(
      JSON.stringify({
        text: 'Paid 5 EUR on 1 May',
        spans: [{ start: 5, end: 10, label: 'AMOUNT', extra: true }],
        split: 'train',
        complete: ['DATE'],
        reviewed: [
          { start: 8, end: 12 },
          { start: 0, end: 9 },
          { start: 14, end: 19 },
        ],
        silver: [
          { start: 14, end: 19, label: 'DATE' },
          { start: 14, end: 19, label: 'DATE' },
        ],
        source: null,
      }),
      3,
      'edits.jsonl',
      (m) => warnings.push(m),
    );
    assert.deepEqual(doc, {
      id: 'edits.jsonl:3',
      text: 'Paid 5 EUR on 1 May',
      spans: [{ start: 5, end: 10, label: 'AMOUNT' }],
      split: 'train',
      complete: ['DATE'],
      reviewed: [
        { start: 0, end: 12 },
        { start: 14, end: 19 },
      ],
      silver: [{ start: 14, end: 19, label: 'DATE' }],
    });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /silver\[1\] \(14-19 DATE\) has the same range as silver\[0\]/);
  });
});

/** names of leftover temp files next to `p` */
