// Shared pieces of the rule-based annotators: candidate spans, regex building blocks for
// whitespace and number words, and line helpers for OCR text.
//
// Linear time by construction: every pattern is made with `rule()`, which records it, and a
// test (test/model/rules/linear-time.test.ts) requires each recorded pattern's matches and
// lookarounds to be bounded in length (no `*`, `+` or `{n,}`), so a backtracking matcher does
// bounded work at each start position of any text. Code around the patterns looks at bounded
// windows of the text (`lineStartWithin`, `lineEndWithin`), never at a whole line.
import type { Span } from '../core/types';

const PATTERNS: RegExp[] = [];

/** A rule's regular expression, recorded for the linear-time test. */
export function rule(re: RegExp): RegExp {
  PATTERNS.push(re);
  return re;
}

/** Every pattern made with `rule()` so far (the rule modules make theirs when loaded). */
export function rulePatterns(): readonly RegExp[] {
  return PATTERNS;
}

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
  PARTY: 30,
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

/**
 * Offset of the start of the line containing `i`, looking at most `reach` characters back;
 * -1 when the line starts further back than that (the line is longer than anything a rule
 * looks for in it).
 */
export function lineStartWithin(text: string, i: number, reach: number): number {
  const from = Math.max(0, i - reach);
  for (let k = i - 1; k >= from; k--) if (text.charCodeAt(k) === 10) return k + 1;
  return from === 0 ? 0 : -1;
}

/** Offset of the end of the line containing `i` (its `\n` or the text end) within `reach`; -1 beyond. */
export function lineEndWithin(text: string, i: number, reach: number): number {
  const to = Math.min(text.length, i + reach);
  for (let k = i; k < to; k++) if (text.charCodeAt(k) === 10) return k;
  return to === text.length ? to : -1;
}

const SPACE = rule(/\s/);

/** Trims whitespace from both ends of a span. */
export function trimSpan(text: string, span: Candidate): Candidate | null {
  let { start, end } = span;
  while (start < end && SPACE.test(text[start])) start++;
  while (end > start && SPACE.test(text[end - 1])) end--;
  return start < end ? { ...span, start, end } : null;
}
