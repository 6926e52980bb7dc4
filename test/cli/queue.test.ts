// The distributed queue with a real redis-server on loopback (installed and started by
// scripts/redis.sh, stopped at the end): 500 documents, two `entity-lens worker` processes, one
// killed with SIGKILL in the middle of its work. Every document gets exactly one result, none is
// lost or duplicated, the job the dead worker held is taken up by the other, a document that
// cannot be read stays failed with its error, and the results are the lines `tag --jsonl` writes
// for the same input. Adding the same documents again adds nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import { syntheticContracts } from '../fixtures/contracts';
import { assertNoStack, finish, start, type Result } from '../fixtures/cli';
import { startRedis, type RedisServer } from '../fixtures/redis';

let dir: string;
let redis: RedisServer;
let env: NodeJS.ProcessEnv;
const QUEUE = 'test-queue';

before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'entity-lens-queue-'));
  redis = await startRedis(path.join(dir, 'redis'));
  env = { ENTITY_LENS_CACHE_DIR: path.join(dir, 'cache') };
});

after(async () => {
  await redis?.stop();
  await fs.rm(dir, { recursive: true, force: true });
});

const run = (args: string[], stdin?: string, timeoutMs = 120_000): Promise<Result> =>
  finish(start(args, { stdin, env }), timeoutMs);

const queueArgs = () => ['--redis', redis.url, '--queue', QUEUE];

function lines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function startWorker(name: string): { child: ChildProcess; done: Promise<Result> } {
  const child = start(
    [
      'worker',
      ...queueArgs(),
      '--concurrency',
      '1',
      '--name',
      name,
      '--until-empty',
      // short locks so the test does not wait the default 30 s for the dead worker's job
      '--lock-duration',
      '3',
      '--stalled-interval',
      '1',
    ],
    { env },
  );
  return { child, done: finish(child, 240_000) };
}

test('2 workers, 500 documents, one worker killed with SIGKILL: one result per document, as tag --jsonl', async () => {
  const contractFile = path.join(dir, 'contract.txt');
  await fs.writeFile(contractFile, 'This Agreement is made on May 5, 2024 between Acme Corp. and Beta LLC.');
  const binaryFile = path.join(dir, 'scan.bin');
  await fs.writeFile(binaryFile, Buffer.from([0, 1, 2, 3, 0, 0, 0xff, 0x10]));
  const records: { id: string; text?: string; path?: string }[] = syntheticContracts(498, 23).map((d, i) => ({
    id: `doc-${i}`,
    text: d.text,
  }));
  records.splice(100, 0, { id: 'file', path: contractFile });
  records.splice(300, 0, { id: 'binary', path: binaryFile });
  assert.equal(records.length, 500);
  const input = records.map((r) => JSON.stringify(r)).join('\n') + '\n';

  const added = await run(['queue', 'add', ...queueArgs(), '-'], input);
  assert.equal(added.code, 0, added.stderr);
  assert.match(added.stdout, /^added 500 jobs, 0 already in queue test-queue/);

  const queue = new Queue(QUEUE, { connection: { host: '127.0.0.1', port: redis.port } });
  try {
    const a = startWorker('worker-a');
    const b = startWorker('worker-b');
    // once 150 documents are done, kill worker-a: it always holds a job while jobs are waiting
    // (BullMQ hands it the next one as it completes the last)
    const doneBy = async (name: string) =>
      (await queue.getJobs(['completed', 'failed'], 0, -1)).filter((j) => j.processedBy === name).length;
    for (let i = 0; i < 1200; i++) {
      const done = await queue.getJobCountByTypes('completed', 'failed');
      if (done >= 150 && (await doneBy('worker-a')) > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok((await queue.getJobCountByTypes('waiting')) > 0, 'the queue ran dry before the kill');
    a.child.kill('SIGKILL');
    const killed = await a.done;
    assert.equal(killed.signal, 'SIGKILL');
    // the job it held when it died is still active in its name, until its lock expires
    const held = (await queue.getActive()).filter((j) => j.processedBy === 'worker-a');
    assert.equal(held.length, 1, 'worker-a held no job when it was killed');
    const victim = held[0].id!;
    const survivor = await b.done;
    assert.equal(survivor.code, 0, survivor.stderr);
    assertNoStack(survivor.stderr);

    const counts = await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
    assert.deepEqual(counts, { waiting: 0, active: 0, completed: 499, failed: 1, delayed: 0 });
    // the job the dead worker held went back to the queue and was finished by the other
    const retried = await queue.getJob(victim);
    assert.ok(retried, 'the killed job is gone');
    assert.equal(await retried.getState(), 'completed');
    assert.equal(retried.processedBy, 'worker-b');
    assert.ok(retried.stalledCounter >= 1 || (retried.attemptsStarted ?? 0) >= 2, JSON.stringify(retried));
    const [byA, byB] = [await doneBy('worker-a'), await doneBy('worker-b')];
    assert.ok(byA > 0 && byB > 0 && byA + byB === 500, `a: ${byA}, b: ${byB}`);
  } finally {
    await queue.close();
  }

  const results = await run(['queue', 'results', ...queueArgs()]);
  assert.equal(results.code, 0, results.stderr);
  const got = lines(results.stdout);
  assert.equal(got.length, 500);
  const ids = got.map((l) => l.id as string);
  assert.equal(new Set(ids).size, 500, 'a document has two results');
  assert.deepEqual(new Set(ids), new Set(records.map((r) => r.id)));
  const failed = got.find((l) => l.id === 'binary')!;
  assert.match(String(failed.error), /scan\.bin: looks like a binary file/);

  // exactly the lines of tag --jsonl on the same input
  const piped = await run(['tag', '--jsonl', '--workers', '1'], input);
  assert.equal(piped.code, 0, piped.stderr);
  const expected = new Map(lines(piped.stdout).map((l) => [l.id as string, l]));
  for (const l of got) assert.deepEqual(l, expected.get(l.id as string), `result of ${String(l.id)}`);

  // adding the same documents again adds nothing; status counts them all
  const again = await run(['queue', 'add', ...queueArgs(), '-'], input);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /^added 0 jobs, 500 already in queue test-queue/);
  const status = await run(['queue', 'status', ...queueArgs(), '--json']);
  assert.equal(status.code, 0, status.stderr);
  assert.deepEqual(JSON.parse(status.stdout), {
    queue: QUEUE,
    waiting: 0,
    active: 0,
    done: 499,
    failed: 1,
    delayed: 0,
    workers: 0,
  });
});

test('a folder and --text: results --follow writes them while a worker works, then ends', async () => {
  const folder = path.join(dir, 'docs');
  await fs.mkdir(path.join(folder, 'sub'), { recursive: true });
  await fs.writeFile(path.join(folder, 'a.txt'), 'This Agreement is made on June 1, 2023 by Foo Inc.');
  await fs.writeFile(path.join(folder, 'sub', 'b.md'), 'Signed on July 2, 2022 between Bar LLC and Baz plc.');
  await fs.writeFile(path.join(folder, 'notes.json'), '{}'); // not a document
  await fs.writeFile(path.join(folder, '.hidden.txt'), 'hidden');
  const q = ['--redis', redis.url, '--queue', 'folder-queue'];
  const added = await run(['queue', 'add', ...q, folder]);
  assert.equal(added.code, 0, added.stderr);
  assert.match(added.stdout, /^added 2 jobs/);
  const text = path.join(dir, 'inline.txt');
  await fs.writeFile(text, 'Dated March 3, 2021.');
  const inline = await run(['queue', 'add', ...q, '--text', text]);
  assert.match(inline.stdout, /^added 1 job,/);
  const missing = await run(['queue', 'add', ...q, path.join(dir, 'absent.txt')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /absent\.txt: no such file/);

  const follow = finish(start(['queue', 'results', ...q, '--follow'], { env }), 240_000);
  const worker = await run(['worker', ...q, '--concurrency', '1', '--until-empty']);
  assert.equal(worker.code, 0, worker.stderr);
  const results = await follow;
  assert.equal(results.code, 0, results.stderr);
  const got = lines(results.stdout);
  assert.deepEqual(
    got.map((l) => l.id).sort(),
    [text, path.join(folder, 'a.txt'), path.join(folder, 'sub', 'b.md')].sort(),
  );
  const inlined = got.find((l) => l.id === text)!;
  assert.equal(inlined.path, undefined, 'with --text the job holds the text, not the path');
  assert.ok((inlined.entities as unknown[]).length > 0);
});

test('an unreachable Redis, an unknown action and a missing URL are one-line errors', async () => {
  const unreachable = await run(['queue', 'status', '--redis', 'redis://127.0.0.1:1']);
  assert.equal(unreachable.code, 1);
  assert.match(unreachable.stderr, /cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
  assertNoStack(unreachable.stderr);
  const unknown = await run(['queue', 'frobnicate', '--redis', redis.url]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown action "frobnicate"/);
  const noUrl = await finish(start(['worker'], { env: { ...env, ENTITY_LENS_REDIS_URL: '' } }));
  assert.equal(noUrl.code, 2);
  assert.match(noUrl.stderr, /--redis URL is required/);
});
