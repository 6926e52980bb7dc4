// Scoring a model on workspace annotations, the way a person reviewed them: gold spans are
// complete only inside reviewed ranges, so only predictions there are counted.
import { createHash } from 'node:crypto';
import { evaluateSpans, type EvalReport } from '../evaluation/evaluate';
import type { Tagger } from './tagger';
import type { AnnotatedDocument, Span } from '../core/types';
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

export function reviewedRanges(d: AnnotatedDocument): { start: number; end: number }[] {
  if (d.complete === 'all') return [{ start: 0, end: d.text.length }];
  return [...(d.reviewed ?? []), ...d.spans];
}

export async function evaluateOn(tagger: Tagger, docs: AnnotatedDocument[], labels: string[]): Promise<EvalReport> {
  const gold: Span[][] = [];
  const pred: Span[][] = [];
  for (const d of docs) {
    const ranges = reviewedRanges(d);
    const found = await tagger.tag(d.text);
    gold.push(d.spans.filter((s) => labels.includes(s.label)));
    pred.push(found.filter((e) => overlapsAny(e, ranges)).map((e) => ({ start: e.start, end: e.end, label: e.label })));
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
