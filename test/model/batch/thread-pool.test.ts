// ThreadPool: tasks spread over worker threads that each opened their handler once; a handler
// that cannot open fails the start with its message; a thread that dies mid-task fails that task
// only and is replaced; closing while a replacement starts ends it too; a worker's stray stdout never
// reaches the caller's stdout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { PoolStartError, ThreadPool } from '../../../src/model/batch/thread-pool';
import { ROOT } from '../../fixtures/paths';

const WORKER = path.join(ROOT, 'out-test', 'test', 'fixtures', 'pool-worker.js');
type Out = { value: number; thread: number };

test('tasks run on every worker thread and each answer comes back to its task', async () => {
  const pool = await ThreadPool.start<number | string, Out>(WORKER, 3, { options: { delayMs: 5 } });
  try {
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => pool.run(i)));
    assert.deepEqual(
      answers.map((a) => a.value),
      Array.from({ length: 30 }, (_, i) => 2 * i),
    );
    assert.equal(new Set(answers.map((a) => a.thread)).size, 3);
  } finally {
    await pool.close();
  }
});

test('a handler that cannot open fails the start with its message', async () => {
  await assert.rejects(
    ThreadPool.start(WORKER, 2, { options: { failOpen: true } }),
    (e: unknown) => e instanceof PoolStartError && /the model folder is missing/.test(e.message),
  );
});

test('an error in a task fails that task; a thread that dies fails its task only and is replaced', async () => {
  const pool = await ThreadPool.start<number | string, Out>(WORKER, 2, { options: {} });
  try {
    await assert.rejects(pool.run('throw'), /this record is bad/);
    const died = pool.run('die');
    const others = Array.from({ length: 10 }, (_, i) => pool.run(i));
    await assert.rejects(died, /worker thread stopped while on this record \(exit code 3\)/);
    assert.deepEqual(
      (await Promise.all(others)).map((a) => a.value),
      Array.from({ length: 10 }, (_, i) => 2 * i),
    );
    // the replacement takes work too, once it has opened its handler (however long that takes)
    while (pool.size < 2) await new Promise((r) => setTimeout(r, 20));
    assert.equal((await pool.run(21)).value, 42);
  } finally {
    await pool.close();
  }
});

test('closing while a replacement is still starting ends every thread', { timeout: 60_000 }, async () => {
  const pool = await ThreadPool.start<number | string, Out>(WORKER, 2, { options: {} });
  await assert.rejects(pool.run('die'), /worker thread stopped/);
  // the dead thread's replacement is opening its handler now; close must not leave it running
  await pool.close();
  assert.equal(pool.size, 0);
});

test("a worker's stdout goes to stderr, never into the caller's results", () => {
  const script = `
    const { ThreadPool } = require(${JSON.stringify(path.join(ROOT, 'out-test', 'src', 'model', 'batch', 'thread-pool.js'))});
    ThreadPool.start(${JSON.stringify(WORKER)}, 1, { options: {} }).then(async (pool) => {
      await pool.run('print');
      await pool.close();
      process.stdout.write('results only\\n');
    });`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'results only\n');
  assert.match(r.stderr, /stray output/);
});
