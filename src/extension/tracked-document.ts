// One tagged document's state: the model's predictions, the text still to tag and what a person
// reviewed, in current document offsets. The tagging loop (document-tagger.ts) owns the loop's
// fields; everything else changes a document through the methods below.
import type * as vscode from 'vscode';
import {
  type DocumentKind,
  firstEndingAfter,
  normalizeRanges,
  overlaps,
  type Entity,
  type LabelRange,
  type Range,
  type Span,
  type TextChange,
} from '../model';

/** An entity as shown: a model prediction, or a span a person confirmed (confidence 1). */
export interface DisplayEntity extends Entity {
  reviewed: boolean;
}

export interface ConfirmedSpan extends Span {
  text: string;
}

/** A stretch of a document saved to the training set; later records for it reuse the id. */
export interface Passage extends Range {
  id: string;
}

export class TrackedDocument {
  readonly key: string;
  /** model output, sorted by start, never overlapping (updated in place: see core/ranges.ts) */
  predictions: DisplayEntity[] = [];
  /** text still to (re)tag */
  pending: Range[] = [];
  /** ranges a person reviewed for every label: the model's predictions there are replaced by `confirmed` */
  reviewed: Range[] = [];
  /** ranges a person judged for one label: that label's predictions there are replaced by `confirmed` */
  judged: LabelRange[] = [];
  /** spans a person accepted, labelled or drew, sorted, never overlapping */
  confirmed: ConfirmedSpan[] = [];
  passages: Passage[] = [];
  /** the model that produced `predictions` */
  modelKey?: string;
  /**
   * the kind the document was tagged as, by a model tuned on some kinds only (set at its first
   * step; Set Document Kind clears it and tags again)
   */
  kind?: DocumentKind;
  debounce?: NodeJS.Timeout;
  /** a tagging loop is running for this document */
  running = false;
  /** edits made while a tagging step awaited the model, to map its results */
  stepChanges?: TextChange[];
  waiters: Array<() => void> = [];
  /** the last loop stopped because there is no model: pending text waits for one */
  stalled = false;
  tooLarge = false;
  /** reviewed state was restored from the annotation store */
  restored = false;
  lastRender = 0;
  /** when diagnostics were last published (they are sent less often while a big document is tagged) */
  lastDiagnostics = 0;
  renderTimer?: NodeJS.Timeout;
  /** the document-level party pass, due shortly after tagging stops (document-tagger.ts) */
  propagateTimer?: NodeJS.Timeout;
  /** merge of predictions and confirmed spans, until either changes */
  private shown?: DisplayEntity[];

  constructor(readonly uri: vscode.Uri) {
    this.key = uri.toString();
  }

  /**
   * Predictions outside reviewed text, confirmed spans and judged ranges of their label, plus
   * the confirmed spans; sorted by start.
   */
  entities(): DisplayEntity[] {
    if (this.shown) return this.shown;
    const { confirmed } = this;
    // nothing reviewed: the predictions themselves (no copy: a 10 MB document has 100k+ of them)
    if (this.reviewed.length === 0 && confirmed.length === 0 && this.judged.length === 0)
      return (this.shown = this.predictions);
    const hidden = normalizeRanges([...this.reviewed, ...confirmed]);
    const hiddenFor = new Map<string, Range[]>();
    for (const j of this.judged) hiddenFor.set(j.label, [...(hiddenFor.get(j.label) ?? []), j]);
    for (const [label, list] of hiddenFor) hiddenFor.set(label, normalizeRanges(list));
    const at = new Map<string, number>();
    const out: DisplayEntity[] = [];
    let r = 0;
    let c = 0;
    for (const p of this.predictions) {
      // predictions are sorted and never overlap: every pointer only moves forward
      while (r < hidden.length && hidden[r].end <= p.start) r++;
      if (r < hidden.length && overlaps(p, hidden[r])) continue;
      const own = hiddenFor.get(p.label);
      if (own) {
        let i = at.get(p.label) ?? 0;
        while (i < own.length && own[i].end <= p.start) i++;
        at.set(p.label, i);
        if (i < own.length && overlaps(p, own[i])) continue;
      }
      while (c < confirmed.length && confirmed[c].start <= p.start) {
        out.push({ ...confirmed[c], confidence: 1, reviewed: true });
        c++;
      }
      out.push(p);
    }
    for (; c < confirmed.length; c++) out.push({ ...confirmed[c], confidence: 1, reviewed: true });
    return (this.shown = out);
  }

  /** Everything a person reviewed, judged or confirmed, merged (replay leaves it to the records). */
  corrected(): Range[] {
    return normalizeRanges([...this.reviewed, ...this.judged, ...this.confirmed]);
  }

  /** The shown entity at an offset (inside it or touching its end), or overlapping a range. */
  entityAt(range: Range): DisplayEntity | undefined {
    const list = this.entities();
    let best: DisplayEntity | undefined;
    // entities are sorted and never overlap: start at the first one ending at or after range.start
    for (let i = firstEndingAfter(list, range.start - 1); i < list.length; i++) {
      const e = list[i];
      if (e.start > range.end) break;
      const hit = range.start === range.end ? e.start <= range.start && range.start <= e.end : overlaps(e, range);
      if (hit) {
        best = e;
        if (range.start === range.end && range.start < e.end) break;
      }
    }
    return best;
  }

  /** Predictions or reviews changed: the shown list is rebuilt on next use. */
  invalidate(): void {
    this.shown = undefined;
  }

  /** What a person reviewed, as a whole: the confirmed spans and the ranges reviewed or judged. */
  setReview(confirmed: ConfirmedSpan[], reviewed: Range[], judged: LabelRange[] = this.judged): void {
    this.confirmed = confirmed;
    this.reviewed = normalizeRanges(reviewed);
    this.judged = judged;
    this.invalidate();
  }

  setPassages(passages: Passage[]): void {
    this.passages = passages;
  }

  /** Reviewed state was read back from the annotation store. */
  markRestored(): void {
    this.restored = true;
  }

  /** The whole text is to be tagged again (a new model, a command). */
  retagWhole(length: number): void {
    this.pending = length > 0 ? [{ start: 0, end: length }] : [];
  }
}
