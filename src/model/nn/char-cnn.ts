// Character CNN: embed each character, convolve over the token's maxChars positions (zero
// padded at both ends), max-pool over positions, tanh. Only tokens inside a sequence's length
// are computed.
//
// The convolution is linear in the embedding, so it is computed per character instead of per
// position: P[u, k, :] = emb[u] · W[:, :, k] for each distinct character u of the batch (a few
// hundred at most), and the filter response at position p is Σ_k P[char(p + k − pad), k, :].
// That is the same sum as the im2col product over (token, position) rows, at a small fraction
// of the multiply-adds (distinct characters × D·K·F instead of tokens × maxChars × D·K·F). The
// backward pass mirrors it: gradients are gathered per distinct character first.
import { gemm } from './gemm';
import { kernels } from '../kernels/runtime';

export interface CharCnnShape {
  charDim: number;
  filters: number;
  width: number;
  maxChars: number;
}

export interface CharCnnCache {
  rows: Int32Array;
  /** distinct character ids of the batch */
  ids: Int32Array;
  /** index into `ids` of every character position of the rows [rows.length * maxChars] */
  slot: Int32Array;
  /** the embedding rows of `ids` as the forward pass used them [ids.length, charDim] */
  E: Float32Array;
  /** winning position per (row, filter) */
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

/** Wr [D, K*F] with Wr[ch][k*F + f] = W[f][ch][k] (W in ONNX Conv layout [F, D, K]). */
function rearrange(convW: Float32Array, D: number, K: number, F: number): Float32Array {
  const Wr = new Float32Array(D * K * F);
  for (let f = 0; f < F; f++)
    for (let ch = 0; ch < D; ch++) for (let k = 0; k < K; k++) Wr[ch * K * F + k * F + f] = convW[(f * D + ch) * K + k];
  return Wr;
}

/** Distinct character ids of the rows and each position's index among them. */
function distinctChars(
  chars: Int32Array,
  rows: Int32Array,
  C: number,
  charCount: number,
): { ids: Int32Array; slot: Int32Array } {
  const index = new Int32Array(charCount).fill(-1);
  const slot = new Int32Array(rows.length * C);
  const ids: number[] = [];
  for (let r = 0; r < rows.length; r++) {
    const base = rows[r] * C;
    for (let p = 0; p < C; p++) {
      const id = chars[base + p];
      let u = index[id];
      if (u < 0) {
        u = ids.length;
        index[id] = u;
        ids.push(id);
      }
      slot[r * C + p] = u;
    }
  }
  return { ids: Int32Array.from(ids), slot };
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
  const KF = K * F;
  const { ids, slot } = distinctChars(chars, rows, C, emb.length / D);
  const U = ids.length;
  // P [U, K*F] = E [U, D] · Wr [D, K*F]
  const E = new Float32Array(U * D);
  for (let u = 0; u < U; u++) E.set(emb.subarray(ids[u] * D, (ids[u] + 1) * D), u * D);
  const P = new Float32Array(U * KF);
  gemm(false, false, U, KF, D, E, rearrange(convW, D, K, F), P, false);
  const out = new Float32Array(n * F);
  const ks = kernels();
  if (ks && F % 4 === 0) {
    const argmax = new Int32Array(n * F);
    const pSlot = ks.alloc(n * C * 4);
    const pP = ks.alloc(U * KF * 4);
    const pBest = ks.alloc(n * F * 4);
    const pArg = ks.alloc(n * F * 4);
    const pAcc = ks.alloc(F * 4);
    ks.I32.set(slot, pSlot >> 2);
    ks.F32.set(P, pP >> 2);
    ks.k.charConvMax(n, C, K, F, pad, pSlot, pP, pBest, pArg, pAcc);
    const best = ks.f32(pBest, n * F);
    for (let r = 0; r < n; r++) for (let f = 0; f < F; f++) best[r * F + f] += convB[f];
    ks.k.vtanh(pBest, n * F);
    out.set(best);
    argmax.set(ks.I32.subarray(pArg >> 2, (pArg >> 2) + n * F));
    for (const p of [pAcc, pArg, pBest, pP, pSlot]) ks.release(p);
    return { features: out, cache: { rows, ids, slot, E, argmax, out } };
  }
  const argmax = new Int32Array(n * F);
  const best = new Float32Array(F);
  const acc = new Float32Array(F);
  for (let r = 0; r < n; r++) {
    const sr = r * C;
    for (let p = 0; p < C; p++) {
      acc.fill(0);
      for (let k = 0; k < K; k++) {
        const q = p + k - pad;
        if (q < 0 || q >= C) continue;
        const o = slot[sr + q] * KF + k * F;
        for (let f = 0; f < F; f++) acc[f] += P[o + f];
      }
      if (p === 0) {
        best.set(acc);
        for (let f = 0; f < F; f++) argmax[r * F + f] = 0;
      } else {
        for (let f = 0; f < F; f++) {
          if (acc[f] > best[f]) {
            best[f] = acc[f];
            argmax[r * F + f] = p;
          }
        }
      }
    }
    for (let f = 0; f < F; f++) out[r * F + f] = Math.tanh(best[f] + convB[f]);
  }
  return { features: out, cache: { rows, ids, slot, E, argmax, out } };
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
  void chars; // the cache holds each position's character
  const { charDim: D, filters: F, width: K, maxChars: C } = s;
  const pad = (K - 1) >> 1;
  const { rows, ids, slot, argmax, out } = cache;
  const n = rows.length;
  const U = ids.length;
  const KF = K * F;
  // dP [U, K*F]: the gradient of each distinct character's filter responses
  const dP = new Float32Array(U * KF);
  for (let r = 0; r < n; r++) {
    for (let f = 0; f < F; f++) {
      const o = out[r * F + f];
      const g = dOut[r * F + f] * (1 - o * o);
      gB[f] += g;
      if (g === 0) continue;
      const p = argmax[r * F + f];
      for (let k = 0; k < K; k++) {
        const q = p + k - pad;
        if (q < 0 || q >= C) continue;
        dP[slot[r * C + q] * KF + k * F + f] += g;
      }
    }
  }
  // embedding rows: dE [U, D] = dP [U, K*F] · Wrᵀ
  const dE = new Float32Array(U * D);
  gemm(false, true, U, D, KF, dP, rearrange(convW, D, K, F), dE, false);
  for (let u = 0; u < U; u++) {
    const e = ids[u] * D;
    for (let ch = 0; ch < D; ch++) gEmb[e + ch] += dE[u * D + ch];
  }
  // convolution weights: Eᵀ [D, U] · dP [U, K*F], scattered into [F, D, K]
  const gWr = new Float32Array(D * KF);
  gemm(true, false, D, KF, U, cache.E, dP, gWr, false);
  for (let f = 0; f < F; f++)
    for (let ch = 0; ch < D; ch++) for (let k = 0; k < K; k++) gW[(f * D + ch) * K + k] += gWr[ch * KF + k * F + f];
}
