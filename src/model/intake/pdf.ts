// PDF pages through pdf.js (the `unpdf` build: pdf.js 5 with its worker inlined, so it runs in
// Node with no worker file, no canvas and no network — no font, CMap or worker URL is given).
// For each page: its size in points, its text items as runs in top-left coordinates, and, when
// the page has no usable text layer but a picture covers it (a scan), that picture as PNG bytes
// with the mapping from its pixels to the page.
import { firstLine } from '../core/errors';
import { InputError } from '../io/files';
import { encodePng } from './png';
import type { Run } from './reading-order';

// the few pdf.js shapes used here (unpdf's own types pull in an optional canvas package)
interface PdfJs {
  getDocument(params: object): { promise: Promise<PdfDocument>; destroy(): Promise<void> };
  OPS: Record<string, number>;
  Util: { transform(a: number[], b: number[]): number[] };
}
interface PdfDocument {
  numPages: number;
  getPage(n: number): Promise<PdfPageProxy>;
  destroy(): Promise<void>;
}
interface PdfViewport {
  width: number;
  height: number;
  transform: number[];
}
interface PdfPageProxy {
  getViewport(o: { scale: number }): PdfViewport;
  getTextContent(): Promise<{
    items: ({ str: string; transform: number[]; width: number; height: number } | object)[];
  }>;
  getOperatorList(): Promise<{ fnArray: number[]; argsArray: unknown[][] }>;
  objs: PdfObjects;
  commonObjs: PdfObjects;
  cleanup(): void;
}
interface PdfObjects {
  get(id: string, callback: (value: unknown) => void): void;
}
interface PdfImage {
  width: number;
  height: number;
  kind?: number;
  data?: Uint8Array | Uint8ClampedArray;
}

let pdfjs: Promise<PdfJs> | undefined;

/** pdf.js, loaded once (an ES module, imported by unpdf's CommonJS entry). */
export function loadPdfJs(): Promise<PdfJs> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  pdfjs ??= (require('unpdf') as { getResolvedPDFJS(): Promise<PdfJs> }).getResolvedPDFJS();
  return pdfjs;
}

/** A picture covering a page with no usable text layer, to be read by OCR. */
export interface PageScan {
  png: Buffer;
  width: number;
  height: number;
  /** image pixel (top-left origin) → page point (top-left origin) */
  toPage(x: number, y: number): [number, number];
}

export interface PdfPageContent {
  page: number;
  width: number;
  height: number;
  runs: Run[];
  scan?: PageScan;
}

export interface PdfReader {
  pages: number;
  /** the text runs of page `n` (1-based), and its picture when it needs OCR */
  read(n: number, wantScan: boolean): Promise<PdfPageContent>;
  close(): Promise<void>;
}

/** Opens a PDF; encrypted and damaged files become InputErrors naming `name`. */
export async function openPdf(bytes: Uint8Array, name: string): Promise<PdfReader> {
  const lib = await loadPdfJs();
  const task = lib.getDocument({
    data: new Uint8Array(bytes), // pdf.js takes the buffer over
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    useWorkerFetch: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  let doc: PdfDocument;
  try {
    doc = await task.promise;
  } catch (e) {
    await task.destroy().catch(() => undefined);
    throw pdfError(e, name);
  }
  return {
    pages: doc.numPages,
    read: (n, wantScan) => readPage(lib, doc, n, wantScan).catch((e: unknown) => Promise.reject(pdfError(e, name, n))),
    close: () => doc.destroy(),
  };
}

function pdfError(e: unknown, name: string, page?: number): Error {
  const kind = (e as { name?: string } | null)?.name;
  const message = firstLine(e);
  if (kind === 'PasswordException') {
    return new InputError(`${name}: the PDF is encrypted with a password; save an unprotected copy first.`, name);
  }
  if (kind === 'InvalidPDFException' || kind === 'FormatError' || kind === 'XRefParseException') {
    return new InputError(
      `${name}: the file is not a readable PDF (${message.replace(/\.$/, '')}); it may be damaged or cut off.`,
      name,
    );
  }
  if (kind === 'AbortError') return e as Error;
  return new InputError(
    `${name}: ${page !== undefined ? `page ${page} of ` : ''}the PDF could not be read (${message.replace(/\.$/, '')}).`,
    name,
  );
}

async function readPage(lib: PdfJs, doc: PdfDocument, n: number, wantScan: boolean): Promise<PdfPageContent> {
  const page = await doc.getPage(n);
  try {
    const viewport = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    const runs: Run[] = [];
    for (const item of content.items) {
      if (!('str' in item) || item.str.trim() === '') continue;
      const run = itemRun(lib, viewport, item);
      if (run) runs.push(run);
    }
    const result: PdfPageContent = { page: n, width: viewport.width, height: viewport.height, runs };
    if (wantScan && !usableText(runs)) {
      const scan = await pageScan(lib, page, viewport);
      if (scan) result.scan = scan;
    }
    return result;
  } finally {
    page.cleanup();
  }
}

/** A text item's box in top-left page coordinates (upright text; rotated text gets its bounding box). */
function itemRun(
  lib: PdfJs,
  viewport: PdfViewport,
  item: { str: string; transform: number[]; width: number; height: number },
): Run | undefined {
  const m = lib.Util.transform(viewport.transform, item.transform);
  const size = Math.hypot(m[2], m[3]) || Math.hypot(m[0], m[1]);
  if (!Number.isFinite(size) || size <= 0) return undefined;
  // baseline start (m[4], m[5]); the advance runs along the text direction
  const angle = Math.atan2(m[1], m[0]);
  const scale = Math.hypot(viewport.transform[0], viewport.transform[1]) || 1;
  const advance = item.width * scale;
  const ex = m[4] + advance * Math.cos(angle);
  const ey = m[5] + advance * Math.sin(angle);
  const ascent = 0.8 * size;
  const descent = 0.2 * size;
  // the text's up direction in viewport space (y grows downwards)
  const ux = Math.sin(angle);
  const uy = -Math.cos(angle);
  const xs = [m[4] + ux * ascent, m[4] - ux * descent, ex + ux * ascent, ex - ux * descent];
  const ys = [m[5] + uy * ascent, m[5] - uy * descent, ey + uy * ascent, ey - uy * descent];
  return { text: item.str, x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

/** Enough letters or digits that are not replacement or private-use characters. */
function usableText(runs: Run[]): boolean {
  let good = 0;
  let bad = 0;
  for (const r of runs) {
    for (const c of r.text) {
      if (/[\p{L}\p{N}]/u.test(c)) good++;
      else if (c === '\ufffd' || /\p{Co}/u.test(c)) bad++;
    }
  }
  return good >= 10 && bad < 0.3 * (good + bad);
}

/**
 * The largest picture painted on the page, if it covers at least a third of it, as PNG bytes
 * and its placement (the current transformation matrix when it was painted).
 */
async function pageScan(lib: PdfJs, page: PdfPageProxy, viewport: PdfViewport): Promise<PageScan | undefined> {
  const ops = await page.getOperatorList();
  const { OPS } = lib;
  let ctm = [1, 0, 0, 1, 0, 0];
  const stack: number[][] = [];
  let best: { id: string; ctm: number[]; area: number } | undefined;
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i];
    const args = ops.argsArray[i];
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.transform) ctm = lib.Util.transform(ctm, args as number[]);
    else if (fn === OPS.paintFormXObjectBegin) {
      stack.push(ctm);
      if (Array.isArray(args[0])) ctm = lib.Util.transform(ctm, args[0] as number[]);
    } else if (fn === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.paintImageXObject && typeof args[0] === 'string') {
      const area = Math.abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]);
      if (!best || area > best.area) best = { id: args[0], ctm, area };
    }
  }
  if (!best || best.area < (viewport.width * viewport.height) / 3) return undefined;
  const objs = best.id.startsWith('g_') ? page.commonObjs : page.objs;
  const image = await objectOf(objs, best.id);
  const pixels = image && imagePixels(image);
  if (!image || !pixels) return undefined;
  const { width, height } = image;
  const m = lib.Util.transform(viewport.transform, best.ctm);
  return {
    png: encodePng(pixels.data, width, height, pixels.channels),
    width,
    height,
    // pixel (x, y) → unit square (x / w, 1 - y / h) → page
    toPage: (x, y) => {
      const u = x / width;
      const v = 1 - y / height;
      return [m[0] * u + m[2] * v + m[4], m[1] * u + m[3] * v + m[5]];
    },
  };
}

/** An image object of the page once pdf.js has decoded it; undefined if it never comes. */
function objectOf(objs: PdfObjects, id: string): Promise<PdfImage | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), IMAGE_TIMEOUT_MS);
    objs.get(id, (value) => {
      clearTimeout(timer);
      resolve((value as PdfImage | null) ?? undefined);
    });
  });
}

/** how long a page's picture may take to decode before the page is taken as having none */
const IMAGE_TIMEOUT_MS = 60_000;

/** pdf.js image data as 8-bit grey, RGB or RGBA rows (1-bit images are unpacked: set bits are white). */
function imagePixels(image: PdfImage): { data: Uint8Array; channels: 1 | 3 | 4 } | undefined {
  const { width, height, kind, data } = image;
  if (!data || width <= 0 || height <= 0) return undefined;
  if (kind === 1) {
    const stride = (width + 7) >> 3;
    if (data.length < stride * height) return undefined;
    const out = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        out[y * width + x] = data[y * stride + (x >> 3)] & (0x80 >> (x & 7)) ? 255 : 0;
      }
    }
    return { data: out, channels: 1 };
  }
  const channels = data.length / (width * height);
  if (channels === 1 || channels === 3 || channels === 4)
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), channels };
  return undefined;
}
