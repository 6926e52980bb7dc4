// The tagger network: word + shape embeddings and a character CNN, stacked bidirectional
// LSTM/GRU layers or a dilated convolutional encoder (tcn.ts), a linear layer to tag scores
// (emissions). Forward and backward are written
// by hand over Float32Arrays (see rnn.ts, char-cnn.ts); matrix products, the LSTM recurrences
// and dropout masks run on the WebAssembly SIMD kernels (gemm.ts, kernels/).
import {
  encoderDim,
  featureDim,
  gateCount,
  inputDim,
  sizeOf,
  tcnDilations,
  TCN_WIDTH,
  weightShapes,
  type ModelConfig,
  type Weights,
} from './architecture';
import { charCnnBackward, charCnnForward, validRows, type CharCnnCache } from './char-cnn';
import { gemm } from './gemm';
import { kernels } from '../kernels/runtime';
import { Rng } from '../core/random';
import { birnnBackward, birnnForward, type RnnCache } from './recurrent';
import { tcnBackward, tcnForward, type TcnCache } from './tcn';
import type { EncodedBatch } from '../core/types';

export interface ForwardCache {
  batch: EncodedBatch;
  rows: Int32Array;
  char: CharCnnCache;
  inputMask: Float32Array | null;
  layers: RnnCache[];
  /** the tcn encoder's activations (cell "tcn") */
  tcn?: TcnCache;
  outputMask: Float32Array | null;
  hidden: Float32Array;
  /** the last layer's output (hidden before output dropout) */
  output?: Float32Array;
}

export interface Gradients {
  dense: Weights;
  /** ids of word.emb rows with a gradient in this step (sparse update) */
  wordRows: Set<number>;
}

export function initWeights(c: ModelConfig, seed: number): Weights {
  const rng = new Rng(seed);
  const w: Weights = {};
  const fill = (name: string, scale: number) => {
    const a = w[name];
    for (let i = 0; i < a.length; i++) a[i] = rng.uniform(-scale, scale);
  };
  for (const [name, shape] of Object.entries(weightShapes(c))) w[name] = new Float32Array(sizeOf(shape));
  fill('word.emb', Math.sqrt(3 / c.wordDim));
  fill('shape.emb', Math.sqrt(3 / c.shapeDim));
  fill('char.emb', Math.sqrt(3 / c.charDim));
  w['word.emb'].fill(0, 0, c.wordDim); // padding row
  fill('char.conv.w', Math.sqrt(6 / (c.charDim * c.charWidth + c.charFilters)));
  const H = c.hidden;
  const G = gateCount(c.cell);
  if (c.cell === 'tcn') {
    fill('tcn.in.W', Math.sqrt(6 / (inputDim(c) + H)));
    // small taps: each residual step starts near the identity
    tcnDilations(c).forEach((_, i) => fill(`tcn.conv${i}.w`, Math.sqrt(1 / (TCN_WIDTH * H))));
  }
  for (let l = 0; l < c.layers && c.cell !== 'tcn'; l++) {
    fill(`rnn${l}.W`, 1 / Math.sqrt(H));
    fill(`rnn${l}.R`, 1 / Math.sqrt(H));
    const B = w[`rnn${l}.B`];
    // LSTM: forget-gate bias 1 (gate order i,o,f,c) so memory is kept early in training
    if (c.cell === 'lstm') for (let d = 0; d < 2; d++) B.fill(1, d * 2 * G * H + 2 * H, d * 2 * G * H + 3 * H);
  }
  fill('out.W', Math.sqrt(6 / (encoderDim(c) + c.tags.length)));
  return w;
}

export function zeroGradients(c: ModelConfig): Gradients {
  const dense: Weights = {};
  for (const [name, shape] of Object.entries(weightShapes(c))) dense[name] = new Float32Array(sizeOf(shape));
  return { dense, wordRows: new Set() };
}

function dropoutMask(n: number, rate: number, rng: Rng, out?: Float32Array): Float32Array {
  const m = out ?? new Float32Array(n);
  const keep = 1 / (1 - rate);
  // One draw from `rng` seeds local mulberry32 streams (the generator of Rng): a per-element
  // method call would cost ~10x more, and masks have ~500k entries per training step.
  let s = Math.floor(rng.next() * 4294967296) | 0;
  const threshold = Math.min(rate * 4294967296, 4294967295);
  const ks = kernels();
  if (ks) {
    const p = ks.alloc(n * 4);
    ks.k.dropoutMask(p, n, s, threshold | 0, keep);
    m.set(ks.f32(p, n));
    ks.release(p);
    return m;
  }
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    m[i] = (t ^ (t >>> 14)) >>> 0 < threshold ? 0 : keep;
  }
  return m;
}

// Small monomorphic loops, kept out of forward/backward so V8 optimises each on its own.

/** out = a * b elementwise (out may be a) */
function mulInto(out: Float32Array, a: Float32Array, b: Float32Array): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
}

/** x[n, :] += v for each of the n rows */
function addRowVector(x: Float32Array, n: number, cols: number, v: Float32Array): void {
  for (let r = 0; r < n; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) x[o + j] += v[j];
  }
}

/** out[j] += Σ_r x[r, j] */
function addColumnSums(out: Float32Array, x: Float32Array, n: number, cols: number): void {
  for (let r = 0; r < n; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) out[j] += x[o + j];
  }
}

/**
 * x[rows[r], at .. at+dim) = table[ids[rows[r]] (or r when ids is null; rows[r] when
 * byPosition), :] — x has row stride `stride` — times the dropout mask at the same places when
 * there is one.
 */
function gatherRows(
  x: Float32Array,
  stride: number,
  rows: Int32Array,
  ids: Int32Array | null,
  table: Float32Array,
  dim: number,
  at: number,
  mask: Float32Array | null,
  byPosition = false,
): void {
  for (let r = 0; r < rows.length; r++) {
    const n = rows[r];
    const src = (ids ? ids[n] : byPosition ? n : r) * dim;
    const dst = n * stride + at;
    if (mask) for (let k = 0; k < dim; k++) x[dst + k] = table[src + k] * mask[dst + k];
    else for (let k = 0; k < dim; k++) x[dst + k] = table[src + k];
  }
}

/**
 * x[rows[r], at .. at+K) = the batch's line and page features of that token (times the dropout
 * mask when there is one). They are inputs, not weights: nothing flows back into them.
 */
function copyFeatures(
  x: Float32Array,
  stride: number,
  rows: Int32Array,
  batch: EncodedBatch,
  K: number,
  at: number,
  mask: Float32Array | null,
): void {
  const f = batch.features;
  if (!f || batch.featureDim !== K || f.length !== batch.batch * batch.length * K) {
    throw new Error(`the model reads ${K} line features per token; the batch has ${batch.featureDim ?? 0}`);
  }
  gatherRows(x, stride, rows, null, f, K, at, mask, true);
}

/** The adjoint of gatherRows: table[id, :] += dx[row, at .. at+dim) (times the mask). */
function scatterRows(
  dx: Float32Array,
  stride: number,
  rows: Int32Array,
  ids: Int32Array | null,
  table: Float32Array,
  dim: number,
  at: number,
  mask: Float32Array | null,
): void {
  for (let r = 0; r < rows.length; r++) {
    const n = rows[r];
    const dst = (ids ? ids[n] : r) * dim;
    const src = n * stride + at;
    if (mask) for (let k = 0; k < dim; k++) table[dst + k] += dx[src + k] * mask[src + k];
    else for (let k = 0; k < dim; k++) table[dst + k] += dx[src + k];
  }
}

/**
 * Float32Arrays of a training step, kept for the next one: a step allocates ~10 MB of them,
 * and fresh ones cost page faults, zeroing and garbage collection. An array goes back only
 * when the backward pass that used it has finished, and never escapes the Network.
 */
class BufferPool {
  private readonly free = new Map<number, Float32Array[]>();

  /** An array of n floats with arbitrary contents. */
  take(n: number): Float32Array {
    return this.free.get(n)?.pop() ?? new Float32Array(n);
  }

  give(a: Float32Array | null | undefined): void {
    if (!a) return;
    let list = this.free.get(a.length);
    if (!list) this.free.set(a.length, (list = []));
    if (list.length < 4 && !list.includes(a)) list.push(a);
  }
}

export class Network {
  private readonly pool = new BufferPool();

  constructor(
    readonly config: ModelConfig,
    readonly weights: Weights,
  ) {}

  /** Emissions [B*L, T]. Pass `dropout` and `rng` only when training. */
  forward(batch: EncodedBatch, dropout = 0, rng?: Rng): { emissions: Float32Array; cache: ForwardCache } {
    const c = this.config;
    const w = this.weights;
    const { batch: B, length: L, lengths } = batch;
    const N = B * L;
    const D = inputDim(c);
    const rows = validRows(B, L, lengths);
    const char = charCnnForward(
      { charDim: c.charDim, filters: c.charFilters, width: c.charWidth, maxChars: c.maxChars },
      w['char.emb'],
      w['char.conv.w'],
      w['char.conv.b'],
      batch.chars,
      rows,
    );
    const inputMask = dropout > 0 && rng ? dropoutMask(N * D, dropout, rng, this.pool.take(N * D)) : null;
    let x: Float32Array = this.pool.take(N * D);
    if (rows.length < N) x.fill(0); // padding rows
    gatherRows(x, D, rows, batch.words, w['word.emb'], c.wordDim, 0, inputMask);
    gatherRows(x, D, rows, batch.shapes, w['shape.emb'], c.shapeDim, c.wordDim, inputMask);
    gatherRows(x, D, rows, null, char.features, c.charFilters, c.wordDim + c.shapeDim, inputMask);
    const K = featureDim(c);
    if (K > 0) copyFeatures(x, D, rows, batch, K, c.wordDim + c.shapeDim + c.charFilters, inputMask);
    const layers: RnnCache[] = [];
    let tcn: TcnCache | undefined;
    if (c.cell === 'tcn') {
      const r = tcnForward(c, w, x, B, L, lengths);
      tcn = r.cache;
      x = r.y;
    }
    for (let l = 0; l < c.layers && c.cell !== 'tcn'; l++) {
      const inDim = l === 0 ? D : 2 * c.hidden;
      const p = { W: w[`rnn${l}.W`], R: w[`rnn${l}.R`], B: w[`rnn${l}.B`] };
      const { y, cache } = birnnForward(c.cell, c.hidden, inDim, p, x, B, L, lengths, this.pool.take(N * 2 * c.hidden));
      if (c.residual && l > 0) for (let i = 0; i < y.length; i++) y[i] += x[i];
      layers.push(cache);
      x = y;
    }
    let outputMask: Float32Array | null = null;
    let hidden = x;
    if (dropout > 0 && rng) {
      outputMask = dropoutMask(x.length, dropout, rng, this.pool.take(x.length));
      hidden = this.pool.take(x.length);
      mulInto(hidden, x, outputMask);
    }
    const T = c.tags.length;
    const emissions = new Float32Array(N * T);
    gemm(false, false, N, T, encoderDim(c), hidden, w['out.W'], emissions, false);
    addRowVector(emissions, N, T, w['out.b']);
    return {
      emissions,
      cache: { batch, rows, char: char.cache, inputMask, layers, tcn, outputMask, hidden, output: x },
    };
  }

  /** Accumulates the gradients of all weights given d loss / d emissions [B*L, T]. */
  backward(cache: ForwardCache, dEm: Float32Array, g: Gradients): void {
    const c = this.config;
    const w = this.weights;
    const { batch, rows } = cache;
    const N = batch.batch * batch.length;
    const T = c.tags.length;
    const H2 = encoderDim(c);
    addColumnSums(g.dense['out.b'], dEm, N, T);
    gemm(true, false, H2, T, N, cache.hidden, dEm, g.dense['out.W'], true);
    const pool = this.pool;
    let dy: Float32Array = pool.take(N * H2);
    gemm(false, true, N, H2, T, dEm, w['out.W'], dy, false);
    if (cache.outputMask) mulInto(dy, dy, cache.outputMask);
    if (cache.tcn) {
      const dx = tcnBackward(c, w, cache.tcn, dy, g.dense);
      pool.give(dy);
      dy = dx;
    }
    for (let l = cache.layers.length - 1; l >= 0; l--) {
      const lc = cache.layers[l];
      const p = { W: w[`rnn${l}.W`], R: w[`rnn${l}.R`], B: w[`rnn${l}.B`] };
      const gp = { W: g.dense[`rnn${l}.W`], R: g.dense[`rnn${l}.R`], B: g.dense[`rnn${l}.B`] };
      const dx = pool.take(N * lc.inDim);
      birnnBackward(lc, p, dy, gp, dx, true);
      if (c.residual && l > 0) for (let i = 0; i < dx.length; i++) dx[i] += dy[i];
      pool.give(dy);
      dy = dx;
    }
    const D = inputDim(c);
    const m = cache.inputMask;
    for (let r = 0; r < rows.length; r++) g.wordRows.add(batch.words[rows[r]]);
    scatterRows(dy, D, rows, batch.words, g.dense['word.emb'], c.wordDim, 0, m);
    scatterRows(dy, D, rows, batch.shapes, g.dense['shape.emb'], c.shapeDim, c.wordDim, m);
    const dChar = new Float32Array(rows.length * c.charFilters);
    scatterRows(dy, D, rows, null, dChar, c.charFilters, c.wordDim + c.shapeDim, m);
    charCnnBackward(
      { charDim: c.charDim, filters: c.charFilters, width: c.charWidth, maxChars: c.maxChars },
      cache.char,
      w['char.conv.w'],
      batch.chars,
      dChar,
      g.dense['char.emb'],
      g.dense['char.conv.w'],
      g.dense['char.conv.b'],
    );
    // this step's arrays are free for the next one
    pool.give(dy);
    for (const lc of cache.layers) pool.give(lc.x);
    pool.give(cache.tcn?.x);
    pool.give(cache.output);
    pool.give(cache.hidden);
    pool.give(cache.inputMask);
    pool.give(cache.outputMask);
  }
}
