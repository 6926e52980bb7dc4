// intake's entry point: a PDF or an image (path or bytes) in, an ExtractedDocument out.
// PDF pages with a text layer are read from it, in reading order (reading-order.ts); pages
// without one, and images, go through OCR (ocr.ts) in a worker. Each page is one step: progress
// is reported per page, the AbortSignal is checked between pages and stops a running OCR at once,
// and a PDF over `maxPages` or an image over `maxMegapixels` is refused before any work.
// With a `cacheDir`, the result is cached by the file's SHA-256 (cache.ts).
import { firstLine } from '../core/errors';
import { InputError, readFileBytes } from '../io/files';
import { rangeBox, rangeConfidence } from './boxes';
import { readCachedDocument, sha256, writeCachedDocument } from './cache';
import type { FileKind, ExtractedDocument, ExtractedPage, IntakeProgress } from './document';
import { imageSize, sniffKind } from './formats';
import { normalizeExtracted } from './normalize';
import { OcrEngine, abortError, type OcrLine } from './ocr';
import { openPdf, type PdfPageContent } from './pdf';
import {
  findFurniture,
  groupLines,
  lineWords,
  readingOrder,
  separatorBetween,
  endsFull,
  textRight,
  splitSegments,
  type Line,
} from './reading-order';
import { TextBuilder, type Separator, type WordBox } from './text-builder';

export const DEFAULT_MAX_PAGES = 300;
export const DEFAULT_MAX_MEGAPIXELS = 30;
/** files larger than this are refused before they are read */
export const MAX_DOCUMENT_BYTES = 200 * 1024 * 1024;

export interface ExtractOptions {
  /** cancels the extraction; the promise rejects with an Error named 'AbortError' */
  signal?: AbortSignal;
  /** called as each page starts and while OCR works on it */
  onProgress?: (p: IntakeProgress) => void;
  /** cache results by content hash in this folder (created if missing); no cache without it */
  cacheDir?: string;
  /** refuse PDFs with more pages (default 300) */
  maxPages?: number;
  /** refuse images (and scanned pages) with more pixels, in millions (default 30) */
  maxMegapixels?: number;
  /** an OCR engine to reuse across documents (the caller terminates it); false: no OCR at all */
  ocr?: OcrEngine | false;
  /** the file's name in messages (default: the path, or "document") */
  name?: string;
}

/** A limit of ExtractOptions was exceeded; `message` names the file, the size and the limit. */
export class LimitError extends InputError {
  constructor(
    message: string,
    readonly limit: 'pages' | 'megapixels',
    readonly value: number,
    readonly max: number,
    path?: string,
  ) {
    super(message, path);
    this.name = 'LimitError';
  }
}

/** One page read, before the text is assembled. */
interface PageReading {
  info: ExtractedPage;
  /** segments (PDF) or lines (OCR) in reading order, each with the separator before it */
  body: { words: WordBox[]; sep: Separator }[];
  /** running headers, footers, page numbers */
  furniture: WordBox[][];
  /** its last line reaches the right edge of its text: a paragraph may go on on the next page */
  endsFull?: boolean;
}

/** Reads a PDF or an image (PNG, JPEG, TIFF) into an ExtractedDocument. */
export async function extractDocument(
  input: string | Uint8Array,
  options: ExtractOptions = {},
): Promise<ExtractedDocument> {
  const name = options.name ?? (typeof input === 'string' ? input : 'document');
  const bytes = typeof input === 'string' ? await readFileBytes(input, { maxBytes: MAX_DOCUMENT_BYTES }) : input;
  if (bytes.length === 0) throw new InputError(`${name}: the file is empty (0 bytes).`, name);
  const kind = sniffKind(bytes);
  if (!kind) throw new InputError(`${name}: not a PDF, PNG, JPEG or TIFF file (its first bytes say otherwise).`, name);
  const hash = sha256(bytes);
  const variant = options.ocr === false ? '-noocr' : '';
  if (options.cacheDir) {
    const cached = await readCachedDocument(options.cacheDir, hash, variant);
    if (cached) return cached;
  }
  const run = new Run(name, options);
  try {
    const pages = kind === 'pdf' ? await run.pdf(bytes) : [await run.image(bytes, kind)];
    const doc = assemble(kind, hash, pages);
    if (options.cacheDir) await writeCachedDocument(options.cacheDir, doc, variant);
    return doc;
  } finally {
    await run.close();
  }
}

/** The state of one extraction: its options, and the OCR engine it started (if any). */
class Run {
  private engine: OcrEngine | undefined;

  constructor(
    private readonly name: string,
    private readonly options: ExtractOptions,
  ) {}

  private check(): void {
    if (this.options.signal?.aborted) throw abortError(this.options.signal);
  }

  private progress(p: IntakeProgress): void {
    this.options.onProgress?.(p);
  }

  /** the caller's engine, or one of this run's own (terminated by close) */
  private ocrEngine(): OcrEngine {
    if (this.options.ocr) return this.options.ocr;
    this.engine ??= new OcrEngine();
    return this.engine;
  }

  async close(): Promise<void> {
    await this.engine?.terminate();
  }

  private async recognize(png: Buffer, page: number, pages: number): Promise<{ lines: OcrLine[]; confidence: number }> {
    const engine = this.ocrEngine();
    this.check();
    try {
      return await engine.recognize(png, {
        signal: this.options.signal,
        onProgress: (fraction) => this.progress({ stage: 'ocr', page, pages, fraction }),
      });
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') throw e;
      const message = firstLine(e);
      throw new InputError(
        `${this.name}: ${pages > 1 ? `page ${page}: ` : ''}OCR could not read the image (${message}).`,
        this.name,
      );
    }
  }

  private checkPixels(width: number, height: number, page?: number): void {
    const max = this.options.maxMegapixels ?? DEFAULT_MAX_MEGAPIXELS;
    const mp = (width * height) / 1e6;
    if (mp > max) {
      throw new LimitError(
        `${this.name}: ${page !== undefined ? `page ${page} is an image of` : 'the image has'} ${mp.toFixed(1)} megapixels ` +
          `(${width}×${height}), more than the limit of ${max}; scale it down (an A4 page at 300 dpi is 8.7 megapixels).`,
        'megapixels',
        mp,
        max,
        this.name,
      );
    }
  }

  async image(bytes: Uint8Array, kind: FileKind): Promise<PageReading> {
    const size = imageSize(bytes, kind);
    if (!size)
      throw new InputError(
        `${this.name}: the ${kind.toUpperCase()} image is damaged or cut off (its header cannot be read).`,
        this.name,
      );
    this.checkPixels(size.width, size.height);
    if (this.options.ocr === false) return emptyPage(1, size.width, size.height, 'px');
    this.progress({ stage: 'ocr', page: 1, pages: 1, fraction: 0 });
    const { lines, confidence } = await this.recognize(Buffer.from(bytes), 1, 1);
    return ocrReading(1, size.width, size.height, 'px', lines, confidence, (x, y) => [x, y]);
  }

  async pdf(bytes: Uint8Array): Promise<PageReading[]> {
    const reader = await openPdf(bytes, this.name);
    try {
      const max = this.options.maxPages ?? DEFAULT_MAX_PAGES;
      if (reader.pages > max) {
        throw new LimitError(
          `${this.name}: the PDF has ${reader.pages} pages, more than the limit of ${max}.`,
          'pages',
          reader.pages,
          max,
          this.name,
        );
      }
      const texts: PdfPageContent[] = [];
      const readings: (PageReading | undefined)[] = [];
      for (let n = 1; n <= reader.pages; n++) {
        this.check();
        this.progress({ stage: 'pdf', page: n, pages: reader.pages, fraction: 0 });
        const content = await reader.read(n, this.options.ocr !== false);
        texts.push(content);
        if (content.scan) {
          const { scan } = content;
          this.checkPixels(scan.width, scan.height, n);
          const { lines, confidence } = await this.recognize(scan.png, n, reader.pages);
          readings.push(ocrReading(n, content.width, content.height, 'pt', lines, confidence, scan.toPage));
        } else readings.push(undefined);
      }
      this.check();
      return textReadings(texts, readings);
    } finally {
      await reader.close().catch(() => undefined);
    }
  }
}

function emptyPage(page: number, width: number, height: number, unit: 'pt' | 'px'): PageReading {
  return { info: { page, width, height, unit, source: 'empty', words: 0 }, body: [], furniture: [] };
}

/** OCR lines in tesseract's reading order: a line break within a block, a blank line between blocks. */
function ocrReading(
  page: number,
  width: number,
  height: number,
  unit: 'pt' | 'px',
  lines: OcrLine[],
  confidence: number,
  toPage: (x: number, y: number) => [number, number],
): PageReading {
  const body: PageReading['body'] = [];
  let words = 0;
  lines.forEach((line, i) => {
    const ws: WordBox[] = [];
    for (const w of line.words) {
      const text = normalizeExtracted(w.text).replace(/\s+/g, '');
      if (text === '') continue;
      const [ax, ay] = toPage(w.x0, w.y0);
      const [bx, by] = toPage(w.x1, w.y1);
      ws.push({
        text,
        x0: clamp(Math.min(ax, bx), width),
        y0: clamp(Math.min(ay, by), height),
        x1: clamp(Math.max(ax, bx), width),
        y1: clamp(Math.max(ay, by), height),
        confidence: w.confidence,
      });
    }
    if (ws.length === 0) return;
    words += ws.length;
    body.push({ words: ws, sep: i > 0 && lines[i - 1].block !== line.block ? '\n\n' : '\n' });
  });
  return {
    info: {
      page,
      width,
      height,
      unit,
      source: words > 0 ? 'ocr' : 'empty',
      confidence: words > 0 ? confidence : undefined,
      words,
    },
    body,
    furniture: [],
  };
}

function clamp(v: number, max: number): number {
  return Math.max(0, Math.min(max, v));
}

/** Text-layer pages: lines, furniture across pages, segments in reading order. OCR pages as read. */
function textReadings(texts: PdfPageContent[], ocr: (PageReading | undefined)[]): PageReading[] {
  const lines = texts.map((t) =>
    groupLines(
      t.runs
        .map((r) => ({ ...r, text: normalizeExtracted(r.text) }))
        .map((r) => ({
          ...r,
          x0: clamp(r.x0, t.width),
          x1: clamp(r.x1, t.width),
          y0: clamp(r.y0, t.height),
          y1: clamp(r.y1, t.height),
        })),
    ),
  );
  const furniture =
    texts.length > 1
      ? findFurniture(texts.map((t, i) => ({ lines: ocr[i] ? [] : lines[i], height: t.height })))
      : new Set<Line>();
  return texts.map((t, i) => {
    const fromOcr = ocr[i];
    if (fromOcr) return fromOcr;
    const segments = readingOrder(lines[i].filter((l) => !furniture.has(l)).flatMap((l) => splitSegments(l)));
    const body: PageReading['body'] = [];
    let words = 0;
    segments.forEach((s, k) => {
      const ws = lineWords(s);
      if (ws.length === 0) return;
      words += ws.length;
      body.push({ words: ws, sep: k > 0 ? separatorBetween(segments[k - 1], s, textRight(segments, k - 1)) : '\n\n' });
    });
    const foot = lines[i].filter((l) => furniture.has(l)).map(lineWords);
    return {
      info: { page: t.page, width: t.width, height: t.height, unit: 'pt', source: words > 0 ? 'text' : 'empty', words },
      body,
      furniture: foot,
      endsFull: endsFull(segments),
    };
  });
}

/** The text of all pages: bodies in page order, then the furniture, one paragraph a line. */
function assemble(kind: FileKind, hash: string, pages: PageReading[]): ExtractedDocument {
  const b = new TextBuilder();
  let before: PageReading | undefined;
  for (const p of pages) {
    if (p.body.length === 0) continue;
    b.startPart(p.info.page, 'body', p.info.source === 'ocr' ? 'ocr' : 'text');
    // a page joins the previous one on a paragraph break where the previous one ended a
    // sentence, else on a line break; a wrap where its last line was full (the paragraph goes on)
    const ended = /[.!?:;]["'”’)]?$/.test(b.tail(2)) || b.tail(1) === '';
    b.separate(ended ? '\n\n' : before?.endsFull ? 'wrap' : '\n');
    before = p;
    p.body.forEach((seg, k) => {
      if (k > 0) b.separate(seg.sep);
      for (const w of seg.words) {
        b.word(w);
        b.separate(' ');
      }
    });
  }
  for (const p of pages) {
    for (const line of p.furniture) {
      b.startPart(p.info.page, 'furniture', p.info.source === 'ocr' ? 'ocr' : 'text');
      b.separate('\n\n');
      for (const w of line) {
        b.word(w);
        b.separate(' ');
      }
    }
  }
  const { text, boxes, parts } = b.finish();
  return {
    kind,
    sha256: hash,
    text,
    pages: pages.map((p) => p.info),
    layout: { pages: pages.map((p) => ({ width: p.info.width, height: p.info.height, unit: p.info.unit })), boxes },
    parts,
  };
}

/** An entity's page and box, and the lowest OCR confidence of its words (see boxes.ts). */
export function entityPlacement(
  doc: Pick<ExtractedDocument, 'layout'>,
  start: number,
  end: number,
): { page: number; box: [number, number, number, number]; ocrConfidence?: number } | undefined {
  const box = rangeBox(doc.layout, start, end);
  if (!box) return undefined;
  const round = (v: number): number => Math.round(v * 100) / 100;
  const ocrConfidence = rangeConfidence(doc.layout, start, end);
  return {
    page: box.page,
    box: [round(box.x0), round(box.y0), round(box.x1), round(box.y1)],
    ...(ocrConfidence !== undefined ? { ocrConfidence: round(ocrConfidence) } : {}),
  };
}
