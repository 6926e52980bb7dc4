// The partial-annotation CRF loss of one sequence (loss.ts partialCrfLoss) with its lattice
// loops on the kernels: forward, backward and expected counts of both lattices (all paths and
// the mask's paths) over dense, zero-padded transition tables, two tags per f64x2 vector. The
// exps, logs and normalisers stay in JS and follow lattice.ts step by step, so the loss is the
// same number; the gradients differ only in rounding (they are summed in float64 before being
// added to the float32 buffers once).
import type { CrfGradients, CrfStructure, ExpParams } from './structure';
import type { Kernels } from '../kernels/runtime';

interface Tables {
  exp: ExpParams;
  s: CrfStructure;
  /** byte addresses of E [Tp, Tp], Eᵀ, start [Tp], end [Tp] (float64) */
  E: number;
  ET: number;
  start: number;
  end: number;
}

interface State {
  tables: Tables | null;
  scratch: number;
  scratchBytes: number;
}

const states = new WeakMap<Kernels, State>();

function tablesFor(ks: Kernels, st: State, exp: ExpParams, s: CrfStructure, Tp: number): Tables {
  const old = st.tables;
  if (old && old.exp === exp && old.s === s) return old;
  const T = s.T;
  let t = old;
  if (!t || t.s.T !== T) {
    if (t) for (const p of [t.E, t.ET, t.start, t.end]) ks.release(p);
    t = { exp, s, E: ks.alloc(Tp * Tp * 8), ET: ks.alloc(Tp * Tp * 8), start: ks.alloc(Tp * 8), end: ks.alloc(Tp * 8) };
  }
  t.exp = exp;
  t.s = s;
  const D = new Float64Array(ks.memory.buffer);
  const E = t.E >> 3;
  const ET = t.ET >> 3;
  D.fill(0, E, E + Tp * Tp);
  D.fill(0, ET, ET + Tp * Tp);
  for (let j = 0; j < T; j++) {
    for (let p = s.predOffset[j]; p < s.predOffset[j + 1]; p++) {
      const i = s.predFrom[p];
      const v = exp.expTrans[i * T + j];
      D[E + i * Tp + j] = v;
      D[ET + j * Tp + i] = v;
    }
  }
  D.fill(0, t.start >> 3, (t.start >> 3) + Tp);
  D.fill(0, t.end >> 3, (t.end >> 3) + Tp);
  D.set(exp.expStart.subarray(0, T), t.start >> 3);
  D.set(exp.expEnd.subarray(0, T), t.end >> 3);
  st.tables = t;
  return t;
}

/**
 * partialCrfLoss on the kernels; `undefined` for cases it leaves to the JS version (an empty
 * sequence, or no path at all through the unconstrained lattice).
 */
export function partialCrfLossOnKernels(
  ks: Kernels,
  em: Float32Array,
  offset: number,
  len: number,
  s: CrfStructure,
  mask: Uint8Array,
  maskOffset: number,
  weight: number,
  grads: CrfGradients,
  exp: ExpParams,
): number | null | undefined {
  if (len < 1) return undefined;
  const T = s.T;
  const Tp = T + (T & 1);
  let st = states.get(ks);
  if (!st) {
    st = { tables: null, scratch: -1, scratchBytes: 0 };
    states.set(ks, st);
  }
  const tables = tablesFor(ks, st, exp, s, Tp);
  // scratch: X, alpha, beta for both lattices, gEm [len, Tp]; scale ×2 [len]; G [Tp, Tp]; r [Tp]
  const rowBytes = len * Tp * 8;
  const bytes = 7 * rowBytes + 2 * len * 8 + Tp * Tp * 8 + Tp * 8;
  if (bytes > st.scratchBytes) {
    if (st.scratch >= 0) ks.release(st.scratch);
    st.scratchBytes = Math.max(bytes, 2 * st.scratchBytes);
    st.scratch = ks.alloc(st.scratchBytes);
  }
  const base = st.scratch;
  const Xf = base;
  const Xc = Xf + rowBytes;
  const aF = Xc + rowBytes;
  const aC = aF + rowBytes;
  const bF = aC + rowBytes;
  const bC = bF + rowBytes;
  const gEm = bC + rowBytes;
  const sF = gEm + rowBytes;
  const sC = sF + len * 8;
  const G = sC + len * 8;
  const r = G + Tp * Tp * 8;
  const D = new Float64Array(ks.memory.buffer);
  // emission exps, row maxima as in forwardBackward (the mask's lattice first: it may be empty)
  let logZc = 0;
  let logZf = 0;
  for (let t = 0; t < len; t++) {
    const row = offset + t * T;
    const mrow = maskOffset + t * T;
    let mc = -Infinity;
    let mf = -Infinity;
    for (let j = 0; j < T; j++) {
      if (mask[mrow + j]) mc = Math.max(mc, em[row + j]);
      mf = Math.max(mf, em[row + j]);
    }
    if (mc === -Infinity) return null;
    const xc = (Xc >> 3) + t * Tp;
    const xf = (Xf >> 3) + t * Tp;
    for (let j = 0; j < T; j++) {
      D[xc + j] = mask[mrow + j] ? Math.exp(em[row + j] - mc) : 0;
      D[xf + j] = Math.exp(em[row + j] - mf);
    }
    if (Tp > T) {
      D[xc + T] = 0;
      D[xf + T] = 0;
    }
    logZc += mc;
    logZf += mf;
  }
  const k = ks.k;
  const lattice = (X: number, alpha: number, scale: number, logZ: number): { logZ: number; zEnd: number } | null => {
    if (!k.crfForward(len, Tp, X, tables.E, tables.start, alpha, scale)) return null;
    const S = scale >> 3;
    logZ += Math.log(D[S]) + exp.startMax;
    for (let t = 1; t < len; t++) logZ += Math.log(D[S + t]) + exp.transMax;
    const last = (alpha >> 3) + (len - 1) * Tp;
    const endV = tables.end >> 3;
    let zEnd = 0;
    for (let j = 0; j < T; j++) zEnd += D[last + j] * D[endV + j];
    if (!(zEnd > 0)) return null;
    return { logZ: logZ + Math.log(zEnd) + exp.endMax, zEnd };
  };
  const con = lattice(Xc, aC, sC, logZc);
  if (!con) return null;
  const free = lattice(Xf, aF, sF, logZf);
  if (!free) return undefined;
  k.crfBackward(len, Tp, Xc, tables.ET, tables.end, sC, bC);
  k.crfBackward(len, Tp, Xf, tables.ET, tables.end, sF, bF);
  D.fill(0, gEm >> 3, (gEm >> 3) + len * Tp);
  D.fill(0, G >> 3, (G >> 3) + Tp * Tp);
  k.crfExpect(len, Tp, Xf, tables.E, aF, bF, sF, weight / free.zEnd, gEm, G, r);
  k.crfExpect(len, Tp, Xc, tables.E, aC, bC, sC, -weight / con.zEnd, gEm, G, r);
  const g = gEm >> 3;
  const gE = grads.em;
  for (let t = 0; t < len; t++) for (let j = 0; j < T; j++) gE[offset + t * T + j] += D[g + t * Tp + j];
  for (let j = 0; j < T; j++) {
    grads.start[j] += D[g + j];
    grads.end[j] += D[g + (len - 1) * Tp + j];
  }
  const GT = G >> 3;
  for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) grads.trans[i * T + j] += D[GT + i * Tp + j];
  return weight * (free.logZ - con.logZ);
}
