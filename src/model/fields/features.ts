// What the field chooser sees of a candidate: the words around it (in its sentence, on its line,
// on the label line above a receipt's value), families of keywords ("effective", "total",
// "cash", "notice"...), its place in the document and among the other candidates, how often
// its value recurs, and facts of its type (the largest amount, the earliest date, a party's
// definition and signature block, an address's first and last line). Features are named
// strings with a value (1 for a fact); the chooser learns a weight per field and feature.
import { FieldText, wordsOf } from './text';

export type Features = Map<string, number>;

/** Keyword families: a feature fires for the family when any of its words is near. */
const FAMILIES: [string, RegExp][] = [
  ['effective', /^(?:effective|effectiveness|commence\w*|start\w*|begin\w*)$/],
  ['dated', /^(?:dated|made|entered|executed|signed|day|date)$/],
  ['expire', /^(?:expir\w*|terminat\w*|until|through|ends?|ending)$/],
  ['term', /^(?:term|terms|period|duration)$/],
  ['renew', /^(?:renew\w*|successive|additional|extend\w*|extension|automatically)$/],
  ['notice', /^(?:notice|prior|written|notify|notif\w*|advance)$/],
  ['total', /^(?:total|totals|grand|amount|amt|payable|sum)$/],
  ['subtotal', /^(?:sub-?total|subtot|net|nett|excl|excluding|before)$/],
  ['tax', /^(?:tax|gst|vat|sst|mwst|tva|iva|hst|ppn|service|svc)$/],
  ['cash', /^(?:cash|tender\w*|paid|payment|visa|master\w*|card|credit|debit|received)$/],
  ['change', /^(?:change|chg|balance|bal)$/],
  ['round', /^(?:round\w*|adj\w*|rounded)$/],
  ['discount', /^(?:disc\w*|savings?|promo\w*|voucher|less)$/],
  ['item', /^(?:qty|quantity|price|unit|u\/p|pcs|pc|x|each|items?)$/],
  ['due', /^(?:due|payable|pay|by|within|latest)$/],
  ['document', /^(?:invoice|inv|bill|receipt|document|doc|slip|no|number)$/],
  ['law', /^(?:governed|governing|construed|construction|laws?|interpret\w*|accordance)$/],
  ['venue', /^(?:courts?|jurisdiction|venue|arbitration|forum|submit\w*|located|sitting)$/],
  ['buyer', /^(?:bill|billed|sold|ship|shipped|customer|client|buyer|attn|attention|recipient|purchaser)$/],
  ['seller', /^(?:from|seller|supplier|vendor|issued|remit|payee)$/],
  ['contact', /^(?:tel|phone|fax|email|e-mail|www|http|hp|h\/p|mobile)$/],
  ['signature', /^(?:by|name|title|signature|witness|whereof|signed)$/],
  ['between', /^(?:between|among|amongst|and)$/],
];

export function addWords(f: Features, prefix: string, words: readonly string[]): void {
  for (const w of words) {
    f.set(`${prefix}:${w}`, 1);
    for (const [name, re] of FAMILIES) if (re.test(w)) f.set(`${prefix}f:${name}`, 1);
  }
}

export function bucket(n: number, edges: readonly number[]): string {
  for (const e of edges) if (n < e) return `<${e}`;
  return `>=${edges[edges.length - 1]}`;
}

/** A line of a receipt that holds only a number (a value under its label). */
const NUMBER_LINE = /^(?:RM|S\$|US\$|[$€£(-])?\s*-?[\d.,]*\d[\d.,]*\s*(?:[A-Z]{1,3}|RM)?\s*\)?$/;
/** A line that holds only a currency: a column header ("RM", "(RM)", "$"). */
const CURRENCY_LINE = /^\(?(?:RM|MYR|SGD|USD|EUR|S\$|[$€£])\)?\s*:?$/;

/** A line that holds only punctuation: the ":" OCR reads apart between a label and its value. */
const PUNCTUATION_LINE = /^[\s:;.=*~_-]*$/;

const isNumberLine = (t: string) => NUMBER_LINE.test(t);
/** A line between a label and its value that is neither: a currency header or a colon alone. */
const isFillerLine = (t: string) => CURRENCY_LINE.test(t) || PUNCTUATION_LINE.test(t);

/** The nearest line above `lineIndex` that is not a number, a currency or punctuation alone, and how far up it is. */
export function labelLineAbove(ft: FieldText, lineIndex: number): { text: string; distance: number } | undefined {
  for (let k = 1; k <= 8 && lineIndex - k >= 0; k++) {
    const t = ft.lineText(lineIndex - k);
    if (!isNumberLine(t) && !isFillerLine(t)) return { text: t, distance: k };
  }
  return undefined;
}

/**
 * The label of a value in a receipt's column layout: labels stacked one per line
 * (`TOTAL` / `CASH` / `CHANGE`), maybe currency headers, then the values one per line in the
 * same order (`3.70` / `10.00` / `6.30`). The value's label is the one at its place, counted
 * from the bottom of both stacks. Undefined unless the line is such a value among two or more.
 */
export function columnLabel(ft: FieldText, lineIndex: number): string | undefined {
  if (!isNumberLine(ft.lineText(lineIndex))) return undefined;
  let a = lineIndex;
  while (a > 0 && isNumberLine(ft.lineText(a - 1))) a--;
  let b = lineIndex;
  while (b + 1 < ft.lines.length && isNumberLine(ft.lineText(b + 1))) b++;
  const size = b - a + 1;
  if (size < 2) return undefined;
  let k = a - 1;
  while (k >= 0 && isFillerLine(ft.lineText(k))) k--;
  const labels: string[] = [];
  for (; k >= 0 && labels.length < size && !isNumberLine(ft.lineText(k)); k--)
    if (!isFillerLine(ft.lineText(k))) labels.unshift(ft.lineText(k));
  if (labels.length < size) return undefined;
  return labels[lineIndex - a];
}

/**
 * Features every candidate has: its context words, keyword families, position in the document
 * and on its line. `at`/`end`: the mention the candidate is read from.
 */
export function contextFeatures(ft: FieldText, at: number, end: number, prose: boolean): Features {
  const f: Features = new Map([['bias', 1]]);
  const line = ft.lineAt(at);
  if (prose) {
    const before = ft.wordsBefore(at, 8);
    addWords(f, 'L', before);
    if (before.length) f.set(`L1:${before[before.length - 1]}`, 1);
    const after = ft.wordsAfter(end, 5);
    addWords(f, 'R', after);
    if (after.length) f.set(`R1:${after[0]}`, 1);
  } else {
    // one field per line: the words after it on its line, and on the next line
    addWords(f, 'LR', wordsOf(ft.lineAfter(end)).slice(0, 4));
    const next = ft.lineAt(end) + 1;
    if (next < ft.lines.length && ft.lines[next].start >= end)
      addWords(f, 'NL', wordsOf(ft.lineText(next)).slice(0, 3));
  }
  const head = wordsOf(ft.lineBefore(at)).slice(-5);
  addWords(f, 'LL', head);
  if (head.length === 0) f.set('lineStart', 1);
  const tail = ft.lineAfter(end);
  if (head.length === 0 && !/[\p{L}\p{N}]/u.test(tail)) f.set('lineAlone', 1);
  const label = labelLineAbove(ft, line);
  if (label && head.length === 0) {
    addWords(f, 'PL', wordsOf(label.text).slice(-5));
    f.set(`PLd:${Math.min(label.distance, 3)}`, 1);
    const column = columnLabel(ft, line);
    if (column !== undefined) addWords(f, 'CL', wordsOf(column).slice(-5));
  }
  // a value read by OCR is only as good as the reading: a line of specks is no seller
  const read = ft.readConfidence({ start: at, end });
  if (read) {
    f.set('ocr:mean', read.mean);
    f.set(`ocr:min:${read.min < 0.5 ? 'low' : read.min < 0.8 ? 'fair' : 'sure'}`, 1);
  }
  // position: characters from the start (contracts), lines from the start and the end (receipts)
  const n = ft.text.length;
  f.set(`pos:${bucket(at, [200, 600, 1500, 4000, 10000, 30000])}`, 1);
  f.set(`rel:${Math.min(9, Math.floor((10 * at) / Math.max(1, n)))}`, 1);
  if (!prose) {
    f.set(`line:${bucket(line, [1, 2, 3, 4, 6, 9, 14, 20, 30])}`, 1);
    f.set(`lineEnd:${bucket(ft.lines.length - 1 - line, [1, 2, 4, 7, 11, 16, 25])}`, 1);
  }
  return f;
}
