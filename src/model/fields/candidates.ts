// The candidates for a field: every mention that could fill it, read as the field's value, with
// the features the chooser scores it by. Dates, durations, amounts, rates and identifiers are
// mentions of their labels; governing law is the places of one clause together ("England and
// Wales"); a party is a cluster of mentions (parties.ts); on receipts and invoices a seller or
// buyer may also be a line near the top, and an address a run of lines, since the tagger's spans
// do not always cover the whole name or address a document prints.
import type { Entity, Range, TextLayout } from '../core/types';
import { currencyOf, dateOrderOf, normalizeAmount, type DateOrder } from '../rules/normalize';
import { addWords, bucket, contextFeatures, type Features } from './features';
import { gatherMentions, type Mention } from './mentions';
import { partyClusters, type Alias, type PartyCluster } from './parties';
import type { DocumentKind } from '../rules/document-kind';
import type { FieldSpec } from './schema';
import { FieldText, wordsOf } from './text';
import { dollarIn, normalizeFieldValue, partyNameRange } from './values';

export interface Candidate extends Range {
  /** the surface, line breaks collapsed */
  text: string;
  /** the normalised value */
  value: string;
  currency?: string;
  label: string;
  source: Mention['source'] | 'lines';
  /** the tagger's confidence in the mention (1 for rule spans and lines) */
  confidence: number;
  /** the other mentions of the same value: a party's short names, a date's repeats */
  mentions: Range[];
  /** a party's defined aliases */
  aliases?: Alias[];
  features: Features;
}

/**
 * What a bare "$" stands for in a document printed where the dollar is not the US dollar's: a
 * Malaysian company (SDN BHD, S/B, amounts in RM) prints "$" for the ringgit, a Singaporean one
 * (PTE LTD) for its own dollar; elsewhere undefined (the US dollar).
 */
function dollarOf(text: string): string | undefined {
  if (/\b(?:SDN\.?\s*BHD|BERHAD|S\/B)\b|\bRM\s?\d/i.test(text)) return 'MYR';
  if (/\bPTE\.?\s*LTD\b/i.test(text)) return 'SGD';
  return undefined;
}

/** One document as the field stage sees it. */
export class DocumentContext {
  readonly ft: FieldText;
  readonly mentions: Mention[];
  readonly dateOrder: DateOrder | undefined;
  /** what a bare "$" stands for here when not the US dollar: a Malaysian receipt's "$8.20" */
  readonly dollar: string | undefined;
  private clusters?: PartyCluster[];

  constructor(
    text: string,
    readonly kind: DocumentKind,
    entities?: readonly Entity[],
    layout?: TextLayout,
  ) {
    this.ft = new FieldText(text, layout);
    this.mentions = gatherMentions(text, entities);
    const dates = this.mentions.filter((m) => m.label === 'DATE').map((m) => text.slice(m.start, m.end));
    this.dateOrder = dateOrderOf(dates) ?? (/\bRM\s?\d|\b(?:SDN|BHD|GST)\b|€|£/.test(text) ? 'DMY' : undefined);
    this.dollar = dollarOf(text);
  }

  /** The currency an amount's surface shows, a bare "$" read as this document's dollar. */
  currencyIn(surface: string): string | undefined {
    const c = currencyOf(surface);
    return c === 'USD' ? dollarIn(surface, this.dollar) : c;
  }

  get text(): string {
    return this.ft.text;
  }

  /** contracts are prose: positions count in characters, not lines */
  get prose(): boolean {
    return this.kind === 'contract';
  }

  parties(): PartyCluster[] {
    this.clusters ??= partyClusters(this.ft, this.mentions);
    return this.clusters;
  }

  /** The line above a mention when the mention starts its line (where receipts print the currency). */
  lineAbove(at: number): string | undefined {
    const i = this.ft.lineAt(at);
    const line = this.ft.lines[i];
    if (!line || line.start !== at || i === 0) return undefined;
    return this.ft.lineText(i - 1);
  }

  /** Labels of the mentions overlapping a range. */
  labelsIn(r: Range): Set<string> {
    const out = new Set<string>();
    for (const m of this.mentions) if (m.start < r.end && r.start < m.end) out.add(m.label);
    return out;
  }

  /** Share of a range covered by mentions of a label. */
  covered(r: Range, label: string): number {
    let n = 0;
    for (const m of this.mentions) {
      if (m.label !== label) continue;
      n += Math.max(0, Math.min(r.end, m.end) - Math.max(r.start, m.start));
    }
    return Math.min(1, n / Math.max(1, r.end - r.start));
  }
}

/** The candidates for one field of a document. */
export function candidatesFor(spec: FieldSpec, doc: DocumentContext): Candidate[] {
  switch (spec.type) {
    case 'party':
      return partyCandidates(spec, doc);
    case 'address':
      return addressCandidates(spec, doc);
    case 'law':
      return lawCandidates(spec, doc);
    case 'currency':
      return [];
    default:
      return mentionCandidates(spec, doc);
  }
}

function confidenceFeatures(f: Features, confidence: number, source: string, label: string): void {
  f.set(`src:${source}`, 1);
  f.set(`label:${label}`, 1);
  f.set('conf', confidence);
  if (confidence < 0.5) f.set('conf<0.5', 1);
}

/** Order and repetition features over a field's candidates (sorted by start). */
function orderFeatures(cands: Candidate[]): void {
  const counts = new Map<string, number>();
  for (const c of cands) counts.set(c.value, (counts.get(c.value) ?? 0) + 1);
  const firstOf = new Map<string, number>();
  for (const c of cands) if (!firstOf.has(c.value)) firstOf.set(c.value, firstOf.size);
  cands.forEach((c, i) => {
    c.features.set(`ord:${Math.min(i, 3)}`, 1);
    if (i === cands.length - 1) c.features.set('ordLast', 1);
    c.features.set(`ordValue:${Math.min(firstOf.get(c.value) ?? 0, 3)}`, 1);
    const n = counts.get(c.value) ?? 1;
    c.features.set(`rep:${Math.min(n, 4)}`, 1);
    c.mentions = cands.filter((d) => d.value === c.value).map((d) => ({ start: d.start, end: d.end }));
  });
}

function mentionCandidates(spec: FieldSpec, doc: DocumentContext): Candidate[] {
  const ft = doc.ft;
  const out: Candidate[] = [];
  for (const m of doc.mentions) {
    if (!spec.labels.includes(m.label)) continue;
    const raw = doc.text.slice(m.start, m.end);
    const v = normalizeFieldValue(spec.type, raw, {
      dateOrder: doc.dateOrder,
      lineAbove: doc.lineAbove(m.start),
      dollar: doc.dollar,
    });
    if (!v) continue;
    // an amount's text is its figures, with a currency only where it is written onto them
    const r = spec.type === 'amount' ? figures(doc.text, m) : m;
    const f = contextFeatures(ft, m.start, m.end, doc.prose);
    confidenceFeatures(f, m.confidence, m.source, m.label);
    out.push({
      start: r.start,
      end: r.end,
      text: ft.surface(r),
      ...v,
      label: m.label,
      source: m.source,
      confidence: m.confidence,
      mentions: [],
      features: f,
    });
  }
  orderFeatures(out);
  if (spec.type === 'amount') amountFeatures(out, doc);
  if (spec.type === 'date') dateFeatures(out, doc);
  if (spec.type === 'duration') durationFeatures(out);
  return out;
}

const SPACED_CURRENCY_BEFORE = /^(?:RM|MYR|S\$|US\$|HK\$|[A-Z]{3}|Rs\.?|Rp\.?|[$€£¥₹])[ \t\u00a0]+(?=[-\d.])/;
const SPACED_CURRENCY_AFTER = /(?<=\d)[ \t\u00a0]+(?:[A-Z]{3}|RM|[$€£¥₹])$/;

/**
 * The figures of an amount mention: a currency set apart by a space (`RM 15.90`, `EUR 4.872,50`,
 * `1 250,00 CHF`) is left out, one written onto the number (`RM9.00`, `$8.20`) stays: the value's
 * currency is given apart, and receipts' annotators copy the figures that way.
 */
export function figures(text: string, m: Range): Range {
  const s = text.slice(m.start, m.end);
  const before = SPACED_CURRENCY_BEFORE.exec(s);
  const after = SPACED_CURRENCY_AFTER.exec(s);
  const start = m.start + (before ? before[0].length : 0);
  const end = m.end - (after ? after[0].length : 0);
  return start < end ? { start, end } : m;
}

function dateFeatures(cands: Candidate[], doc: DocumentContext): void {
  const full = cands.filter((c) => c.value.length === 10).map((c) => c.value);
  const min = full.reduce((a, b) => (b < a ? b : a), '9999');
  const max = full.reduce((a, b) => (b > a ? b : a), '0000');
  for (const c of cands) {
    if (c.value.length !== 10) c.features.set('date:month', 1);
    if (c.value === min) c.features.set('date:earliest', 1);
    if (c.value === max) c.features.set('date:latest', 1);
    if (/^\s*\d{1,2}:\d{2}/.test(doc.ft.lineAfter(c.end))) c.features.set('date:time', 1);
    if (/^\d+$/.test(c.text.replace(/\D/g, '')) && /^[\d\s/.-]+$/.test(c.text)) c.features.set('date:numeric', 1);
  }
}

function durationFeatures(cands: Candidate[]): void {
  for (const c of cands) {
    const m = /^PT?(\d+(?:\.\d+)?)([A-Z])$/.exec(c.value);
    if (!m) continue;
    c.features.set(`dur:${m[2]}`, 1);
    const days = Number(m[1]) * ({ D: 1, W: 7, M: 30, Y: 365, H: 1 / 24 }[m[2]] ?? 1);
    c.features.set(`dur:${bucket(days, [8, 31, 91, 181, 366, 1096])}`, 1);
  }
}

function amountFeatures(cands: Candidate[], doc: DocumentContext): void {
  const value = (c: Candidate) => Number(c.value);
  const values = [...new Set(cands.map(value))].sort((a, b) => b - a);
  const has = (c: Candidate, fam: string) => ['LLf', 'PLf', 'CLf', 'Lf'].some((p) => c.features.has(`${p}:${fam}`));
  const cash = cands.filter((c) => has(c, 'cash') && !has(c, 'total')).map(value);
  const change = cands.filter((c) => has(c, 'change')).map(value);
  const payable = new Set<number>();
  for (const a of cash) for (const b of change) payable.add(Math.round((a - b) * 100) / 100);
  const notPaid = cands.filter((c) => !has(c, 'cash') && !has(c, 'change')).map(value);
  const maxNotPaid = notPaid.length ? Math.max(...notPaid) : undefined;
  for (const c of cands) {
    const v = value(c);
    const rank = values.indexOf(v);
    c.features.set(`amt:rank${Math.min(rank, 3)}`, 1);
    if (v === 0) c.features.set('amt:zero', 1);
    if (v < 0) c.features.set('amt:negative', 1);
    if (c.currency) c.features.set('amt:currency', 1);
    if (/[.,]\d{2}$/.test(c.text)) c.features.set('amt:cents', 1);
    if (payable.has(Math.round(v * 100) / 100)) c.features.set('amt:cashMinusChange', 1);
    if (maxNotPaid !== undefined && v === maxNotPaid) c.features.set('amt:maxNotPaid', 1);
    // a value printed after the last line with a total keyword
    const line = doc.ft.lineAt(c.start);
    if (line >= doc.ft.lines.length - 3) c.features.set('amt:bottom', 1);
  }
}

/** Places of one governing-law clause together: `England` and `Wales` are one value. */
function lawCandidates(spec: FieldSpec, doc: DocumentContext): Candidate[] {
  const ft = doc.ft;
  const places = doc.mentions.filter((m) => spec.labels.includes(m.label));
  const groups: Mention[][] = [];
  for (const m of places) {
    const last = groups[groups.length - 1];
    const gap = last ? doc.text.slice(last[last.length - 1].end, m.start) : '';
    if (last && gap.length <= 40 && /^[\s,;]*(?:and|or|&)?[\s,;]*(?:the\s+)?(?:laws?\s+of\s+)?(?:the\s+)?$/i.test(gap))
      last.push(m);
    else groups.push([m]);
  }
  const out: Candidate[] = [];
  for (const g of groups) {
    const r = { start: g[0].start, end: g[g.length - 1].end };
    const names = g
      .map((m) => normalizeFieldValue('law', doc.text.slice(m.start, m.end))?.value)
      .filter((v): v is string => !!v);
    if (names.length === 0) continue;
    const value = [...new Set(names)].join(' and ');
    const f = contextFeatures(ft, r.start, r.end, doc.prose);
    const conf = Math.min(...g.map((m) => m.confidence));
    confidenceFeatures(f, conf, g[0].source, g[0].label);
    f.set(`law:places${Math.min(g.length, 3)}`, 1);
    out.push({
      ...r,
      text: ft.surface(r),
      value,
      label: g[0].label,
      source: g[0].source,
      confidence: conf,
      mentions: [],
      features: f,
    });
  }
  orderFeatures(out);
  return out;
}

const ROLE_WORDS =
  /^(?:the\s+)?(?:company|corporation|party|agent|distributor|licensee|licensor|customer|supplier|manufacturer|consultant|sponsor|bank|client|owner|franchisee|franchisor|reseller|shipper|carrier|operator|buyer|seller|purchaser|vendor|contractor|developer|lender|borrower|issuer|guarantor|investor|partner|provider|recipient|landlord|tenant|lessor|lessee|employer|employee|executive|member|parent|subsidiary|trustee|servicer|depositor|collaborator|licensing\s+agent|promoter|talent|artist|publisher|producer|endorser)$/i;
const LEGAL_WORDS =
  /\b(?:inc|incorporated|corp|corporation|ltd|limited|llc|l\.l\.c|lp|l\.p|llp|plc|gmbh|ag|s\.a|sa|n\.v|b\.v|co|company|pte|pty|sdn|bhd|s\/b|kg|ug|sarl|s\.r\.l|spa|s\.p\.a|oy|ab|as|bv|nv)\b\.?/i;
const BUSINESS_WORDS =
  /\b(?:enterprise|enterprises|trading|restaurant|restoran|cafe|café|kedai|store|stores|mart|market|supermarket|shop|bakery|pharmacy|farmasi|hardware|stationery|bookstore|books|food|foods|services|service|industries|holdings|group|marketing|station|centre|center|kitchen|motor|electrical|medical|clinic|hotel|bistro|bar|deli|hypermarket|minimarket|mini\s+market|sdn|bhd)\b/i;
const SIGNATURE_BEFORE = /(?:IN WITNESS WHEREOF|WITNESS WHEREOF|SIGNED|Signature|By:\s*$|\n\s*By\s*:)/i;

function partyCandidates(spec: FieldSpec, doc: DocumentContext): Candidate[] {
  const ft = doc.ft;
  const text = doc.text;
  const clusters = doc.parties();
  const out: Candidate[] = [];
  clusters.forEach((c, i) => {
    const f = contextFeatures(ft, c.start, c.end, doc.prose);
    const conf = Math.max(...c.mentions.map((m) => m.confidence));
    confidenceFeatures(f, conf, c.mentions.some((m) => m.source !== 'document') ? 'model' : 'document', 'PARTY');
    const first = c.mentions[0].start;
    f.set(`pc:first:${bucket(first, [300, 1000, 2500, 6000, 20000])}`, 1);
    f.set(`pc:def:${bucket(c.start, [300, 1000, 2500, 6000, 20000])}`, 1);
    f.set(`pc:order:${Math.min(i, 5)}`, 1);
    f.set(`pc:count:${bucket(c.mentions.length, [2, 4, 10, 30])}`, 1);
    f.set('pc:logCount', Math.log1p(c.mentions.length));
    if (c.aliases.length) f.set('pc:defined', 1);
    if (c.aliases.some((a) => ROLE_WORDS.test(a.text))) f.set('pc:roleAlias', 1);
    if (c.aliases.some((a) => !ROLE_WORDS.test(a.text))) f.set('pc:nameAlias', 1);
    if (LEGAL_WORDS.test(c.name)) f.set('pc:legal', 1);
    const words = c.name.split(/\s+/).length;
    f.set(`pc:words:${bucket(words, [2, 3, 5, 8, 12])}`, 1);
    if (c.name === c.name.toUpperCase()) f.set('pc:upper', 1);
    if (
      /\b(?:a|an)\s+(?:[\w-]+\s+){0,4}(?:corporation|company|partnership|limited liability|llc)\b/i.test(
        text.slice(c.end, c.end + 80),
      )
    )
      f.set('pc:described', 1);
    if (c.mentions.some((m) => SIGNATURE_BEFORE.test(text.slice(Math.max(0, m.start - 300), m.start))))
      f.set('pc:signature', 1);
    if (c.mentions.some((m) => /^\s*\n?\s*By\s*:/i.test(text.slice(m.end, m.end + 40)))) f.set('pc:byAfter', 1);
    if (c.mentions.every((m) => m.source === 'document')) f.set('pc:lentOnly', 1);
    out.push({
      start: c.start,
      end: c.end,
      text: c.name,
      value: normalizeFieldValue('party', c.name)?.value ?? c.name,
      label: 'PARTY',
      source: c.mentions.some((m) => m.source !== 'document') ? 'model' : 'document',
      confidence: conf,
      mentions: c.mentions.map((m) => ({ start: m.start, end: m.end })),
      aliases: c.aliases,
      features: f,
    });
  });
  if (doc.kind === 'contract') return out;
  // receipts and invoices: the lines near the top, alone or two together
  const lines = ft.lines.slice(0, 15);
  for (let i = 0; i < lines.length; i++) {
    for (let n = 1; n <= 2 && i + n <= lines.length; n++) {
      const r = { start: lines[i].start, end: lines[i + n - 1].end };
      const raw = text.slice(r.start, r.end);
      const [a, b] = partyNameRange(raw);
      const name = { start: r.start + a, end: r.start + b };
      if (!/\p{L}{2}/u.test(text.slice(name.start, name.end))) continue;
      const f = lineFeatures(doc, i, n, name);
      f.set('ln:cut', b < raw.length ? 1 : 0);
      const known = out.find((c) => c.start === name.start && c.end === name.end);
      if (known) {
        for (const [k, v] of f) if (k.startsWith('ln:') || k.startsWith('LW')) known.features.set(k, v);
        continue;
      }
      const surface = ft.surface(name);
      out.push({
        ...name,
        text: surface,
        value: surface,
        label: 'LINE',
        source: 'lines',
        confidence: 1,
        mentions: [name],
        features: f,
      });
    }
  }
  return out;
}

const CONTACT = /\b(?:tel|phone|fax|e-?mail|www|http|h\/p|mobile|hp)\b|@/i;
const ADDRESS_WORDS =
  /\b(?:jalan|jln|lorong|lrg|taman|tmn|lot|no|unit|level|lvl|floor|flr|blok|block|blk|suite|street|st|road|rd|avenue|ave|lane|drive|dr|way|boulevard|blvd|strasse|straße|str|weg|platz|allee|gasse|rue|bandar|seksyen|persiaran|kampung|kg|plaza|wisma|menara|building|bldg|tower|industrial|park|po\s+box|p\.o\.)\b/gi;
const POSTCODE = /\b\d{5}\b|\b\d{4}\b(?=\s+\p{Lu})|\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b|\b\d{3}\s?\d{2}\b/u;
const TAX_WORDS = /\b(?:gst|sst|vat|tax|reg(?:istration)?\.?\s*no|invoice|receipt|co\.?\s*no)\b/i;
const REGISTRATION_LINE =
  /^\(?\s*(?:co\.?\s*(?:reg\.?\s*)?no\.?|company\s+no\.?|roc\s+no\.?|reg\.?\s*no\.?)?\s*[:.]?\s*\d{3,}[-\s]?[A-Z]\s*\)?$/i;

function lineFeatures(doc: DocumentContext, i: number, n: number, name: Range): Features {
  const ft = doc.ft;
  const f = contextFeatures(ft, name.start, name.end, false);
  const surface = doc.text.slice(name.start, name.end);
  f.set(`ln:idx:${Math.min(i, 8)}`, 1);
  // the first line of a block: after a blank line, or the document's first
  if (i === 0 || /\n[ \t]*\r?\n/.test(doc.text.slice(ft.lines[i - 1].end, ft.lines[i].start)))
    f.set('ln:blockStart', 1);
  if (n === 2) f.set('ln:pair', 1);
  const letters = surface.replace(/[^\p{L}]/gu, '');
  if (letters && letters === letters.toUpperCase()) f.set('ln:upper', 1);
  if (/\d/.test(surface)) f.set('ln:digits', 1);
  if (LEGAL_WORDS.test(surface)) f.set('ln:legal', 1);
  if (BUSINESS_WORDS.test(surface)) f.set('ln:business', 1);
  if (CONTACT.test(surface)) f.set('ln:contact', 1);
  if ((surface.match(ADDRESS_WORDS) ?? []).length) f.set('ln:addressWords', 1);
  f.set(`ln:words:${bucket(surface.split(/\s+/).length, [2, 3, 5, 8])}`, 1);
  const party = doc.covered(name, 'PARTY');
  f.set(`ln:party:${party >= 0.95 ? 'all' : party >= 0.5 ? 'most' : party > 0 ? 'some' : 'none'}`, 1);
  if (doc.covered(name, 'ADDRESS') > 0.3) f.set('ln:address', 1);
  const next = ft.lineText(i + n);
  if (REGISTRATION_LINE.test(next)) f.set('ln:nextRegistration', 1);
  const nextLine = ft.lines[i + n];
  if (nextLine && doc.covered(nextLine, 'ADDRESS') > 0.5) f.set('ln:nextAddress', 1);
  if ((next.match(ADDRESS_WORDS) ?? []).length) f.set('ln:nextAddressWords', 1);
  if (i > 0) addWords(f, 'ln:prev', wordsOf(ft.lineText(i - 1)).slice(-4));
  addWords(f, 'LW', wordsOf(surface).slice(0, 8));
  return f;
}

/**
 * A comma set apart on both sides (`JALAN KPB 6 , KAWASAN`, as OCR often reads a receipt) is
 * written onto the word before it, as the address is written; `X ,U13` stays as printed.
 */
export function attachCommas(s: string): string {
  return s.replace(/(\S)[ \t]+,(?=\s|$)/g, '$1,');
}

/** Addresses: the ADDRESS mentions, and runs of one to five lines near the top or around them. */
function addressCandidates(spec: FieldSpec, doc: DocumentContext): Candidate[] {
  const ft = doc.ft;
  const starts = new Set<number>();
  for (let i = 0; i < Math.min(ft.lines.length, 20); i++) starts.add(i);
  const spans = doc.mentions.filter((m) => spec.labels.includes(m.label));
  for (const m of spans) {
    const a = ft.lineAt(m.start);
    for (const k of [a - 1, a, a + 1]) if (k >= 0 && k < ft.lines.length) starts.add(k);
  }
  const out: Candidate[] = [];
  const seen = new Set<string>();
  const add = (r: Range, lines: [number, number] | undefined, m?: Mention) => {
    const key = `${r.start}:${r.end}`;
    if (seen.has(key)) return;
    seen.add(key);
    const surface = attachCommas(ft.surface(r));
    if (!/\p{L}/u.test(surface)) return;
    const f = contextFeatures(ft, r.start, r.end, doc.prose);
    confidenceFeatures(f, m?.confidence ?? 1, m?.source ?? 'lines', 'ADDRESS');
    addressFeatures(doc, f, r, lines, spans);
    out.push({
      ...r,
      text: surface,
      value: surface,
      label: 'ADDRESS',
      source: m?.source ?? 'lines',
      confidence: m?.confidence ?? 1,
      mentions: [r],
      features: f,
    });
  };
  for (const m of spans) {
    const a = ft.lineAt(m.start);
    const b = ft.lineAt(Math.max(m.start, m.end - 1));
    const whole = ft.lines[a].start === m.start && ft.lines[b].end === m.end;
    add(m, whole ? [a, b] : undefined, m);
  }
  for (const i of [...starts].sort((x, y) => x - y)) {
    for (let n = 1; n <= 5 && i + n <= ft.lines.length; n++)
      add({ start: ft.lines[i].start, end: ft.lines[i + n - 1].end }, [i, i + n - 1]);
  }
  return out;
}

function addressFeatures(
  doc: DocumentContext,
  f: Features,
  r: Range,
  lines: [number, number] | undefined,
  spans: Mention[],
): void {
  const ft = doc.ft;
  const text = doc.text.slice(r.start, r.end);
  let best = 0;
  for (const m of spans) {
    const inter = Math.max(0, Math.min(r.end, m.end) - Math.max(r.start, m.start));
    const union = Math.max(r.end, m.end) - Math.min(r.start, m.start);
    best = Math.max(best, inter / union);
  }
  f.set(`ad:iou:${best >= 0.99 ? 'exact' : best >= 0.8 ? 'high' : best >= 0.5 ? 'mid' : best > 0 ? 'low' : 'none'}`, 1);
  const nLines = text.split('\n').length;
  f.set(`ad:lines:${Math.min(nLines, 5)}`, 1);
  if (!lines) f.set('ad:inline', 1);
  const words = (text.match(ADDRESS_WORDS) ?? []).length;
  f.set(`ad:words:${Math.min(words, 3)}`, 1);
  if (POSTCODE.test(text)) f.set('ad:postcode', 1);
  const firstLine = text.split('\n')[0];
  const lastLine = text.split('\n').pop() ?? '';
  if (/^\s*(?:\d|no\b|lot\b|unit\b|level\b|blk\b|block\b|suite\b)/i.test(firstLine)) f.set('ad:firstNumber', 1);
  if (POSTCODE.test(lastLine)) f.set('ad:lastPostcode', 1);
  if (/[.,]\s*$/.test(lastLine)) f.set(`ad:lastEnds${lastLine.trim().slice(-1)}`, 1);
  if (CONTACT.test(text)) f.set('ad:contact', 1);
  const inside = doc.labelsIn(r);
  for (const l of ['PARTY', 'DATE', 'AMOUNT', 'TAX_ID', 'INVOICE_ID']) if (inside.has(l)) f.set(`ad:has:${l}`, 1);
  if (text.split('\n').some((l) => REGISTRATION_LINE.test(l.trim()))) f.set('ad:registration', 1);
  if (TAX_WORDS.test(text)) f.set('ad:taxWords', 1);
  if (lines) {
    f.set(`ad:start:${Math.min(lines[0], 10)}`, 1);
    if (doc.covered(ft.lines[lines[0]], 'PARTY') > 0.5) f.set('ad:firstParty', 1);
    const before = ft.lines[lines[0] - 1];
    const after = ft.lines[lines[1] + 1];
    if (before) {
      addWords(f, 'AP', wordsOf(ft.lineText(lines[0] - 1)).slice(-4));
      if (doc.covered(before, 'PARTY') > 0.5) f.set('ad:afterParty', 1);
      if (REGISTRATION_LINE.test(ft.lineText(lines[0] - 1))) f.set('ad:afterRegistration', 1);
      if (TAX_WORDS.test(ft.lineText(lines[0] - 1))) f.set('ad:afterTax', 1);
    } else f.set('ad:top', 1);
    if (after) {
      const t = ft.lineText(lines[1] + 1);
      addWords(f, 'AN', wordsOf(t).slice(0, 4));
      if (CONTACT.test(t)) f.set('ad:beforeContact', 1);
      if (TAX_WORDS.test(t)) f.set('ad:beforeTax', 1);
      if (doc.covered(after, 'ADDRESS') > 0.5) f.set('ad:beforeAddress', 1);
      if ((t.match(ADDRESS_WORDS) ?? []).length || POSTCODE.test(t)) f.set('ad:beforeAddressLike', 1);
    }
  }
}

/** A money mention's currency (from the mention or the line above it). */
export function amountCurrency(doc: DocumentContext, m: Range): string | undefined {
  const v = normalizeFieldValue('amount', doc.text.slice(m.start, m.end), {
    lineAbove: doc.lineAbove(m.start),
    dollar: doc.dollar,
  });
  return v?.currency ?? normalizeAmount(doc.text.slice(m.start, m.end))?.currency;
}
