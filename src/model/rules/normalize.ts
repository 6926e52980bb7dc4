// Normalised values shown in hovers, where they are easy to get right: ISO dates, amounts
// with a currency, percentages, ISO 8601 durations. Pure; undefined when unsure.
import { rule } from './common';

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

/** 1-12 for a month name or its abbreviation ("Sept.", "Dec"), else undefined. */
function month(word: string): number | undefined {
  const w = word.toLowerCase().replace(/\.$/, '');
  if (w.length < 3 || !/^[a-z]+$/.test(w)) return undefined;
  const i = MONTH_NAMES.findIndex((name) => name.startsWith(w));
  return i < 0 ? undefined : i + 1;
}

function iso(y: number, m: number, d: number): string | undefined {
  if (y < 100) y += y < 70 ? 2000 : 1900;
  if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1) return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** "May 5, 2024", "5 May 2024", "5th day of May, 2024", "2024-05-05", "05/05/2024" (month first unless the first number is > 12). */
export function normalizeDate(text: string): string | undefined {
  const t = text.trim().replace(/\s+/g, ' ');
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t);
  if (m) return iso(+m[1], +m[2], +m[3]);
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(t);
  if (m) {
    const a = +m[1];
    const b = +m[2];
    // a separator "." is the European day.month order; "/" is read month/day unless impossible
    if (t.includes('.') || a > 12) return iso(+m[3], b, a);
    return iso(+m[3], a, b);
  }
  m = /^([A-Za-z]+\.?) (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$/.exec(t);
  if (m && month(m[1])) return iso(+m[3], month(m[1]) as number, +m[2]);
  m = /^(?:the )?(\d{1,2})(?:st|nd|rd|th)?(?: day of)? ([A-Za-z]+\.?),? (\d{4})$/i.exec(t);
  if (m && month(m[2])) return iso(+m[3], month(m[2]) as number, +m[1]);
  m = /^([A-Za-z]+\.?),? (\d{4})$/.exec(t);
  if (m && month(m[1])) return `${m[2]}-${String(month(m[1])).padStart(2, '0')}`;
  return undefined;
}

const CURRENCY_SYMBOLS: Record<string, string> = {
  $: 'USD',
  '€': 'EUR',
  '£': 'GBP',
  '¥': 'JPY',
  '₹': 'INR',
  RM: 'MYR',
};
const CURRENCY_CODES = rule(/\b(USD|EUR|GBP|JPY|CHF|CAD|AUD|MYR|SGD|INR|CNY|SEK|NOK|DKK|PLN|CZK|HKD|NZD)\b/i);

/** Parses "1,234.56", "1.234,56", "1 234,56", "1234" into a number. */
export function parseNumber(raw: string): number | undefined {
  let s = raw.replace(/[\s\u00a0\u202f']/g, '');
  if (!/^-?\d[\d.,]*$/.test(s)) return undefined;
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    const decimal = lastDot > lastComma ? '.' : ',';
    const group = decimal === '.' ? ',' : '.';
    s = s.split(group).join('').replace(decimal, '.');
  } else if (lastComma >= 0) {
    // "1,234" groups thousands; "12,50" is a decimal comma
    const parts = s.split(',');
    s = parts.length === 2 && parts[1].length !== 3 ? `${parts[0]}.${parts[1]}` : parts.join('');
  } else if (lastDot >= 0 && s.split('.').length > 2) {
    s = s.split('.').join(''); // "1.234.567" groups thousands
  }
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** Dollars with a country prefix: that country's currency, not USD. */
const PREFIXED_DOLLARS: Record<string, string> = { S$: 'SGD', US$: 'USD', HK$: 'HKD' };

/** "$1,200.00" → { value: 1200, currency: "USD" }. */
export function normalizeAmount(text: string): { value: number; currency?: string } | undefined {
  const t = text.trim();
  let currency: string | undefined;
  const code = CURRENCY_CODES.exec(t);
  if (code) currency = code[1].toUpperCase();
  else {
    // S$, US$, HK$ before the bare $ they contain
    for (const [sym, cur] of [...Object.entries(PREFIXED_DOLLARS), ...Object.entries(CURRENCY_SYMBOLS)]) {
      if (t.includes(sym)) {
        currency = cur;
        break;
      }
    }
  }
  const num = /-?\d[\d.,\s\u00a0\u202f']*\d|\d/.exec(t);
  if (!num) return undefined;
  const value = parseNumber(num[0].trim());
  if (value === undefined) return undefined;
  return { value, currency };
}

export function formatAmount(a: { value: number; currency?: string }): string {
  const v = a.value.toLocaleString('en-US', {
    minimumFractionDigits: Number.isInteger(a.value) ? 0 : 2,
    maximumFractionDigits: 4,
  });
  return a.currency ? `${v} ${a.currency}` : v;
}

const NUMBER_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  forty: 40,
  sixty: 60,
  ninety: 90,
  a: 1,
  an: 1,
};
const UNITS: Record<string, string> = { day: 'D', week: 'W', month: 'M', year: 'Y' };

/** "thirty (30) days" → "P30D", "one year" → "P1Y", "12 months" → "P12M". */
export function normalizeDuration(text: string): string | undefined {
  const t = text.toLowerCase();
  const unit = /\b(day|week|month|year)s?\b/.exec(t);
  if (!unit) return undefined;
  const digits = /\((\d+)\)|\b(\d+)\b/.exec(t);
  let n: number | undefined = digits ? Number(digits[1] ?? digits[2]) : undefined;
  if (n === undefined) {
    const word = /\b([a-z]+)[\s-]+(?:\(\d+\)\s*)?(?:calendar\s+|business\s+)?(?:day|week|month|year)/.exec(t);
    if (word) n = NUMBER_WORDS[word[1]];
  }
  if (n === undefined) return undefined;
  return `P${n}${UNITS[unit[1]]}`;
}

/** "2%" → "2 %" (0.02); "five percent (5%)" → 0.05. */
export function normalizePercent(text: string): number | undefined {
  const m = /(\d+(?:[.,]\d+)?)\s*(?:%|per ?cent|percent)/i.exec(text);
  if (!m) return undefined;
  const v = Number(m[1].replace(',', '.'));
  return Number.isFinite(v) ? v / 100 : undefined;
}

/** Dollars written with a country prefix, as receipts print them. */

/**
 * The currency a receipt prints at the end of the line above an amount that starts its own
 * line: `TOTAL RM` / `7.20`, `AMOUNT (RM)` / `3.60`. The amount's span leaves it out (it is on
 * another line), its value should not.
 */
export function currencyAtLineEnd(line: string): string | undefined {
  const m = /(?:^|[\s(:])(RM|S\$|US\$|HK\$|[$€£¥₹]|[A-Z]{3})\)?[\s:]*$/.exec(line);
  if (!m) return undefined;
  const code = CURRENCY_CODES.exec(m[1]);
  return code ? code[1].toUpperCase() : (PREFIXED_DOLLARS[m[1]] ?? CURRENCY_SYMBOLS[m[1]]);
}

/**
 * A short normalised form for a label's value, or undefined. `lineAbove`: the line above an
 * entity that starts its line (an amount's currency may be printed there).
 */
export function normalizedValue(label: string, text: string, lineAbove?: string): string | undefined {
  switch (label) {
    case 'DATE':
      return normalizeDate(text);
    case 'AMOUNT': {
      const a = normalizeAmount(text);
      if (a && !a.currency && lineAbove !== undefined) a.currency = currencyAtLineEnd(lineAbove);
      return a ? formatAmount(a) : undefined;
    }
    case 'PERCENT': {
      const p = normalizePercent(text);
      return p === undefined ? undefined : String(Math.round(p * 1e6) / 1e6);
    }
    case 'DURATION':
      return normalizeDuration(text);
    default:
      return undefined;
  }
}
