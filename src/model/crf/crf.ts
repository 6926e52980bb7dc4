// Linear-chain CRF over emission scores: Viterbi decoding, forward-backward marginals and the
// partial-annotation loss. The tag scheme's transition constraints are hard: a forbidden
// transition has probability zero in training and decoding alike.
//
// Forward-backward runs in scaled probability space (each step normalised, the log of the
// scale accumulated) over the list of allowed transitions only: BILOU permits about a third of
// all tag pairs, and exp-space sums are several times cheaper than log-sum-exp.

import { partialCrfLossOnKernels } from './loss-on-kernels';
import { kernels } from '../kernels/runtime';

export interface CrfParams {
  /** [T*T], score of moving from tag i (row) to tag j (column) */
  trans: Float32Array;
  start: Float32Array;
  end: Float32Array;
}

export interface TransitionRules {
  start: boolean[];
  end: boolean[];
  trans: boolean[][];
}

/** Allowed transitions as predecessor lists, built once per tag set. */
export class CrfStructure {
  readonly T: number;
  readonly startOk: Uint8Array;
  readonly endOk: Uint8Array;
  /** predecessors of j are predFrom[predOffset[j] .. predOffset[j+1]) */
  readonly predOffset: Int32Array;
  readonly predFrom: Int32Array;
  /** successors of i are succTo[succOffset[i] .. succOffset[i+1]) */
  readonly succOffset: Int32Array;
  readonly succTo: Int32Array;

  constructor(rules: TransitionRules) {
    const T = rules.start.length;
    this.T = T;
    this.startOk = Uint8Array.from(rules.start, (b) => (b ? 1 : 0));
    this.endOk = Uint8Array.from(rules.end, (b) => (b ? 1 : 0));
    const pred: number[] = [];
    const predOffset = new Int32Array(T + 1);
    for (let j = 0; j < T; j++) {
      predOffset[j] = pred.length;
      for (let i = 0; i < T; i++) if (rules.trans[i][j]) pred.push(i);
    }
    predOffset[T] = pred.length;
    const succ: number[] = [];
    const succOffset = new Int32Array(T + 1);
    for (let i = 0; i < T; i++) {
      succOffset[i] = succ.length;
      for (let j = 0; j < T; j++) if (rules.trans[i][j]) succ.push(j);
    }
    succOffset[T] = succ.length;
    this.predOffset = predOffset;
    this.predFrom = Int32Array.from(pred);
    this.succOffset = succOffset;
    this.succTo = Int32Array.from(succ);
  }

  allowed(i: number, j: number): boolean {
    for (let p = this.predOffset[j]; p < this.predOffset[j + 1]; p++) if (this.predFrom[p] === i) return true;
    return false;
  }
}

/** Highest-scoring valid tag sequence for em[offset .. offset + len*T). */
export function viterbi(em: Float32Array, offset: number, len: number, crf: CrfParams, s: CrfStructure): Int32Array {
  const T = s.T;
  const tags = new Int32Array(len);
  if (len === 0) return tags;
  let score = new Float64Array(T);
  let next = new Float64Array(T);
  const back = new Int32Array(len * T);
  for (let j = 0; j < T; j++) score[j] = s.startOk[j] ? crf.start[j] + em[offset + j] : -Infinity;
  for (let t = 1; t < len; t++) {
    const row = offset + t * T;
    for (let j = 0; j < T; j++) {
      let best = -Infinity;
      let arg = 0;
      for (let p = s.predOffset[j]; p < s.predOffset[j + 1]; p++) {
        const i = s.predFrom[p];
        const v = score[i] + crf.trans[i * T + j];
        if (v > best) {
          best = v;
          arg = i;
        }
      }
      next[j] = best + em[row + j];
      back[t * T + j] = arg;
    }
    const swap = score;
    score = next;
    next = swap;
  }
  let best = -Infinity;
  let arg = 0;
  for (let j = 0; j < T; j++) {
    const v = s.endOk[j] ? score[j] + crf.end[j] : -Infinity;
    if (v > best) {
      best = v;
      arg = j;
    }
  }
  tags[len - 1] = arg;
  for (let t = len - 1; t > 0; t--) tags[t - 1] = back[t * T + tags[t]];
  return tags;
}

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

/** exp of the transition, start and end scores, shifted by their maxima for range safety. */
export interface ExpParams {
  expTrans: Float64Array;
  transMax: number;
  expStart: Float64Array;
  startMax: number;
  expEnd: Float64Array;
  endMax: number;
}

/** Computed once per parameter set (decoding reuses it for every sequence). */
export function expParams(crf: CrfParams, s: CrfStructure): ExpParams {
  const T = s.T;
  let transMax = -Infinity;
  for (let k = 0; k < T * T; k++) transMax = Math.max(transMax, crf.trans[k]);
  const expTrans = new Float64Array(T * T);
  for (let k = 0; k < T * T; k++) expTrans[k] = Math.exp(crf.trans[k] - transMax);
  let startMax = -Infinity;
  let endMax = -Infinity;
  for (let j = 0; j < T; j++) {
    if (s.startOk[j]) startMax = Math.max(startMax, crf.start[j]);
    if (s.endOk[j]) endMax = Math.max(endMax, crf.end[j]);
  }
  const expStart = new Float64Array(T);
  const expEnd = new Float64Array(T);
  for (let j = 0; j < T; j++) {
    expStart[j] = s.startOk[j] ? Math.exp(crf.start[j] - startMax) : 0;
    expEnd[j] = s.endOk[j] ? Math.exp(crf.end[j] - endMax) : 0;
  }
  return { expTrans, transMax, expStart, startMax, expEnd, endMax };
}

/**
 * Forward-backward. `mask` (optional, [len*T] at maskOffset, 1 = tag possible) restricts the
 * paths, as in the partial-annotation loss; logZ is -Infinity when no path survives.
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
): Lattice {
  const T = s.T;
  const { expTrans, transMax, expStart, startMax, expEnd, endMax } = exp;
  // the structure's arrays in locals: V8 reloads them from the object inside the loops otherwise
  const { predOffset, predFrom, succOffset, succTo } = s;
  const expEm = new Float64Array(len * T);
  const alpha = new Float64Array(len * T);
  const beta = new Float64Array(len * T);
  const scale = new Float64Array(len);
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
function addExpectations(
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

export interface CrfGradients {
  em: Float32Array;
  trans: Float32Array;
  start: Float32Array;
  end: Float32Array;
}

// The training loop calls partialCrfLoss for every sentence of a batch with the same CRF
// parameters: their exp tables are kept with a copy of the values they were made from, and
// reused while the values are unchanged (comparing ~T² floats costs far less than T² exps).
let shared: { s: CrfStructure; values: Float32Array; exp: ExpParams } | null = null;

function sharedExpParams(crf: CrfParams, s: CrfStructure): ExpParams {
  const T = s.T;
  const n = T * T + 2 * T;
  if (shared && shared.s === s && shared.values.length === n) {
    const v = shared.values;
    let same = true;
    for (let k = 0; k < T * T && same; k++) same = v[k] === crf.trans[k];
    for (let j = 0; j < T && same; j++) same = v[T * T + j] === crf.start[j] && v[T * T + T + j] === crf.end[j];
    if (same) return shared.exp;
  }
  const values = new Float32Array(n);
  values.set(crf.trans.subarray(0, T * T));
  values.set(crf.start.subarray(0, T), T * T);
  values.set(crf.end.subarray(0, T), T * T + T);
  shared = { s, values, exp: expParams(crf, s) };
  return shared.exp;
}

/**
 * Partial-annotation CRF loss of one sequence: −log Σ_{paths consistent with mask} p(path)
 * = logZ(all) − logZ(mask). With a one-tag-per-token mask this is the ordinary CRF loss.
 * Adds `weight` × the gradient into `grads` (emissions at the same offset as `em`).
 * Returns the weighted loss, or null when the mask admits no valid path (the sequence is skipped).
 */
export function partialCrfLoss(
  em: Float32Array,
  offset: number,
  len: number,
  crf: CrfParams,
  s: CrfStructure,
  mask: Uint8Array,
  maskOffset: number,
  weight: number,
  grads: CrfGradients,
): number | null {
  const exp = sharedExpParams(crf, s);
  const ks = kernels();
  if (ks) {
    // the same lattices on the WebAssembly kernels (see kernels/crf-kernels.ts)
    const loss = partialCrfLossOnKernels(ks, em, offset, len, s, mask, maskOffset, weight, grads, exp);
    if (loss !== undefined) return loss;
  }
  const constrained = forwardBackward(em, offset, len, crf, s, mask, maskOffset, exp);
  if (constrained.logZ === -Infinity) return null;
  const free = forwardBackward(em, offset, len, crf, s, undefined, 0, exp);
  addExpectations(free, s, weight, grads.em, offset, grads.trans, grads.start, grads.end);
  addExpectations(constrained, s, -weight, grads.em, offset, grads.trans, grads.start, grads.end);
  return weight * (free.logZ - constrained.logZ);
}

/**
 * Per-token analogue for a softmax output: −Σ_t log Σ_{tag in mask_t} softmax(em_t).
 * Adds weight × gradient into gEm; returns the weighted loss.
 */
export function partialSoftmaxLoss(
  em: Float32Array,
  offset: number,
  len: number,
  T: number,
  mask: Uint8Array,
  maskOffset: number,
  weight: number,
  gEm: Float32Array,
): number {
  let loss = 0;
  const p = new Float64Array(T);
  for (let t = 0; t < len; t++) {
    const row = offset + t * T;
    const mrow = maskOffset + t * T;
    let m = -Infinity;
    for (let j = 0; j < T; j++) m = Math.max(m, em[row + j]);
    let all = 0;
    let allowed = 0;
    for (let j = 0; j < T; j++) {
      p[j] = Math.exp(em[row + j] - m);
      all += p[j];
      if (mask[mrow + j]) allowed += p[j];
    }
    if (!(allowed > 0)) continue;
    loss += Math.log(all) - Math.log(allowed);
    for (let j = 0; j < T; j++) {
      gEm[row + j] += weight * (p[j] / all - (mask[mrow + j] ? p[j] / allowed : 0));
    }
  }
  return weight * loss;
}
