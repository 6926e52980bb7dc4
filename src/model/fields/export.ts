// Fields as other programs read them: one JSON object per document (what `entity-lens fields
// --json` prints and the editor copies), and CSV with one row per document and one column per
// field (what the workspace export writes). RFC 4180 quoting; several values of a field in one
// cell, separated by "; ".
import { fieldsFor, type FieldsConfig } from './config';
import type { DocumentFields, FieldValue } from './result';
import type { DocumentKind } from '../rules/document-kind';

export interface FieldValueJson {
  value: string;
  text: string;
  confidence: number;
  start: number;
  end: number;
  page?: number;
  /** parties: the terms defined for them */
  aliases?: { text: string; start: number; end: number }[];
  /** a value computed from these fields, where no mention states it */
  derivedFrom?: string[];
  /** the value is a known vendor's, which the printed text nearly spells */
  known?: boolean;
  /** a person set this value (a field correction) */
  corrected?: boolean;
}

export interface FieldsJson {
  file: string;
  kind: DocumentKind;
  fields: Record<string, FieldValueJson[]>;
  checks: {
    code: string;
    severity: string;
    message: string;
    fields: string[];
    suggestion?: { field: string; value: string };
  }[];
}

function valueJson(v: FieldValue): FieldValueJson {
  const out: FieldValueJson = { value: v.value, text: v.text, confidence: v.confidence, start: v.start, end: v.end };
  if (v.page !== undefined) out.page = v.page;
  if (v.aliases?.length) out.aliases = v.aliases.map((a) => ({ text: a.text, start: a.start, end: a.end }));
  if (v.derivedFrom) out.derivedFrom = [...v.derivedFrom];
  if (v.known) out.known = true;
  if (v.corrected) out.corrected = true;
  return out;
}

/** The JSON object of one document's fields, keys in a fixed order. */
export function fieldsJson(file: string, result: DocumentFields): FieldsJson {
  const fields: Record<string, FieldValueJson[]> = {};
  for (const [name, values] of Object.entries(result.fields)) fields[name] = values.map(valueJson);
  return {
    file,
    kind: result.kind,
    fields,
    checks: result.checks.map((c) => ({
      code: c.code,
      severity: c.severity,
      message: c.message,
      fields: c.fields,
      ...(c.suggestion ? { suggestion: { field: c.suggestion.field, value: c.suggestion.value } } : {}),
    })),
  };
}

/** A CSV cell: quoted when it holds a comma, a quote or a line break. */
export function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The CSV columns for documents of these kinds: file, kind, each field once (in schema order), checks. */
export function fieldsCsvColumns(kinds: readonly DocumentKind[], config: FieldsConfig = {}): string[] {
  const names: string[] = [];
  for (const kind of kinds) for (const f of fieldsFor(kind, config)) if (!names.includes(f.name)) names.push(f.name);
  return ['file', 'kind', ...names, 'checks'];
}

/** One document's CSV row (a line without its line break) for the given columns. */
export function fieldsCsvRow(columns: readonly string[], file: string, result: DocumentFields): string {
  return columns
    .map((c) => {
      if (c === 'file') return csvCell(file);
      if (c === 'kind') return result.kind;
      if (c === 'checks') return csvCell(result.checks.map((k) => `${k.code}: ${k.message}`).join(' | '));
      return csvCell((result.fields[c] ?? []).map((v) => v.value).join('; '));
    })
    .join(',');
}
