// What the field stage hands back for a document: its kind, each field's values (normalised,
// with the surface as printed, a confidence, the range in the text and the page) and the
// checks of those values. The CLI prints it, the editor shows it.
import type { Range } from '../core/types';
import type { Alias } from './parties';
import type { DocumentKind } from '../rules/document-kind';

export interface FieldCheck {
  /** stable identifier: total-sum, tax-rate, line-items, due-date, expiration, term-expiration, iban, bic, tax-id, currency, total-words */
  code: string;
  severity: 'error' | 'warning';
  /** one line with the values and the arithmetic */
  message: string;
  /** the fields involved */
  fields: string[];
  /** where the values involved are in the text */
  ranges: (Range & { field?: string })[];
  /** the value that makes the check pass, for the one field that is clearly misread */
  suggestion?: { field: string; value: string; start?: number; end?: number };
}

/** One value of a field. */
export interface FieldValue extends Range {
  /** normalised: ISO date, ISO 8601 duration, decimal amount, place name, party name... */
  value: string;
  /** the surface as printed, line breaks collapsed to one space */
  text: string;
  /** 0-1: the chooser's probability (or the tagger's confidence for a fixed pick) */
  confidence: number;
  /** 1-based page, when the document has pages */
  page?: number;
  /** amounts: ISO 4217 code */
  currency?: string;
  /** parties: the terms defined for it ("the Company", "HOC") */
  aliases?: Alias[];
  /** every mention of this value (a party's short names, repeats of a date) */
  mentions?: Range[];
  /** a user's correction (picked or typed in the editor), not the chooser's choice */
  corrected?: boolean;
  /**
   * the value is a known vendor's seller name or address, which the printed text nearly spells
   * (a misread glyph or two, vendors.ts); `text` stays as printed
   */
  known?: boolean;
  /**
   * the fields this value was computed from, where no mention states it (an expiration date from
   * the effective date and the term); start, end and text are then those of the last of them
   */
  derivedFrom?: string[];
}

export interface DocumentFields {
  kind: DocumentKind;
  /** by field name, in the schema's order; an empty list when the document has no value */
  fields: Record<string, FieldValue[]>;
  checks: FieldCheck[];
}
