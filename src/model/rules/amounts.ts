// Money amounts. Span convention:
// - the currency symbol or code is part of the span when it touches the number or is
//   separated from it by one space: `$1,250,000.00`, `US$ 500`,
//   `EUR 1.234,56`, `1.234,56 €`, `RM9.00`, `1 250,00 CHF`, `$5 million`. (SROIE writes the
//   total as printed: `$8.20`, `RM 29.70` include the currency in 92 of 119 such cases.)
//   A currency on another line (OCR column header "RM", `TOTAL RM`) is not part of the span, nor
//   is one across a table's column gap. Where a currency could end one number or start
//   the next (`1 CHF 99.22 CHF 99.22`), the reading with the most money-shaped amounts wins.
// - an amount written in words with its figures in parentheses is ONE span, closing
//   parenthesis included: `Five Thousand Dollars ($5,000)`, `$5,000 (Five Thousand
//   Dollars)` — one mention, one entity, as CUAD does for `thirty (30) days`.
// - a number with no currency is an amount only on receipt-like short lines: exactly two
//   decimals, nothing after it but a tax code, and a money keyword (TOTAL, CASH, CHANGE,
//   AMOUNT, GST, ...) before it on its line (at most 48 characters) or on the line above —
//   possibly above a column of such numbers (`TOTAL / CASH / CHANGE` then `9.00 / 10.00 /
//   1.00`). Quantity lines (QTY, KG, ITEMS) never count. In prose `13.12` is a section.
import {
  forEachMatch,
  HS0,
  LA_NUM,
  LARGE_CARDINAL_WORDS,
  lineEndWithin,
  lineStartWithin,
  LB_NUM,
  PRIORITY,
  rule,
  WS,
  WS0,
  type Candidate,
} from './common';

/** Symbols, and prefixed dollars (US$, S$, HK$...). */
const SYMBOL =
  '(?:US[ ]?\\$|USD\\$|S\\$|SG\\$|A\\$|AU\\$|C\\$|CA\\$|HK\\$|NZ\\$|NT\\$|R\\$|Mex\\$|\\$|€|£|¥|₹|₩|₽|₺|₫|฿|₱|₪|₦|₴)';
/** ISO codes and local abbreviations, upper-case only. */
const CODE =
  '(?:USD|EUR|GBP|CHF|JPY|CNY|RMB|HKD|SGD|MYR|RM|AUD|CAD|NZD|INR|IDR|THB|KRW|SEK|NOK|DKK|PLN|CZK|HUF|ZAR|BRL|MXN|AED|SAR|TWD|PHP|VND|TRY|RUB|ILS|Rs\\.?|Rp\\.?|Fr\\.|SFr\\.?)';
const CURRENCY = `(?:${SYMBOL}|${CODE})`;

/**
 * A number as amounts are written: 1,250,000.00 / 1.234,56 / 1 250,00 / 1'250.00 / 9.00 /
 * 500 / .50. Group separators must group by three. At most 15 digits before the decimals
 * (a trillion with groups): longer digit runs are not amounts, and the bound keeps the scan
 * of a line of a million digits linear.
 */
const NUMBER =
  "(?:\\d{1,3}(?:,\\d{3}){1,4}(?:\\.\\d{1,2})?|\\d{1,3}(?:\\.\\d{3}){1,4}(?:,\\d{1,2})?|\\d{1,3}(?:[ \\u00a0\\u202f]\\d{3}){1,4}(?:[.,]\\d{1,2})?|\\d{1,3}(?:['’]\\d{3}){1,4}(?:\\.\\d{1,2})?|\\d{1,15}(?:[.,]\\d{1,2})?|\\.\\d{2})(?:[.,]-{1,2})?";
const SCALE =
  '(?:[ ](?:[Mm]illion|[Bb]illion|[Tt]rillion|[Tt]housand|MILLION|BILLION)|[ ]?(?:mn|bn)|MM|M|B|k|K)(?![\\p{L}\\p{N}])';
const SIGN = '[-\\u2212]?';
/** Between a currency and its number: `$1`, `US$ 500`, `EUR 1.234,56`; not a table's column gap. */
const GAP = '[ \\u00a0\\u202f]?';

/** `$1,250.00`, `US$ 500`, `EUR 1.234,56`, `RM9.00`, `-$5.00`, `$5 million`. */
const PREFIXED = rule(
  new RegExp(`(?<![\\p{L}\\p{N}])${SIGN}${CURRENCY}${GAP}${SIGN}${NUMBER}(?:${SCALE})?${LA_NUM}`, 'gu'),
);
/** `1.234,56 €`, `1 250,00 CHF`, `500 USD`, `9.00 MYR`. */
const SUFFIXED = rule(
  new RegExp(`${LB_NUM}${SIGN}${NUMBER}(?:${SCALE})?${GAP}(?:${SYMBOL}|${CODE})(?![\\p{L}\\p{N}$])`, 'gu'),
);
const CURRENCY_WORD =
  '(?:(?:U\\.S\\.|US|United States|Singapore|Hong Kong|Canadian|Australian|New Zealand)[ ])?(?:dollars?|euros?|pounds?[ ]sterling|yen|francs?|ringgit|rupees?|yuan|renminbi)';
/** `Five Thousand Dollars`, `one million U.S. dollars`, `100 dollars`, `2.5 million euros`. */
const WORDED = rule(
  new RegExp(
    `(?<![\\p{L}\\p{N}/])(?:${LARGE_CARDINAL_WORDS}|\\d{1,3}(?:,\\d{3}){0,4}(?:\\.\\d{1,2})?(?:[ ](?:million|billion|thousand))?)${WS}${CURRENCY_WORD}(?![\\p{L}\\p{N}])`,
    'giu',
  ),
);
/** A worded amount followed by its figures in parentheses, or figures followed by words. */
const PAREN_AFTER = rule(new RegExp(`^${WS0}\\(${WS0}([^()\\n]{1,40})\\)`, 'u'));
const PAREN_WORDS_AFTER = rule(new RegExp(`^${WS0}\\(${WS0}([^()\\n]{1,80})\\)`, 'u'));

/** The inside of `($5,000)` or `(USD 5,000.00)`. */
const FIGURES = rule(new RegExp(`^${SIGN}(?:${CURRENCY}${HS0})?${NUMBER}(?:${SCALE})?(?:${HS0}${CURRENCY})?$`, 'u'));

const UK_POSTCODE = rule(/^RM\d{1,2}[ ]\d[A-Z]{2}(?![\p{L}\p{N}])/u);

/** The inside of `(Five Thousand Dollars)`. */
const WORDS_INSIDE = rule(new RegExp(`^${LARGE_CARDINAL_WORDS}${WS}${CURRENCY_WORD}`, 'iu'));

/** A number with decimals or group separators: `1,250.00`, `9.00`, `1 250` (not `1`). */
const FORMATTED = rule(/\d[.,'’ \u00a0\u202f]\d/);

/**
 * One currency can read as the suffix of the number before it or the prefix of the one
 * after it (`1 CHF 99.22 CHF 99.22`, `2.082,78 EUR 12.496,68 EUR`). Picks the non-overlapping
 * set of readings with the most weight — each amount 1, plus 0.5 when its number is
 * formatted like money — by weighted interval scheduling.
 */
function bestReading(text: string, spans: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...spans].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  const n = sorted.length;
  const weight = sorted.map(([s, e]) => 1 + (FORMATTED.test(text.slice(s, e)) ? 0.5 : 0));
  const best = new Float64Array(n + 1);
  const take = new Uint8Array(n);
  const previous = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    // Last interval ending at or before this one's start (binary search over ends).
    let lo = 0;
    let hi = j;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid][1] <= sorted[j][0]) lo = mid + 1;
      else hi = mid;
    }
    previous[j] = lo; // intervals [0, lo) end before j starts
    const withJ = weight[j] + best[lo];
    if (withJ > best[j]) {
      best[j + 1] = withJ;
      take[j] = 1;
    } else {
      best[j + 1] = best[j];
    }
  }
  const out: Array<[number, number]> = [];
  for (let j = n - 1; j >= 0;) {
    if (take[j]) {
      out.push(sorted[j]);
      j = previous[j] - 1;
    } else {
      j--;
    }
  }
  return out.reverse();
}

/** A bare receipt number: two decimals, optional sign. */
const BARE = rule(new RegExp(`${LB_NUM}(?<![$€£¥])-?(?:\\d{1,3}(?:,\\d{3}){1,4}|\\d{1,15})\\.\\d{2}${LA_NUM}`, 'gu'));
/** Money words that make a bare two-decimal number an amount on a receipt line. */
const MONEY_KEYWORD = rule(
  /(?:^|[^\p{L}])(?:total|sub-?total|grand|amount|amt|cash|change|paid|payment|pay|due|balance|tax|gst|vat|sst|rounding|round|discount|disc|price|nett?|gross|fee|charge|tender(?:ed)?|deposit|rm|myr|usd|sgd|eur|visa|master(?:card)?|credit|debit|card|subtotal|sales|refund|tip|service)(?![\p{L}])/iu,
);
/** Quantity, weight or volume words: numbers near them are not money. */
const QUANTITY_KEYWORD = rule(
  /(?:^|[^\p{L}])(?:qty|quantity|count|kg|g|gm|litres?|liters?|ltr|l|ml|pcs|pc|units?|items?|points?|pts|km|mile|weight|pax)(?![\p{L}])/iu,
);
/** A line holding only a two-decimal number (and maybe a tax code: `15.00 S`, `10.00 ZRL`). */
const NUMBER_LINE = rule(
  /^[ \t]{0,24}-?(?:\d{1,3}(?:,\d{3}){1,4}|\d{1,15})\.\d{2}(?:[ \t]{0,3}[A-Z]{1,3})?[ \t]{0,24}\r?$/,
);
/** What may follow a bare amount on its line: nothing, a tax code, a `)` or a currency. */
const LINE_TAIL = rule(/^[ \t]{0,3}(?:[A-Z]{1,3}\*?|\*|\))?[ \t]{0,24}\r?$/);
/** Longest label before a bare amount on the same line. */
const MAX_LABEL = 48;
/** Longest text LINE_TAIL accepts after a bare amount. */
const MAX_TAIL = 40;
/** Receipt column layouts stack up to this many values under their labels. */
const MAX_COLUMN = 8;
/** Receipt lines are short; a longer line above a number is prose. */
const MAX_RECEIPT_LINE = 200;
const UNIT_AFTER = rule(/^[ \t]?(?:(?:kg|g|gm|l|ltr|litres?|liters?|ml|pcs|pc|x)(?![\p{L}\p{N}])|%)/iu);
const TIME_AFTER = rule(/^[ \t]?(?:am|pm)\b/i);

/**
 * Whether a money label sits above the number at `at`, alone on its line: directly on the
 * previous content line, or above a column of two-decimal numbers that this one continues
 * (OCR of `TOTAL / CASH / CHANGE` then `9.00 / 10.00 / 1.00`). The label line must not be
 * about quantities.
 */
function labelAbove(text: string, lineBegin: number): boolean {
  let end = lineBegin - 1;
  for (let k = 0; k <= MAX_COLUMN && end >= 0; k++) {
    const start = lineStartWithin(text, end, MAX_RECEIPT_LINE);
    if (start < 0) return false; // a long line: prose, not a receipt's label
    const line = text.slice(start, end);
    end = start - 1;
    if (!/[\p{L}\p{N}$€£¥]/u.test(line)) continue; // a lone ":" between label and value
    if (NUMBER_LINE.test(line)) continue; // part of the same column
    return MONEY_KEYWORD.test(line) && !QUANTITY_KEYWORD.test(line);
  }
  return false;
}

/** A currency, then a line break (any the tokenizer counts) before the number. */
const CURRENCY_THEN_BREAK = rule(
  new RegExp(`^${CURRENCY}[ \\t]{0,24}(?:(?:\\r\\n|[\\n\\r\\u2028\\u2029])[ \\t]{0,24}){1,8}`, 'u'),
);

/**
 * Where an amount span starting at `start` should start by this file's convention: a currency
 * is part of the span only on the number's line, so `TOTAL RM` above `60.30` leaves `60.30`
 * (an OCR column header; in prose a hard-wrapped `US$` / `500` the same). `start` itself when
 * the span does not start with a currency and a line break.
 */
export function amountStart(text: string, start: number, end: number): number {
  const m = CURRENCY_THEN_BREAK.exec(text.slice(start, end));
  return m && start + m[0].length < end ? start + m[0].length : start;
}

export function findAmounts(text: string): Candidate[] {
  const out: Candidate[] = [];
  const add = (start: number, end: number): void => {
    out.push({ start, end, label: 'AMOUNT', priority: PRIORITY.AMOUNT });
  };

  const numeric: Array<[number, number]> = [];
  forEachMatch(PREFIXED, text, (m) => {
    // `RM13 2PT` is a UK postcode (Romford), not thirteen ringgit.
    if (UK_POSTCODE.test(text.slice(m.index, m.index + m[0].length + 5))) return;
    numeric.push([m.index, m.index + m[0].length]);
  });
  forEachMatch(SUFFIXED, text, (m) => {
    // `2024 EUR` is rare but `Section 5 $` is not money: a suffixed currency needs a
    // decimal part or a group separator, or an ISO code.
    const s = m[0];
    if (!/[.,'’ \u00a0\u202f]\d/.test(s) && !/[A-Z]{3}$/.test(s)) return;
    if (UNIT_AFTER.test(text.slice(m.index + s.length, m.index + s.length + 4))) return;
    numeric.push([m.index, m.index + s.length]);
  });

  const readings = bestReading(text, numeric);

  // Worded amounts, joined with figures in parentheses after them.
  const worded: Array<[number, number]> = [];
  forEachMatch(WORDED, text, (m) => {
    let end = m.index + m[0].length;
    const paren = PAREN_AFTER.exec(text.slice(end, end + 80));
    if (paren && FIGURES.test(paren[1].trim())) end += paren[0].length;
    worded.push([m.index, end]);
  });

  // Figures followed by words in parentheses: `$5,000 (Five Thousand Dollars)`.
  for (const [start, end] of readings) {
    const paren = PAREN_WORDS_AFTER.exec(text.slice(end, end + 100));
    if (paren && WORDS_INSIDE.test(paren[1].trim())) {
      worded.push([start, end + paren[0].length]);
    } else {
      add(start, end);
    }
  }
  for (const [start, end] of worded) add(start, end);

  // Bare receipt numbers with a money keyword nearby.
  forEachMatch(BARE, text, (m) => {
    const start = m.index;
    const end = start + m[0].length;
    const after = text.slice(end, end + 6);
    if (UNIT_AFTER.test(after) || TIME_AFTER.test(after)) return;
    // Receipt lines are short: a label and its value, maybe a tax code after it. Long lines
    // are prose or tables of contents, where `13.12` is a section number.
    const tailEnd = lineEndWithin(text, end, MAX_TAIL);
    if (tailEnd < 0 || !LINE_TAIL.test(text.slice(end, tailEnd))) return;
    const begin = lineStartWithin(text, start, MAX_LABEL + 1);
    if (begin < 0) return; // more than MAX_LABEL characters before it on its line
    const lineHead = text.slice(begin, start);
    if (lineHead.length > MAX_LABEL) return;
    if (MONEY_KEYWORD.test(lineHead)) {
      if (!QUANTITY_KEYWORD.test(lineHead)) add(start, end);
      return;
    }
    if (/[\p{L}\p{N}]/u.test(lineHead)) return; // something else before it on its line
    if (labelAbove(text, begin)) add(start, end);
  });
  return out;
}
