// Line and page features of tokens, read by models whose config names the feature set
// (`features: 'lines-1'`): where a token sits in its line (first, last, alone), whether its line
// follows or precedes a blank line, a wide gap of spaces beside it, the line's indentation,
// length and shape (capitals, digits, title case, a final colon), and its place on the page
// (x at its start and end, y, relative line height).
//
// Everything is a function of the text and, when a document has pages, of its TextLayout; the
// same function serves training, tagging and the editor, so a network sees the same values for
// the same line however the text reached it. Plain text has no page, so it gets stand-ins drawn
// from the text itself: x from the column (a 100-column line spans 0..1, as a full-width line
// spans the page's text box), y from the line's place in its paragraph (60 lines span 0..1, as
// the lines of a page do), and a line height equal to the document's usual one (0 on the log
// scale). A block of whole lines that starts at a paragraph's first line (what the editor tags)
// gets exactly the features the whole document gives those lines.
import { firstEndingAfter } from '../core/ranges';
import type { TextLayout, Token } from '../core/types';

/** The feature set this file computes; a model's config names it. */
export const LINE_FEATURES = 'lines-1';

/** What each of the FEATURE_DIM values of a token means, in order. */
export const LINE_FEATURE_NAMES = [
  'first in line',
  'last in line',
  'alone in line',
  'line follows a blank line',
  'line precedes a blank line',
  'wide gap before',
  'wide gap after',
  'indentation',
  'line length',
  'words in line',
  'line in capitals',
  'line mostly digits',
  'line ends with a colon',
  'line in title case',
  'x at start',
  'x at end',
  'y',
  'line height',
] as const;

export const LINE_FEATURE_DIM = LINE_FEATURE_NAMES.length;

/** Feature sets this engine computes (a model naming another cannot be used here). */
export function isKnownFeatureSet(name: unknown): boolean {
  return name === LINE_FEATURES;
}

/** Spaces (3+) or a tab between two tokens of a line: a column gap, or CUAD's flattened layout. */
const GAP_SPACES = 3;
const TAB_WIDTH = 4;
const INDENT_SCALE = 20;
const LINE_CHARS_SCALE = 100;
const LINE_WORDS_SCALE = 20;
/** columns of a line as wide as the page (plain text's stand-in for x) */
const PAGE_COLUMNS = 100;
/** lines of a page (plain text's stand-in for y: the line's place in its paragraph) */
const PAGE_LINES = 60;

function isLineBreak(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;
}

/** Whitespace inside a line: the tokenizer's spaces without the line breaks. */
function isBlank(c: number): boolean {
  if (c < 128) return c === 0x20 || c === 0x09 || c === 0x0b || c === 0x0c;
  return (
    c === 0x00a0 ||
    c === 0x00ad ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200d) ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Upper (1), lower (-1) or neither (0), for one UTF-16 unit. */
function letterCase(c: number): number {
  if (c >= 0x41 && c <= 0x5a) return 1;
  if (c >= 0x61 && c <= 0x7a) return -1;
  if (c < 128) return 0;
  const ch = String.fromCharCode(c);
  const lower = ch.toLowerCase();
  const upper = ch.toUpperCase();
  if (lower === upper) return 0;
  return ch === upper ? 1 : -1;
}

/** One line of a text: its range without the break, and what the features read from it. */
interface Line {
  start: number;
  /** end of the line's characters, before its line break */
  end: number;
  /** first and one past the last non-blank character; equal when the line is blank */
  contentStart: number;
  contentEnd: number;
  indent: number;
  words: number;
  allCaps: boolean;
  mostlyDigits: boolean;
  endsColon: boolean;
  titleCase: boolean;
  /** a blank line (or the text's start, or a paragraph separator) comes before / after it */
  paragraphStart: boolean;
  paragraphEnd: boolean;
  /** lines since its paragraph's first line */
  inParagraph: number;
}

/** The lines of a text, found once, with their shapes. */
export class LineTable {
  readonly lines: Line[] = [];

  constructor(readonly text: string) {
    const n = text.length;
    let start = 0;
    // whether the break before the current line was a paragraph separator
    let separatorBefore = false;
    for (;;) {
      let end = start;
      while (end < n && !isLineBreak(text.charCodeAt(end))) end++;
      this.lines.push(describeLine(text, start, end, separatorBefore));
      if (end >= n) break;
      const c = text.charCodeAt(end);
      separatorBefore = c === 0x2029;
      start = c === 0x0d && text.charCodeAt(end + 1) === 0x0a ? end + 2 : end + 1;
    }
    this.linkParagraphs();
  }

  /** Index of the line holding offset `at` (the last line for offsets past the end). */
  lineAt(at: number): number {
    // lines are sorted and disjoint; a line's range is [start, end], breaks between them
    let lo = 0;
    let hi = this.lines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lines[mid].start <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private linkParagraphs(): void {
    const lines = this.lines;
    const blank = (i: number) => lines[i].contentStart === lines[i].contentEnd;
    let inParagraph = 0;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      l.paragraphStart ||= i === 0 || blank(i - 1);
      inParagraph = l.paragraphStart ? 0 : inParagraph + 1;
      l.inParagraph = inParagraph;
      const next = lines[i + 1];
      l.paragraphEnd = !next || blank(i + 1) || next.paragraphStart;
    }
  }
}

function describeLine(text: string, start: number, end: number, separatorBefore: boolean): Line {
  let indent = 0;
  let i = start;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!isBlank(c)) break;
    indent += c === 0x09 ? TAB_WIDTH : 1;
  }
  const contentStart = i;
  let contentEnd = end;
  while (contentEnd > contentStart && isBlank(text.charCodeAt(contentEnd - 1))) contentEnd--;
  let upper = 0;
  let lower = 0;
  let digits = 0;
  let visible = 0;
  let words = 0;
  let wordsWithLetter = 0;
  let capitalised = 0;
  let inWord = false;
  for (let k = contentStart; k < contentEnd; k++) {
    const c = text.charCodeAt(k);
    if (isBlank(c)) {
      inWord = false;
      continue;
    }
    visible++;
    const kase = letterCase(c);
    if (kase > 0) upper++;
    else if (kase < 0) lower++;
    else if (c >= 0x30 && c <= 0x39) digits++;
    if (!inWord) {
      inWord = true;
      words++;
      if (kase !== 0) {
        wordsWithLetter++;
        if (kase > 0) capitalised++;
      }
    }
  }
  return {
    start,
    end,
    contentStart,
    contentEnd,
    indent,
    words,
    allCaps: upper >= 2 && lower === 0,
    mostlyDigits: visible > 0 && digits * 2 >= visible,
    endsColon: contentEnd > contentStart && text.charCodeAt(contentEnd - 1) === 0x3a,
    titleCase: wordsWithLetter > 0 && capitalised * 5 >= wordsWithLetter * 4 && lower > 0,
    paragraphStart: separatorBefore,
    paragraphEnd: false,
    inParagraph: 0,
  };
}

/** Whether `count` blanks (a tab counts as wide) lie right before `at` on its line, after content. */
function gapBefore(text: string, at: number, lineContentStart: number): boolean {
  if (at <= lineContentStart) return false;
  let spaces = 0;
  for (let i = at - 1; i >= lineContentStart; i--) {
    const c = text.charCodeAt(i);
    if (!isBlank(c)) return false;
    if (c === 0x09) return true;
    if (++spaces >= GAP_SPACES) return true;
  }
  return false;
}

function gapAfter(text: string, at: number, lineContentEnd: number): boolean {
  if (at >= lineContentEnd) return false;
  let spaces = 0;
  for (let i = at; i < lineContentEnd; i++) {
    const c = text.charCodeAt(i);
    if (!isBlank(c)) return false;
    if (c === 0x09) return true;
    if (++spaces >= GAP_SPACES) return true;
  }
  return false;
}

const clip01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

/** Per page: the extent of its text boxes, against which x and y are measured. */
interface PageExtent {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** A TextLayout prepared for lookups: page extents and the usual line height. */
class PagePositions {
  private readonly extents = new Map<number, PageExtent>();
  private readonly medianHeight: number;

  constructor(
    readonly layout: TextLayout,
    /** where the text being tagged starts in the text the layout describes */
    readonly offset: number,
  ) {
    const heights: number[] = [];
    for (const b of layout.boxes) {
      const e = this.extents.get(b.page);
      if (!e) this.extents.set(b.page, { x0: b.x0, x1: b.x1, y0: b.y0, y1: b.y1 });
      else {
        e.x0 = Math.min(e.x0, b.x0);
        e.x1 = Math.max(e.x1, b.x1);
        e.y0 = Math.min(e.y0, b.y0);
        e.y1 = Math.max(e.y1, b.y1);
      }
      if (b.y1 > b.y0) heights.push(b.y1 - b.y0);
    }
    heights.sort((a, b) => a - b);
    this.medianHeight = heights.length ? heights[heights.length >> 1] : 0;
  }

  /** x at start and end, y and log2 relative height of a token, or null if no box holds it. */
  place(token: Token): [number, number, number, number] | null {
    const start = token.start + this.offset;
    const end = token.end + this.offset;
    const boxes = this.layout.boxes;
    const k = firstEndingAfter(boxes, start);
    const b = boxes[k];
    if (!b || b.start > start) return null;
    const e = this.extents.get(b.page) as PageExtent;
    const width = b.end - b.start;
    const at = (pos: number) => b.x0 + ((Math.min(pos, b.end) - b.start) / Math.max(1, width)) * (b.x1 - b.x0);
    const spanX = e.x1 - e.x0;
    const spanY = e.y1 - e.y0;
    const x0 = spanX > 0 ? (at(start) - e.x0) / spanX : 0;
    const x1 = spanX > 0 ? (at(end) - e.x0) / spanX : 0;
    const y = spanY > 0 ? (b.y0 - e.y0) / spanY : 0;
    const h = b.y1 - b.y0;
    const height = this.medianHeight > 0 && h > 0 ? Math.max(-1, Math.min(1, Math.log2(h / this.medianHeight))) : 0;
    return [clip01(x0), clip01(x1), clip01(y), height];
  }
}

export interface LineFeatureOptions {
  /** page layout of the text (PDF, OCR); without it, plain text's stand-ins */
  layout?: TextLayout;
  /** where `text` starts in the text the layout's offsets refer to (an editor block's start) */
  layoutOffset?: number;
}

/** Line and page features of the tokens of one text; build once per text, ask per window. */
export class LineFeatures {
  readonly table: LineTable;
  private readonly pages: PagePositions | null;

  constructor(
    readonly text: string,
    options: LineFeatureOptions = {},
  ) {
    this.table = new LineTable(text);
    this.pages =
      options.layout && options.layout.boxes.length > 0
        ? new PagePositions(options.layout, options.layoutOffset ?? 0)
        : null;
  }

  /** [tokens.length × LINE_FEATURE_DIM], row-major; tokens are tokens of this text. */
  of(tokens: readonly Token[]): Float32Array {
    const K = LINE_FEATURE_DIM;
    const out = new Float32Array(tokens.length * K);
    const { text } = this;
    const lines = this.table.lines;
    let li = tokens.length > 0 ? this.table.lineAt(tokens[0].start) : 0;
    for (let t = 0; t < tokens.length; t++) {
      const tok = tokens[t];
      // tokens are sorted: walk forward instead of searching again
      while (li + 1 < lines.length && lines[li + 1].start <= tok.start) li++;
      if (lines[li].start > tok.start) li = this.table.lineAt(tok.start);
      const l = lines[li];
      const o = t * K;
      const first = tok.start <= l.contentStart;
      const last = tok.end >= l.contentEnd;
      out[o] = first ? 1 : 0;
      out[o + 1] = last ? 1 : 0;
      out[o + 2] = first && last ? 1 : 0;
      out[o + 3] = l.paragraphStart ? 1 : 0;
      out[o + 4] = l.paragraphEnd ? 1 : 0;
      out[o + 5] = gapBefore(text, tok.start, l.contentStart) ? 1 : 0;
      out[o + 6] = gapAfter(text, tok.end, l.contentEnd) ? 1 : 0;
      out[o + 7] = Math.min(l.indent, INDENT_SCALE) / INDENT_SCALE;
      out[o + 8] = Math.min(l.contentEnd - l.contentStart, LINE_CHARS_SCALE) / LINE_CHARS_SCALE;
      out[o + 9] = Math.min(l.words, LINE_WORDS_SCALE) / LINE_WORDS_SCALE;
      out[o + 10] = l.allCaps ? 1 : 0;
      out[o + 11] = l.mostlyDigits ? 1 : 0;
      out[o + 12] = l.endsColon ? 1 : 0;
      out[o + 13] = l.titleCase ? 1 : 0;
      const placed = this.pages?.place(tok);
      if (placed) {
        out[o + 14] = placed[0];
        out[o + 15] = placed[1];
        out[o + 16] = placed[2];
        out[o + 17] = placed[3];
      } else {
        const column = tok.start - l.start;
        out[o + 14] = Math.min(column, PAGE_COLUMNS) / PAGE_COLUMNS;
        out[o + 15] = Math.min(column + tok.end - tok.start, PAGE_COLUMNS) / PAGE_COLUMNS;
        out[o + 16] = Math.min(l.inParagraph, PAGE_LINES) / PAGE_LINES;
        out[o + 17] = 0;
      }
    }
    return out;
  }
}

/**
 * Features of tokens whose text is not at hand (sequences made from tokens alone): the tokens
 * at their offsets with spaces between them, i.e. one line. Only for such sequences; a text
 * gives the real line context.
 */
export function lineFeaturesOfTokens(tokens: readonly Token[]): Float32Array {
  if (tokens.length === 0) return new Float32Array(0);
  const base = tokens[0].start;
  let text = '';
  for (const t of tokens) {
    text += ' '.repeat(Math.max(0, t.start - base - text.length)) + t.text;
  }
  const shifted = tokens.map((t) => ({ text: t.text, start: t.start - base, end: t.end - base }));
  return new LineFeatures(text).of(shifted);
}
