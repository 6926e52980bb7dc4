// How a promotion verdict reads: one sentence for a notification or the CLI, and a report with
// one table per set. Scores from different sets never share a column: each table names its set
// and its size.
import type { LabelComparison, SetComparison, Verdict } from './promotion';

const f1 = (v: number): string => v.toFixed(3);
const points = (v: number): string => `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(1)}`;

/** "held-out F1 0.857 vs 0.800 (7 entities in 2 documents)" */
export function describeComparison(c: SetComparison): string {
  const size = `${c.entities} ${c.entities === 1 ? 'entity' : 'entities'} in ${c.documents} ${c.documents === 1 ? 'document' : 'documents'}`;
  const name = c.set === 'held-out' ? 'held-out' : 'reference';
  return c.current
    ? `${name} F1 ${f1(c.micro.candidate)} vs ${f1(c.micro.current)} (${size})`
    : `${name} F1 ${f1(c.micro.candidate)} (${size})`;
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
  const summary = [v.reason, ...compared.map((c) => `${describeComparison(c)}.`)].join(' ');
  const markdown = compared.map(table).join('\n\n');
  return { summary, markdown };
}
