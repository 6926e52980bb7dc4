// What the right value of a field is, as an annotator or a user says it, and whether a
// candidate or a chosen value is it. An answer is a normalised value (CUAD's dates, a typed
// correction), a surface compared as SROIE task 3 does (upper case, white space collapsed), or
// a range of the text (a mention a user picked). One that cannot be normalised ("perpetual")
// is kept, marked, and counted apart when scoring.
import type { Range } from '../core/types';
import type { FieldType } from './schema';
import { partyKey } from './values';

export interface FieldAnswer {
  /** the normalised value */
  value?: string;
  /** the surface as printed, compared upper-cased with white space collapsed */
  text?: string;
  /** a range of the text holding the value */
  start?: number;
  end?: number;
  /** the annotator's answer could not be normalised (kept for counting, never matched) */
  unnormalisable?: string;
}

/**
 * The answers of a document by field: a list of acceptable values (several for a multi-valued
 * field), `[]` when the field has no value in the document; a field left out is unknown.
 */
export type FieldAnswers = Record<string, FieldAnswer[]>;

/** SROIE task 3's comparison key: upper case, white space runs as one space, trimmed. */
export function surfaceKey(s: string): string {
  return s.toUpperCase().replace(/\s+/g, ' ').trim();
}

/** Whether two normalised values of a field type are the same value. */
export function sameValue(type: FieldType, a: string, b: string): boolean {
  switch (type) {
    case 'party':
      return partyKey(a) === partyKey(b);
    case 'law': {
      const set = (s: string) => s.toLowerCase().split(' and ').sort().join('|');
      return set(a) === set(b);
    }
    case 'amount':
    case 'percent':
      return Number(a) === Number(b);
    case 'address':
    case 'text':
    case 'identifier':
    case 'iban':
    case 'bic':
      return surfaceKey(a) === surfaceKey(b);
    default:
      return a === b;
  }
}

/** Whether a value read from the text (its value, surface and ranges) is what an answer says. */
export function answerMatches(
  type: FieldType,
  found: { value: string; text: string; start: number; end: number; mentions?: readonly Range[]; known?: boolean },
  answer: FieldAnswer,
): boolean {
  if (answer.unnormalisable !== undefined) return false;
  if (answer.start !== undefined && answer.end !== undefined) {
    const a = answer as Range;
    const ranges = [found, ...(found.mentions ?? [])];
    return ranges.some((r) => {
      const inter = Math.min(r.end, a.end) - Math.max(r.start, a.start);
      return inter > 0 && inter / (Math.max(r.end, a.end) - Math.min(r.start, a.start)) >= 0.5;
    });
  }
  if (answer.value !== undefined) return sameValue(type, found.value, answer.value);
  // a known vendor's value is filed in its known spelling, not as the text misread it
  if (answer.text !== undefined) return surfaceKey(found.known ? found.value : found.text) === surfaceKey(answer.text);
  return false;
}
