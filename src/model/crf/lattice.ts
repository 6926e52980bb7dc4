// Forward-backward over one sequence, optionally restricted to the paths a partial annotation
// allows, and what comes of it: tag marginals, span probabilities (confidences) and the
// expected counts that are the gradient of log Z.
//
// Forward-backward runs in scaled probability space (each step normalised, the log of the
// scale accumulated) over the list of allowed transitions only: BILOU permits about a third of
// all tag pairs, and exp-space sums are several times cheaper than log-sum-exp.
import { expParams, type CrfParams, type CrfStructure, type ExpParams } from './structure';

/** Scaled forward-backward tables of one sequence (see the file comment). */
export interface Lattice {
  len: number;
  logZ: number;
  /** normalised forward values [len*T] */
  alpha: Float64Array;
  /** scaled backward values [len*T] */
  beta: Float64Array;
  /** per-step normalisers c_t */
  scale: Float64Array;
  /** exp(em - rowMax), zero where the mask forbids a tag [len*T] */
  expEm: Float64Array;
  expTrans: Float64Array;
  /** sum_j alpha[len-1][j] * beta[len-1][j]: the end normaliser */
  zEnd: number;
}

/**
 * Tables forwardBackward can fill instead of allocating its own: a decoder that scores window
 * after window reuses one set (a lattice from them is valid until the next call with them).
 */
export class LatticeBuffers {
  expEm = new Float64Array(0);
  alpha = new Float64Array(0);
  beta = new Float64Array(0);
  scale = new Float64Array(0);

  /** Makes room for a sequence of `len` tokens and T tags. */
  fit(len: number, T: number): void {
    if (this.alpha.length >= len * T && this.scale.length >= len) return;
    const n = Math.max(len * T, 2 * this.alpha.length);
    this.expEm = new Float64Array(n);
    this.alpha = new Float64Array(n);
    this.beta = new Float64Array(n);
    this.scale = new Float64Array(Math.max(len, 2 * this.scale.length));
  }
}

/**
 * Forward-backward. `mask` (optional, [len*T] at maskOffset, 1 = tag possible) restricts the
 * paths, as in the partial-annotation loss; logZ is -Infinity when no path survives. With
 * `buffers`, the tables are theirs (only the first len*T entries are read or written).
 */
export function forwardBackward(
  em: Float32Array,
  offset: number,
  len: number,
  crf: CrfParams,
  s: CrfStructure,
  mask?: Uint8Array,
  maskOffset = 0,
  exp: ExpParams = expParams(crf, s),
  buffers?: LatticeBuffers,
): Lattice {
  const T = s.T;
  const { expTrans, transMax, expStart, startMax, expEnd, endMax } = exp;
  // the structure's arrays in locals: V8 reloads them from the object inside the loops otherwise
  const { predOffset, predFrom, succOffset, succTo } = s;
  buffers?.fit(len, T);
  const expEm = buffers ? buffers.expEm : new Float64Array(len * T);
  const alpha = buffers ? buffers.alpha : new Float64Array(len * T);
  const beta = buffers ? buffers.beta : new Float64Array(len * T);
  const scale = buffers ? buffers.scale : new Float64Array(len);
  let logZ = 0;
  const dead: Lattice = { len, logZ: -Infinity, alpha, beta, scale, expEm, expTrans, zEnd: 0 };
  for (let t = 0; t < len; t++) {
    const row = offset + t * T;
    let m = -Infinity;
    for (let j = 0; j < T; j++) if (!mask || mask[maskOffset + t * T + j]) m = Math.max(m, em[row + j]);
    if (m === -Infinity) return dead;
    for (let j = 0; j < T; j++) {
      expEm[t * T + j] = !mask || mask[maskOffset + t * T + j] ? Math.exp(em[row + j] - m) : 0;
    }
    logZ += m;
  }
  // forward
  let c = 0;
  for (let j = 0; j < T; j++) {
    const v = expStart[j] * expEm[j];
    alpha[j] = v;
    c += v;
  }
  if (!(c > 0)) return dead;
  for (let j = 0; j < T; j++) alpha[j] /= c;
  scale[0] = c;
  logZ += Math.log(c) + startMax;
  for (let t = 1; t < len; t++) {
    const prev = (t - 1) * T;
    const cur = t * T;
    c = 0;
    for (let j = 0; j < T; j++) {
      const e = expEm[cur + j];
      if (e === 0) {
        alpha[cur + j] = 0;
        continue;
      }
      let sum = 0;
      const pe = predOffset[j + 1];
      for (let p = predOffset[j]; p < pe; p++) {
        const i = predFrom[p];
        sum += alpha[prev + i] * expTrans[i * T + j];
      }
      const v = sum * e;
      alpha[cur + j] = v;
      c += v;
    }
    if (!(c > 0)) return dead;
    for (let j = 0; j < T; j++) alpha[cur + j] /= c;
    scale[t] = c;
    logZ += Math.log(c) + transMax;
  }
  const last = (len - 1) * T;
  let zEnd = 0;
  for (let j = 0; j < T; j++) {
    const v = expEnd[j];
    beta[last + j] = v;
    zEnd += alpha[last + j] * v;
  }
  if (!(zEnd > 0)) return dead;
  logZ += Math.log(zEnd) + endMax;
  // backward
  for (let t = len - 2; t >= 0; t--) {
    const cur = t * T;
    const nxt = (t + 1) * T;
    const cn = scale[t + 1];
    for (let i = 0; i < T; i++) {
      // a tag the mask rules out has alpha = 0 here, so its beta is never used
      if (expEm[cur + i] === 0) {
        beta[cur + i] = 0;
        continue;
      }
      let sum = 0;
      const pe = succOffset[i + 1];
      for (let p = succOffset[i]; p < pe; p++) {
        const j = succTo[p];
        sum += expTrans[i * T + j] * expEm[nxt + j] * beta[nxt + j];
      }
      beta[cur + i] = sum / cn;
    }
  }
  return { len, logZ, alpha, beta, scale, expEm, expTrans, zEnd };
}

/** Per-token tag marginals [len*T]. */
export function marginals(lat: Lattice, T: number): Float64Array {
  const out = new Float64Array(lat.len * T);
  if (lat.logZ === -Infinity) return out;
  for (let k = 0; k < out.length; k++) out[k] = (lat.alpha[k] * lat.beta[k]) / lat.zEnd;
  return out;
}

/** Probability that tokens from..to (inclusive) carry exactly `tags[from..to]`. */
export function spanProbability(
  lat: Lattice,
  T: number,
  s: CrfStructure,
  tags: ArrayLike<number>,
  from: number,
  to: number,
): number {
  if (lat.logZ === -Infinity) return 0;
  let p = lat.alpha[from * T + tags[from]];
  for (let t = from + 1; t <= to; t++) {
    const i = tags[t - 1];
    const j = tags[t];
    p *= (lat.expTrans[i * T + j] * lat.expEm[t * T + j]) / lat.scale[t];
  }
  return (p * lat.beta[to * T + tags[to]]) / lat.zEnd;
}

/** Adds `weight` × expected feature counts (d logZ / d params) to the gradient buffers. */
export function addExpectations(
  lat: Lattice,
  s: CrfStructure,
  weight: number,
  gEm: Float32Array,
  gOffset: number,
  gTrans: Float32Array,
  gStart: Float32Array,
  gEnd: Float32Array,
): void {
  const T = s.T;
  const len = lat.len;
  const { alpha, beta, expEm, expTrans, scale, zEnd } = lat;
  const { predOffset, predFrom } = s;
  const w = weight / zEnd;
  for (let t = 0; t < len; t++) {
    for (let j = 0; j < T; j++) {
      const p = alpha[t * T + j] * beta[t * T + j] * w;
      gEm[gOffset + t * T + j] += p;
      if (t === 0) gStart[j] += p;
      if (t === len - 1) gEnd[j] += p;
    }
  }
  for (let t = 1; t < len; t++) {
    const prev = (t - 1) * T;
    const cur = t * T;
    const wc = w / scale[t];
    for (let j = 0; j < T; j++) {
      const right = expEm[cur + j] * beta[cur + j];
      if (right === 0) continue;
      const pe = predOffset[j + 1];
      for (let p = predOffset[j]; p < pe; p++) {
        const i = predFrom[p];
        gTrans[i * T + j] += alpha[prev + i] * expTrans[i * T + j] * right * wc;
      }
    }
  }
}
