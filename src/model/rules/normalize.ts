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

/** Which of two numbers leads in a numeric date like `05/06/2024`: the day (DMY) or the month (MDY). */
export type DateOrder = 'DMY' | 'MDY';

const ORDINAL_WORDS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  eleventh: 11,
  twelfth: 12,
  thirteenth: 13,
  fourteenth: 14,
  fifteenth: 15,
  sixteenth: 16,
  seventeenth: 17,
  eighteenth: 18,
  nineteenth: 19,
  twentieth: 20,
  thirtieth: 30,
};

/** "twenty-first" → 21, "fifth" → 5, else undefined. */
function ordinalWord(word: string): number | undefined {
  const w = word.toLowerCase();
  if (ORDINAL_WORDS[w] !== undefined) return ORDINAL_WORDS[w];
  const m = /^(twenty|thirty)[- ]([a-z]+)$/.exec(w);
  if (!m || ORDINAL_WORDS[m[2]] === undefined || ORDINAL_WORDS[m[2]] > 9) return undefined;
  return (m[1] === 'twenty' ? 20 : 30) + ORDINAL_WORDS[m[2]];
}

/**
 * A date as its day, month and year were printed, tidied: whitespace collapsed, a split
 * ordinal suffix joined and dropped (PDF text: `20t h day of`, `1s t`, `15 th`), no weekday,
 * no leading "the"/"this"/"dated", no space before a comma.
 */
function tidyDate(text: string): string {
  return text
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/^(?:dated|this|the|on)\s+/i, '')
    .replace(/^(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+/i, '')
    .replace(/(\d{1,2}) ?(?:s ?t|n ?d|r ?d|t ?h)(?![a-z])/gi, '$1')
    .replace(/ ,/g, ',')
    .replace(/\.$/, '');
}

/**
 * ISO `YYYY-MM-DD` for a date as contracts and receipts print it — "May 5, 2024", "5 May 2024",
 * "5th day of May, 2024", "the twenty-first day of May 2024", "2024-05-05", "05/05/2024",
 * "05-MAY-2024", "24 MAR 18" — or `YYYY-MM` for a month ("May 2024"). A numeric day and month
 * are read in `order` (default month first) unless one of them is above 12 or the separator is
 * a dot (European day.month). Undefined when unsure (a blank day `September ___, 2019`).
 */
export function normalizeDate(text: string, order: DateOrder = 'MDY'): string | undefined {
  const t = tidyDate(text);
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t);
  if (m) return iso(+m[1], +m[2], +m[3]);
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (m && +m[1] >= 1900 && +m[1] < 2100) return iso(+m[1], +m[2], +m[3]);
  m = /^(\d{1,2}) ?([/.-]) ?(\d{1,2}) ?\2 ?(\d{2}|\d{4})$/.exec(t);
  if (m) {
    const a = +m[1];
    const b = +m[3];
    const dayFirst = a > 12 || (b <= 12 && (m[2] === '.' || order === 'DMY'));
    return dayFirst ? iso(+m[4], b, a) : iso(+m[4], a, b);
  }
  m = /^([A-Za-z]+\.?) (\d{1,2}),? (\d{4}|\d{2})$/.exec(t) ?? /^([A-Za-z]+)[-/ ](\d{1,2})[-/, ]+(\d{4})$/.exec(t);
  if (m && month(m[1])) return iso(+m[3], month(m[1]) as number, +m[2]);
  m = /^(\d{1,2}|[A-Za-z]+(?:[- ][A-Za-z]+)?)(?: day)?(?: of)? ?[-/ ]?([A-Za-z]+\.?)[-/ ,]+(\d{4}|\d{2})$/i.exec(t);
  if (m && month(m[2])) {
    const day = /^\d/.test(m[1]) ? +m[1] : ordinalWord(m[1].replace(/ day$/i, ''));
    if (day !== undefined) return iso(+m[3], month(m[2]) as number, day);
  }
  m = /^([A-Za-z]+\.?),? (\d{4})$/.exec(t);
  if (m && month(m[1])) return `${m[2]}-${String(month(m[1])).padStart(2, '0')}`;
  return undefined;
}

/**
 * The order numeric dates follow in a document: DMY or MDY when one of its numeric dates can
 * only be read one way (`25/12/2018`), else undefined.
 */
export function dateOrderOf(dates: readonly string[]): DateOrder | undefined {
  let dmy = 0;
  let mdy = 0;
  for (const d of dates) {
    const m = /(?<!\d)(\d{1,2}) ?[/.-] ?(\d{1,2}) ?[/.-] ?(?:\d{4}|\d{2})(?!\d)/.exec(d);
    if (!m) continue;
    if (+m[1] > 12 && +m[2] <= 12) dmy++;
    else if (+m[2] > 12 && +m[1] <= 12) mdy++;
  }
  if (dmy === mdy) return undefined;
  return dmy > mdy ? 'DMY' : 'MDY';
}

const CURRENCY_SYMBOLS: Record<string, string> = {
  $: 'USD',
  '€': 'EUR',
  '£': 'GBP',
  '¥': 'JPY',
  '₹': 'INR',
  RM: 'MYR',
};
const CURRENCY_CODES = rule(
  /\b(USD|EUR|GBP|JPY|CHF|CAD|AUD|MYR|SGD|INR|CNY|SEK|NOK|DKK|PLN|CZK|HKD|NZD|ZAR|BRL|MXN|AED|THB|IDR|PHP|KRW|TWD|HUF|TRY|RUB|ILS)\b/i,
);
/** Dollars written with a country prefix, as receipts and invoices print them. */
const PREFIXED_DOLLARS: Record<string, string> = {
  S$: 'SGD',
  SG$: 'SGD',
  US$: 'USD',
  HK$: 'HKD',
  A$: 'AUD',
  AU$: 'AUD',
  C$: 'CAD',
  CA$: 'CAD',
  NZ$: 'NZD',
  NT$: 'TWD',
  R$: 'BRL',
};
const PREFIXED_DOLLAR = rule(/(?<![A-Za-z])(SG|US|HK|AU|CA|NZ|NT|S|A|C|R)\$/);
/** Currencies named in words ("Five Thousand Dollars", "EUR", "euros"). */
const CURRENCY_WORDS: [RegExp, string][] = [
  [/\b(?:u\.s\.|us|united states) dollars?\b/i, 'USD'],
  [/\bsingapore dollars?\b/i, 'SGD'],
  [/\bhong kong dollars?\b/i, 'HKD'],
  [/\bcanadian dollars?\b/i, 'CAD'],
  [/\baustralian dollars?\b/i, 'AUD'],
  [/\bdollars?\b/i, 'USD'],
  [/\beuros?\b/i, 'EUR'],
  [/\bpounds? sterling\b/i, 'GBP'],
  [/\bringgit\b/i, 'MYR'],
  [/\byen\b/i, 'JPY'],
  [/\brenminbi|yuan\b/i, 'CNY'],
  [/\brupees?\b/i, 'INR'],
  [/\bswiss francs?\b/i, 'CHF'],
];

/** The ISO 4217 code of the currency a money string shows, or undefined. */
export function currencyOf(text: string): string | undefined {
  const prefixed = PREFIXED_DOLLAR.exec(text);
  if (prefixed) return PREFIXED_DOLLARS[`${prefixed[1]}$`];
  const code = CURRENCY_CODES.exec(text);
  if (code) return code[1].toUpperCase();
  if (/(?<![A-Za-z])RM(?![A-Za-z])/.test(text)) return 'MYR';
  for (const [sym, cur] of Object.entries(CURRENCY_SYMBOLS)) if (sym !== 'RM' && text.includes(sym)) return cur;
  for (const [re, cur] of CURRENCY_WORDS) if (re.test(text)) return cur;
  return undefined;
}

/** The decimal separator of a number as parseNumber reads it, or undefined when it has none. */
function decimalSeparator(s: string): '.' | ',' | undefined {
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) return lastDot > lastComma ? '.' : ',';
  if (lastComma >= 0) {
    const parts = s.split(',');
    return parts.length === 2 && parts[1].length !== 3 ? ',' : undefined;
  }
  if (lastDot >= 0) return s.split('.').length > 2 ? undefined : '.';
  return undefined;
}

/** Parses "1,234.56", "1.234,56", "1 234,56", "1234" into a number. */
export function parseNumber(raw: string): number | undefined {
  if (!spacedAsNumbers(raw.trim())) return undefined;
  let s = raw.replace(/[\s\u00a0\u202f'’]/g, '').replace(/[.,]-{1,2}$/, '');
  if (!/^-?\d[\d.,]*$/.test(s) && !/^-?[.,]\d+$/.test(s)) return undefined;
  const decimal = decimalSeparator(s);
  const group = decimal === ',' ? '.' : ',';
  s = s.split(group).join('');
  if (decimal === ',') s = s.replace(',', '.');
  else if (decimal === undefined) s = s.split('.').join('');
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Spaces (and apostrophes) inside a number only between groups of three digits (`1 234,56`,
 * `1'000.50`), or as OCR leaves them after a decimal point (`68. 87`): `87 4,13` is two numbers
 * of a receipt's tax summary, not 874.13.
 */
function spacedAsNumbers(raw: string): boolean {
  return !/[\s\u00a0\u202f'’]/.test(raw) || SPACED_GROUPS.test(raw) || SPACED_DECIMALS.test(raw);
}
const SPACED_GROUPS = rule(/^-?\d{1,3}(?:[\s\u00a0\u202f'’]\d{3}){1,5}(?:[.,]\d{0,4})?(?:[.,]-{1,2})?$/);
const SPACED_DECIMALS = rule(/^-?\d{1,15}[.,] \d{1,2}$/);

/** How many decimals a printed number has ("9.00" → 2, "1,250" → 0). */
function printedDecimals(raw: string): number {
  const s = raw.replace(/[\s\u00a0\u202f'’]/g, '').replace(/[.,]-{1,2}$/, '');
  const decimal = decimalSeparator(s);
  return decimal === undefined ? 0 : s.length - s.lastIndexOf(decimal) - 1;
}

const SCALE_AFTER = rule(/^\s?(trillion|billion|million|thousand|bn|mn|MM|M|B|k|K)(?![\p{L}\p{N}])/iu);
const SCALE_VALUES: Record<string, number> = {
  trillion: 1e12,
  billion: 1e9,
  bn: 1e9,
  b: 1e9,
  million: 1e6,
  mn: 1e6,
  mm: 1e6,
  m: 1e6,
  thousand: 1e3,
  k: 1e3,
};

/** A money amount: its value, the decimals it was printed with, its currency if shown. */
export interface ParsedAmount {
  value: number;
  currency?: string;
  /** decimals as printed ("9.00" → 2); 0 for whole amounts and amounts in words */
  decimals?: number;
}

/**
 * "$1,200.00" → { value: 1200, currency: "USD", decimals: 2 }; "S$ 5" → SGD; "$5 million" →
 * 5000000; "Five Thousand Dollars ($5,000)" → 5000 USD (the figures win); "Five Thousand
 * Dollars" → 5000 USD.
 */
export function normalizeAmount(text: string): ParsedAmount | undefined {
  const t = text.trim();
  const currency = currencyOf(t);
  const num = /-?\d[\d.,\s\u00a0\u202f'’]*\d|-?\.\d+|\d/.exec(t);
  if (num) {
    const raw = num[0].trim();
    let value = parseNumber(raw);
    if (value === undefined) return undefined;
    let decimals = printedDecimals(raw);
    const scale = SCALE_AFTER.exec(t.slice(num.index + num[0].length));
    // "5M" is a scale; "5 M" could be a unit or a name: only the spelt-out words after a space
    if (scale && (scale[0].length === scale[1].length || scale[1].length > 2)) {
      value *= SCALE_VALUES[scale[1].toLowerCase()];
      decimals = 0;
    }
    if (/^[-\u2212]|\(-/.test(t) && value > 0) value = -value;
    return { value, currency, decimals };
  }
  const words =
    /^([a-z][a-z\s,-]*?)\s+(?:(?:u\.s\.|us|united states|singapore|hong kong|canadian|australian)\s+)?(?:dollars?|euros?|pounds?|ringgit|yen|yuan|renminbi|rupees?|francs?)\b/i.exec(
      t,
    );
  const value = words ? parseNumberWords(words[1]) : undefined;
  return value === undefined ? undefined : { value, currency, decimals: 0 };
}

/** An amount as a decimal string with the decimals it was printed with: 1200 (2) → "1200.00". */
export function decimalString(a: ParsedAmount): string {
  const decimals = Math.min(4, Math.max(0, a.decimals ?? (Number.isInteger(a.value) ? 0 : 2)));
  return a.value.toFixed(decimals);
}

export function formatAmount(a: { value: number; currency?: string }): string {
  const v = a.value.toLocaleString('en-US', {
    minimumFractionDigits: Number.isInteger(a.value) ? 0 : 2,
    maximumFractionDigits: 4,
  });
  return a.currency ? `${v} ${a.currency}` : v;
}

const SMALL_NUMBERS: Record<string, number> = {
  zero: 0,
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
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fourty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const SCALES: Record<string, number> = { hundred: 100, thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };

/**
 * A cardinal written in words: "thirty" → 30, "twenty-four" → 24, "one hundred and five" →
 * 105, "Five Thousand" → 5000, "a million" → 1e6. Undefined when a word is not part of a number.
 */
export function parseNumberWords(text: string): number | undefined {
  const words = text
    .toLowerCase()
    .replace(/[-,]/g, ' ')
    .split(/\s+/)
    .filter((w) => w !== '' && w !== 'and');
  if (words.length === 0) return undefined;
  let total = 0;
  let group = 0;
  let seen = false;
  for (const [i, w] of words.entries()) {
    if (SMALL_NUMBERS[w] !== undefined) group += SMALL_NUMBERS[w];
    else if ((w === 'a' || w === 'an') && i === 0) group = 1;
    else if (w === 'hundred') group = (group || 1) * 100;
    else if (SCALES[w] !== undefined) {
      total += (group || 1) * SCALES[w];
      group = 0;
    } else return undefined;
    seen = true;
  }
  return seen ? total + group : undefined;
}

/** ISO 8601 designators of the units durations are written in. */
const DURATION_UNITS: Record<string, string> = {
  day: 'D',
  week: 'W',
  month: 'M',
  year: 'Y',
  quarter: 'Q',
  hour: 'H',
  minute: 'MIN',
};

/**
 * ISO 8601 for a length of time, keeping the unit as written: "thirty (30) days" → "P30D",
 * "one year" → "P1Y", "24 months" → "P24M", "5-year" → "P5Y", "a year" → "P1Y", "48 hours" →
 * "PT48H"; a quarter is three months ("P3M"). Figures in parentheses win over the words.
 */
export function normalizeDuration(text: string): string | undefined {
  const t = text.toLowerCase().replace(/\s+/g, ' ');
  const unit = /\b(day|week|month|year|quarter|hour|minute)s?\b/.exec(t);
  if (!unit) return undefined;
  const before = t.slice(0, unit.index);
  const digits = /\(\s?(\d+(?:\.\d+)?)\s?\)|(?<![\d.])(\d+(?:\.\d+)?)(?![\d.])/.exec(before);
  let n: number | undefined = digits ? Number(digits[1] ?? digits[2]) : undefined;
  if (n === undefined) {
    const words = before
      .replace(
        /\b(?:calendar|business|working|banking|consecutive|full|additional|successive|fiscal|contract|further|renewal|initial|period of|of)\b/g,
        ' ',
      )
      .replace(/[()-]/g, ' ')
      .trim()
      .split(' ')
      .filter((w) => w !== '');
    // the longest run of number words that ends the text before the unit
    for (let k = 0; k < words.length && n === undefined; k++) n = parseNumberWords(words.slice(k).join(' '));
  }
  if (n === undefined || !(n > 0)) return undefined;
  const u = DURATION_UNITS[unit[1]];
  if (u === 'Q') return `P${n * 3}M`;
  if (u === 'H') return `PT${n}H`;
  if (u === 'MIN') return `PT${n}M`;
  return `P${n}${u}`;
}

/** "2%" → "2 %" (0.02); "five percent (5%)" → 0.05. */
export function normalizePercent(text: string): number | undefined {
  const m = /(\d+(?:[.,]\d+)?)\s*(?:%|per ?cent|percent)/i.exec(text);
  if (!m) return undefined;
  const v = Number(m[1].replace(',', '.'));
  return Number.isFinite(v) ? v / 100 : undefined;
}

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
