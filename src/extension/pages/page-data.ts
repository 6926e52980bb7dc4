// What the page view is sent: the pages and the status line of an extraction (where its text came
// from; for OCR the mean word confidence, with a warning when it is poor, and the words read
// with low confidence), and the entities of the text view as boxes on the pages, in the colours
// of their decorations (decorations.ts: a label's theme colour, a labelColors override, or the
// fixed palette).
import { firstEndingAfter, rangeBoxes, type ExtractedDocument } from '../../model';
import type { BoxDto, BoxStyle, LayoutDto, PageEntityDto } from '../../shared/page-messages';
import { paletteColor, themeKey } from '../decorations';
import type { DisplayEntity } from '../tracked-document';

/** OCR words below this confidence are drawn dashed */
export const LOW_WORD_CONFIDENCE = 0.6;
/** a scan whose mean word confidence is below this gets a warning */
export const POOR_OCR = 0.7;
/** at most this many entities are drawn (a longer list is cut) */
const MAX_ENTITIES = 20_000;
const MAX_LOW_WORDS = 20_000;

const percent = (v: number): string => `${Math.round(v * 100)} %`;

export function layoutData(doc: ExtractedDocument): LayoutDto {
  const pages = doc.pages.map((p) => ({
    page: p.page,
    width: p.width,
    height: p.height,
    unit: p.unit,
    source: p.source,
    confidence: p.confidence ?? null,
    words: p.words,
  }));
  const ocr = doc.pages.filter((p) => p.source === 'ocr');
  const lowConfidence: BoxDto[] = [];
  let ocrWords = 0;
  for (const b of doc.layout.boxes) {
    if (b.confidence === undefined) continue;
    ocrWords++;
    if (b.confidence < LOW_WORD_CONFIDENCE && lowConfidence.length < MAX_LOW_WORDS)
      lowConfidence.push({ page: b.page, x0: b.x0, y0: b.y0, x1: b.x1, y1: b.y1 });
  }
  const n = doc.pages.length;
  const pageCount = `${n} page${n === 1 ? '' : 's'}`;
  const chars = `${doc.text.length.toLocaleString('en-US')} characters`;
  let status: string;
  let level: LayoutDto['level'] = 'info';
  if (doc.text.trim() === '') {
    status = `No text found on ${n === 1 ? 'this page' : `these ${n} pages`}.`;
    level = 'warning';
  } else if (ocr.length === 0) {
    status = `${kindName(doc)} · ${pageCount} · read from the text layer · ${chars}`;
  } else {
    const words = ocr.reduce((s, p) => s + p.words, 0);
    const mean = words > 0 ? ocr.reduce((s, p) => s + (p.confidence ?? 0) * p.words, 0) / words : 0;
    const low = `${lowConfidence.length} of ${ocrWords} words below ${percent(LOW_WORD_CONFIDENCE)} (dashed)`;
    const where = ocr.length === n ? 'OCR' : `OCR on ${ocr.length} of ${n} pages`;
    if (mean < POOR_OCR) {
      level = 'warning';
      status = `Poor OCR: mean word confidence ${percent(mean)}; check the entities against the page · ${low}`;
    } else status = `${kindName(doc)} · ${pageCount} · ${where} · mean word confidence ${percent(mean)} · ${low}`;
  }
  return { pages, status, level, lowConfidence };
}

function kindName(doc: ExtractedDocument): string {
  return doc.kind === 'pdf' ? 'PDF' : `${doc.kind.toUpperCase()} image`;
}

/** A label's colour as CSS: an override, its theme colour variable, or the palette's. */
export function labelCssColor(label: string, overrides: Record<string, string>): string {
  const custom = overrides[label];
  if (custom && /^#[0-9a-fA-F]{3,8}$/.test(custom)) return custom;
  const key = themeKey(label);
  if (key) return `var(--vscode-entityLens-${key}Border)`;
  return paletteColor(label);
}

export function boxStyle(e: DisplayEntity, threshold: number): BoxStyle {
  if (e.reviewed) return 'reviewed';
  return e.confidence < threshold ? 'low' : 'normal';
}

/** The entities with their line boxes on the pages (entities without a box are left out). */
export function entityData(
  doc: ExtractedDocument,
  entities: readonly DisplayEntity[],
  threshold: number,
  overrides: Record<string, string>,
): PageEntityDto[] {
  const out: PageEntityDto[] = [];
  for (const e of entities) {
    if (out.length >= MAX_ENTITIES) break;
    if (e.end > doc.text.length) continue;
    const boxes = rangeBoxes(doc.layout, e.start, e.end).map((b) => ({
      page: b.page,
      x0: b.x0,
      y0: b.y0,
      x1: b.x1,
      y1: b.y1,
    }));
    if (boxes.length === 0) continue;
    out.push({
      start: e.start,
      end: e.end,
      label: e.label,
      text: e.text,
      confidence: Number.isFinite(e.confidence) ? e.confidence : 0,
      style: boxStyle(e, threshold),
      color: labelCssColor(e.label, overrides),
      boxes,
    });
  }
  return out;
}

/** The boxes to highlight for a range of the text: its line boxes (a cursor: the word it is in). */
export function highlightBoxes(doc: ExtractedDocument, start: number, end: number): BoxDto[] {
  if (end > start) return rangeBoxes(doc.layout, start, end);
  const boxes = doc.layout.boxes;
  const word = boxes[firstEndingAfter(boxes, start - 1)];
  return word && word.start <= start ? [{ page: word.page, x0: word.x0, y0: word.y0, x1: word.x1, y1: word.y1 }] : [];
}
