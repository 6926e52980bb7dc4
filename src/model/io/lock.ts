// An advisory lock beside a file (`<file>.lock`) that cooperating processes — the extension,
// the CLI, training workers — take around read-modify-write and appends. A lock never needs a
// person to remove it: the lock file names its owner by pid, host, boot id, the process's start
// time and a random token, so a dead owner is recognised at once (the pid is gone or a zombie,
// the pid now belongs to a process that started at another time, the machine has rebooted);
// an owner that cannot be checked from here (another host, no /proc) refreshes the file's mtime
// while it holds the lock, and a lock whose heartbeat has stopped is stale.
import * as fsp from 'node:fs/promises';
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describeWriteError, errorCode, InputError } from './files';

export interface LockOptions {
  /** give up waiting for a live owner after this long (default 10000 ms) */
  timeoutMs?: number;
}

const DEFAULT_LOCK_TIMEOUT_MS = 10_000;
/** how often a holder touches its lock file */
const HEARTBEAT_MS = 1000;
/** a lock whose owner cannot be checked is stale when untouched this long (below the timeout) */
const HEARTBEAT_STALE_MS = 5000;

/** What a lock file holds. Old versions wrote only pid, host and time. */
interface LockOwner {
  pid?: number;
  host?: string;
  /** /proc/sys/kernel/random/boot_id: another value means the machine has rebooted since */
  boot?: string;
  /** the owner's start time in clock ticks since boot (/proc/<pid>/stat field 22) */
  start?: string;
  /** random: tells this lock apart from a later lock of the same process */
  token?: string;
  time?: number;
}

type Liveness = 'alive' | 'dead' | 'unknown';

let self: Required<Pick<LockOwner, 'pid' | 'host'>> & Pick<LockOwner, 'boot' | 'start'>;

/** This process as a lock owner (boot id and start time where /proc exists). */
function selfOwner(): typeof self {
  if (!self) self = { pid: process.pid, host: hostname(), boot: readBootId(), start: processStart(process.pid)?.start };
  return self;
}

function readBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Start time and state of a process from /proc; null when it does not exist, undefined without /proc. */
function processStart(pid: number): { start: string; state: string } | null | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') return undefined;
    try {
      readFileSync('/proc/self/stat');
    } catch {
      return undefined; // no /proc here
    }
    return null;
  }
  // "pid (comm) state ppid ..." where comm may hold spaces and parentheses: fields after the last ")"
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const start = fields[19];
  return state && start ? { start, state } : undefined;
}

/** Whether the owner of a lock is running, from what the lock file says. */
function liveness(owner: LockOwner): Liveness {
  const me = selfOwner();
  if (owner.pid === undefined) return 'unknown';
  if (owner.host !== undefined && owner.host !== me.host) return 'unknown';
  if (owner.boot !== undefined && me.boot !== undefined && owner.boot !== me.boot) return 'dead';
  try {
    process.kill(owner.pid, 0); // signal 0 only checks that the process exists
  } catch (err) {
    if (errorCode(err) !== 'EPERM') return 'dead'; // EPERM: it exists, owned by another user
  }
  const proc = processStart(owner.pid);
  if (proc === null) return 'dead';
  if (proc === undefined) return 'unknown'; // no /proc: pid reuse cannot be told apart, the heartbeat decides
  if (proc.state === 'Z' || proc.state === 'X') return 'dead'; // killed, not yet reaped
  if (owner.start !== undefined && owner.start !== proc.start) return 'dead'; // the pid was reused
  // an old-format lock cannot tell pid reuse apart: its age decides (inspectLock)
  return owner.start === undefined ? 'unknown' : 'alive';
}

/**
 * Runs `fn` while holding `<path>.lock`. Cooperating processes serialise read-modify-write on
 * it; the lock is released when `fn` settles, and broken by the next process if its owner dies.
 * Waits at most `timeoutMs` for a live owner, then throws an InputError naming it.
 */
export async function withFileLock<T>(
  path: string,
  fn: (lock: HeldFileLock) => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const lockPath = `${path}.lock`;
  const token = await acquireLock(path, lockPath, options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
  const lock: HeldFileLock = { stillHeld: async () => (await readOwner(lockPath))?.owner.token === token };
  const heartbeat = setInterval(() => {
    const now = new Date();
    fsp.utimes(lockPath, now, now).catch(() => undefined);
  }, HEARTBEAT_MS);
  heartbeat.unref();
  try {
    return await fn(lock);
  } finally {
    clearInterval(heartbeat);
    await releaseLock(lockPath, token);
  }
}

/** The lock as its holder sees it. */
export interface HeldFileLock {
  /** whether the lock file is still ours: a last check before a commit */
  stillHeld(): Promise<boolean>;
}

async function acquireLock(path: string, lockPath: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  const token = randomBytes(9).toString('base64url');
  for (let attempt = 0; ; attempt++) {
    if (tryCreateLock(path, lockPath, token)) return token;
    const held = await readOwner(lockPath);
    if (held === null) continue; // released between our attempt and the read: retry at once
    if (isStale(held)) {
      await breakStaleLock(lockPath, held.content);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = held.owner.pid !== undefined ? `process ${held.owner.pid}` : 'another process';
      const where = held.owner.host && held.owner.host !== selfOwner().host ? ` on ${held.owner.host}` : '';
      throw new InputError(
        `${path}: still locked by ${who}${where} after waiting ${timeoutMs} ms; it is still running, ` +
          `so try again when it has finished.`,
        path,
      );
    }
    // jittered, growing waits so contending processes do not retry in step
    const wait = Math.min(50, 2 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random());
    await sleep(Math.min(wait, Math.max(1, deadline - Date.now())));
  }
}

function isStale(held: { owner: LockOwner; mtimeMs: number }): boolean {
  const state = liveness(held.owner);
  if (state === 'dead') return true;
  if (state === 'alive') return false;
  return Date.now() - held.mtimeMs > HEARTBEAT_STALE_MS;
}

/**
 * Creates the lock file and writes its owner in one synchronous step (open O_EXCL, write,
 * close: microseconds, with no turn of the event loop in between), so another process sees a
 * lock without an owner only if this one dies inside that step; such a lock is judged by its
 * age like any lock whose owner cannot be checked. No temporary file is involved, so a kill at
 * any moment leaves nothing but, at most, the lock itself.
 */
function tryCreateLock(path: string, lockPath: string, token: string): boolean {
  const content = JSON.stringify({ ...selfOwner(), token, time: Date.now() } satisfies LockOwner);
  let fd: number;
  try {
    fd = openSync(lockPath, 'wx');
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return false;
    throw describeWriteError(path, err);
  }
  try {
    writeSync(fd, content);
    closeSync(fd);
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(lockPath, { force: true }); // a full disk: no lock left without an owner
    throw describeWriteError(path, err);
  }
  return true;
}

interface HeldLock {
  owner: LockOwner;
  /** the file's text, to recognise this very lock later */
  content: string;
  mtimeMs: number;
}

/** Reads the lock file; null if there is none. Unreadable content gives an empty owner. */
async function readOwner(lockPath: string): Promise<HeldLock | null> {
  let content: string;
  let mtimeMs: number;
  try {
    const fh = await fsp.open(lockPath, 'r');
    try {
      mtimeMs = (await fh.stat()).mtimeMs;
      content = await fh.readFile('utf8');
    } finally {
      await fh.close();
    }
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return null;
    throw err;
  }
  return { owner: parseOwner(content), content, mtimeMs };
}

function parseOwner(content: string): LockOwner {
  let v: unknown;
  try {
    v = JSON.parse(content);
  } catch {
    return {};
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
  const o = v as Record<string, unknown>;
  const str = (x: unknown) => (typeof x === 'string' && x !== '' ? x : undefined);
  return {
    pid: typeof o.pid === 'number' && Number.isInteger(o.pid) && o.pid > 0 ? o.pid : undefined,
    host: str(o.host),
    boot: str(o.boot),
    start: str(o.start),
    token: str(o.token),
    time: typeof o.time === 'number' ? o.time : undefined,
  };
}

/**
 * Removes a stale lock without ever removing a live one: the lock file is first renamed to a
 * unique name (atomic, so exactly one process gets each file), then checked. If it is not the
 * stale lock we inspected — another process broke that one and has taken the lock since — it
 * is linked back under the lock's name.
 */
async function breakStaleLock(lockPath: string, staleContent: string): Promise<void> {
  const grave = `${lockPath}.stale-${randomBytes(6).toString('hex')}`;
  try {
    await fsp.rename(lockPath, grave);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return;
    throw err;
  }
  try {
    const taken = await fsp.readFile(grave, 'utf8');
    if (taken !== staleContent) await fsp.link(grave, lockPath).catch(() => undefined);
  } finally {
    await fsp.rm(grave, { force: true });
  }
  await removeOldGraves(lockPath);
}

/** Renamed-away locks left by a breaker killed between its rename and its rm (rare, harmless). */
async function removeOldGraves(lockPath: string): Promise<void> {
  const dir = dirname(lockPath);
  const prefix = `${basename(lockPath)}.stale-`;
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const file = join(dir, name);
    const stat = await fsp.stat(file).catch(() => null);
    if (stat && Date.now() - stat.mtimeMs > 60_000) await fsp.rm(file, { force: true });
  }
}

/** Removes the lock if it is still ours (a process that broke it by mistake keeps its own). */
async function releaseLock(lockPath: string, token: string): Promise<void> {
  const held = await readOwner(lockPath).catch(() => null);
  if (held?.owner.token !== token) return;
  await fsp.rm(lockPath, { force: true });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
