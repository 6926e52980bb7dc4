// Lengths of time. Span convention (measured on CUAD, where DURATION covers renewal terms
// and notice periods): the number and its unit, with the number written in words, digits or
// both, and an optional "calendar"/"business" qualifier — `thirty (30) days`,
// `twelve (12) months`, `one year`, `60 days`, `thirty (30) calendar days`, `five (5)-year`,
// `30-day`, `a year`. Lead-ins stay out: "a period of five (5) years" → `five (5) years`;
// so does the noun a compound adjective modifies: "one (1) year period" → `one (1) year`.
// Ages ("18 years of age", "21 years old") are not durations.
import { CARDINAL_WORDS, forEachMatch, LA, LB_NUM, PRIORITY, WS, WS0, rule, type Candidate } from './common';

const UNIT = '(?:hours?|days?|weeks?|months?|years?|quarters?|minutes?)';
const QUALIFIER = '(?:calendar|business|working|banking|consecutive|full|additional|successive|fiscal|contract)';
const DIGITS = '\\d{1,3}(?:\\.\\d{1,2})?';
/** `thirty (30)`, `one          (1)`, `thirty(30)`, `30 (thirty)`, `thirty`, `30`, `(120)`. */
const NUMBER = `(?:${CARDINAL_WORDS}${WS0}\\(${WS0}\\d{1,4}${WS0}\\)|${DIGITS}${WS0}\\(${WS0}${CARDINAL_WORDS}${WS0}\\)|${CARDINAL_WORDS}|${DIGITS}|\\(\\d{1,4}\\))`;

/** Number, optional qualifier, unit: `thirty (30) calendar days`, `60 days`, `one year`. */
const SPACED = rule(new RegExp(`${LB_NUM}(?<!\\$|€|£)(${NUMBER})(?:${WS}${QUALIFIER})?${WS}(${UNIT})${LA}`, 'giu'));
/** Compound adjective: `30-day`, `one-year`, `five (5)-year`, `four (4) -year`, `30- days`, `twelve-month`. */
const HYPHENATED = rule(new RegExp(`${LB_NUM}(?<!\\$|€|£)(${NUMBER})${WS0}-${WS0}(${UNIT})${LA}`, 'giu'));
/** `a year`, `an additional month`: only where a length is meant (not "twice a year"). */
const ARTICLE = rule(
  new RegExp(`(?<![\\p{L}\\p{N}])(an?)(?:${WS}${QUALIFIER})?${WS}(year|month|week|quarter|hour)${LA}`, 'giu'),
);
/** Words before "a year" that make it a frequency or rate, not a length. */
const FREQUENCY_BEFORE = rule(/(?:once|twice|thrice|times|per|half|than|such|as|is|was|be|been)\s{1,24}$/i);
/** "YEAR 2 YEAR 3" (a table header), "Month 6": a numbered period, not a length. */
const UNIT_BEFORE = rule(/(?:year|month|week|day|quarter)s?\s{1,24}$/i);
const AGE_AFTER = rule(/^\s{0,24}(?:of\s{1,24}age|old|of\s{1,24}service\b)/i);

export function findDurations(text: string): Candidate[] {
  const out: Candidate[] = [];
  const add = (start: number, end: number): void => {
    if (AGE_AFTER.test(text.slice(end, end + 16))) return;
    if (UNIT_BEFORE.test(text.slice(Math.max(0, start - 12), start))) return;
    out.push({ start, end, label: 'DURATION', priority: PRIORITY.DURATION });
  };
  forEachMatch(SPACED, text, (m) => add(m.index, m.index + m[0].length));
  forEachMatch(HYPHENATED, text, (m) => add(m.index, m.index + m[0].length));
  forEachMatch(ARTICLE, text, (m) => {
    if (FREQUENCY_BEFORE.test(text.slice(Math.max(0, m.index - 12), m.index))) return;
    // "a year to year basis" is a duration in CUAD; "a year after" too; "a year's notice" too.
    add(m.index, m.index + m[0].length);
  });
  return out;
}
