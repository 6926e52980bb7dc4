// The workspace training set (the editor's `.entity-lens/annotations.jsonl`): one record per
// reviewed passage in the ../shared/data format plus `uri`, `time` and `start` (where the
// snapshot began in the document). The file is append-only; on read the latest record wins for
// the same id, and for the same text of the same document (never across documents: contracts
// share boilerplate clauses); a record with empty text deletes its id. Malformed lines are
// reported (the editor logs them) and never removed, also by compaction.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { errorMessage } from '../core/errors';
import type { AnnotatedDocument } from '../core/types';
import { writeFileAtomic } from './files';
import { parseJsonlRecord, type JsonlProblem } from './jsonl';
import { withFileLock } from './lock';
import { appendLinesLocked, readCommittedPart, recoverInterruptedAppend, type AppendOptions } from './append';

export interface AnnotationRecord extends AnnotatedDocument {
  uri?: string;
  time?: string;
  /** offset of the snapshot in the document when it was taken */
  start?: number;
  /** SHA-256 (hex) of the file the text was extracted from (a PDF or a scan), when it was one */
  sha256?: string;
}

export interface StoreContents {
  /** latest record per passage, in file order */
  records: AnnotationRecord[];
  problems: JsonlProblem[];
  /** non-empty lines in the file */
  lines: number;
  /** valid lines replaced by a later record */
  superseded: number;
}

interface CacheEntry {
  mtimeMs: number;
  size: number;
  ino: number;
  /** the parser state after `size` bytes, to continue from on an append (none after a torn line) */
  parser?: StoreParser;
  contents: StoreContents;
}

/** Parsed files by path, reused while the file's size and mtime are unchanged, and the problems already reported. */
export interface StoreCache {
  files: Map<string, CacheEntry>;
  reported: Set<string>;
}

export function createStoreCache(): StoreCache {
  return { files: new Map(), reported: new Set() };
}

export function passageId(uri: string, start: number): string {
  return `editor:${createHash('sha1').update(`${uri}#${start}`).digest('hex').slice(0, 16)}`;
}

/** One JSON line for a record: the data-format fields first, then the editor's. */
export function serializeRecord(r: AnnotationRecord): string {
  const out: Record<string, unknown> = {
    id: r.id,
    text: r.text,
    spans: r.spans.map((s) => ({ start: s.start, end: s.end, label: s.label })),
  };
  out.source = r.source ?? 'editor';
  if (r.reviewed) out.reviewed = r.reviewed.map((x) => ({ start: x.start, end: x.end }));
  if (r.judged) out.judged = r.judged.map((x) => ({ start: x.start, end: x.end, label: x.label }));
  if (r.complete) out.complete = r.complete;
  if (r.kind) out.kind = r.kind;
  if (r.uri) out.uri = r.uri;
  if (r.sha256) out.sha256 = r.sha256;
  out.time = r.time ?? new Date().toISOString();
  if (r.start !== undefined) out.start = r.start;
  if (r.split) out.split = r.split;
  return JSON.stringify(out);
}

/**
 * The store's reading rules, fed one chunk of whole lines at a time: latest wins, tombstones
 * (empty text) delete, bad lines become problems. Feeding only what was appended since the
 * last read gives the same result as parsing the whole file again.
 */
class StoreParser {
  readonly problems: JsonlProblem[] = [];
  readonly lineOf = new Map<AnnotationRecord, number>();
  readonly bad = new Set<number>();
  private readonly ordered: Array<AnnotationRecord | undefined> = [];
  private readonly byId = new Map<string, number>();
  /** by document and text: a passage saved again under a new id replaces the old record */
  private readonly byText = new Map<string, number>();
  private lines = 0;
  private valid = 0;
  /** lines fed so far, blank ones included */
  private lineCount = 0;

  constructor(private readonly fileLabel: string) {}

  /** `text` holds whole lines; `torn`: its last line has no newline (an interrupted write). */
  feed(text: string, torn: boolean): void {
    const rows = text.split('\n');
    if (!torn && rows[rows.length - 1] === '') rows.pop();
    rows.forEach((raw, i) => this.line(raw, torn && i === rows.length - 1));
  }

  private line(raw: string, torn: boolean): void {
    const lineNo = ++this.lineCount;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    this.lines++;
    let rec: AnnotationRecord;
    try {
      rec = parseJsonlRecord(line, lineNo, this.fileLabel, (m) => this.problems.push({ line: lineNo, message: m }));
      const extra = JSON.parse(line) as { uri?: unknown; time?: unknown; start?: unknown; sha256?: unknown };
      if (typeof extra.uri === 'string') rec.uri = extra.uri;
      if (typeof extra.sha256 === 'string' && /^[0-9a-f]{64}$/.test(extra.sha256)) rec.sha256 = extra.sha256;
      if (typeof extra.time === 'string') rec.time = extra.time;
      if (typeof extra.start === 'number' && Number.isInteger(extra.start) && extra.start >= 0) rec.start = extra.start;
    } catch (e) {
      // a last line without its newline that is not even JSON was cut off mid-write
      const tornHere = torn && !isJson(line);
      const prefix = `${this.fileLabel}:${lineNo}: `;
      const reason = errorMessage(e);
      this.problems.push({
        line: lineNo,
        message:
          (reason.startsWith(prefix) ? reason.slice(prefix.length) : reason) +
          (tornHere ? ' (the last line has no newline: probably an interrupted write)' : ''),
      });
      this.bad.add(lineNo);
      return;
    }
    this.valid++;
    const drop = (index: number | undefined): void => {
      if (index !== undefined && this.ordered[index]) this.ordered[index] = undefined;
    };
    drop(this.byId.get(rec.id));
    const textKey = `${rec.uri ?? ''}\u0000${rec.text}`;
    if (rec.text !== '') drop(this.byText.get(textKey));
    const index = this.ordered.length;
    this.ordered.push(rec);
    this.lineOf.set(rec, lineNo);
    this.byId.set(rec.id, index);
    if (rec.text !== '') this.byText.set(textKey, index);
  }

  contents(): StoreContents {
    const records = this.ordered.filter((r): r is AnnotationRecord => r !== undefined && r.text !== '');
    return { records, problems: [...this.problems], lines: this.lines, superseded: this.valid - records.length };
  }
}

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

/** Parses the file's text: latest wins, tombstones (empty text) delete, bad lines become problems. */
export function parseStore(
  text: string,
  fileLabel = 'annotations.jsonl',
): StoreContents & { lineOf: Map<AnnotationRecord, number>; bad: Set<number> } {
  const parser = new StoreParser(fileLabel);
  parser.feed(text, text !== '' && !text.endsWith('\n'));
  return { ...parser.contents(), lineOf: parser.lineOf, bad: parser.bad };
}

/** What one look at the committed part of the file found. */
type StoreRead =
  | { kind: 'unchanged'; mtimeMs: number }
  | { kind: 'appended'; bytes: Buffer; size: number; mtimeMs: number }
  | { kind: 'whole'; bytes: Buffer; ino: number; mtimeMs: number };

/**
 * Reads an annotation file (cached), reporting each malformed line once to `warn`. Only the
 * committed part is read: an append in progress, or one a crash interrupted, is not there yet
 * (append.ts). The file is append-only: when it has only grown since the last read (same file,
 * ending in a newline), only the appended lines are parsed, so saving a correction does not
 * re-read the whole store.
 */
export async function readStore(
  file: string,
  cache: StoreCache,
  warn?: (message: string) => void,
): Promise<StoreContents> {
  const hit = cache.files.get(file);
  let found: StoreRead;
  try {
    // `read` may run more than once (when an append commits meanwhile): it only reads bytes
    found = await readCommittedPart(
      file,
      () => fs.open(file, 'r'),
      async (fh, limit): Promise<StoreRead> => {
        const stat = await fh.stat();
        const sameFile = hit !== undefined && hit.ino === stat.ino;
        if (sameFile && hit.size === limit && hit.mtimeMs === stat.mtimeMs) {
          return { kind: 'unchanged', mtimeMs: stat.mtimeMs };
        }
        if (sameFile && hit.parser && limit > hit.size) {
          // the cached part must still end where it ended: a newline just before the new bytes
          const tail = await readAt(fh, hit.size - 1, limit - hit.size + 1);
          if (tail[0] === 0x0a && tail[tail.length - 1] === 0x0a) {
            return { kind: 'appended', bytes: tail.subarray(1), size: limit, mtimeMs: stat.mtimeMs };
          }
        }
        return { kind: 'whole', bytes: await readAt(fh, 0, limit), ino: stat.ino, mtimeMs: stat.mtimeMs };
      },
    );
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], problems: [], lines: 0, superseded: 0 };
    throw err;
  }
  let entry: CacheEntry;
  if (found.kind === 'unchanged' && hit) {
    entry = hit;
  } else if (found.kind === 'appended' && hit?.parser) {
    hit.parser.feed(found.bytes.toString('utf8'), false);
    entry = {
      mtimeMs: found.mtimeMs,
      size: found.size,
      ino: hit.ino,
      parser: hit.parser,
      contents: hit.parser.contents(),
    };
  } else {
    const bytes = found.kind === 'whole' ? found.bytes : Buffer.alloc(0);
    const parser = new StoreParser(path.basename(file));
    const torn = bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a;
    parser.feed(bytes.toString('utf8'), torn);
    entry = {
      mtimeMs: found.mtimeMs,
      size: bytes.length,
      ino: found.kind === 'whole' ? found.ino : 0,
      parser: torn ? undefined : parser,
      contents: parser.contents(),
    };
  }
  cache.files.set(file, entry);
  const contents = entry.contents;
  if (warn) {
    for (const p of contents.problems) {
      const key = `${file}:${p.line}:${p.message}`;
      if (cache.reported.has(key)) continue;
      cache.reported.add(key);
      warn(`${file}:${p.line}: ${p.message} (the line is kept)`);
    }
  }
  return contents;
}

/** `length` bytes of an open file from `position` (fewer at its end). */
async function readAt(fh: fs.FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return buf.subarray(0, done);
}

/**
 * Appends records as one batch: all of them are in the file, or after any failure or a crash
 * none is (append.ts journals the batch under the file's lock). A full disk, a used-up quota or
 * a read-only file system raise an InputError naming the file; the file is then unchanged.
 * `options`: the lock's timeout, and the write primitive (tests inject short writes and ENOSPC).
 */
export async function appendRecords(
  file: string,
  records: AnnotationRecord[],
  options: AppendOptions = {},
): Promise<void> {
  await appendLinesLocked(file, records.map(serializeRecord), options);
}

/**
 * Rewrites the file without superseded records (malformed lines stay, verbatim), when they
 * are the larger part of it. Returns whether it rewrote.
 */
export async function compactIfWorthIt(file: string, minSuperseded = 200): Promise<boolean> {
  return withFileLock(file, async () => {
    await recoverInterruptedAppend(file);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch {
      return false;
    }
    const parsed = parseStore(text);
    if (parsed.superseded < minSuperseded || parsed.superseded < parsed.records.length) return false;
    const keepLines = new Set<number>(parsed.bad);
    for (const r of parsed.records) keepLines.add(parsed.lineOf.get(r) as number);
    const rows = text.split('\n');
    const out: string[] = [];
    rows.forEach((line, i) => {
      if (keepLines.has(i + 1)) out.push(line.endsWith('\r') ? line.slice(0, -1) : line);
    });
    await writeFileAtomic(file, out.length ? out.join('\n') + '\n' : '');
    return true;
  });
}

/** Records whose snapshot came from this document. */
export function recordsForUri(contents: StoreContents, uri: string): AnnotationRecord[] {
  return contents.records.filter((r) => r.uri === uri);
}
