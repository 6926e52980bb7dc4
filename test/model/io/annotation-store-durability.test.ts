// The annotation store's appendRecords (what every saved correction goes through) on a full disk
// and under kill -9: a short write is completed, never reported as success with a torn line (the
// issue's "wrote 272 of 5,099 bytes and returned success"); ENOSPC, EDQUOT and EROFS raise an
// InputError naming annotations.jsonl and leave it byte for byte as it was (injected here, and
// on a real 1 MB tmpfs when this runs as root); a writer killed in the middle of a batch leaves
// nothing of it for readStore, and the next append lands right after the old records.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { InputError, pendingPath, type WriteAt } from '../../../src/model';
import {
  appendRecords,
  createStoreCache,
  readStore,
  serializeRecord,
  type AnnotationRecord,
} from '../../../src/model/io/annotation-store';
import { ROOT } from '../../fixtures/paths';
import { smallDisk } from '../../fixtures/tmpfs';
import { TempFiles, exists, rejectsInput } from '../../fixtures/temp-files';

const DOOR = path.join(ROOT, 'out-test', 'src', 'model', 'index.js');
const temp = new TempFiles();
before(() => temp.create('store-durability'));
after(() => temp.remove());

const TIME = '2026-01-01T00:00:00.000Z';
/** A reviewed passage as the editor saves it (about `pad` characters of text). */
const record = (id: string, pad = 40): AnnotationRecord => ({
  id,
  text: `Acme Corp. shall pay ${id}. ${'Lorem ipsum '.repeat(Math.ceil(pad / 12))}`.slice(0, pad + 30),
  spans: [{ start: 0, end: 10, label: 'PARTY' }],
  uri: 'file:///w/contract.txt',
  start: 0,
  time: TIME,
});
const storeLines = (records: AnnotationRecord[]): string => records.map((r) => serializeRecord(r) + '\n').join('');

function systemError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

/** An annotations.jsonl holding two records, in its own folder. */
async function store(): Promise<{ file: string; before: Buffer }> {
  const file = await temp.file('annotations.jsonl', storeLines([record('kept-1'), record('kept-2')]));
  return { file, before: await fs.readFile(file) };
}

async function ids(file: string): Promise<string[]> {
  const contents = await readStore(file, createStoreCache());
  assert.deepEqual(contents.problems, [], 'no malformed or torn line');
  return contents.records.map((r) => r.id);
}

describe('appendRecords: short writes and a full disk', () => {
  test('a short write (272 bytes of a 5 kB batch) is completed, not reported as success with a torn line', async () => {
    const { file, before } = await store();
    const batch = Array.from({ length: 20 }, (_, i) => record(`new-${i}`, 200));
    let first = true;
    const short: WriteAt = async (fh, data, position) => {
      const n = first ? Math.min(272, data.length) : data.length;
      first = false;
      return (await fh.write(data, 0, n, position)).bytesWritten;
    };
    await appendRecords(file, batch, { writeAt: short });
    assert.deepEqual(await fs.readFile(file), Buffer.concat([before, Buffer.from(storeLines(batch))]));
    assert.deepEqual(await ids(file), ['kept-1', 'kept-2', ...batch.map((r) => r.id)]);
  });

  for (const [code, reason] of [
    ['ENOSPC', /annotations\.jsonl: cannot write because the disk is full; free some space and try again\./],
    ['EDQUOT', /annotations\.jsonl: .*disk quota is used up/],
    ['EROFS', /annotations\.jsonl: .*read-only/],
  ] as const) {
    test(`${code} after part of the batch: an InputError, annotations.jsonl byte for byte as before`, async () => {
      const { file, before } = await store();
      let written = 0;
      const filling: WriteAt = async (fh, data, position) => {
        if (written >= 272) throw systemError(code);
        const n = Math.min(data.length, 272 - written);
        written += n;
        return (await fh.write(data, 0, n, position)).bytesWritten;
      };
      const batch = Array.from({ length: 20 }, (_, i) => record(`lost-${i}`, 200));
      const err = await rejectsInput(appendRecords(file, batch, { writeAt: filling }), 'annotations.jsonl', reason);
      assert.equal(err.path, file);
      assert.equal(written, 272, 'part of the batch reached the file before the error');
      assert.deepEqual(await fs.readFile(file), before);
      assert.equal(await exists(pendingPath(file)), false, 'no journal left');
      assert.equal(await exists(`${file}.lock`), false, 'no lock left');
      assert.deepEqual(await ids(file), ['kept-1', 'kept-2']);
      // space again: the next save works and follows the old records directly
      await appendRecords(file, [record('next')]);
      assert.deepEqual(await fs.readFile(file), Buffer.concat([before, Buffer.from(storeLines([record('next')]))]));
    });
  }
});

describe('appendRecords: a writer killed in the middle of a batch', () => {
  test('readStore sees none of the batch; the next append removes it and lands after the old records', async () => {
    const { file, before } = await store();
    // the child writes the first 1 MB chunk of a 3 MB batch, then waits to be killed
    const script = `const { appendRecords } = require(${JSON.stringify(DOOR)});
const records = Array.from({ length: 3000 }, (_, i) => ({ id: 'batch-' + i, text: 'x'.repeat(1000), spans: [], time: ${JSON.stringify(TIME)} }));
let n = 0;
appendRecords(${JSON.stringify(file)}, records, { writeAt: async (fh, data, pos) => {
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
    assert.ok((await fs.stat(file)).size > before.length + 100_000, 'part of the batch is on disk');
    assert.deepEqual(await ids(file), ['kept-1', 'kept-2'], 'the store reads only the committed records');
    await appendRecords(file, [record('after')]);
    assert.deepEqual(await fs.readFile(file), Buffer.concat([before, Buffer.from(storeLines([record('after')]))]));
    assert.equal(await exists(pendingPath(file)), false);
  });
});

describe('appendRecords on a real full disk (1 MB tmpfs)', () => {
  const disk = smallDisk('entity-lens-store-full', '1m');

  test('a batch larger than the free space: an InputError, the store byte for byte as before', async (t) => {
    if (disk.skip) return t.skip(disk.skip);
    const file = path.join(disk.mount, 'annotations.jsonl');
    await appendRecords(
      file,
      Array.from({ length: 100 }, (_, i) => record(`old-${i}`, 100)),
    );
    const before = await fs.readFile(file);
    const big = Array.from({ length: 2000 }, (_, i) => record(`big-${i}`, 1000)); // about 2 MB
    const err = await rejectsInput(appendRecords(file, big), 'annotations.jsonl', /disk is full/);
    assert.ok(err instanceof InputError);
    assert.deepEqual(await fs.readFile(file), before, 'byte for byte as before');
    assert.deepEqual(await fs.readdir(disk.mount), ['annotations.jsonl'], 'no lock, journal or temp file left');
    assert.equal((await ids(file)).length, 100);
    await appendRecords(file, [record('after')]);
    assert.equal((await ids(file)).length, 101);
  });
});
