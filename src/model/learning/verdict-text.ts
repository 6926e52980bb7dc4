// How a promotion verdict reads: one sentence for a notification or the CLI, and a report with
// one table per set. Scores from different sets never share a column: each table names its set
// and its size.
import { describeScope } from '../inference/scope';
import type { LabelComparison, SetComparison, Verdict } from './promotion';

const f1 = (v: number): string => v.toFixed(3);
const points = (v: number): string => `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(1)}`;

/** "F1 0.857 for the new model, 0.800 for the current one (7 entities in 2 documents)" */
export function describeComparison(c: SetComparison): string {
  const size = `${c.entities} ${c.entities === 1 ? 'entity' : 'entities'} in ${c.documents} ${c.documents === 1 ? 'document' : 'documents'}`;
  return c.current
    ? `F1 ${f1(c.micro.candidate)} for the new model, ${f1(c.micro.current)} for the current one (${size})`
    : `F1 ${f1(c.micro.candidate)} for the new model (${size})`;
}

function table(c: SetComparison): string {
  const title =
    c.set === 'held-out'
      ? `**Your held-out documents** (${c.documents} documents, ${c.entities} entities; only the labels reviewed there)`
      : `**Reference set shipped with the model** (${c.documents} documents, ${c.entities} entities)`;
  const row = (l: LabelComparison) =>
    c.current
      ? `| ${l.label} | ${f1(l.candidate)} | ${f1(l.current)} | ${points(l.delta)} [${points(l.low)}, ${points(l.high)}] | ${l.support} |`
      : `| ${l.label} | ${f1(l.candidate)} | | | ${l.support} |`;
  return [
    title,
    '',
    '| label | new F1 | current F1 | change (points, 95 % interval) | support |',
    '|---|---:|---:|---:|---:|',
    ...c.labels.map(row),
    row({ ...c.micro, label: '**micro**' }),
  ].join('\n');
}

export function describeVerdict(v: Verdict): { summary: string; markdown: string } {
  const compared = [v.heldOut, v.reference].filter((c): c is SetComparison => c !== null);
  // the reason gives the held-out comparison with its size; the reference set's scores follow it
  let summary = v.reference ? `${v.reason} Reference set: ${describeComparison(v.reference)}.` : v.reason;
  if (v.promote && v.scope)
    summary += ` The new model tags ${describeScope(v.scope)}; the model it was trained from tags the rest, as before.`;
  const markdown = compared.map(table).join('\n\n');
  return { summary, markdown };
}
