// OCR with tesseract.js in a worker thread, fully offline: the worker is ours (ocr-worker.ts),
// the English LSTM data comes from the installed @tesseract.js-data/eng package, and nothing is
// cached by tesseract.js itself (intake caches whole documents by content hash, cache.ts). One
// OcrEngine keeps one worker warm for many pages; a page's recognition reports its progress and
// stops at once when its AbortSignal fires (the worker is terminated; the engine is then dead).
import * as fs from 'node:fs';
import * as path from 'node:path';
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
  width: number;
  height: number;
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

interface TesseractWord {
  text: string;
  confidence: number;
  bbox: { x0: number; y0: number; x1: number; y1: number };
}
interface TesseractBlock {
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

export class OcrEngine {
  private progress: ((fraction: number) => void) | undefined;
  private dead = false;

  private constructor(private readonly worker: TesseractWorker) {}

  /** Starts a worker and loads the English model (2-4 s); `signal` cancels the start. */
  static async create(options: { signal?: AbortSignal } = {}): Promise<OcrEngine> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tesseract = require('tesseract.js') as {
      createWorker(lang: string, oem: number, options: object): Promise<TesseractWorker>;
    };
    let engine: OcrEngine | undefined;
    const started = tesseract.createWorker('eng', 1 /* OEM.LSTM_ONLY */, {
      workerPath: ocrWorkerFile(),
      langPath: englishDataDir(),
      cacheMethod: 'none',
      gzip: true,
      logger: (m: LoggerMessage) => {
        if (m.status === 'recognizing text') engine?.progress?.(m.progress);
      },
      errorHandler: () => undefined,
    });
    const abort = whenAborted(options.signal);
    try {
      engine = new OcrEngine(await Promise.race([started, abort.promise]));
      return engine;
    } catch (e) {
      // a worker that is still starting is terminated when it arrives
      started.then((w) => w.terminate()).catch(() => undefined);
      throw e;
    } finally {
      abort.off();
    }
  }

  /** Recognises one image (PNG, JPEG, TIFF or BMP bytes). */
  async recognize(image: Buffer, options: RecognizeOptions = {}): Promise<OcrPage> {
    if (this.dead) throw new Error('Entity Lens OCR: this engine was cancelled or terminated');
    const abort = whenAborted(options.signal);
    this.progress = options.onProgress;
    try {
      const job = this.worker.recognize(image, {}, { blocks: true, text: false });
      const { data } = await Promise.race([job, abort.promise]);
      return toPage(data.blocks ?? []);
    } catch (e) {
      if (options.signal?.aborted) await this.terminate();
      throw e;
    } finally {
      abort.off();
      this.progress = undefined;
    }
  }

  async terminate(): Promise<void> {
    if (this.dead) return;
    this.dead = true;
    await this.worker.terminate().catch(() => undefined);
  }
}

function toPage(blocks: TesseractBlock[]): OcrPage {
  const lines: OcrLine[] = [];
  let sum = 0;
  let count = 0;
  let width = 0;
  let height = 0;
  blocks.forEach((block, b) => {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        const words: WordBox[] = [];
        for (const w of line.words) {
          const text = w.text.trim();
          if (text === '') continue;
          const confidence = Math.max(0, Math.min(1, w.confidence / 100));
          words.push({ text, x0: w.bbox.x0, y0: w.bbox.y0, x1: w.bbox.x1, y1: w.bbox.y1, confidence });
          sum += confidence;
          count++;
          width = Math.max(width, w.bbox.x1);
          height = Math.max(height, w.bbox.y1);
        }
        if (words.length > 0) lines.push({ words, ...line.bbox, block: b });
      }
    }
  });
  return { width, height, lines, confidence: count > 0 ? sum / count : 0 };
}
