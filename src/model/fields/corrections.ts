// A user's corrections of a document's fields (picking another mention, typing the value,
// clearing a field): what one is, how it replaces the chosen values, and the workspace file the
// editor keeps them in (`.entity-lens/field-corrections.jsonl`, one document's corrections per
// line, appended all or nothing; the latest line of a document wins). Training the chooser
// reads them back as examples (training.ts).
import type { Range } from '../core/types';
import { readCommitted, appendLinesLocked } from '../io/append';
import { errorCode, InputError } from '../io/files';
import { DOCUMENT_KINDS, type DocumentKind } from '../rules/document-kind';
import type { DocumentContext } from './candidates';
import type { FieldValue } from './result';
import type { FieldSpec } from './schema';
import { normalizeFieldValue } from './values';

/** A user's correction of one field: the mention they picked, or the value they typed. */
export interface FieldCorrection {
  field: string;
  /** the mention picked (a range of the text) */
  range?: Range;
  /** the value typed (normalised as the field's values are: ISO date, decimal amount...) */
  value?: string;
  /** the user cleared the field: the document has no such value */
  none?: boolean;
}

/**
 * One line of a workspace's field corrections file: the document (its path in the workspace),
 * its text and kind, and the corrections a user made to its fields, e.g.
 * `{"document": "invoices/a.txt", "text": "...", "kind": "invoice", "corrections": [{"field": "total", "range": {"start": 310, "end": 316}}]}`.
 */
export interface FieldCorrectionRecord {
  /** where the document is (a workspace-relative path); records without one are keyed by text */
  document?: string;
  text: string;
  kind: DocumentKind;
  corrections: FieldCorrection[];
}

/** Parses and checks one line of a field corrections file; throws an InputError naming the line. */
export function parseFieldCorrectionLine(
  line: string,
  lineNo: number,
  file = 'field corrections',
): FieldCorrectionRecord {
  const bad = (why: string) => new InputError(`${file}:${lineNo}: ${why}.`, file, lineNo);
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    throw bad('not valid JSON');
  }
  if (typeof raw !== 'object' || raw === null) throw bad('not an object');
  const r = raw as Record<string, unknown>;
  if (typeof r.text !== 'string' || r.text === '') throw bad('"text" must be the document text');
  if (!(DOCUMENT_KINDS as readonly unknown[]).includes(r.kind))
    throw bad(`"kind" must be one of ${DOCUMENT_KINDS.join(', ')}`);
  if (!Array.isArray(r.corrections)) throw bad('"corrections" must be a list');
  if (r.document !== undefined && (typeof r.document !== 'string' || r.document === ''))
    throw bad('"document" must be a path');
  const text = r.text;
  const corrections = r.corrections.map((c: unknown, i): FieldCorrection => {
    const where = `corrections[${i}]`;
    if (typeof c !== 'object' || c === null) throw bad(`${where} must be an object`);
    const o = c as Record<string, unknown>;
    if (typeof o.field !== 'string' || o.field === '') throw bad(`${where}.field must be a field name`);
    if (o.none === true) return { field: o.field, none: true };
    if (typeof o.value === 'string' && o.value !== '') return { field: o.field, value: o.value };
    const range = o.range as Record<string, unknown> | undefined;
    const { start, end } = range ?? {};
    if (
      typeof start !== 'number' ||
      typeof end !== 'number' ||
      !Number.isInteger(start) ||
      !Number.isInteger(end) ||
      start < 0 ||
      end <= start ||
      end > text.length
    )
      throw bad(`${where} needs a "value", "none": true, or a "range" inside the text`);
    return { field: o.field, range: { start, end } };
  });
  const out: FieldCorrectionRecord = { text, kind: r.kind as DocumentKind, corrections };
  if (typeof r.document === 'string') out.document = r.document;
  return out;
}

/** A record as one line of the file, keys in a fixed order. */
export function serializeFieldCorrection(record: FieldCorrectionRecord): string {
  return JSON.stringify({
    ...(record.document !== undefined ? { document: record.document } : {}),
    kind: record.kind,
    corrections: record.corrections,
    text: record.text,
  });
}

/** Appends records to a corrections file, all or nothing (other readers see none or all of them). */
export async function appendFieldCorrections(file: string, records: readonly FieldCorrectionRecord[]): Promise<void> {
  await appendLinesLocked(file, records.map(serializeFieldCorrection));
}

export interface FieldCorrectionsContents {
  /** the latest record of each document, in the order of their last lines */
  records: FieldCorrectionRecord[];
  /** lines that could not be read, one message each (FILE:LINE: why) */
  problems: string[];
  /** the bytes read: the file's committed part (an append still running is not in it) */
  size: number;
}

/** The committed lines of a corrections file, the latest per document; a missing file is empty. */
export async function readFieldCorrections(file: string): Promise<FieldCorrectionsContents> {
  let bytes: Buffer;
  try {
    bytes = await readCommitted(file);
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return { records: [], problems: [], size: 0 };
    throw e;
  }
  return { ...parseFieldCorrections(bytes.toString('utf8'), file), size: bytes.length };
}

/** The records of a corrections file's text, the latest per document, and its unreadable lines. */
export function parseFieldCorrections(
  text: string,
  file = 'field corrections',
): { records: FieldCorrectionRecord[]; problems: string[] } {
  const latest = new Map<string, FieldCorrectionRecord>();
  const problems: string[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const r = parseFieldCorrectionLine(line, i + 1, file);
      const key = r.document ?? `text:${r.text}`;
      latest.delete(key);
      latest.set(key, r);
    } catch (e) {
      problems.push(e instanceof Error ? e.message : String(e));
    }
  });
  return { records: [...latest.values()], problems };
}

/** One correction as the values of its field (confidence 1, marked corrected). */
function correctedValues(doc: DocumentContext, spec: FieldSpec, c: FieldCorrection, was: FieldValue[]): FieldValue[] {
  if (c.none) return [];
  if (c.range) {
    const surface = doc.text.slice(c.range.start, c.range.end);
    const normalized = normalizeFieldValue(spec.type, surface);
    const page = doc.ft.pageAt(c.range.start);
    return [
      {
        value: normalized?.value ?? doc.ft.surface(c.range),
        text: doc.ft.surface(c.range),
        confidence: 1,
        start: c.range.start,
        end: c.range.end,
        ...(page !== undefined ? { page } : {}),
        ...(normalized?.currency ? { currency: normalized.currency } : {}),
        corrected: true,
      },
    ];
  }
  const typed = c.value ?? '';
  const normalized = normalizeFieldValue(spec.type, typed);
  // a typed value keeps the place of the value it replaces (the misread mention), if any
  const at = was[0] ?? { start: 0, end: 0 };
  return [
    {
      value: normalized?.value ?? typed,
      text: typed,
      confidence: 1,
      start: at.start,
      end: at.end,
      ...(at.page !== undefined ? { page: at.page } : {}),
      ...(normalized?.currency ? { currency: normalized.currency } : {}),
      corrected: true,
    },
  ];
}

/**
 * The fields with a user's corrections in place of the chosen values: a field with corrections
 * holds exactly the corrected values (several for a multi-valued field such as the parties).
 */
export function applyFieldCorrections(
  doc: DocumentContext,
  specs: readonly FieldSpec[],
  fields: Record<string, FieldValue[]>,
  corrections: readonly FieldCorrection[],
): Record<string, FieldValue[]> {
  const out = { ...fields };
  for (const spec of specs) {
    const mine = corrections.filter((c) => c.field === spec.name);
    if (mine.length === 0) continue;
    const was = fields[spec.name] ?? [];
    out[spec.name] = mine.flatMap((c) => correctedValues(doc, spec, c, was)).slice(0, Math.max(1, spec.max));
  }
  return out;
}

/** The corrections of a record with one field's corrections replaced by `next` (none: the field's dropped). */
export function withCorrection(
  corrections: readonly FieldCorrection[],
  field: string,
  next: readonly FieldCorrection[],
): FieldCorrection[] {
  return [...corrections.filter((c) => c.field !== field), ...next];
}
