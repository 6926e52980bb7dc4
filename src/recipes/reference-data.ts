// What the default model ships for learning from corrections (learning/reference-set.ts, the
// fine-tune plan): a reference set of whole documents the model never trained on, each record's
// `complete` naming exactly the labels its source annotates exhaustively, and a rehearsal set of
// the model's own training windows (gold and silver spans, as the default recipe trains on them).
import { type AnnotatedDocument, Rng, type Span, windows } from '../model';
import { generateContracts, CONTRACT_LABELS } from './synthetic-contracts';
import { generateInvoices } from './synthetic-invoices';
import { CUAD_COMPLETE, DEFAULT_LABELS } from './default-data';

export interface ReferenceOptions {
  /** generated contract passages */
  contracts: number;
  /** generated invoices and receipts */
  invoices: number;
  /** seed of the generated documents: not the training data's nor the dev set's */
  seed: number;
}

/**
 * Every other CUAD dev contract (by id), whole, complete for the labels CUAD annotates
 * exhaustively; generated contract passages, complete for PARTY and ADDRESS; generated invoices
 * and receipts, complete for every default label (the generator labels every mention of its
 * labels and writes no governing-law clause). No silver spans: the set is for scoring.
 */
export function referenceRecords(cuadDev: AnnotatedDocument[], o: ReferenceOptions): AnnotatedDocument[] {
  const contracts = [...cuadDev]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .filter((_, i) => i % 2 === 0)
    .map((d) => record(d, d.spans, [...CUAD_COMPLETE]));
  const passages = generateContracts(o.contracts, o.seed, { split: 'reference' }).map((d) =>
    record(d, d.spans, [...CONTRACT_LABELS]),
  );
  const invoices = generateInvoices(o.invoices, o.seed, { split: 'reference' }).map((d) =>
    record(d, d.spans, [...DEFAULT_LABELS]),
  );
  return [...contracts, ...passages, ...invoices];
}

function record(d: AnnotatedDocument, spans: Span[], complete: string[]): AnnotatedDocument {
  return {
    id: d.id,
    text: d.text,
    spans: spans.map((s) => ({ start: s.start, end: s.end, label: s.label })),
    ...(d.source !== undefined ? { source: d.source } : {}),
    split: 'reference',
    complete,
  };
}

export interface WindowOptions {
  maxTokens: number;
  /** share of contract windows without any span that training keeps */
  keepEmpty: number;
  seed: number;
}

/**
 * The training windows of one document as records ("<id>#w<n>", text and spans relative to
 * the window), as the default recipe uses them: windows with a gold span; windows with only
 * silver spans, with PARTY left open (not complete) in them; and, when `sampleEmpty`, a share
 * of the windows without any span. Windows that cut a span are left out.
 */
export function trainingWindows(
  doc: AnnotatedDocument,
  o: WindowOptions & { sampleEmpty: boolean; rng: Rng },
): AnnotatedDocument[] {
  const out: AnnotatedDocument[] = [];
  const complete = doc.complete === 'all' ? [...DEFAULT_LABELS] : [...(doc.complete ?? [])];
  windows(doc.text, o.maxTokens).forEach((toks, n) => {
    if (toks.length === 0) return;
    const from = toks[0].start;
    const to = toks[toks.length - 1].end;
    const cut = (s: Span) => s.start < to && s.end > from && (s.start < from || s.end > to);
    const inside = (spans: Span[] | undefined) =>
      (spans ?? [])
        .filter((s) => s.start >= from && s.end <= to)
        .map((s) => ({ start: s.start - from, end: s.end - from, label: s.label }));
    if (doc.spans.some(cut) || (doc.silver ?? []).some(cut)) return;
    const spans = inside(doc.spans);
    const silver = inside(doc.silver);
    if (o.sampleEmpty && spans.length === 0 && silver.length === 0 && o.rng.next() >= o.keepEmpty) return;
    const partyOpen = o.sampleEmpty && spans.length === 0 && silver.length > 0;
    out.push({
      id: `${doc.id}#w${n}`,
      text: doc.text.slice(from, to),
      spans,
      ...(doc.source !== undefined ? { source: doc.source } : {}),
      split: 'rehearsal',
      complete: partyOpen ? complete.filter((l) => l !== 'PARTY') : complete,
      ...(silver.length > 0 ? { silver } : {}),
    });
  });
  return out;
}

/**
 * `count` windows drawn without replacement from the training windows of `contracts` (CUAD
 * contracts with silver: empty windows subsampled, as in training) and `generated` (every
 * window), so the mix follows the training set's; in document order.
 */
export function rehearsalRecords(
  contracts: AnnotatedDocument[],
  generated: AnnotatedDocument[],
  count: number,
  o: WindowOptions,
): AnnotatedDocument[] {
  const rng = new Rng(o.seed);
  const pool = [
    ...contracts.flatMap((d) => trainingWindows(d, { ...o, sampleEmpty: true, rng })),
    ...generated.flatMap((d) => trainingWindows(d, { ...o, sampleEmpty: false, rng })),
  ];
  const picked = rng
    .shuffle(pool.map((_, i) => i))
    .slice(0, count)
    .sort((a, b) => a - b);
  return picked.map((i) => pool[i]);
}
