// The annotation records the editor writes when a person corrects a document, made from a
// simulated person's reviews: what they checked (a range, the labels they looked at there) and
// the gold spans of those labels, which they confirm. The passages are cut as the editor's
// savePassages cuts them (src/extension/corrections.ts passageAround over document-text.ts
// readBlock, here on a whole text instead of a vscode.TextDocument): the paragraph around the
// range (to blank lines, or to line breaks when no blank line is near), or its sentences when
// that paragraph is longer than 3000 characters; passages that touch are merged.
import {
  type AnnotationRecord,
  contains,
  type LabelRange,
  normalizeRanges,
  overlaps,
  passageId,
  type Range,
  type Span,
  passageInBlock,
  detectKind,
} from '../../src/model';

/** how far the editor looks for a paragraph boundary around a range (document-text.ts) */
const BLOCK_CONTEXT = 3000;

/** One thing a person checked: inside `range`, the entities of `labels` are exactly the gold ones. */
export interface Review {
  range: Range;
  labels: string[];
}

/** A document as a simulated person sees it: its text and the entities they would mark, in their convention. */
export interface UserDocument {
  id: string;
  /** the editor's key for the document (records of one document share it) */
  uri: string;
  text: string;
  gold: Span[];
}

/** readBlock on a string: the text around `range` out to paragraph boundaries. */
export function blockAround(text: string, range: Range): { start: number; text: string } {
  const from = Math.max(0, range.start - BLOCK_CONTEXT);
  const to = Math.min(text.length, range.end + BLOCK_CONTEXT);
  const near = text.slice(from, to);
  const a = range.start - from;
  const b = range.end - from;
  const before = near.slice(0, a);
  let blankBefore = -1;
  for (const m of before.matchAll(/\n[ \t\r\f\v]*\n/g)) blankBefore = (m.index ?? 0) + m[0].length;
  const start = blankBefore >= 0 ? blankBefore : from > 0 ? before.lastIndexOf('\n') + 1 : 0;
  const after = near.slice(b);
  const blankAfter = after.search(/\n[ \t\r\f\v]*\n/);
  const nl = after.indexOf('\n');
  const end = b + (blankAfter >= 0 ? blankAfter : to < text.length && nl >= 0 ? nl : after.length);
  return { start: from + start, text: near.slice(start, end) };
}

/** corrections.ts passageAround on a string: the paragraph, or its sentences when long; token-trimmed. */
export function passageAround(text: string, range: Range): Range {
  return passageInBlock(blockAround(text, range), range);
}

/**
 * The records the editor saves after these reviews of one document: one per passage, with the
 * confirmed gold spans inside it and a `judged` range per reviewed label (the reviewed range cut
 * to the passage). A gold span crossing a review's edge widens the review, as in applyReviews.
 */
export function editorRecords(doc: UserDocument, reviews: Review[], time: string): AnnotationRecord[] {
  const widened = reviews.map((r) => {
    let range = r.range;
    for (const s of doc.gold)
      if (r.labels.includes(s.label) && overlaps(s, range))
        range = { start: Math.min(range.start, s.start), end: Math.max(range.end, s.end) };
    return { range, labels: r.labels };
  });
  const confirmed = doc.gold.filter((s) => widened.some((r) => r.labels.includes(s.label) && contains(r.range, s)));
  let passages: Range[] = [];
  for (const range of normalizeRanges(widened.map((r) => r.range))) {
    let p = passageAround(doc.text, range);
    // grow until no confirmed span or saved passage crosses its edge; merge the passages it meets
    for (let changed = true; changed;) {
      changed = false;
      for (const s of [...confirmed, ...passages]) {
        if (overlaps(s, p) && !contains(p, s)) {
          p = { start: Math.min(p.start, s.start), end: Math.max(p.end, s.end) };
          changed = true;
        }
      }
    }
    passages = [...passages.filter((x) => !contains(p, x)), p].sort((x, y) => x.start - y.start);
  }
  return passages.map((p) => {
    const judged: LabelRange[] = [];
    for (const r of widened) {
      const start = Math.max(r.range.start, p.start);
      const end = Math.min(r.range.end, p.end);
      if (end > start) for (const label of r.labels) judged.push({ start: start - p.start, end: end - p.start, label });
    }
    return {
      id: passageId(doc.uri, p.start),
      text: doc.text.slice(p.start, p.end),
      spans: confirmed
        .filter((s) => contains(p, s))
        .map((s) => ({ start: s.start - p.start, end: s.end - p.start, label: s.label })),
      judged,
      source: 'editor',
      // the document's kind, as the editor records it (a passage alone may not tell)
      kind: detectKind(doc.text),
      uri: doc.uri,
      time,
      start: p.start,
    };
  });
}
