// The network and the decoder on worker threads, so one document's windows use more than one
// core. session.run blocks its thread, and one session with two intra-op threads gains little
// here (its threads wait on each other at every step, and lose whenever another process holds a
// core). Instead each worker thread opens the same graph with one thread, with the model's
// vocabulary and CRF: it encodes a batch of windows, runs it and decodes it (Viterbi and the
// confidences), and sends back the entities. The caller keeps tokenizing, the line features,
// the rules and name lending, which read the whole text.
//
// A window travels as its text (from its first token to its last) and its tokens' offsets in
// it, so a worker decodes exactly what the caller's own decoder would (tokens are slices of
// the text; paragraph and line breaks are read between tokens).
//
// A worker is never terminated while it may be inside onnxruntime (that aborts the process):
// dispose waits for the runs in flight, then asks each worker to release its session and exit.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { EncodedBatch, Entity, Token } from '../core/types';
import { errorMessage } from '../core/errors';
import { emissionsWorkerFile } from '../io/paths';
import { batchesByLength } from '../text/windows';
import type { ModelConfig, Weights } from '../nn/architecture';
import { Vocabulary, type VocabularyData } from '../nn/vocabulary';
import { Decoder } from '../crf/decoder';
import { OnnxEmissions } from './onnx-runner';

/** What each worker opens: the graph, and what encoding and decoding need of the model. */
export interface ThreadModel {
  /** the ONNX graph: bytes or a file */
  onnx: Uint8Array | string;
  config: ModelConfig;
  vocab: VocabularyData;
  /** the CRF's parameters (a softmax model has none) */
  crf?: { trans: Float32Array; start: Float32Array; end: Float32Array };
  labelBias?: Record<string, number>;
  lineBreakPenalty?: Record<string, number>;
}

/** Windows of one batch, as they travel: each window's text and its tokens' offsets in it. */
interface WindowBatch {
  texts: string[];
  /** tokens per window */
  counts: Int32Array;
  /** token offsets within their window's text, all windows in turn */
  starts: Int32Array;
  ends: Int32Array;
  /** line features, [tokens × dim] per window in turn (models that read them) */
  features?: Float32Array;
  featureDim?: number;
}

/** An entity as it travels back: offsets within its window's text. */
type Found = [label: string, start: number, end: number, confidence: number];

type ToWorker =
  | { type: 'emissions'; seq: number; batch: EncodedBatch }
  | { type: 'windows'; seq: number; windows: WindowBatch }
  | { type: 'close' };
type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'emissions'; seq: number; emissions: Float32Array }
  | { type: 'windows'; seq: number; found: Found[][] }
  | { type: 'error'; seq: number; message: string };

interface Pending {
  resolve(answer: Float32Array | Found[][]): void;
  reject(e: Error): void;
}

class ThreadWorker {
  readonly pending = new Map<number, Pending>();
  private broken: string | undefined;
  private exited!: Promise<void>;

  private constructor(private readonly worker: Worker) {}

  static open(file: string, model: ThreadModel): Promise<ThreadWorker> {
    const worker = new Worker(file, { workerData: { emissions: model }, stdout: true });
    // anything a worker prints goes to standard error: a CLI's standard output is for results
    // (written, not piped: each pipe would add listeners to process.stderr)
    worker.stdout.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    const w = new ThreadWorker(worker);
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

  send(message: ToWorker & { seq: number }): Promise<Float32Array | Found[][]> {
    if (this.broken) return Promise.reject(new Error(this.broken));
    return new Promise((resolve, reject) => {
      this.pending.set(message.seq, { resolve, reject });
      this.worker.postMessage(message);
    });
  }

  async close(): Promise<void> {
    if (!this.broken) this.worker.postMessage({ type: 'close' } satisfies ToWorker);
    await this.exited;
  }

  private settle(m: FromWorker): void {
    if (m.type === 'ready' || m.type === 'failed') return;
    const p = this.pending.get(m.seq);
    if (!p) return;
    this.pending.delete(m.seq);
    if (m.type === 'error') p.reject(new Error(m.message));
    else p.resolve(m.type === 'emissions' ? m.emissions : m.found);
  }

  private fail(message: string): void {
    this.broken ??= message;
    for (const p of this.pending.values()) p.reject(new Error(message));
    this.pending.clear();
  }
}

/**
 * A model on `threads` worker threads, each with its own onnxruntime session; work goes to the
 * least busy. `entities` tags windows there (encode, network, decode); `run` gives emissions
 * only, like any EmissionSource.
 */
export class EmissionThreads {
  readonly kind = 'onnx' as const;
  private seq = 0;
  private disposed = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  private constructor(private readonly workers: ThreadWorker[]) {}

  get threads(): number {
    return this.workers.length;
  }

  static async create(model: ThreadModel, threads: number, file = emissionsWorkerFile()): Promise<EmissionThreads> {
    if (!Number.isInteger(threads) || threads < 1)
      throw new Error(`onnxruntime threads must be a whole number ≥ 1, got ${threads}`);
    const opened = await Promise.allSettled(Array.from({ length: threads }, () => ThreadWorker.open(file, model)));
    const workers = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const failed = opened.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) {
      await Promise.all(workers.map((w) => w.close()));
      throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    }
    return new EmissionThreads(workers);
  }

  run(batch: EncodedBatch): Promise<Float32Array> {
    return this.send({ type: 'emissions', seq: this.seq++, batch }) as Promise<Float32Array>;
  }

  /**
   * Entities of each window of `text`, `batchSize` windows of similar length to a batch, the
   * batches spread over the threads. `features` (models that read them): each window's line
   * features.
   */
  async entities(text: string, wins: Token[][], batchSize: number, features?: Float32Array[]): Promise<Entity[][]> {
    const out: Entity[][] = wins.map(() => []);
    const jobs: Promise<void>[] = [];
    for (const ids of batchesByLength(wins, batchSize)) {
      const batch = windowBatch(
        text,
        ids.map((k) => wins[k]),
        features && ids.map((k) => features[k]),
      );
      const answer = this.send({ type: 'windows', seq: this.seq++, windows: batch }) as Promise<Found[][]>;
      jobs.push(
        answer.then((found) =>
          ids.forEach((k, b) => {
            const base = wins[k][0].start;
            out[k] = found[b].map(([label, start, end, confidence]) => ({
              label,
              start: start + base,
              end: end + base,
              text: text.slice(start + base, end + base),
              confidence,
            }));
          }),
        ),
      );
    }
    const settled = await Promise.allSettled(jobs);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    return out;
  }

  /** Lets the work in flight finish, then closes every worker (each releases its session first). */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await Promise.all(this.inFlight);
    await Promise.all(this.workers.map((w) => w.close()));
  }

  private send(message: ToWorker & { seq: number }): Promise<Float32Array | Found[][]> {
    if (this.disposed) return Promise.reject(new Error('EmissionThreads: run after dispose'));
    let worker = this.workers[0];
    for (const w of this.workers) if (w.pending.size < worker.pending.size) worker = w;
    const result = worker.send(message);
    const tracked = result.catch(() => undefined);
    this.inFlight.add(tracked);
    void tracked.then(() => this.inFlight.delete(tracked));
    return result;
  }
}

function windowBatch(text: string, wins: Token[][], features?: Float32Array[]): WindowBatch {
  let n = 0;
  for (const w of wins) n += w.length;
  const starts = new Int32Array(n);
  const ends = new Int32Array(n);
  const counts = new Int32Array(wins.length);
  const texts: string[] = [];
  let t = 0;
  wins.forEach((w, b) => {
    const base = w[0].start;
    texts.push(text.slice(base, w[w.length - 1].end));
    counts[b] = w.length;
    for (const tok of w) {
      starts[t] = tok.start - base;
      ends[t] = tok.end - base;
      t++;
    }
  });
  if (!features) return { texts, counts, starts, ends };
  const all = new Float32Array(features.reduce((a, f) => a + f.length, 0));
  let at = 0;
  for (const f of features) {
    all.set(f, at);
    at += f.length;
  }
  return { texts, counts, starts, ends, features: all, featureDim: n > 0 ? all.length / n : 0 };
}

/** In the worker: a batch of windows back to tokens, encoded, run and decoded. */
async function tagBatch(
  m: WindowBatch,
  vocab: Vocabulary,
  config: ModelConfig,
  emissions: OnnxEmissions,
  decoder: Decoder,
): Promise<Found[][]> {
  const wins: Token[][] = [];
  const feats: Float32Array[] = [];
  let t = 0;
  const K = m.featureDim ?? 0;
  m.texts.forEach((text, b) => {
    const w: Token[] = [];
    const first = t;
    for (let i = 0; i < m.counts[b]; i++, t++)
      w.push({ text: text.slice(m.starts[t], m.ends[t]), start: m.starts[t], end: m.ends[t] });
    wins.push(w);
    if (m.features) feats.push(m.features.subarray(first * K, t * K));
  });
  const batch = vocab.encode(wins, config.maxChars, m.features ? { dim: K, values: feats } : undefined);
  const em = await emissions.run(batch);
  const T = config.tags.length;
  return wins.map((w, b) =>
    decoder
      .entities(m.texts[b], w, em, b * batch.length * T)
      .map((e): Found => [e.label, e.start, e.end, e.confidence]),
  );
}

async function runInWorker(): Promise<void> {
  const model = (workerData as { emissions: ThreadModel }).emissions;
  const port = parentPort!;
  let emissions: OnnxEmissions;
  let vocab: Vocabulary;
  let decoder: Decoder;
  try {
    emissions = await OnnxEmissions.create(model.onnx);
    vocab = new Vocabulary(model.vocab);
    const crf: Weights = model.crf
      ? { 'crf.trans': model.crf.trans, 'crf.start': model.crf.start, 'crf.end': model.crf.end }
      : {};
    decoder = new Decoder(model.config, crf, model.labelBias, model.lineBreakPenalty);
  } catch (e) {
    port.postMessage({ type: 'failed', message: errorMessage(e) } satisfies FromWorker);
    return;
  }
  port.on('message', (m: ToWorker) => {
    if (m.type === 'close') {
      void emissions.dispose().then(() => port.close());
      return;
    }
    const work =
      m.type === 'emissions'
        ? emissions.run(m.batch).then((em) => {
            // onnxruntime's output may live in memory it owns: send a copy whose buffer can move
            const copy = new Float32Array(em);
            port.postMessage({ type: 'emissions', seq: m.seq, emissions: copy } satisfies FromWorker, [copy.buffer]);
          })
        : tagBatch(m.windows, vocab, model.config, emissions, decoder).then((found) =>
            port.postMessage({ type: 'windows', seq: m.seq, found } satisfies FromWorker),
          );
    work.catch((e) => port.postMessage({ type: 'error', seq: m.seq, message: errorMessage(e) } satisfies FromWorker));
  });
  port.postMessage({ type: 'ready' } satisfies FromWorker);
}

if (!isMainThread && parentPort && (workerData as { emissions?: unknown } | null)?.emissions) void runInWorker();
