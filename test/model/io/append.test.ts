// appendLineLocked / appendLinesLocked: concurrent writers lose and tear nothing; a batch is
// committed all or nothing — a short write is completed, a full disk (injected, and on a real
// 1 MB tmpfs when this runs as root) leaves the file byte for byte as it was with a clear
// message, and a writer killed mid-batch leaves no record of it for readers or later writers.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fork, spawn } from 'node:child_process';
import {
  appendLineLocked,
  appendLinesLocked,
  InputError,
  pendingPath,
  readCommitted,
  readJsonl,
  type WriteAt,
} from '../../../src/model';
import { ROOT } from '../../fixtures/paths';
import { smallDisk } from '../../fixtures/tmpfs';
import { TempFiles, exists, rejectsInput } from '../../fixtures/temp-files';

const DOOR = path.join(ROOT, 'out-test', 'src', 'model', 'index.js');
const temp = new TempFiles();
before(() => temp.create('append'));
after(() => temp.remove());
const file = (name: string, content?: string | Uint8Array) => temp.file(name, content);

const record = (id: string, pad = 0) => JSON.stringify({ id, text: `text of ${id} ${'x'.repeat(pad)}`, spans: [] });

/** A system error as fs raises it. */
function systemError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

describe('appendLineLocked', () => {
  test('appends lines and leaves no lock or journal behind', async () => {
    const p = await file('log.jsonl');
    await appendLineLocked(p, '{"n":1}');
    await appendLineLocked(p, '{"n":2}');
    assert.equal(await fs.readFile(p, 'utf8'), '{"n":1}\n{"n":2}\n');
    assert.equal(await exists(`${p}.lock`), false);
    assert.equal(await exists(pendingPath(p)), false);
  });

  test('rejects a line containing a newline, and writes nothing', async () => {
    const p = await file('log.jsonl');
    await assert.rejects(appendLineLocked(p, 'a\nb'), TypeError);
    await assert.rejects(appendLinesLocked(p, ['ok', 'a\nb']), TypeError);
    assert.equal(await exists(p), false);
  });

  test('a torn last line left by an older writer stays; the new record starts on its own line', async () => {
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
    const script = path.join(path.dirname(p), 'append-worker.js');
    await fs.writeFile(
      script,
      `const { appendLineLocked, appendLinesLocked } = require(${JSON.stringify(DOOR)});
const [file, worker, count] = process.argv.slice(2);
(async () => {
  for (let i = 0; i < Number(count); i++) {
    const line = (k) => JSON.stringify({ worker: Number(worker), i, k, pad: 'x'.repeat((i * 37) % 3000) });
    if (i % 2) await appendLineLocked(file, line(0), { timeoutMs: 60000 });
    else await appendLinesLocked(file, [line(0), line(1)], { timeoutMs: 60000 });
  }
})().catch((err) => { console.error(err); process.exit(1); });
`,
    );
    const perWriter = 100;
    const children = [1, 2, 3, 4].map(
      (worker) =>
        new Promise<number | null>((resolve, reject) => {
          const child = fork(script, [p, String(worker), String(perWriter)], { stdio: 'inherit' });
          child.on('error', reject);
          child.on('exit', resolve);
        }),
    );
    for (let i = 0; i < perWriter; i++) {
      await appendLineLocked(p, JSON.stringify({ worker: 0, i, k: 0 }), { timeoutMs: 60000 });
    }
    assert.deepEqual(await Promise.all(children), [0, 0, 0, 0]);
    const lines = (await fs.readFile(p, 'utf8')).split('\n');
    assert.equal(lines.pop(), '', 'the file ends with a newline');
    const seen = new Set(
      lines.map((line) => {
        const r = JSON.parse(line) as { worker: number; i: number; k: number };
        return `${r.worker}:${r.i}:${r.k}`;
      }),
    );
    const expected = perWriter + 4 * (perWriter + perWriter / 2);
    assert.equal(lines.length, expected);
    assert.equal(seen.size, expected, 'every record appears exactly once');
  });
});

describe('appendLinesLocked: all or nothing', () => {
  test('appends a batch in order; an empty batch touches nothing', async () => {
    const p = await file('batch.jsonl', 'old\n');
    await appendLinesLocked(p, []);
    assert.equal(await exists(`${p}.lock`), false);
    await appendLinesLocked(p, ['a', 'b', 'c']);
    assert.equal(await fs.readFile(p, 'utf8'), 'old\na\nb\nc\n');
  });

  test('short writes are completed (one byte per call)', async () => {
    const p = await file('short.jsonl', 'old\n');
    let calls = 0;
    const oneByte: WriteAt = async (fh, data, position) => {
      calls++;
      return (await fh.write(data, 0, Math.min(1, data.length), position)).bytesWritten;
    };
    const lines = ['{"é":"ü"}', '{"astral":"𝄞"}', 'x'.repeat(300)];
    await appendLinesLocked(p, lines, { writeAt: oneByte });
    assert.equal(await fs.readFile(p, 'utf8'), `old\n${lines.join('\n')}\n`);
    assert.equal(calls, Buffer.byteLength(lines.join('\n') + '\n'));
  });

  test('a large batch is written in chunks, each line whole', async () => {
    const p = await file('large.jsonl');
    const lines = Array.from({ length: 3000 }, (_, i) => record(`r${i}`, 1000));
    const sizes: number[] = [];
    const spy: WriteAt = async (fh, data, position) => {
      sizes.push(data.length);
      return (await fh.write(data, 0, data.length, position)).bytesWritten;
    };
    await appendLinesLocked(p, lines, { writeAt: spy });
    assert.ok(sizes.length > 1, 'more than one write');
    assert.ok(Math.max(...sizes) <= 1.1 * (1 << 20), 'no write above about 1 MB');
    const { docs, problems } = await readJsonl(p);
    assert.equal(docs.length, 3000);
    assert.deepEqual(problems, []);
  });

  for (const [code, reason] of [
    ['ENOSPC', /disk is full/],
    ['EDQUOT', /disk quota is used up/],
    ['EROFS', /read-only/],
    ['EIO', /EIO/],
  ] as const) {
    test(`${code} in the middle of a batch: a clear error, the file byte for byte as before`, async () => {
      const before = '{"id":"kept","text":"k","spans":[]}\n';
      const p = await file('full.jsonl', before);
      let written = 0;
      const failing: WriteAt = async (fh, data, position) => {
        if (written > 1500) throw systemError(code);
        const n = Math.min(data.length, 700); // short writes until the "disk" is full
        written += n;
        return (await fh.write(data, 0, n, position)).bytesWritten;
      };
      const lines = Array.from({ length: 50 }, (_, i) => record(`new${i}`, 100));
      const promise = appendLinesLocked(p, lines, { writeAt: failing });
      if (code === 'EIO') await assert.rejects(promise, /EIO/);
      else {
        const err = await rejectsInput(promise, 'full.jsonl', reason);
        assert.equal(err.path, p);
      }
      assert.equal(await fs.readFile(p, 'utf8'), before);
      assert.equal(await exists(pendingPath(p)), false);
      assert.equal(await exists(`${p}.lock`), false);
      // and the next append works
      await appendLinesLocked(p, ['{"id":"next","text":"n","spans":[]}']);
      assert.deepEqual(
        (await readJsonl(p)).docs.map((d) => d.id),
        ['kept', 'next'],
      );
    });
  }

  test('a writer killed in the middle of a batch leaves nothing of it, for readers and writers', async () => {
    const before = `${record('a')}\n${record('b')}\n`;
    const p = await file('killed.jsonl', before);
    // the child writes the first chunk of a 3 MB batch, then stops until it is killed
    const script = `const { appendLinesLocked } = require(${JSON.stringify(DOOR)});
const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: 'batch' + i, text: 'x'.repeat(1000), spans: [] }));
let n = 0;
appendLinesLocked(${JSON.stringify(p)}, lines, { writeAt: async (fh, data, pos) => {
  if (n++ === 1) { process.stdout.write('mid\\n'); await new Promise(() => setInterval(() => {}, 1000)); }
  return (await fh.write(data, 0, data.length, pos)).bytesWritten;
} });`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (s: string) => s.includes('mid') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited (${code}) before the middle of its batch`)));
    });
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;
    // on disk: the old records, then part of the batch, and the journal saying where it began
    assert.ok((await fs.stat(p)).size > before.length + 100_000);
    assert.ok(await exists(pendingPath(p)));
    // readers see none of the batch
    assert.equal((await readCommitted(p)).toString('utf8'), before);
    const seen = await readJsonl(p);
    assert.deepEqual(
      seen.docs.map((d) => d.id),
      ['a', 'b'],
    );
    assert.deepEqual(seen.problems, []);
    // the next writer removes it and appends after the old records
    await appendLineLocked(p, record('c'));
    assert.equal(await fs.readFile(p, 'utf8'), `${before}${record('c')}\n`);
    assert.equal(await exists(pendingPath(p)), false);
  });

  test('a reader during a batch sees the records before it, never a part of it', async () => {
    const p = await file('reader.jsonl', `${record('first')}\n`);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let n = 0;
    const paused: WriteAt = async (fh, data, position) => {
      if (n++ === 1) await gate; // the first chunk is on disk, the rest waits
      return (await fh.write(data, 0, data.length, position)).bytesWritten;
    };
    const lines = Array.from({ length: 2000 }, (_, i) => record(`b${i}`, 1000));
    const appending = appendLinesLocked(p, lines, { writeAt: paused });
    while (n < 2) await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(
      (await readJsonl(p)).docs.map((d) => d.id),
      ['first'],
    );
    release();
    await appending;
    assert.equal((await readJsonl(p)).docs.length, 2001);
  });
});

describe('appendLinesLocked on a real full disk (1 MB tmpfs)', () => {
  const disk = smallDisk('entity-lens-full', '1m');

  test('a batch larger than the free space: clear message, file unchanged, next small append works', async (t) => {
    if (disk.skip) return t.skip(disk.skip);
    const p = path.join(disk.mount, 'annotations.jsonl');
    await appendLinesLocked(
      p,
      Array.from({ length: 100 }, (_, i) => record(`old${i}`, 50)),
    );
    const before = await fs.readFile(p);
    const big = Array.from({ length: 2000 }, (_, i) => record(`big${i}`, 1000)); // ~2 MB
    const err = await rejectsInput(appendLinesLocked(p, big), 'annotations.jsonl', /disk is full/);
    assert.ok(err instanceof InputError);
    assert.deepEqual(await fs.readFile(p), before, 'byte for byte as before');
    assert.deepEqual(await fs.readdir(disk.mount), ['annotations.jsonl'], 'no lock, journal or temp file left');
    await appendLineLocked(p, record('after'));
    assert.equal((await readJsonl(p)).docs.length, 101);
  });

  test('one line when the disk is already full: clear message, file unchanged', async (t) => {
    if (disk.skip) return t.skip(disk.skip);
    const p = path.join(disk.mount, 'one.jsonl');
    await fs.writeFile(p, `${record('x')}\n`);
    const filler = path.join(disk.mount, 'filler');
    await fs.writeFile(filler, Buffer.alloc(1 << 20)).catch(() => undefined); // fills what is left
    const before = await fs.readFile(p);
    await rejectsInput(appendLineLocked(p, record('y', 20_000)), 'one.jsonl', /disk is full/);
    assert.deepEqual(await fs.readFile(p), before);
    await fs.rm(filler);
    await fs.rm(p);
  });
});
