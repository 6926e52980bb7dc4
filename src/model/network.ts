// The tagger network: word + shape embeddings and a character CNN, stacked bidirectional
// LSTM/GRU layers, a linear layer to tag scores (emissions). Forward and backward are written
// by hand over Float32Arrays (see rnn.ts, char-cnn.ts); large matrix products go to tfjs-wasm.
import { gateCount, inputDim, sizeOf, weightShapes, type ModelConfig, type Weights } from './config';
import { charCnnBackward, charCnnForward, validRows, type CharCnnCache } from './char-cnn';
import { gemm } from './gemm';
import { Rng } from './random';
import { birnnBackward, birnnForward, type RnnCache } from './rnn';
import type { EncodedBatch } from './types';

export interface ForwardCache {
  batch: EncodedBatch;
  rows: Int32Array;
  char: CharCnnCache;
  inputMask: Float32Array | null;
  layers: RnnCache[];
  outputMask: Float32Array | null;
  hidden: Float32Array;
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
  for (let l = 0; l < c.layers; l++) {
    fill(`rnn${l}.W`, 1 / Math.sqrt(H));
    fill(`rnn${l}.R`, 1 / Math.sqrt(H));
    const B = w[`rnn${l}.B`];
    // LSTM: forget-gate bias 1 (gate order i,o,f,c) so memory is kept early in training
    if (c.cell === 'lstm') for (let d = 0; d < 2; d++) B.fill(1, d * 2 * G * H + 2 * H, d * 2 * G * H + 3 * H);
  }
  fill('out.W', Math.sqrt(6 / (2 * H + c.tags.length)));
  return w;
}

export function zeroGradients(c: ModelConfig): Gradients {
  const dense: Weights = {};
  for (const [name, shape] of Object.entries(weightShapes(c))) dense[name] = new Float32Array(sizeOf(shape));
  return { dense, wordRows: new Set() };
}

function dropoutMask(n: number, rate: number, rng: Rng): Float32Array {
  const m = new Float32Array(n);
  const keep = 1 / (1 - rate);
  for (let i = 0; i < n; i++) m[i] = rng.next() < rate ? 0 : keep;
  return m;
}

export class Network {
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
    let x: Float32Array = new Float32Array(N * D);
    const wordEmb = w['word.emb'];
    const shapeEmb = w['shape.emb'];
    for (let r = 0; r < rows.length; r++) {
      const n = rows[r];
      const o = n * D;
      x.set(wordEmb.subarray(batch.words[n] * c.wordDim, (batch.words[n] + 1) * c.wordDim), o);
      x.set(shapeEmb.subarray(batch.shapes[n] * c.shapeDim, (batch.shapes[n] + 1) * c.shapeDim), o + c.wordDim);
      x.set(char.features.subarray(r * c.charFilters, (r + 1) * c.charFilters), o + c.wordDim + c.shapeDim);
    }
    let inputMask: Float32Array | null = null;
    if (dropout > 0 && rng) {
      inputMask = dropoutMask(N * D, dropout, rng);
      for (let i = 0; i < x.length; i++) x[i] *= inputMask[i];
    }
    const layers: RnnCache[] = [];
    for (let l = 0; l < c.layers; l++) {
      const inDim = l === 0 ? D : 2 * c.hidden;
      const p = { W: w[`rnn${l}.W`], R: w[`rnn${l}.R`], B: w[`rnn${l}.B`] };
      const { y, cache } = birnnForward(c.cell, c.hidden, inDim, p, x, B, L, lengths);
      if (c.residual && l > 0) for (let i = 0; i < y.length; i++) y[i] += x[i];
      layers.push(cache);
      x = y;
    }
    let outputMask: Float32Array | null = null;
    let hidden = x;
    if (dropout > 0 && rng) {
      outputMask = dropoutMask(x.length, dropout, rng);
      hidden = new Float32Array(x.length);
      for (let i = 0; i < x.length; i++) hidden[i] = x[i] * outputMask[i];
    }
    const T = c.tags.length;
    const emissions = new Float32Array(N * T);
    gemm(false, false, N, T, 2 * c.hidden, hidden, w['out.W'], emissions, false);
    const ob = w['out.b'];
    for (let n = 0; n < N; n++) for (let j = 0; j < T; j++) emissions[n * T + j] += ob[j];
    return { emissions, cache: { batch, rows, char: char.cache, inputMask, layers, outputMask, hidden } };
  }

  /** Accumulates the gradients of all weights given d loss / d emissions [B*L, T]. */
  backward(cache: ForwardCache, dEm: Float32Array, g: Gradients): void {
    const c = this.config;
    const w = this.weights;
    const { batch, rows } = cache;
    const N = batch.batch * batch.length;
    const T = c.tags.length;
    const H2 = 2 * c.hidden;
    const gob = g.dense['out.b'];
    for (let n = 0; n < N; n++) for (let j = 0; j < T; j++) gob[j] += dEm[n * T + j];
    gemm(true, false, H2, T, N, cache.hidden, dEm, g.dense['out.W'], true);
    let dy: Float32Array = new Float32Array(N * H2);
    gemm(false, true, N, H2, T, dEm, w['out.W'], dy, false);
    if (cache.outputMask) for (let i = 0; i < dy.length; i++) dy[i] *= cache.outputMask[i];
    for (let l = c.layers - 1; l >= 0; l--) {
      const lc = cache.layers[l];
      const p = { W: w[`rnn${l}.W`], R: w[`rnn${l}.R`], B: w[`rnn${l}.B`] };
      const gp = { W: g.dense[`rnn${l}.W`], R: g.dense[`rnn${l}.R`], B: g.dense[`rnn${l}.B`] };
      const dx = new Float32Array(N * lc.inDim);
      birnnBackward(lc, p, dy, gp, dx);
      if (c.residual && l > 0) for (let i = 0; i < dx.length; i++) dx[i] += dy[i];
      dy = dx;
    }
    if (cache.inputMask) for (let i = 0; i < dy.length; i++) dy[i] *= cache.inputMask[i];
    const D = inputDim(c);
    const gWord = g.dense['word.emb'];
    const gShape = g.dense['shape.emb'];
    const dChar = new Float32Array(rows.length * c.charFilters);
    for (let r = 0; r < rows.length; r++) {
      const n = rows[r];
      const o = n * D;
      const wid = batch.words[n];
      g.wordRows.add(wid);
      for (let k = 0; k < c.wordDim; k++) gWord[wid * c.wordDim + k] += dy[o + k];
      const sid = batch.shapes[n];
      for (let k = 0; k < c.shapeDim; k++) gShape[sid * c.shapeDim + k] += dy[o + c.wordDim + k];
      for (let k = 0; k < c.charFilters; k++) dChar[r * c.charFilters + k] = dy[o + c.wordDim + c.shapeDim + k];
    }
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
  }
}
