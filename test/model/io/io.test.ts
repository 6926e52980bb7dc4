import { test, describe, before, after, mock } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fork, spawnSync } from 'node:child_process';
// the module object itself (not an import-star copy), so tests can stub one function
// eslint-disable-next-line @typescript-eslint/no-require-imports
import fsModule = require('node:fs/promises');
import {
  InputError,
  appendLineLocked,
  isProbablyBinary,
  parseJsonlRecord,
  readJsonl,
  readTextFile,
  withFileLock,
  writeFileAtomic,
} from '../../../src/model/io/files';

let dir: string;

before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'entity-lens-io-'));
});

after(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

let fileCounter = 0;
/** a fresh file path in the temp dir, optionally with content */
async function file(name: string, content?: string | Uint8Array): Promise<string> {
  const sub = path.join(dir, `case${fileCounter++}`);
  await fs.mkdir(sub);
  const p = path.join(sub, name);
  if (content !== undefined) await fs.writeFile(p, content);
  return p;
}

/** asserts `promise` rejects with an InputError whose message names the file and matches `reason` */
async function rejectsInput(promise: Promise<unknown>, name: string, reason: RegExp): Promise<InputError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
    assert.ok(err.message.includes(name), `message should name ${name}: ${err.message}`);
    assert.match(err.message, reason);
    return err;
  }
  assert.fail('expected a rejection');
}

describe('readTextFile', () => {
  test('missing file', async () => {
    const p = path.join(dir, 'nowhere.txt');
    const err = await rejectsInput(readTextFile(p), 'nowhere.txt', /no such file/);
    assert.equal(err.path, p);
  });

  test('a directory', async () => {
    const p = await file('folder.txt');
    await fs.mkdir(p);
    await rejectsInput(readTextFile(p), 'folder.txt', /is a directory/);
  });

  test('empty file', async () => {
    const p = await file('empty.txt', '');
    await rejectsInput(readTextFile(p), 'empty.txt', /is empty \(0 bytes\)/);
  });

  test('whitespace-only file', async () => {
    const p = await file('blank.txt', ' \r\n\t\n  ');
    await rejectsInput(readTextFile(p), 'blank.txt', /is empty \(it contains only whitespace\)/);
  });

  test('too large: names the size and the limit', async () => {
    const p = await file('big.txt', 'x'.repeat(20));
    await rejectsInput(readTextFile(p, { maxBytes: 10 }), 'big.txt', /20 bytes, larger than the limit of 10 bytes/);
    assert.equal(await readTextFile(p, { maxBytes: 20 }), 'x'.repeat(20));
  });

  test('binary file with NUL bytes reports the offset', async () => {
    const bytes = Buffer.from('hello world!\0\x01\x02 rest', 'latin1');
    const p = await file('contract.bin', bytes);
    await rejectsInput(
      readTextFile(p),
      'contract.bin',
      /looks like a binary file \(NUL bytes at offset 12\); Entity Lens reads plain text\./,
    );
  });

  test('PDF is named', async () => {
    const p = await file('contract.pdf', '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n');
    await rejectsInput(readTextFile(p), 'contract.pdf', /looks like a PDF; export it to text first/);
  });

  test('DOCX, PNG and plain ZIP are named', async () => {
    const zipHeader = [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00];
    const docx = Buffer.concat([Buffer.from(zipHeader), Buffer.from('....[Content_Types].xml....word/document.xml')]);
    await rejectsInput(readTextFile(await file('a.docx', docx)), 'a.docx', /Word document \(\.docx\)/);
    const zip = Buffer.concat([Buffer.from(zipHeader), Buffer.from('....notes.txt')]);
    await rejectsInput(readTextFile(await file('a.zip', zip)), 'a.zip', /ZIP archive/);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    await rejectsInput(readTextFile(await file('scan.png', png)), 'scan.png', /PNG image/);
  });

  test('a high share of control characters is binary', async () => {
    const bytes = Buffer.alloc(200, 0x41);
    for (let i = 0; i < 200; i += 4) bytes[i] = 0x03;
    await rejectsInput(readTextFile(await file('ctl.dat', bytes)), 'ctl.dat', /binary file \(25% control characters\)/);
  });

  test('invalid UTF-8 reports the byte offset of the first bad sequence', async () => {
    const prefix = Buffer.from('Société — Käufer 😀 ', 'utf8');
    const bytes = Buffer.concat([prefix, Buffer.from([0xe9, 0x74, 0xe9]), Buffer.from(' tail')]);
    await rejectsInput(
      readTextFile(await file('latin1.txt', bytes)),
      'latin1.txt',
      new RegExp(`not valid UTF-8 \\(byte 0xE9 at byte offset ${prefix.length}\\)`),
    );
    // overlong encoding of "/" and a sequence cut off at the end of the file
    const overlong = Buffer.concat([Buffer.from('ab'), Buffer.from([0xc0, 0xaf])]);
    await rejectsInput(readTextFile(await file('overlong.txt', overlong)), 'overlong.txt', /byte offset 2\)/);
    const cut = Buffer.concat([Buffer.from('abc'), Buffer.from([0xe2, 0x82])]);
    await rejectsInput(readTextFile(await file('cut.txt', cut)), 'cut.txt', /byte offset 3\)/);
  });

  test('UTF-16 LE and BE with BOM are decoded; offsets match the text', async () => {
    const text = 'Agreement dated 1 May 2024\r\nBetween ACME 😀 GmbH';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    assert.equal(await readTextFile(await file('le.txt', le)), text);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    assert.equal(await readTextFile(await file('be.txt', be)), text);
  });

  test('UTF-8 BOM is stripped and CRLF kept', async () => {
    const text = 'Line one\r\nLine two — ✓\r\n';
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    const read = await readTextFile(await file('bom.txt', bytes));
    assert.equal(read, text);
    assert.equal(read.indexOf('Line two'), 10);
  });

  test('permission denied', { skip: process.getuid?.() === 0 ? 'root can read anything' : false }, async () => {
    const p = await file('secret.txt', 'text');
    await fs.chmod(p, 0o000);
    await rejectsInput(readTextFile(p), 'secret.txt', /permission denied/);
  });
});

describe('isProbablyBinary', () => {
  test('plain text is not binary', () => {
    assert.equal(isProbablyBinary(Buffer.from('Invoice no. 12\r\n\tTotal: 5 €\f')), null);
    assert.equal(isProbablyBinary(new Uint8Array(0)), null);
  });

  test('UTF-16 without a BOM gets its own advice', () => {
    assert.match(
      isProbablyBinary(Buffer.from('Hello contract text', 'utf16le')) ?? '',
      /UTF-16 text without a byte-order mark/,
    );
  });
});

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

  test('a missing or binary file is an InputError', async () => {
    await rejectsInput(readJsonl(path.join(dir, 'absent.jsonl')), 'absent.jsonl', /no such file/);
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

  test('validates the optional fields', () => {
    rejects({ text: 'abc', spans: [], source: 1 }, /"source" must be a non-empty string/);
    rejects({ text: 'abc', spans: [], complete: 'some' }, /"complete" must be "all" or an array of labels/);
    rejects({ text: 'abc', spans: [], complete: ['DATE', 3] }, /complete\[1\] must be a non-empty string/);
    rejects({ text: 'abc', spans: [], reviewed: [{ start: 0, end: 9 }] }, /reviewed\[0\]\.end is 9, past the end/);
    rejects({ text: 'abc', spans: [], silver: [{ start: 0, end: 1, label: 7 }] }, /silver\[0\]\.label/);
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
async function tempFilesNear(p: string): Promise<string[]> {
  return (await fs.readdir(path.dirname(p))).filter((n) => n.endsWith('.tmp'));
}

describe('writeFileAtomic', () => {
  test('creates and replaces a file, keeping its permissions', async () => {
    const p = await file('model.json');
    await writeFileAtomic(p, 'first');
    assert.equal(await fs.readFile(p, 'utf8'), 'first');
    await fs.chmod(p, 0o640);
    await writeFileAtomic(p, new Uint8Array([0x68, 0x69]));
    assert.equal(await fs.readFile(p, 'utf8'), 'hi');
    assert.equal((await fs.stat(p)).mode & 0o777, 0o640);
    assert.deepEqual(await tempFilesNear(p), []);
  });

  test('a directory at the target path: clear error, no temp file, directory intact', async () => {
    const p = await file('weights.bin');
    await fs.mkdir(p);
    await fs.writeFile(path.join(p, 'keep.txt'), 'kept');
    await rejectsInput(writeFileAtomic(p, 'data'), 'weights.bin', /a directory has that name/);
    assert.equal(await fs.readFile(path.join(p, 'keep.txt'), 'utf8'), 'kept');
    assert.deepEqual(await tempFilesNear(p), []);
  });

  test('a failing rename leaves the old content and no temp file', async () => {
    const p = await file('annotations.jsonl', 'old content\n');
    const rename = mock.method(fsModule, 'rename', async () => {
      throw Object.assign(new Error('simulated I/O error'), { code: 'EIO' });
    });
    try {
      await assert.rejects(writeFileAtomic(p, 'new content\n'), /simulated I\/O error/);
      assert.equal(rename.mock.callCount(), 1);
    } finally {
      rename.mock.restore();
    }
    assert.equal(await fs.readFile(p, 'utf8'), 'old content\n');
    assert.deepEqual(await tempFilesNear(p), []);
  });

  test('a missing folder is a clear error', async () => {
    await rejectsInput(
      writeFileAtomic(path.join(dir, 'no-such-dir', 'out.json'), '{}'),
      'out.json',
      /folder does not exist/,
    );
  });
});

describe('appendLineLocked and withFileLock', () => {
  /** pid of a process that has exited */
  function deadPid(): number {
    const child = spawnSync(process.execPath, ['-e', '']);
    assert.ok(child.pid);
    return child.pid;
  }

  test('appends lines and removes its lock', async () => {
    const p = await file('log.jsonl');
    await appendLineLocked(p, '{"n":1}');
    await appendLineLocked(p, '{"n":2}');
    assert.equal(await fs.readFile(p, 'utf8'), '{"n":1}\n{"n":2}\n');
    await assert.rejects(fs.stat(`${p}.lock`), { code: 'ENOENT' });
  });

  test('rejects a line containing a newline', async () => {
    const p = await file('log.jsonl');
    await assert.rejects(appendLineLocked(p, 'a\nb'), TypeError);
    await assert.rejects(fs.stat(p), { code: 'ENOENT' });
  });

  test('a torn last line stays; the new record starts on its own line', async () => {
    const p = await file('torn.jsonl', '{"id":"a","text":"x","spans":[]}\n{"id":"b","te');
    await appendLineLocked(p, '{"id":"c","text":"y","spans":[]}');
    assert.equal(
      await fs.readFile(p, 'utf8'),
      '{"id":"a","text":"x","spans":[]}\n{"id":"b","te\n{"id":"c","text":"y","spans":[]}\n',
    );
    const { docs, problems } = await readJsonl(p);
    assert.deepEqual(
      docs.map((d) => d.id),
      ['a', 'c'],
    );
    assert.deepEqual(
      problems.map((x) => x.line),
      [2],
    );
  });

  test('4 processes and the parent appending concurrently lose and tear nothing', async () => {
    const p = await file('shared.jsonl');
    const ioModule = path.resolve(__dirname, '../../../src/model/io/files.js');
    const script = path.join(path.dirname(p), 'append-worker.js');
    await fs.writeFile(
      script,
      `const { appendLineLocked } = require(${JSON.stringify(ioModule)});
const [file, worker, count] = process.argv.slice(2);
(async () => {
  for (let i = 0; i < Number(count); i++) {
    const line = JSON.stringify({ worker: Number(worker), i, pad: 'x'.repeat((i * 37) % 3000) });
    await appendLineLocked(file, line, { timeoutMs: 60000 });
  }
})().catch((err) => { console.error(err); process.exit(1); });
`,
    );
    const perWriter = 200;
    const children = [1, 2, 3, 4].map(
      (worker) =>
        new Promise<number | null>((resolve, reject) => {
          const child = fork(script, [p, String(worker), String(perWriter)], { stdio: 'inherit' });
          child.on('error', reject);
          child.on('exit', resolve);
        }),
    );
    for (let i = 0; i < perWriter; i++) {
      await appendLineLocked(p, JSON.stringify({ worker: 0, i, pad: 'y'.repeat((i * 53) % 3000) }), {
        timeoutMs: 60000,
      });
    }
    assert.deepEqual(await Promise.all(children), [0, 0, 0, 0]);

    const content = await fs.readFile(p, 'utf8');
    assert.ok(content.endsWith('\n'));
    const lines = content.slice(0, -1).split('\n');
    assert.equal(lines.length, 5 * perWriter);
    const seen = new Set<string>();
    for (const line of lines) {
      const record = JSON.parse(line) as { worker: number; i: number };
      seen.add(`${record.worker}:${record.i}`);
    }
    assert.equal(seen.size, 5 * perWriter, 'every (worker, i) appears exactly once');
    await assert.rejects(fs.stat(`${p}.lock`), { code: 'ENOENT' });
  });

  test('a stale lock (old, owner dead) is broken', async () => {
    const p = await file('stale.jsonl');
    const lock = `${p}.lock`;
    await fs.writeFile(lock, JSON.stringify({ pid: deadPid(), host: os.hostname(), time: Date.now() - 60_000 }));
    const old = new Date(Date.now() - 60_000);
    await fs.utimes(lock, old, old);
    await appendLineLocked(p, 'ok', { timeoutMs: 1000 });
    assert.equal(await fs.readFile(p, 'utf8'), 'ok\n');
    await assert.rejects(fs.stat(lock), { code: 'ENOENT' });
  });

  test('a lock held by a live process makes a short-timeout append fail clearly', async () => {
    const p = await file('busy.jsonl');
    const lock = `${p}.lock`;
    await fs.writeFile(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), time: Date.now() }));
    const err = await rejectsInput(
      appendLineLocked(p, 'blocked', { timeoutMs: 150 }),
      'busy.jsonl',
      new RegExp(`still locked by process ${process.pid} after waiting 150 ms; .*delete .*busy\\.jsonl\\.lock`),
    );
    assert.equal(err.path, p);
    // an old lock whose owner is alive is not stale either
    const old = new Date(Date.now() - 60_000);
    await fs.utimes(lock, old, old);
    await rejectsInput(appendLineLocked(p, 'blocked', { timeoutMs: 100 }), 'busy.jsonl', /still locked/);
    // nor is a fresh lock whose owner is dead (it may still be starting up its write)
    await fs.writeFile(lock, JSON.stringify({ pid: deadPid(), time: Date.now() }));
    await rejectsInput(appendLineLocked(p, 'blocked', { timeoutMs: 100 }), 'busy.jsonl', /still locked/);
    await fs.rm(lock);
    await assert.rejects(fs.stat(p), { code: 'ENOENT' });
  });

  test('withFileLock serialises read-modify-write and releases the lock on error', async () => {
    const p = await file('counter.txt', '0');
    await Promise.all(
      Array.from({ length: 20 }, () =>
        withFileLock(p, async () => {
          const n = Number(await fs.readFile(p, 'utf8'));
          await new Promise((r) => setTimeout(r, 1));
          await writeFileAtomic(p, String(n + 1));
        }),
      ),
    );
    assert.equal(await fs.readFile(p, 'utf8'), '20');
    await assert.rejects(
      withFileLock(p, async () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    await assert.rejects(fs.stat(`${p}.lock`), { code: 'ENOENT' });
  });
});
