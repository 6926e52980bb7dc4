// Judged ranges (a person declared, for one label, that a range holds exactly the entities
// confirmed there) as the editor keeps them: merged per label, moved by edits, cut to a saved
// passage. Pure: no vscode, unit-tested.
import { normalizeRanges, overlaps, shiftRangesSplit, type LabelRange, type Range, type TextChange } from '../model';

function byLabel(ranges: readonly LabelRange[]): Map<string, Range[]> {
  const out = new Map<string, Range[]>();
  for (const r of ranges) {
    const list = out.get(r.label);
    if (list) list.push(r);
    else out.set(r.label, [{ start: r.start, end: r.end }]);
  }
  return out;
}

function withLabel(label: string, ranges: readonly Range[]): LabelRange[] {
  return ranges.map((r) => ({ start: r.start, end: r.end, label }));
}

/** Per label, the sorted union (ranges of one label that touch merge); sorted by start, then label. */
export function normalizeLabelRanges(ranges: readonly LabelRange[]): LabelRange[] {
  const out: LabelRange[] = [];
  for (const [label, list] of byLabel(ranges)) out.push(...withLabel(label, normalizeRanges(list)));
  return out
    .filter((r) => r.end > r.start)
    .sort((a, b) => a.start - b.start || a.end - b.end || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

/** The ranges moved by an edit; the edited text itself is no longer judged. */
export function shiftLabelRanges(ranges: readonly LabelRange[], c: TextChange): LabelRange[] {
  const out: LabelRange[] = [];
  for (const [label, list] of byLabel(ranges)) out.push(...withLabel(label, shiftRangesSplit(list, c)));
  return normalizeLabelRanges(out);
}

/** The parts inside `passage`, relative to its start (what a record of that passage stores). */
export function clipLabelRanges(ranges: readonly LabelRange[], passage: Range): LabelRange[] {
  const out: LabelRange[] = [];
  for (const r of ranges) {
    const start = Math.max(r.start, passage.start);
    const end = Math.min(r.end, passage.end);
    if (end > start) out.push({ start: start - passage.start, end: end - passage.start, label: r.label });
  }
  return normalizeLabelRanges(out);
}

/** `current` outside `region`, `before` inside it: how an undo puts a region back. */
export function restoreLabelRanges(
  current: readonly LabelRange[],
  before: readonly LabelRange[],
  region: readonly Range[],
): LabelRange[] {
  const out: LabelRange[] = [];
  for (const r of current) out.push(...outside(r, region));
  for (const cut of region) out.push(...clipLabelRanges(before, cut).map((r) => shiftBy(r, cut.start)));
  return normalizeLabelRanges(out);
}

function shiftBy(r: LabelRange, d: number): LabelRange {
  return { start: r.start + d, end: r.end + d, label: r.label };
}

/** The parts of `r` outside every range of `region` (sorted, not overlapping). */
function outside(r: LabelRange, region: readonly Range[]): LabelRange[] {
  let parts: LabelRange[] = [r];
  for (const cut of region) {
    const next: LabelRange[] = [];
    for (const p of parts) {
      if (!overlaps(p, cut)) {
        next.push(p);
        continue;
      }
      if (p.start < cut.start) next.push({ start: p.start, end: cut.start, label: p.label });
      if (p.end > cut.end) next.push({ start: cut.end, end: p.end, label: p.label });
    }
    parts = next;
  }
  return parts;
}
