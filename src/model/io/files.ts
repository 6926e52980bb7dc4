// Reading and writing the files Entity Lens works on: plain-text documents (decoded, with
// binaries, images and archives recognised), and whole-file writes that readers see either
// before or after, never half done. Errors a user can fix (wrong file, wrong format, a full
// disk) are InputErrors with one clear sentence; offsets inside documents stay UTF-16 code
// units, so text is never normalised (CRLF is kept) after decoding. JSONL is in jsonl.ts,
// locks in lock.ts, appends in append.ts.
import * as fsp from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { constants, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { decodeBytes, utf16ByteOrder } from './encoding';

/** An error the user can act on; `message` is one sentence naming the file. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly path?: string,
    readonly line?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'InputError';
  }
}

// ---------------------------------------------------------------------------
// Plain-text documents

const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
/** how much of a file the binary sniffing looks at */
export const SNIFF_BYTES = 8192;

export interface ReadTextOptions {
  /** refuse files larger than this (default 50 MB) */
  maxBytes?: number;
  /** told, in one sentence naming the file, when it was not UTF-8 and was decoded from another encoding */
  onNotice?: (notice: string) => void;
}

/**
 * Reads a document as text: UTF-8 (BOM stripped), UTF-16 with a BOM, or 8-bit Windows-1252
 * (encoding.ts decides; options.onNotice hears about anything but UTF-8). Refuses missing,
 * empty, oversized, binary and undecodable files with an InputError.
 */
export async function readTextFile(path: string, options: ReadTextOptions = {}): Promise<string> {
  return decodeTextBytes(await readFileBytes(path, options), path, options);
}

/**
 * Reads a file's bytes; refuses missing, empty (0 bytes) and oversized files, directories and
 * unreadable ones with an InputError naming the file.
 */
export async function readFileBytes(path: string, options: ReadTextOptions = {}): Promise<Buffer> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const fh = await openForReading(path);
  let bytes: Buffer;
  try {
    // fstat on the open handle, so the checks describe the file we actually read
    const size = (await fh.stat()).size;
    if (size === 0) throw new InputError(`${path}: the file is empty (0 bytes).`, path);
    if (size > maxBytes) {
      throw new InputError(
        `${path}: the file is ${formatBytes(size)}, larger than the limit of ${formatBytes(maxBytes)}.`,
        path,
      );
    }
    bytes = await fh.readFile();
  } finally {
    await fh.close();
  }
  // the file may have grown between fstat and read
  if (bytes.length > maxBytes) {
    throw new InputError(
      `${path}: the file is ${formatBytes(bytes.length)}, larger than the limit of ${formatBytes(maxBytes)}.`,
      path,
    );
  }
  if (bytes.length === 0) throw new InputError(`${path}: the file is empty (0 bytes).`, path);
  return bytes;
}

/**
 * A document's bytes as text (readTextFile's checks after reading; `name` starts every
 * message, e.g. a path or "stdin"): binary and undecodable bytes, and text that is only
 * whitespace, are InputErrors.
 */
export function decodeTextBytes(bytes: Uint8Array, name: string, options: ReadTextOptions = {}): string {
  if (bytes.length === 0) throw new InputError(`${name}: the file is empty (0 bytes).`, name);
  if (!utf16ByteOrder(bytes)) {
    const binary = isProbablyBinary(bytes.subarray(0, SNIFF_BYTES));
    if (binary) throw new InputError(`${name}: ${binary}.`, name);
  }
  const decoded = decodeBytes(bytes);
  if (!decoded.ok) throw new InputError(`${name}: ${decoded.reason}.`, name);
  if (decoded.text.trim() === '') {
    throw new InputError(`${name}: the file is empty (it contains only whitespace).`, name);
  }
  if (decoded.notice) options.onNotice?.(`${name}: ${decoded.notice}`);
  return decoded.text;
}

interface Magic {
  bytes: number[];
  reason: string;
}

const MAGIC: Magic[] = [
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], reason: 'looks like a PDF; export it to text first' }, // %PDF-
  {
    bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    reason: 'looks like a PNG image; run OCR on it and open the text',
  },
  { bytes: [0xff, 0xd8, 0xff], reason: 'looks like a JPEG image; run OCR on it and open the text' },
  { bytes: [0x47, 0x49, 0x46, 0x38], reason: 'looks like a GIF image; Entity Lens reads plain text' },
  { bytes: [0x49, 0x49, 0x2a, 0x00], reason: 'looks like a TIFF image; run OCR on it and open the text' },
  { bytes: [0x4d, 0x4d, 0x00, 0x2a], reason: 'looks like a TIFF image; run OCR on it and open the text' },
  { bytes: [0x1f, 0x8b], reason: 'looks like a gzip archive; decompress it first' },
  // OLE2 compound file: legacy .doc / .xls / .msg
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    reason: 'looks like a legacy Office document (.doc/.xls); save it as plain text (.txt) first',
  },
];

/**
 * Why `buf` (the start of a file) is probably not plain text, as a phrase to follow
 * "<file>: ", or null if it looks like text. Buffers starting with a UTF-16 BOM count as text.
 */
export function isProbablyBinary(buf: Uint8Array): string | null {
  if (utf16ByteOrder(buf)) return null;
  for (const m of MAGIC) {
    if (startsWith(buf, m.bytes)) return m.reason;
  }
  if (startsWith(buf, [0x50, 0x4b, 0x03, 0x04])) return zipReason(buf);

  const sample = buf.subarray(0, SNIFF_BYTES);
  const nul = sample.indexOf(0);
  if (nul >= 0) {
    if (looksLikeUtf16WithoutBom(sample)) {
      return 'looks like UTF-16 text without a byte-order mark; re-save it as UTF-8';
    }
    return `looks like a binary file (NUL bytes at offset ${nul}); Entity Lens reads plain text`;
  }
  let control = 0;
  for (const c of sample) {
    // tab, LF, VT, FF, CR are normal in exported text (pdftotext emits form feeds)
    if ((c < 0x20 && (c < 0x09 || c > 0x0d)) || c === 0x7f) control++;
  }
  if (sample.length > 0 && control / sample.length > 0.1) {
    const share = Math.round((100 * control) / sample.length);
    return `looks like a binary file (${share}% control characters); Entity Lens reads plain text`;
  }
  return null;
}

function startsWith(buf: Uint8Array, prefix: number[]): boolean {
  return buf.length >= prefix.length && prefix.every((b, i) => buf[i] === b);
}

/** Office Open XML and OpenDocument files are ZIPs; their first entries name the kind. */
function zipReason(buf: Uint8Array): string {
  const head = Buffer.from(buf.subarray(0, SNIFF_BYTES)).toString('latin1');
  if (head.includes('word/')) return 'looks like a Word document (.docx); save it as plain text (.txt) first';
  if (head.includes('xl/')) return 'looks like an Excel workbook (.xlsx); export the sheet to text first';
  if (head.includes('ppt/')) return 'looks like a PowerPoint file (.pptx); export it to text first';
  if (head.includes('opendocument')) return 'looks like an OpenDocument file; save it as plain text (.txt) first';
  return 'looks like a ZIP archive; extract the text file from it first';
}

/** NUL in most odd or most even positions: ASCII-range text saved as UTF-16. */
function looksLikeUtf16WithoutBom(sample: Uint8Array): boolean {
  if (sample.length < 8) return false;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] === 0) {
      if (i % 2 === 0) evenNul++;
      else oddNul++;
    }
  }
  const half = sample.length / 2;
  return Math.max(evenNul, oddNul) > 0.7 * half && Math.min(evenNul, oddNul) < 0.05 * half;
}

/**
 * Opens a file for reading, turning the usual failures into InputErrors. Only regular files
 * are read: a directory, a named pipe (whose open or read would wait for a writer forever), a
 * socket or a device is refused. The open does not block (O_NONBLOCK) so a FIFO is seen
 * before anything waits on it; the check is on the open handle, so it describes what is read.
 */
export async function openForReading(path: string): Promise<FileHandle> {
  let fh: FileHandle;
  try {
    fh = await fsp.open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw describeOpenError(path, err);
  }
  let stat: Stats;
  try {
    stat = await fh.stat();
  } catch (err) {
    await fh.close();
    throw err;
  }
  if (!stat.isFile()) {
    await fh.close();
    throw new InputError(`${path}: ${notAFile(stat)}, not a regular file; Entity Lens reads files only.`, path);
  }
  return fh;
}

function notAFile(stat: Stats): string {
  if (stat.isDirectory()) return 'this is a directory';
  if (stat.isFIFO()) return 'this is a named pipe (FIFO)';
  if (stat.isSocket()) return 'this is a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'this is a device';
  return 'this is not a file';
}

function describeOpenError(path: string, err: unknown): Error {
  switch (errorCode(err)) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new InputError(`${path}: no such file.`, path, undefined, { cause: err });
    case 'EISDIR':
      return new InputError(
        `${path}: this is a directory, not a regular file; Entity Lens reads files only.`,
        path,
        undefined,
        {
          cause: err,
        },
      );
    case 'EACCES':
    case 'EPERM':
      return new InputError(`${path}: permission denied; check that you may read this file.`, path, undefined, {
        cause: err,
      });
    default:
      return err instanceof Error ? err : new Error(String(err));
  }
}

function formatBytes(n: number): string {
  if (n < 1024) return n === 1 ? '1 byte' : `${n} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value < 10 && !Number.isInteger(value) ? 1 : 0;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

export function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Safe writes

/**
 * Replaces `path` so that readers see either the old or the new content, never a mix,
 * even after a crash: temp file in the same directory, fsync, rename, fsync directory.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  // write through a symlink to its target rather than replacing the link
  const target = await fsp.realpath(path).catch(() => path);
  const dir = dirname(target);
  const temp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fh: FileHandle | undefined;
  try {
    const mode = await fsp.stat(target).then(
      (s) => (s.isFile() ? s.mode & 0o7777 : undefined),
      () => undefined,
    );
    fh = await fsp.open(temp, 'wx', mode);
    await fh.writeFile(data);
    await fh.sync();
    await fh.close();
    fh = undefined;
    await fsp.rename(temp, target);
  } catch (err) {
    if (fh) await fh.close().catch(() => undefined);
    await fsp.rm(temp, { force: true }).catch(() => undefined);
    throw describeWriteError(path, err);
  }
  await syncDirectory(dir);
}

/** Makes the rename durable. Some platforms (Windows) cannot open or fsync a directory. */
export async function syncDirectory(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await fsp.open(dir, 'r');
    await fh.sync();
  } catch (err) {
    const code = errorCode(err);
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'ENOTSUP') throw err;
  } finally {
    await fh?.close();
  }
}

export function describeWriteError(path: string, err: unknown): Error {
  const cause = { cause: err };
  switch (errorCode(err)) {
    case 'EISDIR':
    case 'ENOTEMPTY':
    case 'EEXIST':
      return new InputError(
        `${path}: cannot write the file because a directory has that name.`,
        path,
        undefined,
        cause,
      );
    case 'ENOENT':
    case 'ENOTDIR':
      return new InputError(
        `${path}: cannot write the file because its folder does not exist.`,
        path,
        undefined,
        cause,
      );
    case 'EACCES':
    case 'EPERM':
      return new InputError(
        `${path}: permission denied; check that you may write to this folder.`,
        path,
        undefined,
        cause,
      );
    case 'EROFS':
      return new InputError(`${path}: cannot write, the file system is read-only.`, path, undefined, cause);
    case 'ENOSPC':
      return new InputError(
        `${path}: cannot write because the disk is full; free some space and try again.`,
        path,
        undefined,
        cause,
      );
    case 'EDQUOT':
      return new InputError(
        `${path}: cannot write because your disk quota is used up; free some space and try again.`,
        path,
        undefined,
        cause,
      );
    default:
      return err instanceof Error ? err : new Error(String(err));
  }
}
