// Builds a document's text word by word and records, for every word, the range it got and the
// box it came from, so each offset of the text maps back to its page. Separators are chosen by
// the caller (space, line break, paragraph break) and written only before the next word, so the
// text never starts or ends with one. A line that ends in a hyphen before a lower-case word is
// joined ("agree-" + "ment" → "agreement"; the two boxes keep their ranges).
import type { TextLayout } from '../core/types';
import type { ExtractedPart } from './document';

/** A word and its box on the page (top-left origin, in the page's unit). */
export interface WordBox {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** OCR: the recogniser's confidence, 0-1 */
  confidence?: number;
}

/**
 * What goes between two words: nothing, a space, a line break, a paragraph break; 'wrap' is a
 * line the page wrapped because it was full (the paragraph goes on): written as a space, so a
 * name or a date printed over the wrap reads as one; a hyphen at its end is dropped before a
 * lower-case word as at a line break ("agree-ment"), and kept, without a space, before a
 * capital or a digit ("Alcatel-Lucent").
 */
export type Separator = '' | ' ' | 'wrap' | '\n' | '\n\n';

const STRENGTH: Record<Separator, number> = { '': 0, ' ': 1, wrap: 2, '\n': 3, '\n\n': 4 };

interface OpenPart extends ExtractedPart {
  confidenceSum: number;
  words: number;
}

export class TextBuilder {
  private text = '';
  private readonly boxes: TextLayout['boxes'] = [];
  private readonly parts: ExtractedPart[] = [];
  private pending: Separator = '';
  private part: OpenPart | undefined;

  /** Starts a new part (page, role, source); the words that follow belong to it. */
  startPart(page: number, role: ExtractedPart['role'], source: ExtractedPart['source']): void {
    this.closePart();
    this.part = { start: -1, end: -1, page, role, source, confidenceSum: 0, words: 0 };
  }

  /** Asks for at least `sep` before the next word (the strongest request wins). */
  separate(sep: Separator): void {
    if (STRENGTH[sep] > STRENGTH[this.pending]) this.pending = sep;
  }

  /** The text's last `n` characters (to decide how a page joins the next). */
  tail(n: number): string {
    return this.text.slice(-n);
  }

  /** Appends one word (already normalised, without whitespace). */
  word(w: WordBox): void {
    const part = this.part;
    if (!part) throw new Error('TextBuilder.word before startPart');
    if (w.text === '') return;
    if ((this.pending === '\n' || this.pending === 'wrap') && this.hyphenatedBefore(w.text)) {
      // "agree-⏎ment": drop the hyphen, shrink the box that held it, join without a separator
      this.text = this.text.slice(0, -1);
      const last = this.boxes[this.boxes.length - 1];
      last.end -= 1;
      if (last.end === last.start) this.boxes.pop();
      this.pending = '';
    }
    // "Alcatel-⏎Lucent" wrapped at its hyphen: one word, the hyphen kept
    if (this.pending === 'wrap' && /\p{L}-$/u.test(this.text) && /^[\p{Lu}\d]/u.test(w.text)) this.pending = '';
    if (this.text !== '') this.text += this.pending === 'wrap' ? ' ' : this.pending;
    this.pending = '';
    const start = this.text.length;
    this.text += w.text;
    const end = this.text.length;
    const source = part.source;
    this.boxes.push({
      start,
      end,
      page: part.page,
      x0: w.x0,
      y0: w.y0,
      x1: w.x1,
      y1: w.y1,
      source,
      ...(w.confidence !== undefined ? { confidence: w.confidence } : {}),
    });
    if (part.start < 0) part.start = start;
    part.end = end;
    part.words++;
    if (w.confidence !== undefined) part.confidenceSum += w.confidence;
  }

  /** A letter, then a hyphen at the end of the text, and `next` starts with a lower-case letter. */
  private hyphenatedBefore(next: string): boolean {
    const t = this.text;
    if (!t.endsWith('-') || t.length < 2 || !/\p{L}/u.test(t[t.length - 2])) return false;
    const last = this.boxes[this.boxes.length - 1];
    if (!last || last.end !== t.length || last.end - last.start < 2) return false;
    return /^\p{Ll}/u.test(next);
  }

  private closePart(): void {
    const p = this.part;
    this.part = undefined;
    if (!p || p.start < 0) return;
    const { confidenceSum, words, ...part } = p;
    this.parts.push(part.source === 'ocr' && words > 0 ? { ...part, confidence: confidenceSum / words } : part);
  }

  finish(): { text: string; boxes: TextLayout['boxes']; parts: ExtractedPart[] } {
    this.closePart();
    return { text: this.text, boxes: this.boxes, parts: this.parts };
  }
}
