// From a range of an extracted text back to the page: the boxes it covers, one per line (a
// range that starts or ends inside a word's box gets the matching share of it, its characters
// taken as equally wide), and the one page and box the CLI reports for an entity — the page where
// the entity starts and the union of its line boxes on that page (an address over three lines
// gets the box around the three lines; the part on a next page, if any, is in rangeBoxes); and
// the other way, from a point on a page to the word box there (boxAt).
import { firstEndingAfter } from '../core/ranges';
import type { PageBox, TextLayout } from '../core/types';

/** The line boxes of text[start, end), in text order; empty when the range has no box. */
export function rangeBoxes(layout: TextLayout, start: number, end: number): PageBox[] {
  const out: PageBox[] = [];
  const boxes = layout.boxes;
  for (let i = firstEndingAfter(boxes, start); i < boxes.length && boxes[i].start < end; i++) {
    const b = boxes[i];
    const from = Math.max(b.start, start);
    const to = Math.min(b.end, end);
    if (to <= from) continue;
    const n = b.end - b.start;
    const w = b.x1 - b.x0;
    const part: PageBox = {
      page: b.page,
      x0: b.x0 + (w * (from - b.start)) / n,
      y0: b.y0,
      x1: b.x0 + (w * (to - b.start)) / n,
      y1: b.y1,
    };
    const last = out[out.length - 1];
    if (last && last.page === part.page && sameLine(last, part) && part.x0 >= last.x0) {
      last.x1 = Math.max(last.x1, part.x1);
      last.y0 = Math.min(last.y0, part.y0);
      last.y1 = Math.max(last.y1, part.y1);
    } else out.push(part);
  }
  return out;
}

function sameLine(a: PageBox, b: PageBox): boolean {
  const overlap = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return overlap > 0.5 * Math.min(a.y1 - a.y0, b.y1 - b.y0);
}

/** The page where text[start, end) starts and the union of its boxes there; undefined without a box. */
export function rangeBox(layout: TextLayout, start: number, end: number): PageBox | undefined {
  const lines = rangeBoxes(layout, start, end);
  if (lines.length === 0) return undefined;
  const page = lines[0].page;
  const union = { ...lines[0] };
  for (const l of lines) {
    if (l.page !== page) continue;
    union.x0 = Math.min(union.x0, l.x0);
    union.y0 = Math.min(union.y0, l.y0);
    union.x1 = Math.max(union.x1, l.x1);
    union.y1 = Math.max(union.y1, l.y1);
  }
  return union;
}

/**
 * The lowest and the mean OCR word confidence (0-1) of the boxes inside text[start, end);
 * undefined when no OCR box is there (a text layer's boxes carry no confidence).
 */
export function rangeConfidences(
  layout: TextLayout,
  start: number,
  end: number,
): { min: number; mean: number } | undefined {
  let min = Infinity;
  let sum = 0;
  let n = 0;
  const boxes = layout.boxes;
  for (let i = firstEndingAfter(boxes, start); i < boxes.length && boxes[i].start < end; i++) {
    const c = boxes[i].confidence;
    if (c === undefined) continue;
    min = Math.min(min, c);
    sum += c;
    n++;
  }
  return n > 0 ? { min, mean: sum / n } : undefined;
}

/** The lowest OCR word confidence (0-1) inside text[start, end); undefined when no OCR box is there. */
export function rangeConfidence(layout: TextLayout, start: number, end: number): number | undefined {
  return rangeConfidences(layout, start, end)?.min;
}

/**
 * The word box at a point of a page (a click on the page view), or else the nearest one on that
 * page within `maxDistance` (in the page's unit); undefined when none is that close.
 */
export function boxAt(
  layout: TextLayout,
  page: number,
  x: number,
  y: number,
  maxDistance = 20,
): TextLayout['boxes'][number] | undefined {
  let best: TextLayout['boxes'][number] | undefined;
  let bestDistance = Infinity;
  for (const b of layout.boxes) {
    if (b.page !== page) continue;
    const dx = Math.max(b.x0 - x, 0, x - b.x1);
    const dy = Math.max(b.y0 - y, 0, y - b.y1);
    const d = Math.hypot(dx, dy);
    if (d < bestDistance) {
      best = b;
      bestDistance = d;
      if (d === 0) break;
    }
  }
  return bestDistance <= maxDistance ? best : undefined;
}
