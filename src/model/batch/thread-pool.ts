// A pool of worker threads that each open a handler once (a model, say) and then take one task at
// a time: `run` queues a task and resolves with the handler's answer. A worker that fails to open
// fails the pool's start with its message; a worker that dies mid-task (an uncaught error, out of
// memory) rejects that task only and is replaced, so the other tasks go on. Anything a worker
// prints on its standard output goes to standard error: the caller's stdout is for results only.
// A worker is never terminated from outside while it may be inside native code (onnxruntime
// aborts the whole process when its thread is torn down mid-call): `stop` asks each worker to
// exit, which it does between two pieces of work.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { firstLine } from '../core/errors';

type ToWorker<I> = { type: 'task'; seq: number; input: I } | { type: 'close' } | { type: 'exit' };
type FromWorker<O> =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'result'; seq: number; output: O }
  | { type: 'error'; seq: number; message: string };

/** What a worker thread runs: opened once, then one `handle` call per task. */
export interface TaskHandler<I, O> {
  handle(input: I): Promise<O>;
  close(): Promise<void>;
}

/** A worker could not open its handler (the pool does not start). */
export class PoolStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PoolStartError';
  }
}

interface Task<I, O> {
  seq: number;
  input: I;
  resolve(o: O): void;
  reject(e: Error): void;
}

interface Slot<I, O> {
  worker: Worker;
  task?: Task<I, O>;
  /** set once the worker is gone (exit seen) */
  gone: boolean;
}

export interface PoolOptions {
  /** passed to every worker as `workerData.options` */
  options: unknown;
  /** how many times dead workers are replaced before the pool gives up (default 10 × size) */
  maxRestarts?: number;
}

export class ThreadPool<I, O> {
  private readonly slots: Slot<I, O>[] = [];
  /** workers started (a replacement) that have not opened their handler yet */
  private readonly starting = new Set<Worker>();
  private readonly waiting: Task<I, O>[] = [];
  private seq = 0;
  private restarts = 0;
  private closing = false;
  private broken: string | undefined;

  private constructor(
    private readonly file: string,
    private readonly options: PoolOptions,
  ) {}

  /** Starts `size` workers running `file` and waits until every one has opened its handler. */
  static async start<I, O>(file: string, size: number, options: PoolOptions): Promise<ThreadPool<I, O>> {
    const pool = new ThreadPool<I, O>(file, options);
    const started = await Promise.allSettled(Array.from({ length: size }, () => pool.spawn()));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await pool.close();
      throw failed.reason instanceof Error ? failed.reason : new PoolStartError(String(failed.reason));
    }
    return pool;
  }

  get size(): number {
    return this.slots.length;
  }

  /** Queues one task; resolves with the worker's answer, rejects if the worker died on it. */
  run(input: I): Promise<O> {
    if (this.broken) return Promise.reject(new Error(this.broken));
    if (this.closing) return Promise.reject(new Error('the worker pool is closed'));
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ seq: ++this.seq, input, resolve, reject });
      this.dispatch();
    });
  }

  /**
   * Lets the workers finish their tasks, close their handlers and exit (tasks still queued are
   * rejected).
   */
  close(): Promise<void> {
    return this.shutDown('close', 60_000);
  }

  /**
   * Stops at once: each worker exits as soon as its current piece of work returns (one batch of
   * a document, not the whole document); its task is rejected. For Ctrl-C and closed pipes.
   */
  stop(): Promise<void> {
    return this.shutDown('exit', 10_000);
  }

  private async shutDown(how: 'close' | 'exit', patienceMs: number): Promise<void> {
    this.closing = true;
    for (const t of this.waiting.splice(0)) t.reject(new Error('the worker pool is closed'));
    // a replacement still opening its handler has no task: it would keep the process alive
    const starting = [...this.starting].map((w) => new Promise<void>((r) => w.once('exit', () => r())));
    for (const w of this.starting) void w.terminate();
    await Promise.all([
      ...starting,
      ...this.slots.map(async (slot) => {
        if (slot.gone) return;
        const exited = new Promise<void>((r) => slot.worker.once('exit', () => r()));
        slot.worker.postMessage({ type: how } satisfies ToWorker<I>);
        // the last resort, for a worker stuck for a minute: it may take the process down
        const timer = setTimeout(() => void slot.worker.terminate(), patienceMs);
        await exited;
        clearTimeout(timer);
      }),
    ]);
  }

  private spawn(): Promise<Slot<I, O>> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(this.file, { workerData: { options: this.options.options }, stdout: true });
      worker.stdout.pipe(process.stderr);
      const slot: Slot<I, O> = { worker, gone: false };
      let ready = false;
      this.starting.add(worker);
      worker.on('message', (m: FromWorker<O>) => {
        if (m.type === 'ready') {
          ready = true;
          this.starting.delete(worker);
          // closing already terminated it: it takes no work
          if (this.closing) return resolve(slot);
          this.slots.push(slot);
          resolve(slot);
          this.dispatch();
        } else if (m.type === 'failed') {
          reject(new PoolStartError(m.message));
          void worker.terminate();
        } else if (slot.task && slot.task.seq === m.seq) {
          const task = slot.task;
          slot.task = undefined;
          if (m.type === 'result') task.resolve(m.output);
          else task.reject(new Error(m.message));
          this.dispatch();
        }
      });
      let lastError: string | undefined;
      worker.on('error', (e) => {
        lastError = firstLine(e);
      });
      worker.on('exit', (code) => {
        slot.gone = true;
        this.starting.delete(worker);
        if (!ready) {
          reject(new PoolStartError(lastError ?? `a worker thread exited with code ${code} before it was ready`));
          return;
        }
        const i = this.slots.indexOf(slot);
        if (i >= 0) this.slots.splice(i, 1);
        const task = slot.task;
        slot.task = undefined;
        if (this.closing) {
          task?.reject(new Error('the worker pool stopped'));
          return;
        }
        const why = lastError ?? `exit code ${code}`;
        task?.reject(new Error(`the worker thread stopped while on this record (${why})`));
        this.replace(why);
      });
    });
  }

  /** A new worker for one that died, unless too many died already. */
  private replace(why: string): void {
    const limit = this.options.maxRestarts ?? 10 * Math.max(1, this.slots.length + 1);
    if (++this.restarts > limit) {
      this.fail(`worker threads keep stopping (${this.restarts} so far; the last: ${why})`);
      return;
    }
    this.spawn().catch((e: unknown) => {
      if (this.slots.length === 0) this.fail(`no worker thread could be restarted (${firstLine(e)})`);
    });
  }

  private fail(message: string): void {
    this.broken = message;
    for (const t of this.waiting.splice(0)) t.reject(new Error(message));
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.waiting.length === 0) return;
      if (slot.task || slot.gone) continue;
      const task = this.waiting.shift()!;
      slot.task = task;
      slot.worker.postMessage({ type: 'task', seq: task.seq, input: task.input } satisfies ToWorker<I>);
    }
  }
}

/**
 * The worker's side: when this thread was started by a ThreadPool, opens the handler with the
 * pool's options and answers tasks until the pool closes. Returns false in any other thread.
 */
export function serveThreadPool<I, O>(open: (options: unknown) => Promise<TaskHandler<I, O>>): boolean {
  if (isMainThread || !parentPort) return false;
  const port = parentPort;
  const post = (m: FromWorker<O>): void => port.postMessage(m);
  const options = (workerData as { options?: unknown } | null)?.options;
  void open(options).then(
    (handler) => {
      // one task at a time, in the order they came
      let chain: Promise<void> = Promise.resolve();
      port.on('message', (m: ToWorker<I>) => {
        // handled between two pieces of work (never inside native code): safe to end the thread
        if (m.type === 'exit') process.exit(0);
        if (m.type === 'close') {
          chain = chain.then(async () => {
            await handler.close().catch(() => undefined);
            port.close();
          });
          return;
        }
        chain = chain.then(async () => {
          try {
            post({ type: 'result', seq: m.seq, output: await handler.handle(m.input) });
          } catch (e) {
            post({ type: 'error', seq: m.seq, message: firstLine(e) });
          }
        });
      });
      post({ type: 'ready' });
    },
    (e: unknown) => {
      post({ type: 'failed', message: firstLine(e) });
    },
  );
  return true;
}
