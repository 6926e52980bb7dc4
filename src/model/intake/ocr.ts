// OCR with tesseract.js in a worker thread, fully offline: the worker is ours (ocr-worker.ts),
// the English LSTM data comes from the installed @tesseract.js-data/eng package, and nothing is
// cached by tesseract.js itself (intake caches whole documents by content hash, cache.ts). One
// OcrEngine keeps one worker warm for many pages; a page's recognition reports its progress and
// stops at once when its AbortSignal fires (the worker is terminated).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { correctOcrDate } from './ocr-dates';
import { correctOcrWord } from './ocr-lexicon';
import type { WordBox } from './text-builder';

/** A recognised line: its words with boxes (pixels) and confidences (0-1), and its block. */
export interface OcrLine {
  words: WordBox[];
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** index of the tesseract block (a column or a region); blocks are read in tesseract's order */
  block: number;
}

export interface OcrPage {
  lines: OcrLine[];
  /** mean word confidence, 0-1 (0 when no word was found) */
  confidence: number;
}

export interface RecognizeOptions {
  signal?: AbortSignal;
  /** fraction of the page done, 0-1 */
  onProgress?: (fraction: number) => void;
}

/** The worker script: bundled beside the entry point (out/ocr-worker.js), or compiled beside this file. */
export function ocrWorkerFile(): string {
  for (const file of [path.join(__dirname, 'ocr-worker.js'), path.join(__dirname, '..', 'intake', 'ocr-worker.js')]) {
    if (fs.existsSync(file)) return file;
  }
  throw new Error('Entity Lens: the OCR worker script (ocr-worker.js) is missing; rebuild with `npm run build`');
}

/** The folder of the English LSTM data (integer "best" model), as installed by npm. */
export function englishDataDir(): string {
  return path.join(path.dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
}

export interface TesseractWord {
  text: string;
  confidence: number;
  bbox: { x0: number; y0: number; x1: number; y1: number };
}
export interface TesseractBlock {
  paragraphs: { lines: { words: TesseractWord[]; bbox: TesseractWord['bbox'] }[] }[];
}
interface TesseractWorker {
  recognize(
    image: Buffer,
    options: object,
    output: object,
  ): Promise<{ data: { blocks: TesseractBlock[] | null; imageWidth?: number } }>;
  terminate(): Promise<unknown>;
}
interface LoggerMessage {
  status: string;
  progress: number;
}

export function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const e = new Error('the operation was cancelled');
  e.name = 'AbortError';
  return e;
}

/** Rejects when `signal` fires; the returned `off` removes the listener. */
function whenAborted(signal: AbortSignal | undefined): { promise: Promise<never>; off: () => void } {
  let off = (): void => undefined;
  const promise = new Promise<never>((_, reject) => {
    if (!signal) return;
    if (signal.aborted) return reject(abortError(signal));
    const listener = (): void => reject(abortError(signal));
    signal.addEventListener('abort', listener, { once: true });
    off = () => signal.removeEventListener('abort', listener);
  });
  promise.catch(() => undefined);
  return { promise, off };
}

/**
 * One tesseract.js worker, started on the first page it is given (2-4 s) and kept for the next
 * ones; `terminate()` ends it. A recognition whose signal fires terminates the worker: the next
 * page starts a new one.
 */
export class OcrEngine {
  private worker: Promise<TesseractWorker> | undefined;
  private progress: ((fraction: number) => void) | undefined;
  private terminated = false;

  /** Starts the worker now (it otherwise starts with the first page). */
  static async create(options: { signal?: AbortSignal } = {}): Promise<OcrEngine> {
    const engine = new OcrEngine();
    await engine.started(options.signal);
    return engine;
  }

  private started(signal: AbortSignal | undefined): Promise<TesseractWorker> {
    if (this.terminated) return Promise.reject(new Error('Entity Lens OCR: this engine was terminated'));
    if (!this.worker) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const tesseract = require('tesseract.js') as {
        createWorker(lang: string, oem: number, options: object): Promise<TesseractWorker>;
      };
      this.worker = tesseract.createWorker('eng', 1 /* OEM.LSTM_ONLY */, {
        workerPath: ocrWorkerFile(),
        langPath: englishDataDir(),
        cacheMethod: 'none',
        gzip: true,
        logger: (m: LoggerMessage) => {
          if (m.status === 'recognizing text') this.progress?.(m.progress);
        },
        errorHandler: () => undefined,
      });
      this.worker.catch(() => (this.worker = undefined));
    }
    const abort = whenAborted(signal);
    return Promise.race([this.worker, abort.promise]).finally(abort.off);
  }

  /** Recognises one image (PNG, JPEG, TIFF or BMP bytes). */
  async recognize(image: Buffer, options: RecognizeOptions = {}): Promise<OcrPage> {
    const abort = whenAborted(options.signal);
    try {
      const worker = await this.started(options.signal);
      this.progress = options.onProgress;
      const job = worker.recognize(image, {}, { blocks: true, text: false });
      const { data } = await Promise.race([job, abort.promise]);
      return toPage(data.blocks ?? []);
    } catch (e) {
      if (options.signal?.aborted) await this.stop();
      throw e;
    } finally {
      abort.off();
      this.progress = undefined;
    }
  }

  /** Ends the worker; a later recognize() starts a new one. */
  private async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.then((w) => w.terminate()).catch(() => undefined);
  }

  /** Ends the worker for good. */
  async terminate(): Promise<void> {
    this.terminated = true;
    await this.stop();
  }
}

/**
 * Specks the recogniser reads as glyphs: a word without a letter or digit (nor a sign that
 * carries meaning: currency, %, &, §) read with confidence below 0.6, or one or two
 * characters below 0.3; and a lone vertical bar (a table's rule) at any confidence. Left in,
 * they start a receipt's seller name ("’ SWC ENTERPRISE", "| RESTORAN WAN SHENG") or end its
 * total's line ("RM 60.30 J"), and a field is then not the value printed.
 */
export function isOcrNoise(text: string, confidence: number): boolean {
  if (/^[|¦‖]{1,3}$/u.test(text)) return true; // a table's rule read as a glyph, however sure
  if (/[$€£¥%&§]/u.test(text)) return false;
  if (!/[\p{L}\p{N}]/u.test(text)) return confidence < 0.6;
  return text.length <= 2 && confidence < 0.3;
}

/**
 * A word without the opening quote or bracket a speck was read as: a typographic quote, a square
 * bracket or a brace glued to a capital ("“Total", "‘GST", "[LUMPUR", "“Tampol") that nothing on
 * the rest of the line closes ("“Company”" and "[Signature Page]" are kept). A brace closed by a
 * round bracket is that bracket misread: "{Inclusive of GST)" is "(Inclusive of GST)".
 */
export function withoutStrayOpening(text: string, rest: readonly string[]): string {
  const m = /^([“‘[{])(?=\p{Lu})/u.exec(text);
  if (!m) return text;
  const after = [text.slice(1), ...rest].join(' ');
  const close = { '“': '”', '‘': '’', '[': ']', '{': '}' }[m[1]] as string;
  if (after.includes(close)) return text;
  if (m[1] === '{' && after.includes(')')) return `(${text.slice(1)}`;
  return text.slice(1);
}

/**
 * Tesseract's blocks as lines of words with boxes, specks left out (and a stop or comma doubling
 * the one before it, on its line or ending the line above), misread lexicon words and dates put
 * right; exported for the tests.
 */
export function toPage(blocks: TesseractBlock[]): OcrPage {
  const lines: OcrLine[] = [];
  let sum = 0;
  let count = 0;
  blocks.forEach((block, b) => {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        const words: WordBox[] = [];
        const read = line.words.map((w) => w.text.trim());
        line.words.forEach((w, i) => {
          const confidence = Math.max(0, Math.min(1, w.confidence / 100));
          if (read[i] === '' || isOcrNoise(read[i], confidence)) return;
          // a lone stop or comma after a word that ends with one (", ." in an address, on one
          // line or at the start of the next) is a speck
          const before = words.length
            ? words[words.length - 1]
            : lines.at(-1)?.block === b
              ? lines.at(-1)?.words.at(-1)
              : undefined;
          if (/^[.,]$/.test(read[i]) && /[.,]$/.test(before?.text ?? '')) return;
          const word = withoutStrayOpening(read[i], read.slice(i + 1));
          const text = correctOcrDate(correctOcrWord(word, confidence, read[i + 1], read[i - 1], read), read[i - 1]);
          words.push({ text, x0: w.bbox.x0, y0: w.bbox.y0, x1: w.bbox.x1, y1: w.bbox.y1, confidence });
          sum += confidence;
          count++;
        });
        if (words.length > 0) lines.push({ words, ...line.bbox, block: b });
      }
    }
  });
  return { lines, confidence: count > 0 ? sum / count : 0 };
}
