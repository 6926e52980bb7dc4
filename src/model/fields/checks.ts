// Checks of a document's values against each other and against their own form, reported with
// the values involved and the arithmetic: net + tax = total, tax = rate × net, the line items
// add up to the subtotal, the due date is not before the invoice date, a contract expires
// after it takes effect (and on the effective date plus the term, when all three are stated),
// IBAN check digits, BIC and VAT-id formats, one currency per invoice, a total written in
// words and figures with one value. Where one value is clearly the misread one (another
// mention in the text holds the value that makes the sums right, or it differs from it by one
// character), the check suggests the correction; the editor offers it as a quick fix.
import type { Range } from '../core/types';
import { isBicShaped, isValidIban } from '../rules/bank';
import { normalizeAmount, parseNumberWords } from '../rules/normalize';
import type { DocumentContext } from './candidates';
import { addsUp } from './sums';
import type { FieldCheck, FieldValue } from './result';
import type { DocumentKind } from '../rules/document-kind';

/** An amount in cents (NaN for a value that is not a number). */
export const cents = (v: string | number) => Math.round(Number(v) * 100);
const money = (c: number) => (c / 100).toFixed(2);
const first = (fields: Record<string, FieldValue[]>, name: string): FieldValue | undefined => fields[name]?.[0];
const rangeOf = (field: string, v: FieldValue) => ({ start: v.start, end: v.end, field });

/** Whether two strings differ by one character replaced, added or dropped (an OCR misread). */
export function oneEdit(a: string, b: string): boolean {
  if (a === b) return false;
  if (a.length === b.length) {
    let d = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) d++;
    return d === 1;
  }
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  if (long.length - short.length !== 1) return false;
  for (let i = 0; i < long.length; i++) if (long.slice(0, i) + long.slice(i + 1) === short) return true;
  return false;
}

/** The amount mentions of the document with their values in cents. */
function amountMentions(doc: DocumentContext): (Range & { cents: number })[] {
  const out: (Range & { cents: number })[] = [];
  for (const m of doc.mentions) {
    if (m.label !== 'AMOUNT') continue;
    const a = normalizeAmount(doc.text.slice(m.start, m.end));
    if (a) out.push({ start: m.start, end: m.end, cents: Math.round(a.value * 100) });
  }
  return out;
}

export function checkFields(
  kind: DocumentKind,
  fields: Record<string, FieldValue[]>,
  doc: DocumentContext,
): FieldCheck[] {
  const out: FieldCheck[] = [];
  if (kind === 'contract') {
    contractDates(fields, out);
  } else {
    totals(fields, doc, out);
    lineItems(fields, doc, out);
    invoiceDates(fields, out);
    bankDetails(fields, doc, out);
    taxId(fields, out);
    currencies(doc, out);
  }
  totalInWords(fields, doc, out);
  return out;
}

function totals(fields: Record<string, FieldValue[]>, doc: DocumentContext, out: FieldCheck[]): void {
  const net = first(fields, 'subtotal');
  const tax = first(fields, 'tax');
  const total = first(fields, 'total');
  const rate = first(fields, 'tax_rate');
  const rateOk = (n: number, t: number) =>
    rate !== undefined && Math.abs(t - Number(rate.value) * n) <= Math.max(2, 0.005 * Math.abs(t));
  // the rate holds to the cent (rounding aside): a stronger sign than holding within 0.5 %
  const rateExact = (n: number, t: number) => rate !== undefined && Math.abs(t - Number(rate.value) * n) <= 1;
  if (net && tax && total) {
    const [n, t, s] = [cents(net.value), cents(tax.value), cents(total.value)];
    if (!addsUp(n, t, s)) {
      const present = new Set(amountMentions(doc).map((m) => m.cents));
      // which one value, corrected, makes the sum hold, and how plausible that is
      const options = [
        { field: 'total', v: total, to: n + t, ok: rateOk(n, t), exact: rateExact(n, t) },
        { field: 'tax', v: tax, to: s - n, ok: rateOk(n, s - n), exact: rateExact(n, s - n) },
        { field: 'subtotal', v: net, to: s - t, ok: rateOk(s - t, t), exact: rateExact(s - t, t) },
      ].map((o) => ({
        ...o,
        score:
          (present.has(o.to) ? 2 : 0) +
          (o.ok ? 2 : 0) +
          (o.exact ? 1 : 0) +
          (oneEdit(money(cents(o.v.value)), money(o.to)) ? 1 : 0),
      }));
      options.sort((a, b) => b.score - a.score);
      const best = options[0];
      const clear = best.score >= 2 && best.score > options[1].score && best.to >= 0;
      out.push({
        code: 'total-sum',
        severity: 'error',
        message: `total ${money(s)} ≠ net ${money(n)} + tax ${money(t)} = ${money(n + t)}`,
        fields: ['subtotal', 'tax', 'total'],
        ranges: [rangeOf('subtotal', net), rangeOf('tax', tax), rangeOf('total', total)],
        ...(clear
          ? { suggestion: { field: best.field, value: money(best.to), start: best.v.start, end: best.v.end } }
          : {}),
      });
    }
  }
  if (net && tax && rate) {
    const [n, t] = [cents(net.value), cents(tax.value)];
    const expected = Math.round(Number(rate.value) * n);
    if (!rateOk(n, t)) {
      const totalAgrees = total !== undefined && Math.abs(n + expected - cents(total.value)) <= 1;
      out.push({
        code: 'tax-rate',
        severity: 'warning',
        message: `tax ${money(t)} ≠ rate ${formatRate(rate.value)} × net ${money(n)} = ${money(expected)}`,
        fields: ['tax', 'tax_rate', 'subtotal'],
        ranges: [rangeOf('tax', tax), rangeOf('tax_rate', rate), rangeOf('subtotal', net)],
        ...(totalAgrees
          ? { suggestion: { field: 'tax', value: money(expected), start: tax.start, end: tax.end } }
          : {}),
      });
    }
  }
}

const formatRate = (v: string) => `${Math.round(Number(v) * 1e4) / 100}%`;

/**
 * Item lines: a line with a quantity, a unit price and a line amount where quantity × price =
 * amount. When at least two are found before the subtotal, their amounts must add up to it.
 */
function lineItems(fields: Record<string, FieldValue[]>, doc: DocumentContext, out: FieldCheck[]): void {
  const net = first(fields, 'subtotal');
  if (!net) return;
  const ft = doc.ft;
  const amounts = amountMentions(doc).filter((m) => m.end <= net.start);
  const byLine = new Map<number, (Range & { cents: number })[]>();
  for (const m of amounts) {
    const i = ft.lineAt(m.start);
    byLine.set(i, [...(byLine.get(i) ?? []), m]);
  }
  const items: (Range & { cents: number })[] = [];
  let unconfirmed = 0;
  for (const [i, ms] of byLine) {
    if (ms.length < 2) continue;
    const line = ft.lines[i];
    const last = ms[ms.length - 1];
    const price = ms[ms.length - 2];
    const rest = doc.text.slice(line.start, price.start);
    const quantities = [...rest.matchAll(/(?<![\d.,])(\d+(?:[.,]\d+)?)(?![\d.,]|\s*%)/g)].map((q) =>
      Number(q[1].replace(',', '.')),
    );
    if (quantities.some((q) => q > 0 && Math.abs(q * price.cents - last.cents) <= 1)) items.push(last);
    else unconfirmed++;
  }
  if (items.length < 2 || unconfirmed > 0) return;
  const sum = items.reduce((a, m) => a + m.cents, 0);
  const n = cents(net.value);
  if (Math.abs(sum - n) <= 1) return;
  out.push({
    code: 'line-items',
    severity: 'warning',
    message: `line items ${items.map((m) => money(m.cents)).join(' + ')} = ${money(sum)} ≠ subtotal ${money(n)}`,
    fields: ['subtotal'],
    ranges: [rangeOf('subtotal', net), ...items.map((m) => ({ start: m.start, end: m.end }))],
  });
}

function invoiceDates(fields: Record<string, FieldValue[]>, out: FieldCheck[]): void {
  const date = first(fields, 'date');
  const due = first(fields, 'due_date');
  if (date && due && date.value.length === 10 && due.value.length === 10 && due.value < date.value) {
    out.push({
      code: 'due-date',
      severity: 'error',
      message: `due date ${due.value} is before the invoice date ${date.value}`,
      fields: ['due_date', 'date'],
      ranges: [rangeOf('due_date', due), rangeOf('date', date)],
    });
  }
}

/** An ISO date plus an ISO 8601 duration (P2Y, P24M, P30D, P2W), or undefined. */
export function addDuration(date: string, duration: string): string | undefined {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const p = /^P(\d+)([YMWD])$/.exec(duration);
  if (!d || !p) return undefined;
  const n = Number(p[1]);
  const t = new Date(Date.UTC(+d[1], +d[2] - 1, +d[3]));
  if (p[2] === 'Y') t.setUTCFullYear(t.getUTCFullYear() + n);
  else if (p[2] === 'M') t.setUTCMonth(t.getUTCMonth() + n);
  else t.setUTCDate(t.getUTCDate() + n * (p[2] === 'W' ? 7 : 1));
  return t.toISOString().slice(0, 10);
}

function contractDates(fields: Record<string, FieldValue[]>, out: FieldCheck[]): void {
  const effectiveField = first(fields, 'effective_date') ? 'effective_date' : 'agreement_date';
  const effective = first(fields, effectiveField);
  const expiration = first(fields, 'expiration_date');
  const term = first(fields, 'term');
  if (!effective || !expiration || effective.value.length !== 10 || expiration.value.length !== 10) return;
  const label = effectiveField === 'effective_date' ? 'effective date' : 'agreement date';
  if (expiration.value <= effective.value) {
    out.push({
      code: 'expiration',
      severity: 'error',
      message: `expiration date ${expiration.value} is not after the ${label} ${effective.value}`,
      fields: ['expiration_date', effectiveField],
      ranges: [rangeOf('expiration_date', expiration), rangeOf(effectiveField, effective)],
    });
    return;
  }
  if (!term) return;
  const end = addDuration(effective.value, term.value);
  if (!end) return;
  // a term ending "on the day before the anniversary" is the same term
  const dayBefore = new Date(Date.parse(end) - 86_400_000).toISOString().slice(0, 10);
  if (end === expiration.value || dayBefore === expiration.value) return;
  out.push({
    code: 'term-expiration',
    severity: 'warning',
    message: `expiration date ${expiration.value} ≠ ${label} ${effective.value} + term ${term.value} = ${end}`,
    fields: ['expiration_date', effectiveField, 'term'],
    ranges: [rangeOf('expiration_date', expiration), rangeOf(effectiveField, effective), rangeOf('term', term)],
  });
}

/** IBAN and BIC: the chosen values, and IBAN- or BIC-shaped text after their labels that fails. */
function bankDetails(fields: Record<string, FieldValue[]>, doc: DocumentContext, out: FieldCheck[]): void {
  const iban = first(fields, 'iban');
  const candidates: (Range & { text: string })[] = iban ? [{ start: iban.start, end: iban.end, text: iban.text }] : [];
  if (!iban) {
    for (const m of doc.text.matchAll(
      /\bIBAN\b[\s:.#]{0,6}([A-Z]{2}[0-9O]{2}(?:[ ]?[A-Z0-9]{1,4}){3,9})(?![A-Za-z0-9])/g,
    )) {
      const start = (m.index ?? 0) + m[0].length - m[1].length;
      candidates.push({ start, end: start + m[1].length, text: m[1] });
    }
  }
  for (const c of candidates) {
    if (isValidIban(c.text)) continue;
    const fixed = ibanRepair(c.text);
    out.push({
      code: 'iban',
      severity: 'error',
      message: `IBAN ${c.text} fails the ISO 13616 check (mod 97 ≠ 1${fixed ? `; ${fixed} passes` : ''})`,
      fields: ['iban'],
      ranges: [{ start: c.start, end: c.end, field: 'iban' }],
      ...(fixed ? { suggestion: { field: 'iban', value: fixed.replace(/\s/g, ''), start: c.start, end: c.end } } : {}),
    });
  }
  const bic = first(fields, 'bic');
  if (bic && !isBicShaped(bic.value)) {
    out.push({
      code: 'bic',
      severity: 'error',
      message: `BIC ${bic.text} is not 8 or 11 characters of bank, country, location (and branch)`,
      fields: ['bic'],
      ranges: [rangeOf('bic', bic)],
    });
  }
}

const CONFUSED: Record<string, string[]> = {
  '0': ['O', 'D'],
  O: ['0'],
  '1': ['I', 'L'],
  I: ['1'],
  L: ['1'],
  '5': ['S'],
  S: ['5'],
  '8': ['B'],
  B: ['8'],
  '2': ['Z'],
  Z: ['2'],
  '6': ['G'],
  G: ['6'],
};

/** The one IBAN that a single OCR confusion (0/O, 1/I, 5/S, 8/B...) away passes the check, if exactly one does. */
function ibanRepair(text: string): string | undefined {
  const found = new Set<string>();
  const chars = [...text];
  chars.forEach((ch, i) => {
    for (const alt of CONFUSED[ch.toUpperCase()] ?? []) {
      const next = [...chars];
      next[i] = alt;
      const s = next.join('');
      if (isValidIban(s)) found.add(s);
    }
  });
  return found.size === 1 ? [...found][0] : undefined;
}

/** VAT identification numbers of the EU (and the UK, Switzerland, Norway): country prefix and shape. */
const VAT_FORMATS: Record<string, RegExp> = {
  AT: /^ATU\d{8}$/,
  BE: /^BE[01]\d{9}$/,
  BG: /^BG\d{9,10}$/,
  CY: /^CY\d{8}[A-Z]$/,
  CZ: /^CZ\d{8,10}$/,
  DE: /^DE\d{9}$/,
  DK: /^DK\d{8}$/,
  EE: /^EE\d{9}$/,
  EL: /^EL\d{9}$/,
  ES: /^ES[A-Z0-9]\d{7}[A-Z0-9]$/,
  FI: /^FI\d{8}$/,
  FR: /^FR[A-HJ-NP-Z0-9]{2}\d{9}$/,
  HR: /^HR\d{11}$/,
  HU: /^HU\d{8}$/,
  IE: /^IE\d{7}[A-W][A-I]?$|^IE\d[A-Z+*]\d{5}[A-W]$/,
  IT: /^IT\d{11}$/,
  LT: /^LT(?:\d{9}|\d{12})$/,
  LU: /^LU\d{8}$/,
  LV: /^LV\d{11}$/,
  MT: /^MT\d{8}$/,
  NL: /^NL\d{9}B\d{2}$/,
  PL: /^PL\d{10}$/,
  PT: /^PT\d{9}$/,
  RO: /^RO\d{2,10}$/,
  SE: /^SE\d{12}$/,
  SI: /^SI\d{8}$/,
  SK: /^SK\d{10}$/,
  GB: /^GB(?:\d{9}|\d{12}|GD\d{3}|HA\d{3})$/,
  XI: /^XI(?:\d{9}|\d{12})$/,
  CH: /^CHE\d{9}(?:MWST|TVA|IVA)?$/,
  NO: /^NO\d{9}(?:MVA)?$/,
};

function taxId(fields: Record<string, FieldValue[]>, out: FieldCheck[]): void {
  const id = first(fields, 'tax_id');
  if (!id) return;
  const compact = id.value.replace(/[\s.-]/g, '').toUpperCase();
  const format = VAT_FORMATS[compact.slice(0, 2)];
  if (!format || format.test(compact)) return;
  out.push({
    code: 'tax-id',
    severity: 'warning',
    message: `VAT id ${id.text} does not have the shape of a ${compact.slice(0, 2)} VAT number`,
    fields: ['tax_id'],
    ranges: [rangeOf('tax_id', id)],
  });
}

function currencies(doc: DocumentContext, out: FieldCheck[]): void {
  const seen = new Map<string, (Range & { field?: string })[]>();
  for (const m of doc.mentions) {
    if (m.label !== 'AMOUNT') continue;
    const c = doc.currencyIn(doc.text.slice(m.start, m.end));
    if (c) seen.set(c, [...(seen.get(c) ?? []), { start: m.start, end: m.end }]);
  }
  if (seen.size < 2) return;
  const list = [...seen].sort((a, b) => b[1].length - a[1].length);
  out.push({
    code: 'currency',
    severity: 'warning',
    message: `amounts in more than one currency: ${list.map(([c, r]) => `${c} (${r.length})`).join(', ')}`,
    fields: ['currency'],
    ranges: list.slice(1).flatMap(([, r]) => r),
  });
}

const WORDS_AND_FIGURES = /^(.*?)\s*\(\s*([^()]*\d[^()]*)\)\s*$|^([^()]*\d[^()]*?)\s*\(\s*([^()]+)\)\s*$/s;

/** An amount written in words and in figures (in one mention, or a total beside its words) with two values. */
function totalInWords(fields: Record<string, FieldValue[]>, doc: DocumentContext, out: FieldCheck[]): void {
  for (const m of doc.mentions) {
    if (m.label !== 'AMOUNT') continue;
    const text = doc.text.slice(m.start, m.end);
    const parts = WORDS_AND_FIGURES.exec(text);
    if (!parts) continue;
    const wordsPart = parts[1] ?? parts[4];
    const figuresPart = parts[2] ?? parts[3];
    const words = parseNumberWords(
      wordsPart
        .replace(
          /\b(?:(?:u\.s\.|us|united states)\s+)?(?:dollars?|euros?|pounds?(?:\s+sterling)?|ringgit|yen|yuan|rupees?|francs?)\b.*$/i,
          '',
        )
        .trim(),
    );
    const figures = normalizeAmount(figuresPart);
    if (words === undefined || !figures || Math.abs(words - figures.value) < 0.005) continue;
    const field = Object.entries(fields).find(([, vs]) =>
      vs.some((v) => v.start <= m.start && m.end <= v.end + 1 && v.end > m.start),
    )?.[0];
    out.push({
      code: 'total-words',
      severity: 'error',
      message: `"${doc.ft.surface({ start: m.start, end: m.end })}": in words ${words}, in figures ${figures.value}`,
      fields: field ? [field] : [],
      ranges: [{ start: m.start, end: m.end, ...(field ? { field } : {}) }],
    });
  }
  // "Amount in words: ..." lines on invoices, against the total
  const total = first(fields, 'total');
  if (!total) return;
  for (const m of doc.text.matchAll(/\b(?:amount|total|sum)\s+in\s+words\s*[:-]?\s*([A-Za-z][A-Za-z ,-]{3,200})/gi)) {
    const words = parseNumberWords(
      m[1]
        .replace(
          /\b(?:only|and\s+\d+\/100|cents?.*|(?:u\.s\.\s+)?(?:dollars?|euros?|pounds?|ringgit|francs?)\b.*)$/i,
          '',
        )
        .trim(),
    );
    if (words === undefined || Math.abs(words - Math.trunc(Number(total.value))) < 0.5) continue;
    const start = (m.index ?? 0) + m[0].length - m[1].length;
    out.push({
      code: 'total-words',
      severity: 'error',
      message: `total ${total.value} ≠ total in words ${words}`,
      fields: ['total'],
      ranges: [rangeOf('total', total), { start, end: start + m[1].trimEnd().length }],
    });
  }
}
