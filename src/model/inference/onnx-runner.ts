// Runs the exported emissions graph with onnxruntime-node. The native module is loaded
// lazily so a missing or broken binary only costs the caller a fallback to tfjs.
// Note: session.run blocks the calling thread for the whole call; callers chunk or use a worker.
//
// No telemetry: onnxruntime-node records events (model file name, OS, a device id) in
// ~/.cache/Microsoft/DeveloperTools/.onnxruntime/ and looks up Microsoft's event servers
// unless ORT_DISABLE_TELEMETRY=1 is in the process environment when it loads. Importing the
// engine sets it; on the main thread that reaches the real environment (setenv), which worker
// threads started later share. A worker thread's process.env is a private copy, so a worker
// whose parent did not set it cannot turn telemetry off and does not load onnxruntime at all.
import { isMainThread } from 'node:worker_threads';
import type * as Ort from 'onnxruntime-node';
import type { EncodedBatch } from '../core/types';
import { errorMessage } from '../core/errors';

type OrtModule = typeof Ort;

/** Whether the environment onnxruntime will read has telemetry off. */
const telemetryOff = isMainThread || process.env.ORT_DISABLE_TELEMETRY === '1';
process.env.ORT_DISABLE_TELEMETRY = '1';

let loadResult: { ort: OrtModule } | { error: string } | undefined;

function loadOrt(): OrtModule {
  if (!loadResult && !telemetryOff) {
    loadResult = { error: 'its telemetry cannot be turned off in this worker thread (ORT_DISABLE_TELEMETRY)' };
  }
  if (!loadResult) {
    try {
      // a plain require, run on first use: a missing native binary must not fail at import
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loadResult = { ort: require('onnxruntime-node') as OrtModule };
    } catch (e) {
      // first line only: the caller prints it as a one-line warning
      loadResult = { error: errorMessage(e).split('\n')[0] };
    }
  }
  if ('error' in loadResult) throw new Error(`onnxruntime-node could not be loaded: ${loadResult.error}`);
  return loadResult.ort;
}

/** True when onnxruntime-node's native module loads here (the answer is cached). */
export function isOnnxRuntimeAvailable(): boolean {
  try {
    loadOrt();
    return true;
  } catch {
    return false;
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** An int64 input buffer plus an int32 view of its halves, for copying without BigInts. */
class Int64Buffer {
  readonly values: BigInt64Array;
  private readonly halves: Int32Array;

  constructor(readonly length: number) {
    this.values = new BigInt64Array(length);
    this.halves = new Int32Array(this.values.buffer);
  }

  fill(src: Int32Array): BigInt64Array {
    const { values, halves } = this;
    if (LITTLE_ENDIAN) {
      for (let i = 0, j = 0; i < src.length; i++, j += 2) {
        const v = src[i];
        halves[j] = v;
        halves[j + 1] = v >> 31; // sign extension
      }
    } else {
      for (let i = 0; i < src.length; i++) values[i] = BigInt(src[i]);
    }
    return values;
  }
}

export interface OnnxEmissionsOptions {
  /** default 1: two threads collapse when another process holds a core */
  intraOpThreads?: number;
}

/** Emission scores [B, L, T] for encoded batches, from an exported model (bytes or file path). */
export class OnnxEmissions {
  readonly kind = 'onnx' as const;
  private readonly buffers = new Map<'words' | 'shapes' | 'chars' | 'charRows', Int64Buffer>();
  /** runs are serialized: the int64 buffers are reused, and ORT reads its feeds later, in setImmediate */
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  private constructor(
    private readonly ort: OrtModule,
    private readonly session: Ort.InferenceSession,
    readonly tagCount: number,
    readonly maxChars: number,
    /** line and page features per token the graph reads (0: a graph without that input) */
    readonly featureDim: number,
    /** the graph reads each distinct token's characters once (chars [U, C] + charRows [B, L]) */
    private readonly distinctChars: boolean,
  ) {}

  static async create(model: Uint8Array | string, options: OnnxEmissionsOptions = {}): Promise<OnnxEmissions> {
    const ort = loadOrt();
    const sessionOptions: Ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: options.intraOpThreads ?? 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      logSeverityLevel: 3,
    };
    let session: Ort.InferenceSession;
    try {
      session =
        typeof model === 'string'
          ? await ort.InferenceSession.create(model, sessionOptions)
          : await ort.InferenceSession.create(model, sessionOptions);
    } catch (e) {
      const source = typeof model === 'string' ? model : `${model.byteLength} bytes`;
      throw new Error(`ONNX model could not be loaded (${source}): ${errorMessage(e)}`);
    }
    try {
      const tagCount = staticDim(session.outputMetadata, 'emissions', 2);
      // graphs exported before charRows read chars [B, L, C]
      const distinct = session.inputMetadata.some((m) => m.name === 'charRows');
      const maxChars = staticDim(session.inputMetadata, 'chars', distinct ? 1 : 2);
      const features = session.inputMetadata.some((m) => m.name === 'features')
        ? staticDim(session.inputMetadata, 'features', 2)
        : 0;
      return new OnnxEmissions(ort, session, tagCount, maxChars, features, distinct);
    } catch (e) {
      await session.release();
      throw e;
    }
  }

  /** Emissions for every position, row-major [B*L*T]; positions at t >= length hold out.b. */
  run(batch: EncodedBatch): Promise<Float32Array> {
    if (this.disposed) return Promise.reject(new Error('OnnxEmissions: run after dispose'));
    const result = this.queue.then(() => this.runNow(batch));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Lets runs already queued finish, then frees the native session. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue;
    await this.session.release();
  }

  private async runNow(batch: EncodedBatch): Promise<Float32Array> {
    const { batch: B, length: L } = batch;
    checkBatch(batch, this.maxChars, this.featureDim);
    if (B === 0 || L === 0) return new Float32Array(0);
    const { Tensor } = this.ort;
    const feeds: Record<string, Ort.Tensor> = {
      words: new Tensor('int64', this.int64('words', batch.words), [B, L]),
      shapes: new Tensor('int64', this.int64('shapes', batch.shapes), [B, L]),
      lengths: new Tensor('int32', batch.lengths, [B]),
    };
    if (this.distinctChars) {
      const { rows, count, distinct } = distinctRows(batch.chars, this.maxChars);
      feeds.chars = new Tensor('int64', this.int64('chars', distinct), [count, this.maxChars]);
      feeds.charRows = new Tensor('int64', this.int64('charRows', rows), [B, L]);
    } else {
      feeds.chars = new Tensor('int64', this.int64('chars', batch.chars), [B, L, this.maxChars]);
    }
    if (this.featureDim > 0)
      feeds.features = new Tensor('float32', batch.features as Float32Array, [B, L, this.featureDim]);
    const out = (await this.session.run(feeds)).emissions;
    if (!(out.data instanceof Float32Array) || out.data.length !== B * L * this.tagCount) {
      throw new Error(`OnnxEmissions: unexpected output of type ${out.type}, dims [${out.dims.join(', ')}]`);
    }
    return out.data;
  }

  private int64(name: 'words' | 'shapes' | 'chars' | 'charRows', src: Int32Array): BigInt64Array {
    let buffer = this.buffers.get(name);
    if (!buffer || buffer.length !== src.length) {
      buffer = new Int64Buffer(src.length);
      this.buffers.set(name, buffer);
    }
    return buffer.fill(src);
  }
}

/**
 * The distinct rows of `chars` ([N, C]): `distinct` holds each once, in order of first
 * appearance ([count, C]), and `rows[n]` is row n's index there. Hashed with open addressing
 * over the C ids (no string keys: a window batch has thousands of positions).
 */
export function distinctRows(chars: Int32Array, C: number): { rows: Int32Array; count: number; distinct: Int32Array } {
  const n = C > 0 ? chars.length / C : 0;
  const rows = new Int32Array(n);
  let size = 16;
  while (size < 2 * n) size <<= 1;
  const table = new Int32Array(size).fill(-1);
  const firstAt = new Int32Array(n); // distinct row index -> the position it was first seen at
  let count = 0;
  for (let i = 0; i < n; i++) {
    const at = i * C;
    let h = 0x811c9dc5;
    for (let k = 0; k < C; k++) h = Math.imul(h ^ chars[at + k], 0x01000193);
    let slot = (h >>> 0) & (size - 1);
    for (;;) {
      const d = table[slot];
      if (d < 0) {
        table[slot] = count;
        firstAt[count] = i;
        rows[i] = count++;
        break;
      }
      const other = firstAt[d] * C;
      let same = true;
      for (let k = 0; k < C && same; k++) same = chars[other + k] === chars[at + k];
      if (same) {
        rows[i] = d;
        break;
      }
      slot = (slot + 1) & (size - 1);
    }
  }
  const distinct = new Int32Array(count * C);
  for (let d = 0; d < count; d++) distinct.set(chars.subarray(firstAt[d] * C, firstAt[d] * C + C), d * C);
  return { rows, count, distinct };
}

function staticDim(metadata: readonly Ort.InferenceSession.ValueMetadata[], name: string, axis: number): number {
  const m = metadata.find((v) => v.name === name);
  const dim = m && m.isTensor ? m.shape[axis] : undefined;
  if (typeof dim !== 'number') throw new Error(`ONNX model has no "${name}" tensor with a fixed dimension ${axis}`);
  return dim;
}

/** ORT's own errors for bad sizes are cryptic; say what is wrong in our terms. */
function checkBatch(b: EncodedBatch, maxChars: number, featureDim: number): void {
  const n = b.batch * b.length;
  if (b.maxChars !== maxChars)
    throw new Error(`OnnxEmissions: batch has maxChars ${b.maxChars}, model expects ${maxChars}`);
  if (featureDim > 0 && (b.featureDim !== featureDim || b.features?.length !== n * featureDim))
    throw new Error(
      `OnnxEmissions: the model reads ${featureDim} line features per token; the batch has ${b.featureDim ?? 0}`,
    );
  if (
    b.words.length !== n ||
    b.shapes.length !== n ||
    b.chars.length !== n * maxChars ||
    b.lengths.length !== b.batch
  ) {
    throw new Error(`OnnxEmissions: array sizes do not match batch ${b.batch} × length ${b.length}`);
  }
  for (let i = 0; i < b.batch; i++) {
    const len = b.lengths[i];
    // ORT accepts 0 (the row's emissions are then out.b everywhere)
    if (!(len >= 0 && len <= b.length))
      throw new Error(`OnnxEmissions: lengths[${i}] = ${len} is outside 0..${b.length}`);
  }
}
