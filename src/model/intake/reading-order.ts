// Reading order of a page's text runs (a PDF text layer's items): runs on one baseline make a
// line; a wide gap splits a line into segments (table cells, columns); a recursive XY cut orders
// the segments, cutting at the widest empty band first — a column gutter before the line gaps of
// the columns, a gap under a full-width title before the gutter below it. A key/value table
// (a narrow column whose rows line up with the other side) is read row by row instead.
// Running headers, footers and page numbers ("furniture") are found across pages and set apart.
import type { Separator, WordBox } from './text-builder';

/** A run of text on the page (top-left origin): one PDF text item, or a part of one. */
export interface Run {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Runs on one baseline, left to right: a whole line, or a segment of one. */
export interface Line {
  runs: Run[];
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function boxOf(runs: Run[]): Line {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const r of runs) {
    x0 = Math.min(x0, r.x0);
    y0 = Math.min(y0, r.y0);
    x1 = Math.max(x1, r.x1);
    y1 = Math.max(y1, r.y1);
  }
  return { runs, x0, y0, x1, y1 };
}

const heightOf = (b: { y0: number; y1: number }): number => Math.max(0.01, b.y1 - b.y0);
const middle = (b: { y0: number; y1: number }): number => (b.y0 + b.y1) / 2;

/** The text of a line or segment, runs joined as `segmentText` joins them. */
export function lineText(line: Line): string {
  return lineWords(line)
    .map((w) => w.text)
    .join(' ');
}

/** Groups runs into lines: a run joins a line when its middle lies within the line's height. */
export function groupLines(runs: readonly Run[]): Line[] {
  const sorted = runs.filter((r) => r.text.trim() !== '').sort((a, b) => middle(a) - middle(b) || a.x0 - b.x0);
  const lines: Run[][] = [];
  let current: Run[] = [];
  let top = 0;
  let bottom = 0;
  for (const r of sorted) {
    const m = middle(r);
    if (current.length > 0 && m >= top && m <= bottom) {
      current.push(r);
      continue;
    }
    if (current.length > 0) lines.push(current);
    current = [r];
    // the band a run's middle must fall in to share this line: the middle half of the first run
    top = m - heightOf(r) / 4;
    bottom = m + heightOf(r) / 4;
  }
  if (current.length > 0) lines.push(current);
  return lines.map((l) => boxOf(l.sort((a, b) => a.x0 - b.x0)));
}

/** Splits a line where the empty space between two runs is wider than `gapEm` times its height. */
export function splitSegments(line: Line, gapEm = 1.2): Line[] {
  const em = heightOf(line);
  const out: Run[][] = [];
  let current: Run[] = [];
  let right = -Infinity;
  for (const r of line.runs) {
    if (current.length > 0 && r.x0 - right > gapEm * em) {
      out.push(current);
      current = [];
    }
    current.push(r);
    right = Math.max(right, r.x1);
  }
  if (current.length > 0) out.push(current);
  return out.map(boxOf);
}

/**
 * The words of a line with their boxes. A run's characters are taken as equally wide, so a
 * word's box is its share of the run's box; runs closer than a fifth of the line's height are
 * one word when neither side has a space ("Agree" "ment" from two font changes).
 */
export function lineWords(line: Line): WordBox[] {
  const words: WordBox[] = [];
  const em = heightOf(line);
  let glued = false;
  let prevRight = -Infinity;
  for (const r of line.runs) {
    const n = r.text.length;
    const step = n > 0 ? (r.x1 - r.x0) / n : 0;
    const touching = r.x0 - prevRight < 0.2 * em && !/^\s/.test(r.text);
    let i = 0;
    let first = true;
    while (i < n) {
      while (i < n && r.text[i] === ' ') i++;
      if (i >= n) break;
      const start = i;
      while (i < n && r.text[i] !== ' ') i++;
      const word: WordBox = {
        text: r.text.slice(start, i),
        x0: r.x0 + start * step,
        y0: r.y0,
        x1: r.x0 + i * step,
        y1: r.y1,
      };
      const last = words[words.length - 1];
      if (first && start === 0 && glued && touching && last) {
        // continue the previous run's last word
        last.text += word.text;
        last.x1 = Math.max(last.x1, word.x1);
        last.y0 = Math.min(last.y0, word.y0);
        last.y1 = Math.max(last.y1, word.y1);
      } else words.push(word);
      first = false;
    }
    glued = n > 0 && r.text[n - 1] !== ' ';
    prevRight = r.x1;
  }
  return words;
}

interface Gap {
  size: number;
  at: number;
}

/** The widest empty band between the boxes' projections on one axis. */
function widestGap(items: readonly Line[], axis: 'x' | 'y'): Gap | undefined {
  const lo = axis === 'x' ? (b: Line): number => b.x0 : (b: Line): number => b.y0;
  const hi = axis === 'x' ? (b: Line): number => b.x1 : (b: Line): number => b.y1;
  const sorted = [...items].sort((a, b) => lo(a) - lo(b));
  let best: Gap | undefined;
  let reach = hi(sorted[0]);
  for (const b of sorted.slice(1)) {
    if (lo(b) > reach && (!best || lo(b) - reach > best.size)) best = { size: lo(b) - reach, at: (lo(b) + reach) / 2 };
    reach = Math.max(reach, hi(b));
  }
  return best;
}

/** Rows of a key/value table: a narrow side whose segments mostly share a baseline with the other side. */
function looksLikeRows(left: Line[], right: Line[], width: number): boolean {
  const narrow = Math.min(
    Math.max(...left.map((l) => l.x1)) - Math.min(...left.map((l) => l.x0)),
    Math.max(...right.map((l) => l.x1)) - Math.min(...right.map((l) => l.x0)),
  );
  if (narrow >= 0.3 * width) return false;
  const [fewer, more] = left.length <= right.length ? [left, right] : [right, left];
  const aligned = fewer.filter((a) => more.some((b) => Math.abs(middle(a) - middle(b)) < heightOf(a) / 2)).length;
  return aligned >= 0.8 * fewer.length;
}

const MAX_CUT_SEGMENTS = 4000;

/** Segments in reading order by recursive XY cuts (see the file header). */
export function readingOrder(segments: readonly Line[]): Line[] {
  if (segments.length > MAX_CUT_SEGMENTS) return [...segments].sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
  const out: Line[] = [];
  cut([...segments], out);
  return out;
}

function cut(items: Line[], out: Line[]): void {
  if (items.length <= 1) {
    out.push(...items);
    return;
  }
  const em = median(items.map(heightOf));
  const v = widestGap(items, 'x');
  const h = widestGap(items, 'y');
  if (v && v.size >= 1.5 * em && (!h || v.size > h.size)) {
    const left = items.filter((b) => b.x1 <= v.at);
    const right = items.filter((b) => b.x0 >= v.at);
    const width = Math.max(...items.map((b) => b.x1)) - Math.min(...items.map((b) => b.x0));
    if (!h || !looksLikeRows(left, right, width)) {
      cut(left, out);
      cut(right, out);
      return;
    }
  }
  if (h) {
    cut(
      items.filter((b) => b.y1 <= h.at),
      out,
    );
    cut(
      items.filter((b) => b.y0 >= h.at),
      out,
    );
    return;
  }
  // overlapping boxes with no empty band between them: top to bottom, left to right
  out.push(...items.sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 1;
}

/**
 * What separates segment `b` from the segment `a` read before it. `right`: the right edge of
 * the text `a` belongs to; given, a line break is a wrap when `a` was full: `b` starts no
 * further right than `a` and its first word would not have fitted after `a`.
 */
export function separatorBetween(a: Line, b: Line, right?: number): Separator {
  const h = Math.max(heightOf(a), heightOf(b));
  if (Math.abs(middle(a) - middle(b)) < h / 2) return b.x0 >= a.x1 ? ' ' : '\n\n';
  if (b.y0 >= a.y1 - 0.25 * h) {
    if (b.y0 - a.y1 > 0.8 * h) return '\n\n';
    if (right === undefined || b.x0 > a.x0 + 0.5 * h) return '\n';
    const first = lineWords(b)[0];
    const fits = first !== undefined && a.x1 + 0.3 * h + (first.x1 - first.x0) <= right;
    return fits ? '\n' : 'wrap';
  }
  return '\n\n'; // back up the page: the next column
}

/**
 * Whether the last of a page's segments (in reading order) reaches the right edge of its text,
 * within two of its line heights: a paragraph may go on on the next page.
 */
export function endsFull(segments: readonly Line[]): boolean {
  const last = segments[segments.length - 1];
  return last !== undefined && last.x1 >= textRight(segments, segments.length - 1) - 2 * heightOf(last);
}

/**
 * The right edge of the text around segment `k`: the furthest right of the segments within 40
 * of it in reading order that share some of its width (its column, not the one beside it).
 */
export function textRight(segments: readonly Line[], k: number): number {
  const line = segments[k];
  let right = line.x1;
  for (let i = Math.max(0, k - 40); i < Math.min(segments.length, k + 41); i++) {
    const s = segments[i];
    if (s.x0 < line.x1 && s.x1 > line.x0) right = Math.max(right, s.x1);
  }
  return right;
}

// ---------------------------------------------------------------------------
// Furniture: running headers, footers, page numbers

const PAGE_NUMBER = /^(?:page\s+)?[-–—(]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—)]?(?:\s*(?:of|\/)\s*\d{1,4})?$/i;

/** A line's text with digits masked, lower case, spaces collapsed: "Page 3 of 9" ~ "page # of #". */
function furnitureKey(line: Line): string {
  return lineText(line).toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
}

/**
 * The lines of each page that are furniture: the first or last line of a page when it is a bare
 * page number set apart from its neighbours by at least its own height, and, among the first two
 * and last two lines inside the top or bottom 12 % of the page, a text that (digits aside) recurs
 * there on at least two pages and at least a third of them.
 */
export function findFurniture(pages: readonly { lines: Line[]; height: number }[]): Set<Line> {
  const out = new Set<Line>();
  const candidates: { line: Line; key: string }[][] = pages.map(({ lines, height }) => {
    const byY = [...lines].sort((a, b) => a.y0 - b.y0);
    const first = byY[0];
    const last = byY[byY.length - 1];
    if (first && PAGE_NUMBER.test(lineText(first).trim()) && (!byY[1] || byY[1].y0 - first.y1 >= heightOf(first)))
      out.add(first);
    if (
      last &&
      PAGE_NUMBER.test(lineText(last).trim()) &&
      (byY.length < 2 || last.y0 - byY[byY.length - 2].y1 >= heightOf(last))
    )
      out.add(last);
    const top = byY.slice(0, 2).filter((l) => l.y1 <= 0.12 * height);
    const bottom = byY.slice(-2).filter((l) => l.y0 >= 0.88 * height && !top.includes(l));
    return [...top, ...bottom].map((line) => ({ line, key: furnitureKey(line) }));
  });
  const pagesWithKey = new Map<string, number>();
  for (const c of candidates)
    for (const key of new Set(c.map((x) => x.key))) pagesWithKey.set(key, (pagesWithKey.get(key) ?? 0) + 1);
  const needed = Math.max(2, Math.ceil(pages.length / 3));
  for (const c of candidates) for (const { line, key } of c) if ((pagesWithKey.get(key) ?? 0) >= needed) out.add(line);
  return out;
}
