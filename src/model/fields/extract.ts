// From a document's text (and the entities the tagger found in it) to the values a user files:
// the kind of document, each field's value(s) — normalised, with the surface as printed, a
// confidence, the range in the text and the page — and the checks of those values against each
// other. Pure and synchronous: the CLI tags first and passes the entities, the editor passes
// the entities it already shows; without entities the rule annotators' mentions are used.
import type { Entity, Range, TextLayout } from '../core/types';
import { sameValue, surfaceKey } from './answers';
import { candidatesFor, DocumentContext, type Candidate } from './candidates';
import { cents, checkFields, oneEdit } from './checks';
import { withDerivedValues } from './derived';
import { applyFieldCorrections, type FieldCorrection } from './corrections';
import type { DocumentFields, FieldValue } from './result';
import type { FieldChooser, FieldWeights, Scored } from './chooser';
import { fieldsFor, type FieldsConfig } from './config';
import { detectKind } from '../rules/document-kind';
import type { DocumentKind } from '../rules/document-kind';
import type { FieldSpec } from './schema';
import { addsUp, pairAddingUp, taxIncluded, type AmountOption } from './sums';
import { mergeVendors, nearestKnown, VENDOR_FIELDS, type KnownVendor } from './vendors';

export interface FieldOptions {
  /** the kind of document; detected from the text when absent */
  kind?: DocumentKind;
  /** the tagger's entities; the rule annotators' mentions alone when absent */
  entities?: readonly Entity[];
  /** the page layout from intake (PDF, scan): gives each value its page */
  layout?: TextLayout;
  /** a workspace's fields.json, parsed */
  config?: FieldsConfig;
  /** the trained chooser; fields it has no weights for fall back to the first mention */
  chooser?: FieldChooser;
  /** a user's corrections of this document's fields: they replace the chosen values */
  corrections?: readonly FieldCorrection[];
  /** vendors known besides the chooser's: those a workspace's corrections typed since it was trained */
  vendors?: readonly KnownVendor[];
}

/** The fields of a document. */
export function extractFields(text: string, options: FieldOptions = {}): DocumentFields {
  const kind = options.kind ?? detectKind(text);
  const doc = new DocumentContext(text, kind, options.entities, options.layout);
  const specs = fieldsFor(kind, options.config);
  const fields: Record<string, FieldValue[]> = {};
  for (const spec of specs) {
    if (spec.type === 'currency') continue;
    fields[spec.name] = chooseValues(spec, doc, options.chooser);
  }
  // one printed number is not the total and the tax too: the most confident field keeps it
  for (const group of EXCLUSIVE) {
    const taken: Range[] = [];
    const names = group
      .filter((n) => fields[n] !== undefined)
      .sort((a, b) => (fields[b][0]?.confidence ?? 0) - (fields[a][0]?.confidence ?? 0));
    for (const name of names) {
      const spec = specs.find((s) => s.name === name) as FieldSpec;
      if (fields[name].some((v) => taken.some((r) => r.start === v.start && r.end === v.end))) {
        // a second choice only when it is more likely than not: on a receipt without tax, the
        // next amounts are the cash and the rounding
        fields[name] = chooseValues(spec, doc, options.chooser, undefined, taken).filter(
          (v) => v.confidence >= SECOND_CHOICE_CONFIDENCE,
        );
      }
      for (const v of fields[name]) taken.push({ start: v.start, end: v.end });
    }
  }
  // a tax smaller than the total: else the next likely value that is
  const total = fields.total?.[0];
  if (total && Number.isFinite(Number(total.value))) {
    const limit = Number(total.value);
    for (const [name, fits] of AMOUNT_BOUNDS) {
      const spec = specs.find((s) => s.name === name);
      const v = fields[name]?.[0];
      if (!spec || !v || fits(Number(v.value), limit)) continue;
      const held = Object.values(fields).flatMap((vs) => vs.map((x) => ({ start: x.start, end: x.end })));
      fields[name] = chooseValues(spec, doc, options.chooser, (x) => fits(Number(x), limit), held).filter(
        (x) => x.confidence >= SECOND_CHOICE_CONFIDENCE,
      );
    }
  }
  addUpToTotal(specs, doc, fields, options.chooser);
  useKnownVendors(specs, doc, fields, options.chooser, options.vendors);
  // dates that cannot come before another: the next best value that does not, when there is one
  for (const [later, earlier] of ORDER) {
    const spec = specs.find((s) => s.name === later);
    const was = fields[earlier]?.[0];
    const before = was?.value;
    const now = fields[later]?.[0]?.value;
    if (!spec || !was || !before || !now || before.length !== 10 || now.length !== 10 || now >= before) continue;
    // not the earlier field's own mention: a due date is not the invoice date printed again
    const other = chooseValues(spec, doc, options.chooser, (v) => v.length === 10 && v >= before, [was]);
    if (other.length) fields[later] = other;
  }
  const corrected = withDerivedValues(
    options.corrections?.length ? applyFieldCorrections(doc, specs, fields, options.corrections) : fields,
    options.corrections,
  );
  for (const spec of specs)
    if (spec.type === 'currency' && !options.corrections?.some((c) => c.field === spec.name))
      corrected[spec.name] = currencyValues(doc, corrected);
  const ordered: Record<string, FieldValue[]> = {};
  for (const spec of specs) ordered[spec.name] = corrected[spec.name];
  return { kind, fields: ordered, checks: checkFields(kind, ordered, doc) };
}

/**
 * Every candidate of one field with its probability, best first: what the editor offers when a
 * user corrects a field by picking another mention.
 */
export function rankCandidates(text: string, field: string, options: FieldOptions = {}): Scored[] {
  const kind = options.kind ?? detectKind(text);
  const spec = fieldsFor(kind, options.config).find((s) => s.name === field);
  if (!spec) return [];
  const doc = new DocumentContext(text, kind, options.entities, options.layout);
  const cands = candidatesFor(spec, doc);
  const ranked = options.chooser?.rank(kind, spec.name, cands);
  return ranked ? ranked.ranked : cands.map((candidate) => ({ candidate, probability: candidate.confidence }));
}

function toValue(doc: DocumentContext, c: Candidate, confidence: number): FieldValue {
  const v: FieldValue = { value: c.value, text: c.text, confidence: round(confidence), start: c.start, end: c.end };
  const page = doc.ft.pageAt(c.start);
  if (page !== undefined) v.page = page;
  if (c.currency) v.currency = c.currency;
  if (c.aliases?.length) v.aliases = c.aliases;
  if (c.mentions.length > 1) v.mentions = c.mentions;
  return v;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** A field's candidates grouped by value, best first, with the chooser's probabilities. */
export interface RankedValues {
  groups: Scored[];
  /** probability of "no value" (single-valued fields) */
  none: number;
  weights: FieldWeights;
}

/**
 * The chooser's view of one field: each distinct value once, with the probability of the
 * value (single-valued fields: the sum over its mentions; several values: its best mention's
 * keep probability) and its best mention. Undefined when the chooser has no weights for it.
 */
export function rankValues(
  spec: FieldSpec,
  doc: DocumentContext,
  chooser: FieldChooser,
  cands: Candidate[],
): RankedValues | undefined {
  const w = chooser.weights(doc.kind, spec.name);
  const ranked = chooser.rank(doc.kind, spec.name, cands);
  if (!w || !ranked) return undefined;
  const groups: Scored[] = [];
  for (const s of ranked.ranked) {
    const g = groups.find((x) => sameValue(spec.type, x.candidate.value, s.candidate.value));
    if (!g) groups.push({ ...s });
    else if (!w.multi) g.probability += s.probability;
  }
  groups.sort((a, b) => b.probability - a.probability);
  return { groups, none: ranked.none, weights: w };
}

/** Which ranked values are kept: by the tuned thresholds, else against "no value" (or 0.5). */
export function keptValues(r: RankedValues, max: number): Scored[] {
  const w = r.weights;
  if (w.multi) {
    const t = w.threshold ?? 0.5;
    const kept = r.groups.filter((g) => g.probability >= t);
    if (w.floor) {
      for (const g of r.groups) {
        if (kept.length >= w.floor.count) break;
        if (!kept.includes(g) && g.probability >= w.floor.threshold) kept.push(g);
      }
    }
    return kept.slice(0, max);
  }
  const keep = (p: number) => (w.threshold !== undefined ? p >= w.threshold : p > r.none);
  return r.groups.filter((g) => keep(g.probability)).slice(0, max);
}

/** The least confidence of a field's value chosen after a more confident field took its first. */
const SECOND_CHOICE_CONFIDENCE = 0.5;

/**
 * Fields that cannot share a mention: the seller is not the buyer, and one amount is not both
 * the subtotal and the total. (Two mentions of one value may fill two fields: a receipt without
 * tax prints its subtotal and its total, the same number, on two lines.)
 */
const EXCLUSIVE: string[][] = [
  ['subtotal', 'tax', 'total'],
  ['seller', 'buyer'],
  ['seller_address', 'buyer_address'],
];

/**
 * Amounts bounded by the total: a tax is smaller than it (in size: a credit note's are both
 * negative). A subtotal is not bounded: a discount after it leaves a smaller total.
 */
const AMOUNT_BOUNDS: [string, (value: number, total: number) => boolean][] = [
  ['tax', (v, t) => Math.abs(v) < Math.abs(t)],
];

/**
 * Fields whose date cannot come before another's: a due date before the invoice date, an
 * expiration before the effective date. (When only such a value is there, it stays, and the
 * checks report it.)
 */
const ORDER: [string, string][] = [
  ['due_date', 'date'],
  ['expiration_date', 'effective_date'],
  ['expiration_date', 'agreement_date'],
];

/**
 * The values of one field: by the chooser, or by the field's fixed pick (among `allowed` values,
 * and not at the mentions `notAt`, which other fields hold).
 */
export function chooseValues(
  spec: FieldSpec,
  doc: DocumentContext,
  chooser?: FieldChooser,
  allowed: (value: string) => boolean = () => true,
  notAt: readonly Range[] = [],
): FieldValue[] {
  const cands = candidatesFor(spec, doc).filter(
    (c) => allowed(c.value) && !notAt.some((r) => c.start === r.start && c.end === r.end),
  );
  if (cands.length === 0) return [];
  const ranked = spec.pick === 'learned' && chooser ? rankValues(spec, doc, chooser, cands) : undefined;
  if (!ranked) return fixedPick(spec, doc, cands);
  const values = keptValues(ranked, spec.max).map((g) => toValue(doc, g.candidate, Math.min(1, g.probability)));
  return ranked.weights.multi ? values.sort((a, b) => a.start - b.start) : values;
}

/**
 * The subtotal and tax that add up to the total, when the values chosen apart do not: the most
 * probable pair of their likely values that does (sums.ts); else, where the tax is included in
 * the total, no subtotal; else the values as chosen.
 */
function addUpToTotal(
  specs: readonly FieldSpec[],
  doc: DocumentContext,
  fields: Record<string, FieldValue[]>,
  chooser?: FieldChooser,
): void {
  const total = fields.total?.[0];
  const netSpec = specs.find((s) => s.name === 'subtotal' && s.pick === 'learned');
  const taxSpec = specs.find((s) => s.name === 'tax' && s.pick === 'learned');
  if (!chooser || !total || !netSpec || !taxSpec) return;
  const sum = cents(total.value);
  const [net, tax] = [fields.subtotal?.[0], fields.tax?.[0]];
  // only a sum that fails: a receipt without a tax line keeps its empty tax
  if (!Number.isFinite(sum) || !net || !tax || addsUp(cents(net.value) || 0, cents(tax.value) || 0, sum)) return;
  const options = (spec: FieldSpec): AmountOption<Scored>[] => {
    const cands = candidatesFor(spec, doc).filter((c) => c.start !== total.start || c.end !== total.end);
    const ranked = rankValues(spec, doc, chooser, cands);
    return (ranked?.groups ?? []).slice(0, PAIR_OPTIONS).flatMap((g) => {
      const c = cents(g.candidate.value);
      return !Number.isFinite(c)
        ? []
        : [{ cents: c, probability: g.probability, start: g.candidate.start, end: g.candidate.end, item: g }];
    });
  };
  const rate = fields.tax_rate?.[0] ? Number(fields.tax_rate[0].value) : undefined;
  const printedRate = rate !== undefined && Number.isFinite(rate) ? rate : undefined;
  const pair = pairAddingUp(sum, options(netSpec), options(taxSpec), printedRate);
  if (!pair) {
    // a tax included in the total: no net is printed, and the amount chosen as one is another
    // (not a misreading of the net, one glyph off: the check is to report that one)
    const taxCents = cents(tax.value) || 0;
    const misread = oneEdit(net.value, ((sum - taxCents) / 100).toFixed(2));
    if (printedRate !== undefined && !misread && taxIncluded(taxCents, sum, printedRate)) fields.subtotal = [];
    return;
  }
  fields.subtotal = [toValue(doc, pair.net.item.candidate, Math.min(1, pair.net.probability))];
  fields.tax = [toValue(doc, pair.tax.item.candidate, Math.min(1, pair.tax.probability))];
}

/**
 * A seller or seller address that nearly spells a known vendor's (vendors.ts) is filed in the
 * known spelling: the chosen value, or, where the chooser was not sure of it or kept none, one
 * of its next likely values (a known vendor's address is strong evidence that a value is the
 * address, however garbled the OCR left it).
 */
function useKnownVendors(
  specs: readonly FieldSpec[],
  doc: DocumentContext,
  fields: Record<string, FieldValue[]>,
  chooser?: FieldChooser,
  added: readonly KnownVendor[] = [],
): void {
  const vendors = added.length ? mergeVendors(chooser?.data.vendors ?? [], added) : chooser?.data.vendors;
  // printed text is as printed: a document nothing of which was read by OCR is left as it is,
  // before its likely values are ranked
  if (!chooser || !vendors?.length || !doc.ft.readConfidence({ start: 0, end: doc.text.length })) return;
  for (const [name, part] of VENDOR_FIELDS) {
    const spec = specs.find((s) => s.name === name && s.pick === 'learned');
    if (!spec) continue;
    const chosen = fields[name]?.[0];
    if (chosen && vendors.some((v) => v[part] && surfaceKey(v[part]) === surfaceKey(chosen.text))) continue;
    const known = vendors.flatMap((v) => (v[part] ? [v[part]] : []));
    // a seller a glyph or two from a vendor's at another address is another shop of a similar
    // name (a chain's name printed as it is known is that chain, at any branch)
    const address = fields.seller_address?.[0];
    const atAddress = (seller: string) =>
      vendors.some(
        (v) =>
          v.seller === seller &&
          (!address ||
            !v.address ||
            surfaceKey(v.address) === surfaceKey(address.value) ||
            nearestKnown(address.text, [v.address]) !== undefined),
      );
    // not a value other fields hold (the buyer's name)
    const held = Object.entries(fields).flatMap(([n, vs]) => (n === name ? [] : vs));
    const options: FieldValue[] = chosen ? [chosen] : [];
    // a seller the chooser kept is the one tried: a shop's receipt names the mall it is in too
    if (name === 'seller_address' && (!chosen || chosen.confidence < SURE_OF_UNKNOWN)) {
      const ranked = rankValues(spec, doc, chooser, candidatesFor(spec, doc));
      for (const g of ranked?.groups.slice(0, KNOWN_OPTIONS) ?? []) {
        const c = g.candidate;
        if (g.probability < KNOWN_LEAST || held.some((v) => v.start < c.end && c.start < v.end)) continue;
        if (!options.some((o) => o.start === c.start && o.end === c.end))
          options.push(toValue(doc, c, Math.min(1, g.probability)));
      }
    }
    for (const o of options) {
      // printed text is as printed: only a value the recogniser read may be misread
      if (!doc.ft.readConfidence(o)) continue;
      const match = nearestKnown(o.text, known);
      if (!match || (part === 'seller' && match.distance > 0 && !atAddress(match.value))) continue;
      // as sure as a chosen value kept over a known one: a known vendor's spelling, nearly
      // printed, is strong evidence that the value is the vendor's (the chooser, unsure of a
      // garbled reading, may have given it a few per cent)
      fields[name] = [{ ...o, value: match.value, known: true, confidence: Math.max(o.confidence, SURE_OF_UNKNOWN) }];
      break;
    }
  }
}

/** A chosen value this sure is kept even when a less likely one is a known vendor's. */
const SURE_OF_UNKNOWN = 0.8;
/** The likely values tried against the known vendors, and the least probability of one. */
const KNOWN_OPTIONS = 3;
const KNOWN_LEAST = 0.05;

/** How many of a field's likely values are tried in pairs. */
const PAIR_OPTIONS = 8;

/** A fixed pick among the mentions of the field's labels (not the chooser's line candidates). */
function fixedPick(spec: FieldSpec, doc: DocumentContext, cands: Candidate[]): FieldValue[] {
  let pool = cands.filter((c) => c.source !== 'lines').sort((a, b) => a.start - b.start);
  if (spec.keywords?.length) {
    const keys = spec.keywords.map((k) => k.toLowerCase());
    pool = pool.filter((c) => {
      const before = `${doc.ft.lineBefore(c.start)} ${doc.ft.wordsBefore(c.start, 8).join(' ')}`.toLowerCase();
      return keys.some((k) => before.includes(k));
    });
  }
  const byNumber = (c: Candidate) => Number(c.value);
  switch (spec.pick) {
    case 'last':
      pool.reverse();
      break;
    case 'largest':
      pool.sort((a, b) => byNumber(b) - byNumber(a));
      break;
    case 'smallest':
      pool.sort((a, b) => byNumber(a) - byNumber(b));
      break;
  }
  const max = spec.pick === 'all' ? Math.max(spec.max, pool.length) : spec.max;
  const out: FieldValue[] = [];
  for (const c of pool) {
    if (out.length >= max) break;
    if (out.some((v) => sameValue(spec.type, v.value, c.value))) continue;
    out.push(toValue(doc, c, c.confidence));
  }
  return out;
}

/**
 * The currency of an invoice or receipt: that of its total (or subtotal, tax), else the one most
 * of its amounts show, else a currency printed anywhere (a receipt's "RM" column header).
 */
function currencyValues(doc: DocumentContext, fields: Record<string, FieldValue[]>): FieldValue[] {
  for (const name of ['total', 'subtotal', 'tax']) {
    const v = fields[name]?.[0];
    if (v?.currency)
      return [
        {
          value: v.currency,
          text: v.text,
          confidence: v.confidence,
          start: v.start,
          end: v.end,
          ...(v.page ? { page: v.page } : {}),
        },
      ];
  }
  const counts = new Map<string, { n: number; at: Range; text: string }>();
  for (const m of doc.mentions) {
    if (m.label !== 'AMOUNT') continue;
    const surface = doc.text.slice(m.start, m.end);
    const c = doc.currencyIn(surface);
    if (!c) continue;
    const known = counts.get(c);
    if (known) known.n++;
    else counts.set(c, { n: 1, at: m, text: doc.ft.surface(m) });
  }
  let best: [string, { n: number; at: Range; text: string }] | undefined;
  for (const e of counts) if (!best || e[1].n > best[1].n) best = e;
  if (best) return [valueAt(doc, best[0], best[1].at, best[1].text, 0.9)];
  // not inside a garbled number ("10.€0" is OCR's "10.60")
  const m = /(?<![A-Za-z\d.,])(RM|USD|EUR|GBP|SGD|MYR|CHF|S\$|US\$|€|£)(?![A-Za-z])/.exec(doc.text);
  if (m) {
    const c = doc.currencyIn(m[0]);
    if (c) return [valueAt(doc, c, { start: m.index, end: m.index + m[0].length }, m[0], 0.6)];
  }
  return [];
}

function valueAt(doc: DocumentContext, value: string, r: Range, text: string, confidence: number): FieldValue {
  const page = doc.ft.pageAt(r.start);
  return { value, text, confidence, start: r.start, end: r.end, ...(page !== undefined ? { page } : {}) };
}
