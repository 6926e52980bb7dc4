// A document as the field stage reads it: its lines (receipts print one field per line, and a
// seller's name and address are lines), the words around a mention, the page an offset is on
// (from an intake's layout, or from form feeds in text exported from a PDF), and a mention's
// surface with its line breaks collapsed to one space.
import type { Range, TextLayout } from '../core/types';
import { rangeConfidences } from '../intake/boxes';

/** A line with content: its range without the line break and the spaces around it. */
export interface TextLine extends Range {
  /** index among the document's lines with content */
  index: number;
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}&'’.-]*[\p{L}\p{N}]|[\p{L}\p{N}]/gu;
/** Where a sentence ends: a period, semicolon or colon before a space, or a blank line. */
const SENTENCE_END = /[.;!?]["'”’)]?\s+(?=["'“‘(]?[\p{Lu}\d(])|\n[ \t]*\n/gu;

/** Whitespace runs (line breaks included) as one space, trimmed: how field values show text. */
export function collapseSpaces(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Lower-case words of a piece of text, with their punctuation inside kept (`u.s.`, `b-2`). */
export function wordsOf(text: string): string[] {
  return Array.from(text.matchAll(WORD), (m) => m[0].toLowerCase().replace(/[.’']+$/, ''));
}

export class FieldText {
  readonly lines: TextLine[] = [];
  /** page starts (offsets) when the text has form feeds and no layout says otherwise */
  private readonly pageStarts: number[] = [];

  constructor(
    readonly text: string,
    readonly layout?: TextLayout,
  ) {
    const re = /[^\n\r\f]+/g;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      let start = m.index;
      let end = start + m[0].length;
      while (start < end && /\s/.test(text[start])) start++;
      while (end > start && /\s/.test(text[end - 1])) end--;
      if (start < end) this.lines.push({ start, end, index: this.lines.length });
    }
    if (!layout && text.includes('\f')) {
      this.pageStarts.push(0);
      for (let i = text.indexOf('\f'); i >= 0; i = text.indexOf('\f', i + 1)) this.pageStarts.push(i + 1);
    }
  }

  /** Index of the line holding `offset`, or of the last line before it (0 before the first). */
  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.lines.length - 1;
    let best = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.lines[mid].start <= offset) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  }

  lineText(index: number): string {
    const l = this.lines[index];
    return l ? this.text.slice(l.start, l.end) : '';
  }

  /** The 1-based page of an offset: from the layout's boxes, else from form feeds; undefined without pages. */
  pageAt(offset: number): number | undefined {
    if (this.layout) {
      const boxes = this.layout.boxes;
      let lo = 0;
      let hi = boxes.length - 1;
      let best = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (boxes[mid].start <= offset) {
          best = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (best >= 0) return boxes[best].page;
      return boxes.length ? boxes[0].page : undefined;
    }
    if (this.pageStarts.length === 0) return undefined;
    let page = 0;
    while (page + 1 < this.pageStarts.length && this.pageStarts[page + 1] <= offset) page++;
    return page + 1;
  }

  /**
   * How sure the recogniser was of a range's words where it was read by OCR: the lowest and the
   * mean confidence of its OCR boxes; undefined where no OCR box overlaps it.
   */
  readConfidence(r: Range): { min: number; mean: number } | undefined {
    return this.layout && rangeConfidences(this.layout, r.start, r.end);
  }

  /** The surface of a range, line breaks and space runs collapsed to one space. */
  surface(r: Range): string {
    return collapseSpaces(this.text.slice(r.start, r.end));
  }

  /** Up to `n` words before `at` in its sentence (nearest last). */
  wordsBefore(at: number, n: number, reach = 160): string[] {
    const from = Math.max(0, at - reach);
    let window = this.text.slice(from, at);
    let cut = -1;
    for (const m of window.matchAll(SENTENCE_END)) cut = (m.index ?? 0) + m[0].length;
    if (cut >= 0) window = window.slice(cut);
    return wordsOf(window).slice(-n);
  }

  /** Up to `n` words after `at` in its sentence. */
  wordsAfter(at: number, n: number, reach = 120): string[] {
    let window = this.text.slice(at, Math.min(this.text.length, at + reach));
    const end = window.search(/[.;!?]\s+(?=["'“‘(]?[\p{Lu}\d])|\n[ \t]*\n/u);
    if (end >= 0) window = window.slice(0, end);
    return wordsOf(window).slice(0, n);
  }

  /** The text of a mention's line before it. */
  lineBefore(at: number): string {
    const l = this.lines[this.lineAt(at)];
    return l && l.start <= at ? this.text.slice(l.start, at) : '';
  }

  /** The text of a mention's line after it. */
  lineAfter(at: number): string {
    const l = this.lines[this.lineAt(at)];
    return l && l.end >= at ? this.text.slice(at, l.end) : '';
  }
}
