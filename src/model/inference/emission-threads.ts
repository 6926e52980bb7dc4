// onnxruntime on worker threads, so one document's windows use more than one core.
// session.run blocks its thread and one session with two intra-op threads loses to one thread
// here (its threads wait on each other at every step, and lose whenever another process holds
// a core). Instead each worker thread opens the same graph with one thread and runs whole
// batches; the caller encodes and decodes on its own thread while the workers compute.
//
// A worker is never terminated while it may be inside onnxruntime (that aborts the process):
// dispose waits for the runs in flight, then asks each worker to release its session and exit.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { EncodedBatch } from '../core/types';
import { errorMessage } from '../core/errors';
import { emissionsWorkerFile } from '../io/paths';
import { OnnxEmissions } from './onnx-runner';

type ToWorker = { type: 'run'; seq: number; batch: EncodedBatch } | { type: 'close' };
type FromWorker =
  | { type: 'ready'; tagCount: number }
  | { type: 'failed'; message: string }
  | { type: 'emissions'; seq: number; emissions: Float32Array }
  | { type: 'error'; seq: number; message: string };

interface Pending {
  resolve(em: Float32Array): void;
  reject(e: Error): void;
}

class EmissionsWorker {
  readonly pending = new Map<number, Pending>();
  private broken: string | undefined;
  private exited!: Promise<void>;

  private constructor(private readonly worker: Worker) {}

  static open(file: string, model: Uint8Array | string): Promise<EmissionsWorker> {
    const worker = new Worker(file, { workerData: { emissions: { model } }, stdout: true });
    // anything a worker prints goes to standard error: a CLI's standard output is for results
    worker.stdout.pipe(process.stderr);
    const w = new EmissionsWorker(worker);
    return new Promise((resolve, reject) => {
      let opened = false;
      w.exited = new Promise((done) => worker.once('exit', () => done()));
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          opened = true;
          resolve(w);
        } else if (m.type === 'failed') reject(new Error(m.message));
        else w.settle(m);
      });
      worker.on('error', (e) => {
        if (!opened) reject(e);
        w.fail(`the onnxruntime worker thread failed: ${errorMessage(e)}`);
      });
      worker.on('exit', (code) => {
        if (!opened)
          reject(new Error(`the onnxruntime worker thread exited with code ${code} before it opened the model`));
        w.fail(`the onnxruntime worker thread exited with code ${code}`);
      });
    });
  }

  run(seq: number, batch: EncodedBatch): Promise<Float32Array> {
    if (this.broken) return Promise.reject(new Error(this.broken));
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.worker.postMessage({ type: 'run', seq, batch } satisfies ToWorker);
    });
  }

  async close(): Promise<void> {
    if (!this.broken) this.worker.postMessage({ type: 'close' } satisfies ToWorker);
    await this.exited;
  }

  private settle(m: FromWorker): void {
    if (m.type !== 'emissions' && m.type !== 'error') return;
    const p = this.pending.get(m.seq);
    if (!p) return;
    this.pending.delete(m.seq);
    if (m.type === 'emissions') p.resolve(m.emissions);
    else p.reject(new Error(m.message));
  }

  private fail(message: string): void {
    this.broken ??= message;
    for (const p of this.pending.values()) p.reject(new Error(message));
    this.pending.clear();
  }
}

/** Emissions from `threads` worker threads, each with its own onnxruntime session; a batch goes to the least busy one. */
export class EmissionThreads {
  readonly kind = 'onnx' as const;
  private seq = 0;
  private disposed = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  private constructor(private readonly workers: EmissionsWorker[]) {}

  /** How many batches run at once: the caller keeps this many in flight. */
  get parallel(): number {
    return this.workers.length;
  }

  static async create(
    model: Uint8Array | string,
    threads: number,
    file = emissionsWorkerFile(),
  ): Promise<EmissionThreads> {
    if (!Number.isInteger(threads) || threads < 1)
      throw new Error(`onnxruntime threads must be a whole number ≥ 1, got ${threads}`);
    const opened = await Promise.allSettled(Array.from({ length: threads }, () => EmissionsWorker.open(file, model)));
    const workers = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const failed = opened.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) {
      await Promise.all(workers.map((w) => w.close()));
      throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    }
    return new EmissionThreads(workers);
  }

  run(batch: EncodedBatch): Promise<Float32Array> {
    if (this.disposed) return Promise.reject(new Error('EmissionThreads: run after dispose'));
    let worker = this.workers[0];
    for (const w of this.workers) if (w.pending.size < worker.pending.size) worker = w;
    const result = worker.run(this.seq++, batch);
    const tracked = result.catch(() => undefined);
    this.inFlight.add(tracked);
    void tracked.then(() => this.inFlight.delete(tracked));
    return result;
  }

  /** Lets the runs in flight finish, then closes every worker (each releases its session first). */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await Promise.all(this.inFlight);
    await Promise.all(this.workers.map((w) => w.close()));
  }
}

async function runInWorker(): Promise<void> {
  const { model } = (workerData as { emissions: { model: Uint8Array | string } }).emissions;
  const port = parentPort!;
  let emissions: OnnxEmissions;
  try {
    emissions = await OnnxEmissions.create(model);
  } catch (e) {
    port.postMessage({ type: 'failed', message: errorMessage(e) } satisfies FromWorker);
    return;
  }
  port.on('message', (m: ToWorker) => {
    if (m.type === 'close') {
      void emissions.dispose().then(() => port.close());
      return;
    }
    emissions.run(m.batch).then(
      (em) => {
        // onnxruntime's output may live in memory it owns: send a copy whose buffer can move
        const copy = new Float32Array(em);
        port.postMessage({ type: 'emissions', seq: m.seq, emissions: copy } satisfies FromWorker, [copy.buffer]);
      },
      (e) => port.postMessage({ type: 'error', seq: m.seq, message: errorMessage(e) } satisfies FromWorker),
    );
  });
  port.postMessage({ type: 'ready', tagCount: emissions.tagCount } satisfies FromWorker);
}

if (!isMainThread && parentPort && (workerData as { emissions?: unknown } | null)?.emissions) void runInWorker();
