// Reading and writing the files Entity Lens works on: plain-text documents, JSONL
// annotation files, and the append-only logs the editor writes corrections to.
// Errors a user can fix (wrong file, wrong format) are InputErrors with one clear
// sentence; offsets inside documents stay UTF-16 code units, so text is never
// normalised (CRLF is kept) after decoding.
import * as fsp from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { AnnotatedDocument, Range, Span } from '../core/types';
import { decodeBytes, firstInvalidUtf8, utf16ByteOrder } from './encoding';

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
const SNIFF_BYTES = 8192;

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

/** Opens a file for reading, turning the usual failures into InputErrors. */
async function openForReading(path: string): Promise<FileHandle> {
  let fh: FileHandle;
  try {
    fh = await fsp.open(path, 'r');
  } catch (err) {
    throw describeOpenError(path, err);
  }
  // on POSIX a directory opens fine for reading; only fstat tells
  let isFile: boolean;
  try {
    isFile = (await fh.stat()).isFile();
  } catch (err) {
    await fh.close();
    throw err;
  }
  if (!isFile) {
    await fh.close();
    throw new InputError(`${path}: this is a directory (or device), not a file.`, path);
  }
  return fh;
}

function describeOpenError(path: string, err: unknown): Error {
  switch (errorCode(err)) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new InputError(`${path}: no such file.`, path, undefined, { cause: err });
    case 'EISDIR':
      return new InputError(`${path}: this is a directory (or device), not a file.`, path, undefined, { cause: err });
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

function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// JSONL annotation files (format: ../shared/data/README.md)

export interface JsonlProblem {
  /** 1-based line number */
  line: number;
  message: string;
}

export interface JsonlContents {
  docs: AnnotatedDocument[];
  problems: JsonlProblem[];
}

/**
 * Reads a JSONL annotation file line by line (memory stays around one line). A bad line
 * becomes a problem with its line number and the rest of the file is still read; lines
 * that are repairable (overlapping spans) keep their record and also report a problem.
 */
export async function readJsonl(path: string): Promise<JsonlContents> {
  const fileLabel = basename(path);
  const docs: AnnotatedDocument[] = [];
  const problems: JsonlProblem[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const fh = await openForReading(path);
  try {
    let first = true;
    for await (const { lineNo, bytes, lastWithoutNewline } of readLines(fh)) {
      if (first) {
        first = false;
        if (utf16ByteOrder(bytes)) {
          throw new InputError(`${path}: the file is UTF-16; JSONL files must be UTF-8.`, path);
        }
        const binary = isProbablyBinary(bytes.subarray(0, SNIFF_BYTES));
        if (binary) throw new InputError(`${path}: ${binary}.`, path);
      }
      let line: string;
      try {
        line = decoder.decode(bytes);
      } catch {
        problems.push({ line: lineNo, message: `not valid UTF-8 (at byte ${firstInvalidUtf8(bytes)} of the line)` });
        continue;
      }
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line.trim() === '') continue;
      const warn = (message: string): void => {
        problems.push({ line: lineNo, message });
      };
      try {
        docs.push(parseRecord(line, lineNo, fileLabel, warn));
      } catch (err) {
        if (!(err instanceof RecordError)) throw err;
        const torn = lastWithoutNewline && err.invalidJson;
        problems.push({
          line: lineNo,
          message: torn
            ? `${err.reason}; the file does not end with a newline, so this last line was probably cut off by an interrupted write`
            : err.reason,
        });
      }
    }
  } finally {
    await fh.close();
  }
  return { docs, problems };
}

interface RawLine {
  lineNo: number;
  /** without the '\n' */
  bytes: Buffer;
  lastWithoutNewline: boolean;
}

/** Splits a file into lines as raw bytes, so invalid UTF-8 is reported per line. */
async function* readLines(fh: FileHandle): AsyncGenerator<RawLine> {
  let pending: Buffer[] = [];
  let lineNo = 0;
  for await (const chunk of fh.createReadStream({ highWaterMark: 1 << 16, autoClose: false })) {
    const buf = chunk as Buffer;
    let start = 0;
    let nl: number;
    while ((nl = buf.indexOf(0x0a, start)) >= 0) {
      pending.push(buf.subarray(start, nl));
      lineNo++;
      yield { lineNo, bytes: Buffer.concat(pending), lastWithoutNewline: false };
      pending = [];
      start = nl + 1;
    }
    if (start < buf.length) pending.push(buf.subarray(start));
  }
  if (pending.length > 0) {
    lineNo++;
    yield { lineNo, bytes: Buffer.concat(pending), lastWithoutNewline: true };
  }
}

/** Why one JSONL line was rejected; `reason` carries no file or line prefix. */
class RecordError extends Error {
  constructor(
    readonly reason: string,
    readonly invalidJson = false,
  ) {
    super(reason);
  }
}

/**
 * Parses and validates one JSONL line. Throws an InputError ("<file>:<line>: <reason>.")
 * for a line that cannot be used; `warn` receives fixes applied to a usable line
 * (overlapping spans dropped). A missing `id` becomes "<fileLabel>:<lineNo>".
 */
export function parseJsonlRecord(
  line: string,
  lineNo: number,
  fileLabel: string,
  warn?: (message: string) => void,
): AnnotatedDocument {
  try {
    return parseRecord(line, lineNo, fileLabel, warn ?? (() => undefined));
  } catch (err) {
    if (err instanceof RecordError) {
      throw new InputError(`${fileLabel}:${lineNo}: ${err.reason}.`, fileLabel, lineNo);
    }
    throw err;
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseRecord(
  line: string,
  lineNo: number,
  fileLabel: string,
  warn: (message: string) => void,
): AnnotatedDocument {
  let value: Json;
  try {
    value = JSON.parse(line) as Json;
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new RecordError(`invalid JSON (${detail})`, true);
  }
  if (!isObject(value)) {
    throw new RecordError(`expected a JSON object, found ${describeJson(value)}`);
  }

  const text = value.text;
  if (text === undefined) throw new RecordError('missing "text"');
  if (typeof text !== 'string') throw new RecordError(`"text" must be a string, found ${describeJson(text)}`);

  const doc: AnnotatedDocument = {
    id: optionalString(value, 'id') ?? `${fileLabel}:${lineNo}`,
    text,
    spans: parseSpans(value, 'spans', text, warn, true) ?? [],
  };
  const source = optionalString(value, 'source');
  if (source !== undefined) doc.source = source;
  const split = optionalString(value, 'split');
  if (split !== undefined) doc.split = split;
  const complete = parseComplete(value.complete);
  if (complete !== undefined) doc.complete = complete;
  const reviewed = parseReviewed(value.reviewed, text);
  if (reviewed !== undefined) doc.reviewed = reviewed;
  const silver = parseSpans(value, 'silver', text, warn, false);
  if (silver !== undefined) doc.silver = silver;
  return doc;
}

// Optional fields treat null like absent: converters written in Python often emit null.

function optionalString(obj: JsonObject, key: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v === '') {
    throw new RecordError(`"${key}" must be a non-empty string, found ${describeJson(v)}`);
  }
  return v;
}

/**
 * Validates a span list, sorts it, and drops spans overlapping an earlier one (the
 * format says spans never overlap; the tagger cannot represent nested entities).
 */
function parseSpans(
  obj: JsonObject,
  key: 'spans' | 'silver',
  text: string,
  warn: (message: string) => void,
  required: boolean,
): Span[] | undefined {
  const raw = obj[key];
  if (raw === undefined || raw === null) {
    if (required) throw new RecordError(`missing "${key}" (use [] for a document without entities)`);
    return undefined;
  }
  if (!Array.isArray(raw)) throw new RecordError(`"${key}" must be an array, found ${describeJson(raw)}`);

  const spans = raw.map((item, i) => {
    const where = `${key}[${i}]`;
    if (!isObject(item)) throw new RecordError(`${where} must be an object, found ${describeJson(item)}`);
    const range = parseRange(item, where, text);
    const label = item.label;
    if (typeof label !== 'string' || label.trim() === '') {
      throw new RecordError(`${where}.label must be a non-empty string, found ${describeJson(label)}`);
    }
    return { index: i, span: { start: range.start, end: range.end, label } };
  });

  spans.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.index - b.index);
  const kept: typeof spans = [];
  for (const s of spans) {
    const prev = kept[kept.length - 1];
    if (prev && s.span.start < prev.span.end) {
      const same = s.span.start === prev.span.start && s.span.end === prev.span.end;
      warn(
        `${key}[${s.index}] (${describeSpan(s.span)}) ${same ? 'has the same range as' : 'overlaps'} ` +
          `${key}[${prev.index}] (${describeSpan(prev.span)}); dropped ${key}[${s.index}] and kept the rest of the record`,
      );
      continue;
    }
    kept.push(s);
  }
  return kept.map((s) => s.span);
}

function parseRange(item: JsonObject, where: string, text: string): Range {
  const { start, end } = item;
  if (typeof start !== 'number' || !Number.isInteger(start)) {
    throw new RecordError(`${where}.start must be an integer, found ${describeJson(start)}`);
  }
  if (typeof end !== 'number' || !Number.isInteger(end)) {
    throw new RecordError(`${where}.end must be an integer, found ${describeJson(end)}`);
  }
  if (start < 0) throw new RecordError(`${where}.start is ${start}, below 0`);
  if (start >= end) throw new RecordError(`${where} is empty or reversed (start ${start} >= end ${end})`);
  if (end > text.length) {
    throw new RecordError(`${where}.end is ${end}, past the end of the text (${text.length} characters)`);
  }
  return { start, end };
}

function parseComplete(raw: Json | undefined): string[] | 'all' | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (raw === 'all') return 'all';
  if (!Array.isArray(raw)) {
    throw new RecordError(`"complete" must be "all" or an array of labels, found ${describeJson(raw)}`);
  }
  return raw.map((label, i) => {
    if (typeof label !== 'string' || label.trim() === '') {
      throw new RecordError(`complete[${i}] must be a non-empty string, found ${describeJson(label)}`);
    }
    return label;
  });
}

/** Reviewed ranges may touch or overlap (two review sessions); they are sorted and merged. */
function parseReviewed(raw: Json | undefined, text: string): Range[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw new RecordError(`"reviewed" must be an array, found ${describeJson(raw)}`);
  const ranges = raw.map((item, i) => {
    const where = `reviewed[${i}]`;
    if (!isObject(item)) throw new RecordError(`${where} must be an object, found ${describeJson(item)}`);
    return parseRange(item, where, text);
  });
  ranges.sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Range[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return merged;
}

function describeSpan(s: Span): string {
  return `${s.start}-${s.end} ${s.label}`;
}

function describeJson(v: Json | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return v.length > 40 ? `a string ("${v.slice(0, 40)}...")` : `the string "${v}"`;
  return `${typeof v === 'number' ? 'the number' : 'the boolean'} ${String(v)}`;
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
async function syncDirectory(dir: string): Promise<void> {
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

function describeWriteError(path: string, err: unknown): Error {
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
    case 'EROFS':
      return new InputError(
        `${path}: permission denied; check that you may write to this folder.`,
        path,
        undefined,
        cause,
      );
    case 'ENOSPC':
      return new InputError(`${path}: cannot write the file because the disk is full.`, path, undefined, cause);
    default:
      return err instanceof Error ? err : new Error(String(err));
  }
}

// ---------------------------------------------------------------------------
// Advisory file lock and locked appends

export interface LockOptions {
  /** give up after this long (default 5000 ms) */
  timeoutMs?: number;
}

const DEFAULT_LOCK_TIMEOUT_MS = 5000;
/** a lock this old whose owner process is gone is left over from a crash */
const STALE_LOCK_MS = 10_000;

interface LockOwner {
  pid?: number;
  host?: string;
  time?: number;
}

/**
 * Runs `fn` while holding `<path>.lock`, an O_EXCL lock file holding the owner's pid and
 * time. Cooperating processes (the extension, the CLI) serialise read-modify-write on it.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lockPath = `${path}.lock`;
  await acquireLock(path, lockPath, options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
  try {
    return await fn();
  } finally {
    await fsp.rm(lockPath, { force: true });
  }
}

async function acquireLock(path: string, lockPath: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    if (await tryCreateLock(path, lockPath)) return;
    const holder = await inspectLock(lockPath);
    if (holder === null) continue; // released between our open and stat: retry at once
    if (holder.stale) {
      await breakStaleLock(lockPath, holder.ino);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder.owner.pid !== undefined ? `process ${holder.owner.pid}` : 'another process';
      throw new InputError(
        `${path}: still locked by ${who} after waiting ${timeoutMs} ms; ` +
          `if no Entity Lens process is running, delete ${lockPath}.`,
        path,
      );
    }
    // jittered, growing waits so contending processes do not retry in step
    const wait = Math.min(50, 2 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random());
    await sleep(Math.min(wait, Math.max(1, deadline - Date.now())));
  }
}

async function tryCreateLock(path: string, lockPath: string): Promise<boolean> {
  let fh: FileHandle;
  try {
    fh = await fsp.open(lockPath, 'wx');
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return false;
    throw describeWriteError(path, err);
  }
  try {
    const owner: LockOwner = { pid: process.pid, host: hostname(), time: Date.now() };
    await fh.writeFile(JSON.stringify(owner));
    await fh.close();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await fsp.rm(lockPath, { force: true });
    throw err;
  }
  return true;
}

interface LockState {
  owner: LockOwner;
  ino: number;
  stale: boolean;
}

/** Reads the lock file; null if it vanished meanwhile. */
async function inspectLock(lockPath: string): Promise<LockState | null> {
  let stat: Stats;
  let content: string;
  try {
    stat = await fsp.stat(lockPath);
    content = await fsp.readFile(lockPath, 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return null;
    throw err;
  }
  let owner: LockOwner = {};
  try {
    const parsed = JSON.parse(content) as Json;
    if (isObject(parsed)) {
      const { pid, host, time } = parsed;
      owner = {
        pid: typeof pid === 'number' && Number.isInteger(pid) && pid > 0 ? pid : undefined,
        host: typeof host === 'string' ? host : undefined,
        time: typeof time === 'number' ? time : undefined,
      };
    }
  } catch {
    // empty or partial: the owner died between creating and filling the file, or is
    // filling it right now; the age check below decides which
  }
  const old = Date.now() - stat.mtimeMs > STALE_LOCK_MS;
  return { owner, ino: stat.ino, stale: old && !ownerAlive(owner) };
}

function ownerAlive(owner: LockOwner): boolean {
  if (owner.pid === undefined) return false;
  // a pid from another machine (shared drive) cannot be checked: assume it is alive
  if (owner.host !== undefined && owner.host !== hostname()) return true;
  try {
    process.kill(owner.pid, 0); // signal 0 only checks the process exists
    return true;
  } catch (err) {
    return errorCode(err) === 'EPERM'; // exists, owned by another user
  }
}

/**
 * Removes a stale lock, unless it was replaced since we inspected it (another process
 * may have broken it and taken a fresh lock in between).
 */
async function breakStaleLock(lockPath: string, ino: number): Promise<void> {
  try {
    if ((await fsp.stat(lockPath)).ino !== ino) return;
    await fsp.unlink(lockPath);
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') throw err;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Appends one line (a `\n` is added) under the file's lock, in one write, then fsyncs.
 * If the file does not end with `\n` (a previous writer was interrupted) the new line
 * starts on a line of its own; the torn line is left for readJsonl to report.
 */
export async function appendLineLocked(path: string, line: string, options: LockOptions = {}): Promise<void> {
  if (line.includes('\n')) throw new TypeError('appendLineLocked: the line must not contain "\\n"');
  await withFileLock(
    path,
    async () => {
      let fh: FileHandle;
      try {
        fh = await fsp.open(path, 'a+');
      } catch (err) {
        throw describeWriteError(path, err);
      }
      try {
        const size = (await fh.stat()).size;
        let tornTail = false;
        if (size > 0) {
          const last = Buffer.alloc(1);
          await fh.read(last, 0, 1, size - 1);
          tornTail = last[0] !== 0x0a;
        }
        const bytes = Buffer.from(`${tornTail ? '\n' : ''}${line}\n`, 'utf8');
        // one write call: 'a' mode appends it at the end in one piece; loop only on a short write
        let done = 0;
        while (done < bytes.length) {
          done += (await fh.write(bytes, done, bytes.length - done)).bytesWritten;
        }
        await fh.sync();
      } finally {
        await fh.close();
      }
    },
    options,
  );
}
