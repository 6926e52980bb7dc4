// The workspace training set (the editor's `.entity-lens/annotations.jsonl`): one record per
// reviewed passage in the ../shared/data format plus `uri`, `time` and `start` (where the
// snapshot began in the document). The file is append-only; on read the latest record wins for the
// same id and for the same text, and a record with empty text deletes its id. Malformed
// lines are reported (the editor logs them) and never removed, also by compaction.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { errorMessage } from '../core/errors';
import type { AnnotatedDocument } from '../core/types';
import { parseJsonlRecord, withFileLock, writeFileAtomic, type JsonlProblem } from './files';

export interface AnnotationRecord extends AnnotatedDocument {
  uri?: string;
  time?: string;
  /** offset of the snapshot in the document when it was taken */
  start?: number;
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
  if (r.complete) out.complete = r.complete;
  if (r.uri) out.uri = r.uri;
  out.time = r.time ?? new Date().toISOString();
  if (r.start !== undefined) out.start = r.start;
  if (r.split) out.split = r.split;
  return JSON.stringify(out);
}

/** Parses the file's text: latest wins, tombstones (empty text) delete, bad lines become problems. */
export function parseStore(
  text: string,
  fileLabel = 'annotations.jsonl',
): StoreContents & { lineOf: Map<AnnotationRecord, number>; bad: Set<number> } {
  const problems: JsonlProblem[] = [];
  const ordered: Array<AnnotationRecord | undefined> = [];
  const lineOf = new Map<AnnotationRecord, number>();
  const bad = new Set<number>();
  const byId = new Map<string, number>();
  const byText = new Map<string, number>();
  let lines = 0;
  let valid = 0;
  const rows = text.split('\n');
  rows.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    lines++;
    const lineNo = i + 1;
    let rec: AnnotationRecord;
    try {
      rec = parseJsonlRecord(line, lineNo, fileLabel, (m) => problems.push({ line: lineNo, message: m }));
      const extra = JSON.parse(line) as { uri?: unknown; time?: unknown; start?: unknown };
      if (typeof extra.uri === 'string') rec.uri = extra.uri;
      if (typeof extra.time === 'string') rec.time = extra.time;
      if (typeof extra.start === 'number' && Number.isInteger(extra.start) && extra.start >= 0) rec.start = extra.start;
    } catch (e) {
      // a last line without its newline that is not even JSON was cut off mid-write
      const torn = i === rows.length - 1 && !text.endsWith('\n') && !isJson(line);
      const prefix = `${fileLabel}:${lineNo}: `;
      const reason = errorMessage(e);
      problems.push({
        line: lineNo,
        message:
          (reason.startsWith(prefix) ? reason.slice(prefix.length) : reason) +
          (torn ? ' (the last line has no newline: probably an interrupted write)' : ''),
      });
      bad.add(lineNo);
      return;
    }
    valid++;
    const drop = (index: number | undefined): void => {
      if (index !== undefined && ordered[index]) ordered[index] = undefined;
    };
    drop(byId.get(rec.id));
    if (rec.text !== '') drop(byText.get(rec.text));
    const index = ordered.length;
    ordered.push(rec);
    lineOf.set(rec, lineNo);
    byId.set(rec.id, index);
    if (rec.text !== '') byText.set(rec.text, index);
  });
  const kept = ordered.filter((r): r is AnnotationRecord => r !== undefined);
  const records = kept.filter((r) => r.text !== '');
  return { records, problems, lines, superseded: valid - records.length, lineOf, bad };
}

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

/** Reads an annotation file (cached), reporting each malformed line once to `warn`. */
export async function readStore(
  file: string,
  cache: StoreCache,
  warn?: (message: string) => void,
): Promise<StoreContents> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    return { records: [], problems: [], lines: 0, superseded: 0 };
  }
  const hit = cache.files.get(file);
  if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.contents;
  const text = await fs.readFile(file, 'utf8');
  const { lineOf: _l, bad: _b, ...contents } = parseStore(text, path.basename(file));
  cache.files.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, contents });
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

/** Appends records under the file's lock, in one write. */
export async function appendRecords(file: string, records: AnnotationRecord[]): Promise<void> {
  if (records.length === 0) return;
  const body = records.map(serializeRecord).join('\n') + '\n';
  await withFileLock(file, async () => {
    const fh = await fs.open(file, 'a+');
    try {
      const size = (await fh.stat()).size;
      let torn = false;
      if (size > 0) {
        const last = Buffer.alloc(1);
        await fh.read(last, 0, 1, size - 1);
        torn = last[0] !== 0x0a;
      }
      await fh.write(Buffer.from((torn ? '\n' : '') + body, 'utf8'));
      await fh.sync();
    } finally {
      await fh.close();
    }
  });
}

/**
 * Rewrites the file without superseded records (malformed lines stay, verbatim), when they
 * are the larger part of it. Returns whether it rewrote.
 */
export async function compactIfWorthIt(file: string, minSuperseded = 200): Promise<boolean> {
  return withFileLock(file, async () => {
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
