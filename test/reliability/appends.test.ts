// The annotation store and its primitives under attack: writers killed with -9 at random moments
// (small appends, 60 MB batches, while holding the lock; the store's appendRecords with large
// batches), two writers and a reader at once, a full disk (also under appendRecords). After each round the file on disk is checked: every record a writer saw committed
// is there exactly once, every batch is there whole or not at all, no line is torn, and the
// next append works without a person removing anything.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync, type ChildProcess } from 'node:child_process';
import {
  appendLineLocked,
  appendLinesLocked,
  appendRecords,
  createStoreCache,
  InputError,
  pendingPath,
  readCommitted,
  readStore,
  serializeRecord,
  type AnnotationRecord,
} from '../../src/model';
import { DOOR, QUICK, finish, killHard, pick, random, sleep, startNode } from './helpers';

let dir = '';
before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'entity-lens-reliability-'));
});
after(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

interface Record {
  id: string;
  batch: string;
  size: number;
}

/** The committed records of a store file, every line parsed (a torn line fails the test). */
async function committedRecords(file: string): Promise<Record[]> {
  const bytes = await readCommitted(file).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return Buffer.alloc(0);
    throw e;
  });
  const text = bytes.toString('utf8');
  if (text === '') return [];
  assert.ok(text.endsWith('\n'), 'the committed part ends with a whole line');
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Record);
}

/** Every batch whole (all its records or none), no record twice; returns the batches present. */
function checkBatches(records: Record[]): Map<string, number> {
  const byBatch = new Map<string, number>();
  const ids = new Set<string>();
  for (const r of records) {
    assert.ok(!ids.has(r.id), `record ${r.id} twice`);
    ids.add(r.id);
    byBatch.set(r.batch, (byBatch.get(r.batch) ?? 0) + 1);
  }
  for (const r of records) assert.equal(byBatch.get(r.batch), r.size, `batch ${r.batch} is partial`);
  return byBatch;
}

/**
 * A writer process: appends batches of random sizes (1 line with appendLineLocked, else
 * appendLinesLocked) and prints "committed <batch>" after each append returns.
 */
function writer(file: string, name: string, seed: number, maxBatch: number, padding: number): ChildProcess {
  const script = `const { appendLineLocked, appendLinesLocked } = require(${JSON.stringify(DOOR)});
let s = ${seed} >>> 0 || 1;
const rand = (n) => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return (s >>> 0) % n; };
(async () => {
  for (let n = 0; ; n++) {
    const batch = ${JSON.stringify(name)} + '-' + n;
    const size = rand(4) === 0 ? 1 : 1 + rand(${maxBatch});
    const lines = Array.from({ length: size }, (_, k) =>
      JSON.stringify({ id: batch + '-' + k, batch, size, text: 'x'.repeat(rand(${padding}) + 1), spans: [] }));
    if (size === 1) await appendLineLocked(${JSON.stringify(file)}, lines[0], { timeoutMs: 60000 });
    else await appendLinesLocked(${JSON.stringify(file)}, lines, { timeoutMs: 60000 });
    process.stdout.write('committed ' + batch + '\\n');
  }
})().catch((e) => { process.stderr.write(String(e && e.stack || e) + '\\n'); process.exit(3); });`;
  return startNode(['-e', script]);
}

function committedBy(stdout: string): string[] {
  return [...stdout.matchAll(/^committed (\S+)$/gm)].map((m) => m[1]);
}

describe('kill -9 during appends', () => {
  test('small appends and batches: committed records kept whole, uncommitted batches gone whole', async () => {
    const file = path.join(dir, 'kill-small.jsonl');
    const rand = random(11);
    const rounds = pick(40, 8);
    let killedMidway = 0;
    for (let round = 0; round < rounds; round++) {
      const child = writer(file, `r${round}`, round + 1, 300, 2000);
      const done = finish(child);
      await sleep(100 + rand() * 500);
      await killHard(child);
      const run = await done;
      assert.equal(run.code, null, run.stderr);
      if ((await fs.stat(pendingPath(file)).catch(() => null)) !== null) killedMidway++;
      const present = checkBatches(await committedRecords(file));
      for (const batch of committedBy(run.stdout)) assert.ok(present.has(batch), `committed ${batch} is missing`);
    }
    // the next writer tidies up: the raw file is exactly the committed records, and it appends
    await appendLineLocked(file, JSON.stringify({ id: 'last', batch: 'last', size: 1, text: 'x', spans: [] }));
    const raw = await fs.readFile(file);
    assert.deepEqual(raw, await readCommitted(file));
    checkBatches(await committedRecords(file));
    assert.ok(killedMidway > 0 || QUICK, 'some kill landed in the middle of an append');
    console.log(`  ${rounds} rounds, ${killedMidway} kills in the middle of an append`);
  });

  test('60 MB batches killed mid-write leave no record of them', async () => {
    const file = path.join(dir, 'kill-large.jsonl');
    await appendLinesLocked(
      file,
      Array.from({ length: 10 }, (_, k) => JSON.stringify({ id: `base-${k}`, batch: 'base', size: 10, text: 'b' })),
    );
    const megabytes = pick(60, 6);
    const rand = random(5);
    const rounds = pick(12, 3);
    let torn = 0;
    for (let round = 0; round < rounds; round++) {
      const start = await readCommitted(file);
      const script = `const { appendLinesLocked } = require(${JSON.stringify(DOOR)});
const size = ${megabytes * 440};
const lines = Array.from({ length: size }, (_, k) => JSON.stringify({ id: 'big${round}-' + k, batch: 'big${round}', size, text: 'y'.repeat(2200), spans: [] }));
process.stdout.write('writing\\n');
appendLinesLocked(${JSON.stringify(file)}, lines).then(() => process.stdout.write('committed big${round}\\n'));`;
      const child = startNode(['-e', script]);
      const done = finish(child);
      await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
      await sleep(rand() * pick(1500, 400));
      await killHard(child);
      const run = await done;
      if ((await fs.stat(file)).size > start.length) torn++;
      const present = checkBatches(await committedRecords(file));
      assert.equal(present.get('base'), 10);
      if (committedBy(run.stdout).includes(`big${round}`)) assert.ok(present.has(`big${round}`));
      if (!present.has(`big${round}`)) {
        // a batch that did not commit is invisible, and the next writer truncates its bytes away
        assert.deepEqual(await readCommitted(file), start);
        const line = JSON.stringify({ id: `after${round}`, batch: `after${round}`, size: 1, text: 'a' });
        await appendLineLocked(file, line);
        assert.deepEqual(await fs.readFile(file), Buffer.concat([start, Buffer.from(`${line}\n`)]));
      }
    }
    console.log(`  ${rounds} rounds of ${megabytes} MB batches, ${torn} killed with part of the batch on disk`);
    assert.ok(torn > 0, 'no kill landed during a batch write: the test did not test anything');
  });

  test('a writer killed while holding the lock never blocks the next one', async () => {
    const file = path.join(dir, 'kill-holder.jsonl');
    const rounds = pick(25, 5);
    for (let round = 0; round < rounds; round++) {
      const script = `const { withFileLock } = require(${JSON.stringify(DOOR)});
withFileLock(${JSON.stringify(file)}, () => { process.stdout.write('locked\\n'); return new Promise(() => setInterval(() => {}, 1000)); });`;
      const child = startNode(['-e', script]);
      const done = finish(child);
      await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
      await killHard(child);
      await done;
      await appendLineLocked(file, JSON.stringify({ id: `r${round}`, batch: `r${round}`, size: 1 }), {
        timeoutMs: 2000,
      });
    }
    assert.equal((await committedRecords(file)).length, rounds);
  });
});

describe("kill -9 during the annotation store's appendRecords", () => {
  /** Record ids are `<batch>-<k>`; every batch present must be whole, and readStore must see no torn line. */
  async function storeBatches(file: string, size: number): Promise<Map<string, number>> {
    const contents = await readStore(file, createStoreCache());
    assert.deepEqual(contents.problems, [], 'readStore finds no torn or malformed line');
    const byBatch = new Map<string, number>();
    for (const r of contents.records) {
      const batch = r.id.slice(0, r.id.lastIndexOf('-'));
      byBatch.set(batch, (byBatch.get(batch) ?? 0) + 1);
    }
    for (const [batch, n] of byBatch) if (batch.startsWith('big')) assert.equal(n, size, `batch ${batch} is partial`);
    return byBatch;
  }

  test('large batches killed mid-write: readStore sees whole batches only, the next save lands right after them', async () => {
    const file = path.join(dir, 'store-kill.jsonl');
    const base: AnnotationRecord[] = Array.from({ length: 10 }, (_, k) => ({
      id: `base-${k}`,
      text: `Base passage ${k}.`,
      spans: [{ start: 0, end: 4, label: 'PARTY' }],
      uri: 'file:///w/base.txt',
      time: '2026-01-01T00:00:00.000Z',
    }));
    await appendRecords(file, base);
    const megabytes = pick(40, 6);
    const size = megabytes * 440;
    const rand = random(17);
    const rounds = pick(10, 3);
    let torn = 0;
    for (let round = 0; round < rounds; round++) {
      const start = await readCommitted(file);
      // distinct texts: the store keeps one record per text of a document
      const script = `const { appendRecords } = require(${JSON.stringify(DOOR)});
const records = Array.from({ length: ${size} }, (_, k) => ({ id: 'big${round}-' + k, text: 'Acme Corp. ${round}-' + k + ' ' + 'y'.repeat(2200), spans: [{ start: 0, end: 10, label: 'PARTY' }], uri: 'file:///w/big.txt', time: '2026-01-01T00:00:00.000Z' }));
process.stdout.write('writing\\n');
appendRecords(${JSON.stringify(file)}, records).then(() => process.stdout.write('committed big${round}\\n'));`;
      const child = startNode(['-e', script]);
      const done = finish(child);
      await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
      if (round % 2 === 0) {
        // as soon as the batch starts reaching the file (the write is under way)
        const deadline = Date.now() + 60_000;
        while ((await fs.stat(file)).size === start.length && Date.now() < deadline) await sleep(1);
        await sleep(rand() * 20);
      } else await sleep(rand() * pick(1200, 400));
      await killHard(child);
      const run = await done;
      if ((await fs.stat(file)).size > start.length) torn++;
      const present = await storeBatches(file, size);
      assert.equal(present.get('base'), 10);
      if (committedBy(run.stdout).includes(`big${round}`)) assert.ok(present.has(`big${round}`));
      if (!present.has(`big${round}`)) {
        assert.deepEqual(await readCommitted(file), start, 'an uncommitted batch is invisible');
        const next: AnnotationRecord = {
          id: `after${round}-0`,
          text: 'After.',
          spans: [],
          time: '2026-01-01T00:00:00.000Z',
        };
        await appendRecords(file, [next]);
        assert.deepEqual(await fs.readFile(file), Buffer.concat([start, Buffer.from(serializeRecord(next) + '\n')]));
      }
    }
    console.log(
      `  ${rounds} rounds of ${megabytes} MB appendRecords batches, ${torn} killed with part of the batch on disk`,
    );
    assert.ok(torn > 0, 'no kill landed during a batch write: the test did not test anything');
  });
});

describe('two writers and a reader at once', () => {
  test('nothing lost, duplicated or torn, and the reader never sees a partial batch', async () => {
    const file = path.join(dir, 'two-writers.jsonl');
    const children = [writer(file, 'a', 1, 50, 500), writer(file, 'b', 2, 50, 500)];
    const runs = children.map((c) => finish(c));
    const deadline = Date.now() + pick(20_000, 5000);
    let reads = 0;
    while (Date.now() < deadline) {
      checkBatches(await committedRecords(file));
      reads++;
      await sleep(20);
    }
    for (const c of children) c.kill('SIGTERM');
    const results = await Promise.all(runs);
    const present = checkBatches(await committedRecords(file));
    let committed = 0;
    for (const r of results) {
      for (const batch of committedBy(r.stdout)) {
        committed++;
        assert.ok(present.has(batch), `committed ${batch} is missing`);
      }
    }
    console.log(`  ${committed} appends committed by two writers, ${reads} reads in between`);
    assert.ok(committed > 20);
  });
});

describe('a full disk', () => {
  let mount = '';
  let skip: string | false = false;
  before(() => {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) {
      skip = 'needs root on Linux to mount a tmpfs';
      return;
    }
    mount = path.join(dir, 'full');
    spawnSync('mkdir', ['-p', mount]);
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mount], { encoding: 'utf8' });
    if (r.status !== 0) {
      skip = `cannot mount a tmpfs here (${(r.stderr || '').trim()})`;
      mount = '';
    }
  });
  after(() => {
    if (mount) spawnSync('umount', [mount]);
  });

  test('four writers fill a 2 MB disk: clear errors, every batch whole, the file usable after', async (t) => {
    if (skip) return t.skip(skip);
    const file = path.join(mount, 'annotations.jsonl');
    const children = [1, 2, 3, 4].map((n) => writer(file, `w${n}`, n, 200, 3000));
    const runs = await Promise.all(children.map((c) => finish(c, 120_000)));
    for (const r of runs) {
      assert.equal(r.code, 3, 'each writer stops with an error');
      assert.match(
        r.stderr,
        /annotations\.jsonl: cannot write because the disk is full; free some space and try again\./,
      );
    }
    const present = checkBatches(await committedRecords(file));
    for (const r of runs) for (const batch of committedBy(r.stdout)) assert.ok(present.has(batch));
    // no lock, journal or temp file left behind
    assert.deepEqual(await fs.readdir(mount), ['annotations.jsonl']);
    assert.deepEqual(await fs.readFile(file), await readCommitted(file));
    // space again: the next append works
    const first = (await committedRecords(file)).filter((r, _, all) => r.batch === all[0].batch);
    await fs.writeFile(file, first.map((r) => JSON.stringify(r) + '\n').join(''));
    await appendLineLocked(file, JSON.stringify({ id: 'again', batch: 'again', size: 1 }));
    checkBatches(await committedRecords(file));
  });

  test('a disk that fills up under one large batch: an InputError, the file byte for byte as before', async (t) => {
    if (skip) return t.skip(skip);
    const file = path.join(mount, 'large.jsonl');
    await appendLineLocked(file, JSON.stringify({ id: 'first', batch: 'first', size: 1 }));
    const before = await fs.readFile(file);
    const big = Array.from({ length: 5000 }, (_, k) =>
      JSON.stringify({ id: `b${k}`, batch: 'b', size: 5000, text: 'z'.repeat(1000) }),
    );
    await assert.rejects(
      appendLinesLocked(file, big),
      (e: unknown) => e instanceof InputError && /disk is full/.test(e.message),
    );
    assert.deepEqual(await fs.readFile(file), before);
  });

  test("the store's appendRecords on a full disk: an InputError, annotations.jsonl byte for byte as before", async (t) => {
    if (skip) return t.skip(skip);
    const sub = path.join(mount, 'store');
    await fs.mkdir(sub);
    const file = path.join(sub, 'annotations.jsonl');
    const record = (id: string, pad: number): AnnotationRecord => ({
      id,
      text: `Acme Corp. ${'z'.repeat(pad)}`,
      spans: [{ start: 0, end: 10, label: 'PARTY' }],
      uri: 'file:///w/contract.txt',
      time: '2026-01-01T00:00:00.000Z',
    });
    await appendRecords(file, [record('first', 10)]);
    const before = await fs.readFile(file);
    const big = Array.from({ length: 5000 }, (_, k) => record(`b${k}`, 1000));
    await assert.rejects(
      appendRecords(file, big),
      (e: unknown) =>
        e instanceof InputError &&
        /annotations\.jsonl: cannot write because the disk is full; free some space and try again\./.test(e.message),
    );
    assert.deepEqual(await fs.readFile(file), before);
    assert.deepEqual(await fs.readdir(sub), ['annotations.jsonl'], 'no lock, journal or temp file left');
    assert.deepEqual(
      (await readStore(file, createStoreCache())).records.map((r) => r.id),
      ['first'],
    );
  });
});
