// JSONL annotation files (the format of ../shared/data/README.md): read line by line with a
// numbered problem for each bad line, and one record parsed and validated on its own (the
// editor's store and the converters use that). A file that appendLinesLocked writes to is
// read up to its committed length: records of an append still running, or of one whose
// writer died, are not seen.
import type { FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { AnnotatedDocument, LabelRange, Range, Span } from '../core/types';
import { labelProblem } from '../core/labels';
import {
  describeValue,
  int,
  must,
  nonEmptyStr,
  object,
  optional,
  str,
  validated,
  type Validator,
} from '../core/validate';
import { InputError, isProbablyBinary, openForReading, SNIFF_BYTES } from './files';
import { firstInvalidUtf8, utf16ByteOrder } from './encoding';
import { readCommittedPart } from './append';

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
  return readCommittedPart(
    path,
    () => openForReading(path),
    (fh, limit) => parseLines(fh, limit, path),
  );
}

async function parseLines(fh: FileHandle, limit: number, path: string): Promise<JsonlContents> {
  const fileLabel = basename(path);
  const docs: AnnotatedDocument[] = [];
  const problems: JsonlProblem[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // the head of the file, not its first line: a PNG's first "line" is 5 bytes long
  const head = Buffer.alloc(Math.min(SNIFF_BYTES, limit));
  await fh.read(head, 0, head.length, 0);
  if (utf16ByteOrder(head)) throw new InputError(`${path}: the file is UTF-16; JSONL files must be UTF-8.`, path);
  const binary = isProbablyBinary(head);
  if (binary) throw new InputError(`${path}: ${binary}.`, path);
  for await (const { lineNo, bytes, lastWithoutNewline } of readLines(fh, limit)) {
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
  return { docs, problems };
}

interface RawLine {
  lineNo: number;
  /** without the '\n' */
  bytes: Buffer;
  lastWithoutNewline: boolean;
}

/** Splits the first `limit` bytes of a file into lines as raw bytes, so invalid UTF-8 is reported per line. */
async function* readLines(fh: FileHandle, limit: number): AsyncGenerator<RawLine> {
  if (limit <= 0) return;
  let pending: Buffer[] = [];
  let lineNo = 0;
  for await (const chunk of fh.createReadStream({
    start: 0,
    end: limit - 1,
    highWaterMark: 1 << 16,
    autoClose: false,
  })) {
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

/** `v` as a T when `validator` accepts it, else a RecordError with the validator's sentence. */
function need<T>(v: unknown, validator: Validator<T>, at: string): T {
  return validated(v, validator, at, (problem) => new RecordError(problem));
}

const anArray = must('an array', (v): v is unknown[] => Array.isArray(v));
const rangeShape = object<Range>({ start: int, end: int });

function parseRecord(
  line: string,
  lineNo: number,
  fileLabel: string,
  warn: (message: string) => void,
): AnnotatedDocument {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new RecordError(`invalid JSON (${detail})`, true);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RecordError(`expected a JSON object, found ${describeValue(value)}`);
  }
  const record = value as Record<string, unknown>;

  if (record.text === undefined) throw new RecordError('missing "text"');
  const text = need(record.text, str, '"text"');

  const doc: AnnotatedDocument = {
    id: optionalString(record, 'id') ?? `${fileLabel}:${lineNo}`,
    text,
    spans: parseSpans(record, 'spans', text, warn, true) ?? [],
  };
  const source = optionalString(record, 'source');
  if (source !== undefined) doc.source = source;
  const split = optionalString(record, 'split');
  if (split !== undefined) doc.split = split;
  const complete = parseComplete(record.complete);
  if (complete !== undefined) doc.complete = complete;
  const reviewed = parseReviewed(record.reviewed, text);
  if (reviewed !== undefined) doc.reviewed = reviewed;
  const judged = parseJudged(record.judged, text);
  if (judged !== undefined) doc.judged = judged;
  const silver = parseSpans(record, 'silver', text, warn, false);
  if (silver !== undefined) doc.silver = silver;
  const kind = optionalString(record, 'kind');
  if (kind !== undefined) doc.kind = kind;
  return doc;
}

// Optional fields treat null like absent: converters written in Python often emit null.

function optionalString(record: Record<string, unknown>, key: string): string | undefined {
  return need(record[key], optional(nonEmptyStr), `"${key}"`) ?? undefined;
}

/**
 * Validates a span list, sorts it, and drops spans overlapping an earlier one (the
 * format says spans never overlap; the tagger cannot represent nested entities).
 */
function parseSpans(
  record: Record<string, unknown>,
  key: 'spans' | 'silver',
  text: string,
  warn: (message: string) => void,
  required: boolean,
): Span[] | undefined {
  const raw = record[key];
  if (raw === undefined || raw === null) {
    if (required) throw new RecordError(`missing "${key}" (use [] for a document without entities)`);
    return undefined;
  }

  const spans = need(raw, anArray, `"${key}"`).map((item, i) => {
    const where = `${key}[${i}]`;
    const range = parseRange(item, where, text);
    const label = need((item as Record<string, unknown>).label, nonEmptyStr, `${where}.label`);
    const problem = labelProblem(label);
    if (problem) throw new RecordError(`${where}.label: ${problem}`);
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

/** An object with integer `start` and `end` that make a non-empty range inside the text. */
function parseRange(item: unknown, where: string, text: string): Range {
  const { start, end } = need(item, rangeShape, where);
  if (start < 0) throw new RecordError(`${where}.start is ${start}, below 0`);
  if (start >= end) throw new RecordError(`${where} is empty or reversed (start ${start} >= end ${end})`);
  if (end > text.length) {
    throw new RecordError(`${where}.end is ${end}, past the end of the text (${text.length} characters)`);
  }
  return { start, end };
}

const labelsOrAll = must('"all" or an array of labels', (v): v is unknown[] | 'all' => v === 'all' || Array.isArray(v));

function parseComplete(raw: unknown): string[] | 'all' | undefined {
  if (raw === undefined || raw === null) return undefined;
  const complete = need(raw, labelsOrAll, '"complete"');
  if (complete === 'all') return 'all';
  return complete.map((item, i) => {
    const label = need(item, nonEmptyStr, `complete[${i}]`);
    const problem = labelProblem(label);
    if (problem) throw new RecordError(`complete[${i}]: ${problem}`);
    return label;
  });
}

/** Reviewed ranges may touch or overlap (two review sessions); they are sorted and merged. */
function parseReviewed(raw: unknown, text: string): Range[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  const ranges = need(raw, anArray, '"reviewed"').map((item, i) => parseRange(item, `reviewed[${i}]`, text));
  ranges.sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Range[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return merged;
}

/**
 * Judged ranges: each a range inside the text with a valid label. Ranges of one label that touch
 * or overlap (two corrections) are merged; the result is sorted by start, then label.
 */
function parseJudged(raw: unknown, text: string): LabelRange[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  const ranges = need(raw, anArray, '"judged"').map((item, i) => {
    const where = `judged[${i}]`;
    const range = parseRange(item, where, text);
    const label = need((item as Record<string, unknown>).label, nonEmptyStr, `${where}.label`);
    const problem = labelProblem(label);
    if (problem) throw new RecordError(`${where}.label: ${problem}`);
    return { start: range.start, end: range.end, label };
  });
  const byLabel = (a: LabelRange, b: LabelRange): number => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
  ranges.sort((a, b) => byLabel(a, b) || a.start - b.start || a.end - b.end);
  const merged: LabelRange[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && last.label === r.label && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push(r);
  }
  return merged.sort((a, b) => a.start - b.start || byLabel(a, b));
}

function describeSpan(s: Span): string {
  return `${s.start}-${s.end} ${s.label}`;
}
