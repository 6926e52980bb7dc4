// What a person's records say about a scoped model's overlaps with its base (inference/scope.ts):
// the base labels a corrected label takes over where they meet, and the labels whose lent names
// (inference/propagate.ts) the person removed. Both are read against what the model in use showed
// on the same records, where the person judged the label.
import type { AnnotatedDocument, Entity } from '../core/types';
import { overlaps, overlapsAny } from '../core/ranges';
import { judgedRanges } from '../inference/held-out';

/** Overlaps a label needs in the person's records before it takes over another: one odd passage does not. */
export const MIN_TAKEOVER_OVERLAPS = 2;

/**
 * Which base labels each scope label takes over. Of what the model in use showed on the records
 * (`shown[i]` for `records[i]`) where the person judged label L, the entities of another label B
 * that lie under the person's spans of L: L takes over B when that is at least
 * MIN_TAKEOVER_OVERLAPS of them and at least half. A person who marks "Santa Clara" and
 * "California" as LOCATION wherever the model showed an ADDRESS says the ADDRESS was wrong there;
 * one who marks a few LOCATIONs over a handful of the many parties shown has not said that.
 */
export function takeoversOf(
  records: readonly AnnotatedDocument[],
  shown: readonly (readonly Entity[])[],
  scopeLabels: readonly string[],
): Record<string, string[]> {
  const inScope = new Set(scopeLabels);
  const under = new Map<string, number>();
  const judged = new Map<string, number>();
  const add = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);
  records.forEach((r, i) => {
    for (const label of scopeLabels) {
      const ranges = judgedRanges(r, label);
      const marks = r.spans.filter((s) => s.label === label);
      for (const e of shown[i] ?? []) {
        if (inScope.has(e.label) || !overlapsAny(e, ranges)) continue;
        const key = `${label}\t${e.label}`;
        add(judged, key);
        if (marks.some((s) => overlaps(s, e))) add(under, key);
      }
    }
  });
  const out: Record<string, string[]> = {};
  for (const [key, n] of [...under].sort(([a], [b]) => a.localeCompare(b))) {
    if (n < MIN_TAKEOVER_OVERLAPS || n * 2 < (judged.get(key) ?? 0)) continue;
    const [label, over] = key.split('\t');
    (out[label] ??= []).push(over);
  }
  return out;
}

/** Names lent (source 'document') a label needs in the person's records before its lending is judged. */
export const MIN_LENT_JUDGED = 3;

/**
 * The scope labels whose lent names the person mostly removed: of the names the model in use
 * lent (`shown[i]` for `records[i]`, source 'document') where the label was judged, at least
 * MIN_LENT_JUDGED, fewer than half are among the person's spans.
 */
export function notLentOf(
  records: readonly AnnotatedDocument[],
  shown: readonly (readonly Entity[])[],
  scopeLabels: readonly string[],
): string[] {
  const out: string[] = [];
  for (const label of scopeLabels) {
    let judged = 0;
    let kept = 0;
    records.forEach((r, i) => {
      const ranges = judgedRanges(r, label);
      for (const e of shown[i] ?? []) {
        if (e.label !== label || e.source !== 'document') continue;
        if (!overlapsAny(e, ranges)) continue;
        judged++;
        if (r.spans.some((s) => s.label === label && s.start === e.start && s.end === e.end)) kept++;
      }
    });
    if (judged >= MIN_LENT_JUDGED && kept * 2 < judged) out.push(label);
  }
  return out;
}
