// Appending lines to a file that other processes append to and read at the same time (the
// editor's annotation store, a corpus import). A batch of lines is committed all or nothing:
//
// 1. under the file's lock (lock.ts), an append first writes a journal, `<file>.pending`,
//    holding the file's length before it (written atomically and fsynced);
// 2. then the lines, in chunks, each write looped until complete, then fsync;
// 3. then deletes the journal (and fsyncs the folder): that deletion is the commit.
//
// Readers never see the bytes after a journal's length, and the next writer truncates them
// away before its own append, so a process killed in step 2 leaves no partial records, however
// large the batch. A write that fails (disk full, quota, read-only) truncates the file back to
// its old length and raises an InputError; the file is then byte for byte what it was.
import * as fsp from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { constants } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { describeWriteError, errorCode, syncDirectory, writeFileAtomic } from './files';
import { withFileLock, type LockOptions } from './lock';

/** Writes `data` at `position`; returns how many bytes were written (possibly fewer). */
export type WriteAt = (fh: FileHandle, data: Uint8Array, position: number) => Promise<number>;

export interface AppendOptions extends LockOptions {
  /** the write primitive; tests inject short writes and ENOSPC here */
  writeAt?: WriteAt;
}

/** bytes per write call: a 60 MB batch is never one buffer */
const CHUNK_BYTES = 1 << 20;
/** lock-free readers retry this often when an append commits under them */
const READ_RETRIES = 8;

const defaultWriteAt: WriteAt = async (fh, data, position) =>
  (await fh.write(data, 0, data.length, position)).bytesWritten;

/** The journal of an append in progress or interrupted: the file's committed length. */
interface Pending {
  start: number;
  token: string;
}

/** Where an append's journal lives: beside the file. */
export function pendingPath(path: string): string {
  return `${path}.pending`;
}

async function readPending(path: string): Promise<Pending | null> {
  let text: string;
  try {
    text = await fsp.readFile(pendingPath(path), 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return null;
    throw err;
  }
  try {
    const v = JSON.parse(text) as Partial<Pending>;
    if (typeof v.start === 'number' && Number.isInteger(v.start) && v.start >= 0 && typeof v.token === 'string') {
      return { start: v.start, token: v.token };
    }
  } catch {
    // written atomically, so never torn; anything else is not ours: treated as no journal
  }
  return null;
}

/**
 * Appends one line (a `\n` is added) under the file's lock: all of it or, on any failure or a
 * crash, none of it. If the file does not end with `\n` (a torn line left by an older writer)
 * the new line starts on a line of its own; the torn line is left for the reader to report.
 */
export async function appendLineLocked(path: string, line: string, options: AppendOptions = {}): Promise<void> {
  if (line.includes('\n')) throw new TypeError('appendLineLocked: the line must not contain "\\n"');
  await appendLinesLocked(path, [line], options);
}

/**
 * Appends lines (each gets a `\n`) as one batch: either every line is in the file when this
 * returns, or — after an error, a full disk, a kill at any moment — none is, for every reader
 * and writer that uses this module. Throws an InputError naming the file and the cause when
 * the disk is full, over quota or read-only; the file is then unchanged.
 */
export async function appendLinesLocked(
  path: string,
  lines: readonly string[],
  options: AppendOptions = {},
): Promise<void> {
  for (const line of lines) {
    if (line.includes('\n')) throw new TypeError('appendLinesLocked: a line must not contain "\\n"');
  }
  if (lines.length === 0) return;
  const writeAt = options.writeAt ?? defaultWriteAt;
  await withFileLock(
    path,
    async (lock) => {
      await recoverInterruptedAppend(path);
      let fh: FileHandle;
      try {
        fh = await fsp.open(path, constants.O_RDWR | constants.O_CREAT, 0o666);
      } catch (err) {
        throw describeWriteError(path, err);
      }
      try {
        const start = (await fh.stat()).size;
        const tornTail = start > 0 && (await lastByte(fh, start)) !== 0x0a;
        try {
          await writeFileAtomic(
            pendingPath(path),
            JSON.stringify({ start, token: randomBytes(9).toString('base64url') } satisfies Pending),
          );
        } catch (err) {
          throw describeWriteError(path, err);
        }
        try {
          let at = start;
          for (const chunk of chunks(lines, tornTail)) {
            await writeFully(fh, chunk, at, writeAt);
            at += chunk.length;
          }
          await fh.sync();
          if (!(await lock.stillHeld())) throw new Error(`${path}: the lock was taken over during the append`);
        } catch (err) {
          await rollBack(path, fh, start);
          throw describeWriteError(path, err);
        }
        await commit(path);
      } finally {
        await fh.close().catch(() => undefined);
      }
    },
    options,
  );
}

async function lastByte(fh: FileHandle, size: number): Promise<number> {
  const last = Buffer.alloc(1);
  await fh.read(last, 0, 1, size - 1);
  return last[0];
}

/** The batch as buffers of about CHUNK_BYTES, each ending at a line's end. */
function* chunks(lines: readonly string[], newlineFirst: boolean): Generator<Buffer> {
  let parts: string[] = newlineFirst ? [''] : [];
  let length = 0;
  for (const line of lines) {
    parts.push(line);
    length += line.length + 1;
    // a UTF-16 code unit is at most 3 bytes of UTF-8: a chunk is at most about CHUNK_BYTES
    if (length >= CHUNK_BYTES / 3) {
      yield Buffer.from(parts.join('\n') + '\n', 'utf8');
      parts = [];
      length = 0;
    }
  }
  if (parts.length > 0) yield Buffer.from(parts.join('\n') + '\n', 'utf8');
}

/** Writes all of `data` at `position`, looping over short writes. */
async function writeFully(fh: FileHandle, data: Uint8Array, position: number, writeAt: WriteAt): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const n = await writeAt(fh, data.subarray(done), position + done);
    if (!(n > 0)) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
    done += n;
  }
}

/** Truncates the file back to `start`; the journal goes only once that is on disk. */
async function rollBack(path: string, fh: FileHandle, start: number): Promise<void> {
  try {
    await fh.truncate(start);
    await fh.sync();
  } catch {
    return; // the journal stays: readers ignore the tail and the next writer truncates it
  }
  await commit(path).catch(() => undefined);
}

/** Deletes the journal durably: from here on the appended bytes are part of the file. */
async function commit(path: string): Promise<void> {
  try {
    await fsp.unlink(pendingPath(path));
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') throw describeWriteError(path, err);
  }
  await syncDirectory(dirname(path));
}

/**
 * Finishes what a writer that died mid-append left: truncates the file to the length its
 * journal recorded and deletes the journal. Call it while holding the file's lock (appends do)
 * before rewriting the file some other way, e.g. compacting it. Returns whether it did anything.
 */
export async function recoverInterruptedAppend(path: string): Promise<boolean> {
  const pending = await readPending(path);
  if (pending === null) return false;
  let fh: FileHandle | undefined;
  try {
    fh = await fsp.open(path, 'r+');
    if ((await fh.stat()).size > pending.start) {
      await fh.truncate(pending.start);
      await fh.sync();
    }
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') throw describeWriteError(path, err);
  } finally {
    await fh?.close();
  }
  await commit(path);
  return true;
}

/**
 * Runs `read(fh, limit)` on the committed part of `path`: the first `limit` bytes, which hold
 * no byte of an append still in progress or interrupted. Needs no lock: it reads the journal
 * before and after, with the file's size, and reads again if an append committed meanwhile.
 * `open` opens the file for reading (and turns its errors into messages).
 */
export async function readCommittedPart<T>(
  path: string,
  open: () => Promise<FileHandle>,
  read: (fh: FileHandle, limit: number) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const before = await readPending(path);
    const fh = await open();
    let result: T;
    let sizeBefore: number;
    let sizeAfter: number;
    try {
      sizeBefore = (await fh.stat()).size;
      const limit = before ? Math.min(sizeBefore, before.start) : sizeBefore;
      result = await read(fh, limit);
      sizeAfter = (await fh.stat()).size;
    } finally {
      await fh.close();
    }
    const after = await readPending(path);
    // the same journal throughout: its append was running all along and we stopped before it;
    // no journal before or after, and the size did not move: no append ran during the read
    const steady = before ? after?.token === before.token : after === null && sizeAfter === sizeBefore;
    if (steady || attempt >= READ_RETRIES) {
      if (!steady) {
        // appends keep committing under us: read under the lock instead
        return withFileLock(path, async () => {
          await recoverInterruptedAppend(path);
          const fh2 = await open();
          try {
            return await read(fh2, (await fh2.stat()).size);
          } finally {
            await fh2.close();
          }
        });
      }
      return result;
    }
    await new Promise((r) => setTimeout(r, 2 + attempt * 5));
  }
}

/** The committed bytes of a file that appendLinesLocked writes to (see readCommittedPart). */
export async function readCommitted(path: string): Promise<Buffer> {
  return readCommittedPart(
    path,
    () => fsp.open(path, 'r'),
    async (fh, limit) => {
      const buf = Buffer.alloc(limit);
      let done = 0;
      while (done < limit) {
        const { bytesRead } = await fh.read(buf, done, limit - done, done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return buf.subarray(0, done);
    },
  );
}
