// Training off the caller's thread. `trainInWorker` starts a worker_thread that runs the
// trainer, streams progress, saves each new best model to `outDir` (so cancelling or a crash
// leaves the last good model) and can be cancelled at the next batch boundary.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { trainWorkerFile } from '../io/paths';
import { loadModel, saveModel } from '../nn/model-folder';
import { train, type EpochRecord, type TrainOptions, type TrainProgress, type TrainResult } from './trainer';
import type { AnnotatedDocument } from '../core/types';
import { errorMessage } from '../core/errors';

export interface WorkerRequest {
  train: AnnotatedDocument[];
  dev: AnnotatedDocument[];
  options: Omit<TrainOptions, 'initial'>;
  /** fine-tune the model in this folder */
  initialDir?: string;
  /** where each new best model is saved */
  outDir: string;
}

/** The trainer's result without the model, which the worker has saved to `outDir`. */
export type WorkerSummary = Omit<TrainResult, 'model'>;

type WorkerMessage =
  | { type: 'progress'; progress: TrainProgress }
  | { type: 'epoch'; record: EpochRecord; improved: boolean }
  | { type: 'done'; summary: WorkerSummary }
  | { type: 'error'; message: string };

export interface TrainingJob {
  /** resolves when training ends (also when cancelled: `cancelled` is then true) */
  done: Promise<WorkerSummary>;
  cancel(): void;
}

export function trainInWorker(
  request: WorkerRequest,
  hooks: { onProgress?: (p: TrainProgress) => void; onEpoch?: (r: EpochRecord, improved: boolean) => void } = {},
  workerFile = trainWorkerFile(),
): TrainingJob {
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(workerFile, { workerData: { request, stop } });
  const done = new Promise<WorkerSummary>((resolve, reject) => {
    let settled = false;
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') hooks.onProgress?.(m.progress);
      else if (m.type === 'epoch') hooks.onEpoch?.(m.record, m.improved);
      else if (m.type === 'done') {
        settled = true;
        resolve(m.summary);
      } else if (m.type === 'error') {
        settled = true;
        reject(new Error(m.message));
      }
    });
    worker.on('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`training worker exited with code ${code}`));
    });
  });
  return {
    done,
    cancel: () => Atomics.store(stop, 0, 1),
  };
}

async function runInWorker(): Promise<void> {
  const { request, stop } = workerData as { request: WorkerRequest; stop: Int32Array };
  const post = (m: WorkerMessage) => parentPort?.postMessage(m);
  try {
    const initial = request.initialDir ? await loadModel(request.initialDir) : undefined;
    const result = await train(
      request.train,
      request.dev,
      { ...request.options, initial },
      {
        onProgress: (progress) => post({ type: 'progress', progress }),
        onEpoch: (record, improved) => post({ type: 'epoch', record, improved }),
        onCheckpoint: (model) => saveModel(request.outDir, model),
        shouldStop: () => Atomics.load(stop, 0) === 1,
      },
    );
    const { model: _model, ...summary } = result;
    post({ type: 'done', summary });
  } catch (e) {
    post({ type: 'error', message: errorMessage(e) });
  }
}

if (!isMainThread && parentPort && (workerData as { request?: unknown } | null)?.request) void runInWorker();
