// withFileLock: a lock whose owner is gone is broken at once — the owner killed with -9, its pid
// reused by another process, the machine rebooted — and a lock whose owner cannot be checked
// (another host) is broken when its heartbeat stops; a live owner is waited for.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { appendLineLocked, InputError, withFileLock } from '../../../src/model';
import { ROOT } from '../../fixtures/paths';
import { TempFiles, exists } from '../../fixtures/temp-files';

const DOOR = path.join(ROOT, 'out-test', 'src', 'model', 'index.js');

const temp = new TempFiles();
before(() => temp.create('lock'));
after(() => temp.remove());
const freshFile = (name: string) => temp.file(name);

/** pid of a process that has exited */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  assert.ok(child.pid);
  return child.pid;
}

/** Starts a process that takes the lock of `file`, says "locked" and holds it until killed. */
function holdLockInChild(file: string): Promise<import('node:child_process').ChildProcess> {
  const script = `const { withFileLock } = require(${JSON.stringify(DOOR)});
withFileLock(${JSON.stringify(file)}, () => { process.stdout.write('locked\\n'); return new Promise(() => setInterval(() => {}, 1000)); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      if (s.includes('locked')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
  });
}

describe('withFileLock: dead owners are detected at once', () => {
  test('after kill -9 of a writer holding the lock, the next append succeeds without waiting', async () => {
    const p = await freshFile('killed.jsonl');
    const child = await holdLockInChild(p);
    assert.ok(await exists(`${p}.lock`));
    const gone = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await gone;
    // the lock is seconds old at most: an age-based check would wait; the owner check does not
    await appendLineLocked(p, '{"after":"kill"}', { timeoutMs: 1000 });
    assert.equal(await fs.readFile(p, 'utf8'), '{"after":"kill"}\n');
    assert.equal(await exists(`${p}.lock`), false);
  });

  test('a kill -9ed owner that is still a zombie (not yet reaped) counts as dead', async () => {
    const p = await freshFile('zombie.jsonl');
    // a shell that starts the holder in the background, then stops reaping (exec sleep)
    const script = `const { withFileLock } = require(${JSON.stringify(DOOR)});
withFileLock(${JSON.stringify(p)}, () => new Promise(() => setInterval(() => {}, 1000)));`;
    const shell = spawn(
      'sh',
      ['-c', `"${process.execPath}" -e '${script.replace(/'/g, `'\\''`)}' & echo $!; exec sleep 30`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const pid = await new Promise<number>((resolve) =>
        shell.stdout.setEncoding('utf8').once('data', (s: string) => resolve(Number(s.trim()))),
      );
      // the lock and its owner written (a kill between the two would leave an empty lock, judged by age)
      const owned = async () => /"token"/.test(await fs.readFile(`${p}.lock`, 'utf8').catch(() => ''));
      for (let i = 0; i < 1200 && !(await owned()); i++) await new Promise((r) => setTimeout(r, 25));
      assert.ok(await exists(`${p}.lock`), 'the child took the lock');
      process.kill(pid, 'SIGKILL');
      for (let i = 0; i < 200; i++) {
        const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
        if (/\) Z /.test(stat) || stat === '') break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await appendLineLocked(p, 'ok', { timeoutMs: 1000 });
      assert.equal(await fs.readFile(p, 'utf8'), 'ok\n');
    } finally {
      shell.kill('SIGKILL');
    }
  });

  test('a lock whose pid now belongs to another process (pid reused) is broken at once', async () => {
    const p = await freshFile('reused.jsonl');
    const lock = `${p}.lock`;
    const own = JSON.parse(await lockContentOfLiveOwner()) as Record<string, unknown>;
    // the same pid, host and boot, but a process that started at another time: pid reuse
    await fs.writeFile(lock, JSON.stringify({ ...own, pid: process.pid, start: '1', token: 'someone-else' }));
    await appendLineLocked(p, 'ok', { timeoutMs: 1000 });
    assert.equal(await fs.readFile(p, 'utf8'), 'ok\n');
    assert.equal(await exists(lock), false);
  });

  test('a lock written before the machine rebooted (another boot id) is broken at once', async () => {
    const p = await freshFile('reboot.jsonl');
    const own = JSON.parse(await lockContentOfLiveOwner()) as Record<string, unknown>;
    await fs.writeFile(`${p}.lock`, JSON.stringify({ ...own, pid: process.pid, boot: 'another-boot', token: 'x' }));
    await appendLineLocked(p, 'ok', { timeoutMs: 1000 });
    assert.equal(await fs.readFile(p, 'utf8'), 'ok\n');
  });

  test('a fresh lock in the old format {pid, host, time} with a dead pid is broken at once', async () => {
    const p = await freshFile('legacy.jsonl');
    await fs.writeFile(`${p}.lock`, JSON.stringify({ pid: deadPid(), host: os.hostname(), time: Date.now() }));
    await appendLineLocked(p, 'ok', { timeoutMs: 1000 });
    assert.equal(await fs.readFile(p, 'utf8'), 'ok\n');
  });

  test('a lock held by a live process of ours is waited for, with a clear message on timeout', async () => {
    const p = await freshFile('busy.jsonl');
    const child = await holdLockInChild(p);
    try {
      await assert.rejects(appendLineLocked(p, 'blocked', { timeoutMs: 300 }), (e: unknown) => {
        assert.ok(e instanceof InputError);
        assert.match(e.message, new RegExp(`busy\\.jsonl: still locked by process ${child.pid} after waiting 300 ms`));
        return true;
      });
    } finally {
      child.kill('SIGKILL');
    }
    assert.equal(await exists(p), false);
  });

  test('an owner on another host is alive while its heartbeat is fresh, dead when it stops', async () => {
    const p = await freshFile('remote.jsonl');
    const lock = `${p}.lock`;
    await fs.writeFile(lock, JSON.stringify({ pid: 1234, host: 'other-machine', token: 'remote', time: Date.now() }));
    await assert.rejects(appendLineLocked(p, 'x', { timeoutMs: 200 }), /still locked/);
    const old = new Date(Date.now() - 60_000);
    await fs.utimes(lock, old, old);
    await appendLineLocked(p, 'ok', { timeoutMs: 1000 });
    assert.equal(await fs.readFile(p, 'utf8'), 'ok\n');
  });

  test('the holder refreshes its lock (heartbeat) while it works', async () => {
    const p = await freshFile('heartbeat.txt');
    await withFileLock(p, async () => {
      const first = (await fs.stat(`${p}.lock`)).mtimeMs;
      await new Promise((r) => setTimeout(r, 1600));
      const later = (await fs.stat(`${p}.lock`)).mtimeMs;
      assert.ok(later > first, 'the lock file was touched while held');
    });
  });

  test('a lock file with unreadable content is broken once it is older than the heartbeat allows', async () => {
    const p = await freshFile('garbage.jsonl');
    const lock = `${p}.lock`;
    await fs.writeFile(lock, 'not json');
    await assert.rejects(appendLineLocked(p, 'x', { timeoutMs: 200 }), /still locked/);
    const old = new Date(Date.now() - 60_000);
    await fs.utimes(lock, old, old);
    await appendLineLocked(p, 'ok', { timeoutMs: 1000 });
    assert.equal(await fs.readFile(p, 'utf8'), 'ok\n');
  });

  test('withFileLock serialises read-modify-write and releases the lock on error', async () => {
    const p = await freshFile('counter.txt');
    await fs.writeFile(p, '0');
    await Promise.all(
      Array.from({ length: 20 }, () =>
        withFileLock(p, async () => {
          const n = Number(await fs.readFile(p, 'utf8'));
          await new Promise((r) => setTimeout(r, 1));
          await fs.writeFile(p, String(n + 1));
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
    assert.equal(await exists(`${p}.lock`), false);
  });

  test('releasing does not remove a lock that is no longer ours', async () => {
    const p = await freshFile('stolen.txt');
    const lock = `${p}.lock`;
    await withFileLock(p, async () => {
      await fs.writeFile(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), token: 'another' }));
    });
    assert.match(await fs.readFile(lock, 'utf8'), /another/);
  });
});

/** What our own lock file holds (pid, host, boot id, start time, token). */
async function lockContentOfLiveOwner(): Promise<string> {
  const p = await freshFile('probe.txt');
  let content = '';
  await withFileLock(p, async () => {
    content = await fs.readFile(`${p}.lock`, 'utf8');
  });
  return content;
}
