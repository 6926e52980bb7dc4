// Scoring a model on workspace annotations, the way a person judged them: a label's gold spans
// are complete only where that label was judged (its judged ranges, the reviewed ranges, its
// own spans, or the whole record when the label is complete), so only its predictions there
// are counted.
import { createHash } from 'node:crypto';
import { evaluateSpans, type EvalReport } from '../evaluation/evaluate';
import type { Tagger } from './tagger';
import type { AnnotatedDocument, Entity, Range, Span } from '../core/types';
import { overlapsAny } from '../core/ranges';

/** About 15% of records, chosen by a hash of the id: the same records stay held out across trainings. */
export function isHeldOut(id: string, percent = 15): boolean {
  const h = createHash('sha1').update(id).digest();
  return h.readUInt32BE(0) % 100 < percent;
}

export function splitHeldOut<T extends { id: string }>(docs: T[]): { train: T[]; heldOut: T[] } {
  const train: T[] = [];
  const heldOut: T[] = [];
  for (const d of docs) (isHeldOut(d.id) ? heldOut : train).push(d);
  return { train, heldOut };
}

/** Where a person looked at a record for every label: its reviewed ranges and its spans (all of it when complete: 'all'). */
export function reviewedRanges(d: AnnotatedDocument): { start: number; end: number }[] {
  if (d.complete === 'all') return [{ start: 0, end: d.text.length }];
  return [...(d.reviewed ?? []), ...d.spans];
}

/** Where `label` is judged in a record: its judged ranges, the reviewed ones and its spans; all of it when complete. */
export function judgedRanges(d: AnnotatedDocument, label: string): Range[] {
  if (d.complete === 'all' || d.complete?.includes(label)) return [{ start: 0, end: d.text.length }];
  const of = (r: Range): Range => ({ start: r.start, end: r.end });
  return [
    ...(d.reviewed ?? []).map(of),
    ...(d.judged ?? []).filter((r) => r.label === label).map(of),
    ...d.spans.filter((s) => s.label === label).map(of),
  ];
}

/** Labels of `labels` that some record judges anywhere (has a span, a judged range, a reviewed range, or completes it). */
export function judgedLabels(docs: readonly AnnotatedDocument[], labels: readonly string[]): string[] {
  return labels.filter((label) => docs.some((d) => judgedRanges(d, label).length > 0));
}

/** The predictions that count against a record's gold: of `labels`, overlapping a range where their label is judged. */
export function scoredPredictions(
  d: AnnotatedDocument,
  found: readonly (Entity | Span)[],
  labels: readonly string[],
): Span[] {
  const ranges = new Map<string, Range[]>();
  const rangesOf = (label: string): Range[] => {
    let r = ranges.get(label);
    if (!r) ranges.set(label, (r = judgedRanges(d, label)));
    return r;
  };
  return found
    .filter((e) => labels.includes(e.label) && overlapsAny(e, rangesOf(e.label)))
    .map((e) => ({ start: e.start, end: e.end, label: e.label }));
}

/** The record's gold spans of `labels`. */
export function goldSpans(d: AnnotatedDocument, labels: readonly string[]): Span[] {
  return d.spans.filter((s) => labels.includes(s.label));
}

export async function evaluateOn(tagger: Tagger, docs: AnnotatedDocument[], labels: string[]): Promise<EvalReport> {
  const gold: Span[][] = [];
  const pred: Span[][] = [];
  for (const d of docs) {
    const found = await tagger.tag(d.text, { layout: d.layout, kind: d.kind });
    gold.push(goldSpans(d, labels));
    pred.push(scoredPredictions(d, found, labels));
  }
  return evaluateSpans(gold, pred, { labels });
}

export function reportTable(r: EvalReport): string {
  const f = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(3));
  const lines = ['| label | precision | recall | F1 | support |', '|---|---:|---:|---:|---:|'];
  for (const s of r.labels)
    lines.push(`| ${s.label} | ${f(s.precision)} | ${f(s.recall)} | ${f(s.f1)} | ${s.support} |`);
  lines.push(
    `| **micro** | ${f(r.micro.precision)} | ${f(r.micro.recall)} | **${f(r.micro.f1)}** | ${r.labels.reduce((n, s) => n + s.support, 0)} |`,
  );
  return lines.join('\n');
}
