// Extraction off the caller's thread. `extractInWorker` runs extractDocument in a worker_thread
// (out/intake-worker.js) and streams its progress back: pdf.js reads a long PDF's text layer on
// the thread it runs on, which in the editor would be the extension host's, and the extension
// host also hides Node's `navigator` global, which pdf.js's module sets up on load. OCR starts
// its own worker from there as usual. The AbortSignal cancels: the worker is asked to stop and
// is terminated if it has not within a moment; the promise rejects with an Error named AbortError.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorMessage } from '../core/errors';
import { InputError } from '../io/files';
import { packageRoot } from '../io/paths';
import type { ExtractedDocument, IntakeProgress } from './document';
import { extractDocument, type ExtractOptions } from './extract';
import { abortError } from './ocr';

/** The options a worker can be given (no functions, no signal, no engine). */
export type WorkerExtractOptions = Pick<ExtractOptions, 'cacheDir' | 'maxPages' | 'maxMegapixels' | 'name'>;

type ToWorker = { type: 'cancel' };
type FromWorker =
  | { type: 'progress'; progress: IntakeProgress }
  | { type: 'done'; doc: ExtractedDocument }
  | { type: 'error'; message: string; name: string; path?: string };

/** how long a cancelled worker may take to stop by itself before it is terminated */
const STOP_GRACE_MS = 1500;

/** The worker script: bundled beside the entry point (out/intake-worker.js), or this file compiled. */
export function intakeWorkerFile(): string {
  const bundled = path.join(__dirname, 'intake-worker.js');
  if (fs.existsSync(bundled)) return bundled;
  const compiled = path.join(__dirname, '..', 'intake', 'worker.js');
  if (fs.existsSync(compiled)) return compiled;
  return path.join(packageRoot(), 'out', 'intake-worker.js');
}

/** extractDocument in a worker thread: same result, same errors (InputError, AbortError), same progress. */
export function extractInWorker(
  bytes: Uint8Array,
  options: WorkerExtractOptions & Pick<ExtractOptions, 'signal' | 'onProgress'> = {},
  workerFile = intakeWorkerFile(),
): Promise<ExtractedDocument> {
  const { signal, onProgress, ...plain } = options;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  const worker = new Worker(workerFile, { workerData: { intake: { bytes, options: plain } } });
  return new Promise<ExtractedDocument>((resolve, reject) => {
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      void worker.terminate();
      fn();
    };
    const onAbort = (): void => {
      worker.postMessage({ type: 'cancel' } satisfies ToWorker);
      killTimer = setTimeout(() => settle(() => reject(abortError(signal))), STOP_GRACE_MS);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'progress') onProgress?.(m.progress);
      else if (m.type === 'done') settle(() => resolve(m.doc));
      else if (m.type === 'error') settle(() => reject(rebuildError(m, signal)));
    });
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the intake worker stopped (exit code ${code})`))));
  });
}

function rebuildError(m: Extract<FromWorker, { type: 'error' }>, signal: AbortSignal | undefined): Error {
  if (m.name === 'AbortError') return abortError(signal);
  if (m.name === 'InputError' || m.name === 'LimitError') return new InputError(m.message, m.path);
  return new Error(m.message);
}

async function runInWorker(): Promise<void> {
  const { bytes, options } = (workerData as { intake: { bytes: Uint8Array; options: WorkerExtractOptions } }).intake;
  const controller = new AbortController();
  const post = (m: FromWorker): void => parentPort?.postMessage(m);
  parentPort?.on('message', (m: ToWorker) => {
    if (m?.type === 'cancel') controller.abort();
  });
  try {
    const doc = await extractDocument(bytes, {
      ...options,
      signal: controller.signal,
      onProgress: (progress) => post({ type: 'progress', progress }),
    });
    post({ type: 'done', doc });
  } catch (e) {
    const err = e as { name?: string; path?: string } | null;
    post({ type: 'error', message: errorMessage(e), name: err?.name ?? 'Error', path: err?.path });
  }
}

if (!isMainThread && parentPort && (workerData as { intake?: unknown } | null)?.intake) void runInWorker();
