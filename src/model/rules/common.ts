// Shared pieces of the rule-based annotators: candidate spans, regex building blocks for
// whitespace and number words, and line helpers for OCR text.
import type { Span } from '../core/types';

/** A span proposed by one annotator; `priority` breaks overlaps (higher wins). */
export interface Candidate extends Span {
  priority: number;
}

/** Overlap priorities: specific, keyword-anchored patterns beat generic ones. */
export const PRIORITY = {
  IBAN: 90,
  BIC: 85,
  TAX_ID: 80,
  INVOICE_ID: 75,
  ACCOUNT: 70,
  DATE: 60,
  PERCENT: 55,
  AMOUNT: 50,
  DURATION: 45,
  JURISDICTION: 40,
} as const;

/**
 * Whitespace inside an entity: a run of horizontal spaces, or one line break with spaces
 * around it (PDF text wraps mid-phrase; two line breaks end a paragraph). Bounded, so no
 * pattern can backtrack over long runs.
 */
export const WS = '(?:[ \\t\\u00a0\\u202f]{1,48}|[ \\t\\u00a0\\u202f]{0,48}\\r?\\n[ \\t\\u00a0\\u202f]{0,48})';
/** Optional whitespace of the same kind. */
export const WS0 = `(?:${WS})?`;
/** Optional horizontal whitespace (OCR lines must not be joined). */
export const HS0 = '[ \\t\\u00a0\\u202f]{0,24}';

/** Not preceded by a letter/digit (a token start), as a lookbehind. */
export const LB = '(?<![\\p{L}\\p{N}])';
/** Not followed by a letter/digit. */
export const LA = '(?![\\p{L}\\p{N}])';
/** Not followed by a letter/digit, nor by a separator joining more digits (`5,000` → not `5`). */
export const LA_NUM = "(?![\\p{L}\\p{N}]|[.,/:'’-]\\d)";
/** Not preceded by a digit joined by a separator (`1.234` → not `234`). */
export const LB_NUM = "(?<![\\p{L}\\p{N}]|\\d[.,/:'’-])";

const UNIT_WORDS = [
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS_WORDS = ['twenty', 'thirty', 'forty', 'fourty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

const UNITS = `(?:${[...UNIT_WORDS].sort((a, b) => b.length - a.length).join('|')})`;
const TENS = `(?:${TENS_WORDS.join('|')})`;
/** 1..99 in words: `seven`, `twenty`, `twenty-four`, `twenty four`. */
const BELOW_100 = `(?:${TENS}(?:[- ]${UNITS})?|${UNITS})`;
/** 1..999 in words: `one hundred twenty`, `one hundred and twenty-five`, `ninety`. */
export const CARDINAL_WORDS = `(?:${UNITS}[ ]hundred(?:(?:[ ]and)?[ ]${BELOW_100})?|${BELOW_100})`;

/** A cardinal up to the billions in words, as in `Five Thousand` or `one million two hundred`. */
export const LARGE_CARDINAL_WORDS = `(?:(?:${CARDINAL_WORDS}|a)[ ](?:billion|million|thousand)(?:,?[ ](?:and[ ])?${CARDINAL_WORDS}(?:[ ](?:million|thousand))?){0,3}|${CARDINAL_WORDS})`;

/** Runs a global regex over `text`, calling `each` with every match. */
export function forEachMatch(re: RegExp, text: string, each: (m: RegExpExecArray) => void): void {
  if (!re.global) throw new Error('forEachMatch needs a global regex');
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    each(m);
  }
}

/** Offset of the start of the line containing `i`. */
export function lineStart(text: string, i: number): number {
  return text.lastIndexOf('\n', i - 1) + 1;
}

/** Offset of the end of the line containing `i` (the `\n` or the text end). */
export function lineEnd(text: string, i: number): number {
  const e = text.indexOf('\n', i);
  return e < 0 ? text.length : e;
}

/** Trims whitespace from both ends of a span. */
export function trimSpan(text: string, span: Candidate): Candidate | null {
  let { start, end } = span;
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return start < end ? { ...span, start, end } : null;
}
