// Calendar dates. Span convention (measured on CUAD, where DATE covers agreement,
// effective and expiration dates): the date itself, from the day or ordinal to the year —
// `5th day of May, 2024` (without a leading "the"/"this"), `May 5, 2024`, `5 May 2024`,
// `12/05/2024`, `2024-05-12`, `12.05.2024`; a blank day in a form (`September ___, 2019`)
// is still a date. No weekday, no time of day (SROIE's `25/12/2018 8:13:39 PM` → only
// `25/12/2018`), no "Date:" label.
import { forEachMatch, LA_NUM, LB, LB_NUM, PRIORITY, WS, WS0, rule, type Candidate } from './common';

const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const MONTH_ABBREVIATIONS = ['jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec'];

/** Month names and abbreviations (with an optional period), any case. */
const MONTH = `(?:${[...MONTH_NAMES, ...MONTH_ABBREVIATIONS].sort((a, b) => b.length - a.length).join('|')})\\.?`;
/**
 * Day of month, optionally ordinal; PDF text sometimes splits the suffix (`20t h`, `1s t`).
 */
const DAY = '(?:[0-3]?\\d(?:[ ]{0,2}(?:st|nd|rd|th)|s[ ]t|n[ ]d|r[ ]d|t[ ]h)?|_{2,12})';
const DAY_NUMBER = rule(/^[0-3]?\d/);
const ORDINAL_WORDS =
  '(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty[- ](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirtieth|thirty[- ]first)';
const YEAR4 = '(?:19|20)\\d{2}';
/** `, ` or ` , ` or just a space between day and year. */
const COMMA = `(?:${WS0},${WS0}|${WS})`;

const LB_WORD = '(?<![\\p{L}\\p{N}_])';

/** `May 5, 2024`, `Nov  5,  1999`, `November 1st, 2017`, `September ___, 2019`. */
const MONTH_DAY_YEAR = rule(new RegExp(`${LB}(${MONTH})${WS0}(${DAY})${COMMA}(${YEAR4})${LA_NUM}`, 'giu'));
/** `5 May 2024`, `1 January, 2009`, `03 MAR 2018`, `5th day of May, 2024`, `22nd of August 2005`. */
const DAY_MONTH_YEAR = rule(
  new RegExp(
    `${LB_WORD}(${DAY}|${ORDINAL_WORDS})(?:${WS}day${WS}of|${WS}of)?${WS0}(${MONTH})${COMMA}(${YEAR4})${LA_NUM}`,
    'giu',
  ),
);
/** `May 2024`, `December, 2019`: month (capitalised or upper-case) and year. */
const MONTH_YEAR = rule(
  new RegExp(`${LB_WORD}((?:\\p{Lu}[\\p{Ll}]{1,11}|\\p{Lu}{1,12})\\.?)${COMMA}(${YEAR4})${LA_NUM}`, 'gu'),
);
/** `June 30` without a year: full month name, capitalised. */
const MONTH_DAY = rule(
  new RegExp(
    `${LB_WORD}(\\p{Lu}\\p{Ll}{1,11}|\\p{Lu}{1,12})${WS}([0-3]?\\d(?:st|nd|rd|th)?)${LA_NUM}(?!${COMMA}\\d)`,
    'gu',
  ),
);

/** `12/05/2024`, `5/17/12`, `23-01-2019`, `3-14-18`, `12.05.2024` (dots: 4-digit year only). */
const NUMERIC_DMY = rule(new RegExp(`${LB_NUM}(\\d{1,2})([/.-])(\\d{1,2})\\2(\\d{4}|\\d{2})${LA_NUM}`, 'gu'));
/** `2024-05-12`, `2024/05/12`, `2024.05.12`. */
const NUMERIC_YMD = rule(new RegExp(`${LB_NUM}(${YEAR4})([/.-])(\\d{1,2})\\2(\\d{1,2})${LA_NUM}`, 'gu'));
/** `05-May-2024`, `12-MAR-18`: OCR and ERP style. */
const DAY_MON_YEAR_DASHED = rule(new RegExp(`${LB_NUM}(\\d{1,2})([-/ ])(${MONTH})\\2(\\d{4}|\\d{2})${LA_NUM}`, 'giu'));

/** `24 MAR 18`, `5 Jun 24`: receipts abbreviate the month and the year. */
const DAY_MON_YY = rule(
  new RegExp(`${LB_NUM}(\\d{1,2})[ ](${MONTH_ABBREVIATIONS.join('|')}|may)\\.?[ ](\\d{2})${LA_NUM}`, 'giu'),
);

const MONTH_SET = new Set([...MONTH_NAMES, ...MONTH_ABBREVIATIONS]);

function isMonth(word: string): boolean {
  return MONTH_SET.has(word.toLowerCase().replace(/\.$/, ''));
}

function isFullMonth(word: string): boolean {
  return MONTH_NAMES.includes(word.toLowerCase());
}

function validDay(day: string): boolean {
  if (day.startsWith('_')) return true;
  const m = DAY_NUMBER.exec(day);
  if (!m) return true; // ordinal word
  const n = Number(m[0]);
  return n >= 1 && n <= 31;
}

function validNumeric(a: number, b: number): boolean {
  // Day-month or month-day: both within 1..31, one of them a month.
  return a >= 1 && b >= 1 && a <= 31 && b <= 31 && (a <= 12 || b <= 12);
}

/** "May" is a modal verb in lower case; a date needs "May" or "MAY". */
function plausibleMonthCase(word: string): boolean {
  if (word.toLowerCase() !== 'may') return true;
  return word === 'May' || word === 'MAY';
}

export function findDates(text: string): Candidate[] {
  const out: Candidate[] = [];
  const add = (start: number, end: number): void => {
    out.push({ start, end, label: 'DATE', priority: PRIORITY.DATE });
  };

  forEachMatch(MONTH_DAY_YEAR, text, (m) => {
    if (plausibleMonthCase(m[1]) && validDay(m[2])) add(m.index, m.index + m[0].length);
  });
  forEachMatch(DAY_MONTH_YEAR, text, (m) => {
    if (plausibleMonthCase(m[2]) && validDay(m[1])) add(m.index, m.index + m[0].length);
  });
  forEachMatch(MONTH_YEAR, text, (m) => {
    const word = m[1].replace(/\.$/, '');
    if (isFullMonth(word) || (isMonth(word) && m[1].endsWith('.'))) add(m.index, m.index + m[0].length);
  });
  forEachMatch(MONTH_DAY, text, (m) => {
    if (isFullMonth(m[1]) && validDay(m[2])) add(m.index, m.index + m[0].length);
  });
  forEachMatch(NUMERIC_DMY, text, (m) => {
    const a = Number(m[1]);
    const b = Number(m[3]);
    if (m[2] === '.' && m[4].length !== 4) return; // `1.10.20` is more often a section
    if (m[4].length === 4 && !/^(?:19|20)/.test(m[4])) return;
    if (validNumeric(a, b)) add(m.index, m.index + m[0].length);
  });
  forEachMatch(NUMERIC_YMD, text, (m) => {
    const month = Number(m[3]);
    const day = Number(m[4]);
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31) add(m.index, m.index + m[0].length);
  });
  forEachMatch(DAY_MON_YEAR_DASHED, text, (m) => {
    const day = Number(m[1]);
    if (m[2] === ' ') return; // `5 May 2024` is DAY_MONTH_YEAR's
    if (day >= 1 && day <= 31) add(m.index, m.index + m[0].length);
  });
  forEachMatch(DAY_MON_YY, text, (m) => {
    const day = Number(m[1]);
    const month = m[2];
    // Upper case or capitalised only: "5 may 18" is not a date.
    if (month !== month.toUpperCase() && month[0] !== month[0].toUpperCase()) return;
    if (day >= 1 && day <= 31) add(m.index, m.index + m[0].length);
  });
  return out;
}
