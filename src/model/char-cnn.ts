// Character CNN: embed each character, convolve over the token's maxChars positions (zero
// padded at both ends), max-pool over positions, tanh. Done for all tokens at once as one
// im2col matrix product; only tokens inside a sequence's length are computed.
import { gemm } from './gemm';

export interface CharCnnShape {
  charDim: number;
  filters: number;
  width: number;
  maxChars: number;
}

export interface CharCnnCache {
  rows: Int32Array;
  cols: Float32Array;
  argmax: Int32Array;
  out: Float32Array;
}

/** Indices (b*L+t) of the real tokens of a padded batch. */
export function validRows(batch: number, length: number, lengths: Int32Array): Int32Array {
  let n = 0;
  for (let b = 0; b < batch; b++) n += Math.min(lengths[b], length);
  const rows = new Int32Array(n);
  let k = 0;
  for (let b = 0; b < batch; b++) for (let t = 0; t < Math.min(lengths[b], length); t++) rows[k++] = b * length + t;
  return rows;
}

/** Returns features [rows.length, filters] for the given token rows. */
export function charCnnForward(
  s: CharCnnShape,
  emb: Float32Array,
  convW: Float32Array,
  convB: Float32Array,
  chars: Int32Array,
  rows: Int32Array,
): { features: Float32Array; cache: CharCnnCache } {
  const { charDim: D, filters: F, width: K, maxChars: C } = s;
  const pad = (K - 1) >> 1;
  const n = rows.length;
  const DK = D * K;
  // im2col: one row per (token, position), column ch*K + k (matches W [F, D, K])
  const cols = new Float32Array(n * C * DK);
  for (let r = 0; r < n; r++) {
    const base = rows[r] * C;
    for (let p = 0; p < C; p++) {
      const row = (r * C + p) * DK;
      for (let k = 0; k < K; k++) {
        const q = p + k - pad;
        if (q < 0 || q >= C) continue;
        const e = chars[base + q] * D;
        for (let ch = 0; ch < D; ch++) cols[row + ch * K + k] = emb[e + ch];
      }
    }
  }
  const conv = new Float32Array(n * C * F);
  gemm(false, true, n * C, F, DK, cols, convW, conv, false);
  const out = new Float32Array(n * F);
  const argmax = new Int32Array(n * F);
  for (let r = 0; r < n; r++) {
    for (let f = 0; f < F; f++) {
      let best = -Infinity;
      let arg = 0;
      for (let p = 0; p < C; p++) {
        const v = conv[(r * C + p) * F + f];
        if (v > best) {
          best = v;
          arg = p;
        }
      }
      argmax[r * F + f] = arg;
      out[r * F + f] = Math.tanh(best + convB[f]);
    }
  }
  return { features: out, cache: { rows, cols, argmax, out } };
}

/** Accumulates gradients of the embedding table and the convolution from dOut [rows, filters]. */
export function charCnnBackward(
  s: CharCnnShape,
  cache: CharCnnCache,
  convW: Float32Array,
  chars: Int32Array,
  dOut: Float32Array,
  gEmb: Float32Array,
  gW: Float32Array,
  gB: Float32Array,
): void {
  const { charDim: D, filters: F, width: K, maxChars: C } = s;
  const pad = (K - 1) >> 1;
  const { rows, cols, argmax, out } = cache;
  const n = rows.length;
  const DK = D * K;
  const dConv = new Float32Array(n * C * F);
  for (let r = 0; r < n; r++) {
    for (let f = 0; f < F; f++) {
      const o = out[r * F + f];
      const g = dOut[r * F + f] * (1 - o * o);
      gB[f] += g;
      dConv[(r * C + argmax[r * F + f]) * F + f] = g;
    }
  }
  gemm(true, false, F, DK, n * C, dConv, cols, gW, true);
  const dCols = new Float32Array(n * C * DK);
  gemm(false, false, n * C, DK, F, dConv, convW, dCols, false);
  for (let r = 0; r < n; r++) {
    const base = rows[r] * C;
    for (let p = 0; p < C; p++) {
      const row = (r * C + p) * DK;
      for (let k = 0; k < K; k++) {
        const q = p + k - pad;
        if (q < 0 || q >= C) continue;
        const e = chars[base + q] * D;
        for (let ch = 0; ch < D; ch++) gEmb[e + ch] += dCols[row + ch * K + k];
      }
    }
  }
}
