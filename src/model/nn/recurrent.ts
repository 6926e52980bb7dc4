// Bidirectional LSTM / GRU layer with hand-written forward and backward passes (BPTT).
// Weights are in ONNX layout (see config.ts): W [2, G*H, In], R [2, G*H, H], B [2, 2*G*H];
// LSTM gates i,o,f,c; GRU gates z,r,h with linear_before_reset=1.
// The input projection of every time step is one matrix product, and so are the weight
// gradients: only the recurrent product h·Rᵀ has to run step by step.
// LSTM layers run on the WebAssembly kernels (kernels/): whole sequences per call, with the
// activations left in kernel memory for the backward pass. GRU layers (and any layer when the
// engine lacks WebAssembly SIMD) run the plain-JS version below, with the same math.
import type { CellType } from './architecture';
import { gemm, transpose } from './gemm';
import { KC } from '../kernels/layout';
import { Residency, type ResidentBlock } from '../kernels/resident';
import { kernels, type Kernels } from '../kernels/runtime';

export interface RnnParams {
  W: Float32Array;
  R: Float32Array;
  B: Float32Array;
}

interface DirectionCache {
  /** gate activations [N, G*H] */
  gates: Float32Array;
  /** LSTM: cell state [N, H]; GRU: R_h·h_prev + Rb_h [N, H] */
  state: Float32Array;
  /** LSTM: previous cell state [N, H] */
  statePrev: Float32Array;
  /** hidden state before each step [N, H] */
  hPrev: Float32Array;
}

export interface RnnCache {
  cell: CellType;
  H: number;
  inDim: number;
  batch: number;
  length: number;
  lengths: Int32Array;
  x: Float32Array;
  /** the plain-JS path's activations (GRU, or no WebAssembly SIMD) */
  dirs?: DirectionCache[];
  /**
   * the LSTM kernels' activations, kept in kernel memory until the backward pass (recomputed
   * from `x` if newer forward passes dropped them)
   */
  resident?: ResidentLstm;
}

interface ResidentLstm {
  /** the kernels whose memory holds the block */
  ks: Kernels;
  block: ResidentBlock;
  /** padded hidden size (a multiple of 4) */
  Hp: number;
  layout: LstmLayout;
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** Row of sequence b at processing step k of direction d (backward runs from len-1 to 0). */
function position(d: number, b: number, k: number, L: number, len: number): number {
  return b * L + (d === 0 ? k : len - 1 - k);
}

function birnnForwardJs(
  cell: CellType,
  H: number,
  inDim: number,
  p: RnnParams,
  x: Float32Array,
  batch: number,
  length: number,
  lengths: Int32Array,
): { y: Float32Array; cache: RnnCache } {
  const G = cell === 'lstm' ? 4 : 3;
  const GH = G * H;
  const N = batch * length;
  const y = new Float32Array(N * 2 * H);
  const dirs: DirectionCache[] = [];
  const hr = new Float32Array(batch * GH);
  for (let d = 0; d < 2; d++) {
    const W = p.W.subarray(d * GH * inDim, (d + 1) * GH * inDim);
    // Rᵀ once per sequence batch, so every step's product is a plain (untransposed) one
    const Rt = transpose(p.R.subarray(d * GH * H, (d + 1) * GH * H), GH, H);
    const Wb = p.B.subarray(d * 2 * GH, d * 2 * GH + GH);
    const Rb = p.B.subarray(d * 2 * GH + GH, (d + 1) * 2 * GH);
    const gates = new Float32Array(N * GH);
    gemm(false, true, N, GH, inDim, x, W, gates, false);
    const state = new Float32Array(N * H);
    const statePrev = cell === 'lstm' ? new Float32Array(N * H) : new Float32Array(0);
    const hPrev = new Float32Array(N * H);
    const h = new Float32Array(batch * H);
    const c = new Float32Array(batch * H);
    for (let k = 0; k < length; k++) {
      gemm(false, false, batch, GH, H, h, Rt, hr, false);
      for (let b = 0; b < batch; b++) {
        const len = lengths[b];
        if (k >= len) continue;
        const pos = position(d, b, k, length, len);
        const g = pos * GH;
        const hb = b * H;
        const r = b * GH;
        hPrev.set(h.subarray(hb, hb + H), pos * H);
        if (cell === 'lstm') {
          statePrev.set(c.subarray(hb, hb + H), pos * H);
          for (let j = 0; j < H; j++) {
            const i = sigmoid(gates[g + j] + Wb[j] + Rb[j] + hr[r + j]);
            const o = sigmoid(gates[g + H + j] + Wb[H + j] + Rb[H + j] + hr[r + H + j]);
            const f = sigmoid(gates[g + 2 * H + j] + Wb[2 * H + j] + Rb[2 * H + j] + hr[r + 2 * H + j]);
            const cc = Math.tanh(gates[g + 3 * H + j] + Wb[3 * H + j] + Rb[3 * H + j] + hr[r + 3 * H + j]);
            const cNew = f * c[hb + j] + i * cc;
            gates[g + j] = i;
            gates[g + H + j] = o;
            gates[g + 2 * H + j] = f;
            gates[g + 3 * H + j] = cc;
            c[hb + j] = cNew;
            state[pos * H + j] = cNew;
            h[hb + j] = o * Math.tanh(cNew);
          }
        } else {
          for (let j = 0; j < H; j++) {
            const z = sigmoid(gates[g + j] + Wb[j] + hr[r + j] + Rb[j]);
            const rr = sigmoid(gates[g + H + j] + Wb[H + j] + hr[r + H + j] + Rb[H + j]);
            const hn = hr[r + 2 * H + j] + Rb[2 * H + j];
            const n = Math.tanh(gates[g + 2 * H + j] + Wb[2 * H + j] + rr * hn);
            gates[g + j] = z;
            gates[g + H + j] = rr;
            gates[g + 2 * H + j] = n;
            state[pos * H + j] = hn;
            h[hb + j] = (1 - z) * n + z * h[hb + j];
          }
        }
        const out = pos * 2 * H + d * H;
        for (let j = 0; j < H; j++) y[out + j] = h[hb + j];
      }
    }
    dirs.push({ gates, state, statePrev, hPrev });
  }
  return { y, cache: { cell, H, inDim, batch, length, lengths, x, dirs } };
}

function birnnBackwardJs(cache: RnnCache, p: RnnParams, dy: Float32Array, grad: RnnParams, dx: Float32Array): void {
  const { cell, H, inDim, batch, length, lengths, x } = cache;
  const G = cell === 'lstm' ? 4 : 3;
  const GH = G * H;
  const N = batch * length;
  const stepGrad = new Float32Array(batch * GH);
  const dhRec = new Float32Array(batch * H);
  for (let d = 0; d < 2; d++) {
    const { gates, state, statePrev, hPrev } = (cache.dirs as DirectionCache[])[d];
    const W = p.W.subarray(d * GH * inDim, (d + 1) * GH * inDim);
    const R = p.R.subarray(d * GH * H, (d + 1) * GH * H);
    const gW = grad.W.subarray(d * GH * inDim, (d + 1) * GH * inDim);
    const gR = grad.R.subarray(d * GH * H, (d + 1) * GH * H);
    const gWb = grad.B.subarray(d * 2 * GH, d * 2 * GH + GH);
    const gRb = grad.B.subarray(d * 2 * GH + GH, (d + 1) * 2 * GH);
    // gradients of the input-side and recurrent-side pre-activations; equal for LSTM
    const dXW = new Float32Array(N * GH);
    const dHR = cell === 'lstm' ? dXW : new Float32Array(N * GH);
    const dhNext = new Float32Array(batch * H);
    const dcNext = new Float32Array(batch * H);
    for (let k = length - 1; k >= 0; k--) {
      stepGrad.fill(0);
      for (let b = 0; b < batch; b++) {
        const len = lengths[b];
        if (k >= len) continue;
        const pos = position(d, b, k, length, len);
        const g = pos * GH;
        const hb = b * H;
        const s = b * GH;
        const yo = pos * 2 * H + d * H;
        if (cell === 'lstm') {
          for (let j = 0; j < H; j++) {
            const i = gates[g + j];
            const o = gates[g + H + j];
            const f = gates[g + 2 * H + j];
            const cc = gates[g + 3 * H + j];
            const tc = Math.tanh(state[pos * H + j]);
            const dh = dy[yo + j] + dhNext[hb + j];
            const dc = dcNext[hb + j] + dh * o * (1 - tc * tc);
            const di = dc * cc * i * (1 - i);
            const dO = dh * tc * o * (1 - o);
            const df = dc * statePrev[pos * H + j] * f * (1 - f);
            const dcc = dc * i * (1 - cc * cc);
            dXW[g + j] = di;
            dXW[g + H + j] = dO;
            dXW[g + 2 * H + j] = df;
            dXW[g + 3 * H + j] = dcc;
            stepGrad[s + j] = di;
            stepGrad[s + H + j] = dO;
            stepGrad[s + 2 * H + j] = df;
            stepGrad[s + 3 * H + j] = dcc;
            dcNext[hb + j] = dc * f;
          }
        } else {
          for (let j = 0; j < H; j++) {
            const z = gates[g + j];
            const r = gates[g + H + j];
            const n = gates[g + 2 * H + j];
            const hn = state[pos * H + j];
            const hp = hPrev[pos * H + j];
            const dh = dy[yo + j] + dhNext[hb + j];
            const dan = dh * (1 - z) * (1 - n * n);
            const daz = dh * (hp - n) * z * (1 - z);
            const dar = dan * hn * r * (1 - r);
            dXW[g + j] = daz;
            dXW[g + H + j] = dar;
            dXW[g + 2 * H + j] = dan;
            dHR[g + j] = daz;
            dHR[g + H + j] = dar;
            dHR[g + 2 * H + j] = dan * r;
            stepGrad[s + j] = daz;
            stepGrad[s + H + j] = dar;
            stepGrad[s + 2 * H + j] = dan * r;
            dcNext[hb + j] = dh * z; // the direct path h_prev → h, reused as a buffer
          }
        }
      }
      // gradient flowing to the previous step's hidden state: stepGrad · R
      gemm(false, false, batch, H, GH, stepGrad, R, dhRec, false);
      if (cell === 'lstm') dhNext.set(dhRec);
      else for (let q = 0; q < batch * H; q++) dhNext[q] = dhRec[q] + dcNext[q];
      if (cell === 'gru') dcNext.fill(0);
    }
    gemm(true, false, GH, inDim, N, dXW, x, gW, true);
    gemm(true, false, GH, H, N, dHR, hPrev, gR, true);
    for (let n = 0; n < N; n++) {
      for (let q = 0; q < GH; q++) {
        gWb[q] += dXW[n * GH + q];
        gRb[q] += dHR[n * GH + q];
      }
    }
    gemm(false, false, N, inDim, GH, dXW, W, dx, true);
  }
}

// ---------------------------------------------------------------------------------------------
// LSTM on the kernels. Inside kernel memory the hidden size is padded to Hp (a multiple of 4):
// padded units get zero weights and bias, so their gates are constant and their state stays 0.

const residencies = new WeakMap<Kernels, Residency>();

function residencyOf(ks: Kernels): Residency {
  let r = residencies.get(ks);
  if (!r) {
    r = new Residency(ks);
    residencies.set(ks, r);
  }
  return r;
}

const align16 = (n: number) => Math.ceil(n / 16) * 16;

/** Zeroes the rows of a [batch*length, rowFloats] block past each sequence's length. */
function zeroPaddingRows(
  ks: Kernels,
  ptr: number,
  rowFloats: number,
  batch: number,
  length: number,
  lengths: Int32Array,
): void {
  for (let b = 0; b < batch; b++) {
    const len = Math.max(0, Math.min(lengths[b], length));
    if (len < length) ks.fill(ptr + (b * length + len) * rowFloats * 4, (length - len) * rowFloats, 0);
  }
}

/** dst[at .. at+n) += src[from .. from+n) */
function addInto(dst: Float32Array, at: number, src: Float32Array, from: number, n: number): void {
  for (let i = 0; i < n; i++) dst[at + i] += src[from + i];
}

/** Float offsets of the cached arrays inside a resident block. */
interface LstmLayout {
  /** the input [N, inDim] */
  x: number;
  /** lengths [batch] (i32), clamped to the padded length */
  lens: number;
  /** per direction: gate activations [N, 4Hp] */
  gates: number[];
  /** per direction: tanh of the cell state after each step [N, Hp] */
  state: number[];
  /** per direction: cell state before each step [N, Hp] */
  statePrev: number[];
  /** per direction: hidden state before each step [N, Hp] */
  hPrev: number[];
  total: number;
}

function lstmLayout(N: number, inDim: number, batch: number, Hp: number): LstmLayout {
  let at = 0;
  const take = (n: number) => {
    const o = at;
    at += align16(n);
    return o;
  };
  const x = take(N * inDim);
  const lens = take(batch);
  const gates = [take(N * 4 * Hp), take(N * 4 * Hp)];
  const state = [take(N * Hp), take(N * Hp)];
  const statePrev = [take(N * Hp), take(N * Hp)];
  const hPrev = [take(N * Hp), take(N * Hp)];
  return { x, lens, gates, state, statePrev, hPrev, total: at };
}

/** Copies direction d's W [4H, In] and R [4H, H] into padded [4Hp, In], [4Hp, Hp] at wPtr, rPtr. */
function putPaddedWeights(
  ks: Kernels,
  p: RnnParams,
  d: number,
  H: number,
  Hp: number,
  inDim: number,
  wPtr: number,
  rPtr: number,
): void {
  const GH = 4 * H;
  const W = p.W.subarray(d * GH * inDim, (d + 1) * GH * inDim);
  const R = p.R.subarray(d * GH * H, (d + 1) * GH * H);
  const F = ks.F32;
  if (Hp === H) {
    F.set(W, wPtr >> 2);
    F.set(R, rPtr >> 2);
    return;
  }
  ks.fill(wPtr, 4 * Hp * inDim, 0);
  ks.fill(rPtr, 4 * Hp * Hp, 0);
  for (let q = 0; q < 4; q++) {
    for (let u = 0; u < H; u++) {
      F.set(W.subarray((q * H + u) * inDim, (q * H + u + 1) * inDim), (wPtr >> 2) + (q * Hp + u) * inDim);
      F.set(R.subarray((q * H + u) * H, (q * H + u + 1) * H), (rPtr >> 2) + (q * Hp + u) * Hp);
    }
  }
}

function lstmForwardKernels(
  ks: Kernels,
  H: number,
  inDim: number,
  p: RnnParams,
  x: Float32Array,
  batch: number,
  length: number,
  lengths: Int32Array,
  out?: Float32Array,
): { y: Float32Array; cache: RnnCache } {
  const res = residencyOf(ks);
  const Hp = Math.ceil(H / 4) * 4;
  const G = 4 * Hp;
  const N = batch * length;
  const lay = lstmLayout(N, inDim, batch, Hp);
  const block = res.create(lay.total * 4);
  const base = block.ptr;
  const at = (o: number) => base + 4 * o;
  // temporaries
  const Bp = Math.ceil(batch / 4) * 4;
  let t = 0;
  const tmp = (n: number) => {
    const o = t;
    t += align16(n);
    return o;
  };
  const oW = tmp(G * inDim);
  const oR = tmp(G * Hp);
  const oBias = tmp(G);
  const oRt = tmp(G * Hp);
  const oH = tmp(batch * Hp);
  const oC = tmp(batch * Hp);
  const oHr = tmp(batch * G);
  const oA = tmp(Bp * KC);
  const oY = tmp(N * 2 * Hp);
  const tmpPtr = ks.alloc(t * 4);
  const tp = (o: number) => tmpPtr + 4 * o;
  let F = ks.F32;
  F.set(x.subarray(0, N * inDim), at(lay.x) >> 2);
  const I = ks.I32;
  for (let b = 0; b < batch; b++) I[(at(lay.lens) >> 2) + b] = Math.max(0, Math.min(lengths[b], length));
  zeroPaddingRows(ks, tp(oY), 2 * Hp, batch, length, lengths);
  for (let d = 0; d < 2; d++) {
    zeroPaddingRows(ks, at(lay.hPrev[d]), Hp, batch, length, lengths);
    putPaddedWeights(ks, p, d, H, Hp, inDim, tp(oW), tp(oR));
    F = ks.F32;
    const bias = F.subarray(tp(oBias) >> 2, (tp(oBias) >> 2) + G);
    bias.fill(0);
    const Bw = p.B.subarray(d * 8 * H, (d + 1) * 8 * H);
    for (let q = 0; q < 4; q++) for (let u = 0; u < H; u++) bias[q * Hp + u] = Bw[q * H + u] + Bw[4 * H + q * H + u];
    // input projection of every step: gates = x · Wᵀ
    ks.gemmPtr(false, true, N, G, inDim, at(lay.x), tp(oW), at(lay.gates[d]), false);
    // Rᵀ packed once for all steps: op(B)(k, j) = R[j, k]
    ks.k.packBAll(tp(oR), 4, Hp * 4, Hp, G, tp(oRt));
    ks.k.lstmForward(
      batch,
      length,
      Hp,
      at(lay.lens),
      d,
      at(lay.gates[d]),
      at(lay.state[d]),
      at(lay.statePrev[d]),
      at(lay.hPrev[d]),
      tp(oY),
      tp(oBias),
      tp(oRt),
      tp(oH),
      tp(oC),
      tp(oHr),
      tp(oA),
    );
  }
  const y = out ?? new Float32Array(N * 2 * H);
  const yk = ks.f32(tp(oY), N * 2 * Hp);
  if (Hp === H) y.set(yk);
  else
    for (let n = 0; n < N; n++)
      for (let d = 0; d < 2; d++) y.set(yk.subarray((2 * n + d) * Hp, (2 * n + d) * Hp + H), (2 * n + d) * H);
  ks.release(tmpPtr);
  return {
    y,
    cache: { cell: 'lstm', H, inDim, batch, length, lengths, x, resident: { ks, block, Hp, layout: lay } },
  };
}

function lstmBackwardKernels(
  cache: RnnCache,
  p: RnnParams,
  dy: Float32Array,
  grad: RnnParams,
  dx: Float32Array,
  overwriteDx: boolean,
): void {
  const { H, inDim, batch, length } = cache;
  let lstm = cache.resident as ResidentLstm;
  const res = residencyOf(lstm.ks);
  if (lstm.block.released) throw new Error('this forward cache was already used by a backward pass');
  if (!res.resident(lstm.block)) {
    // dropped after newer forward passes: recompute the activations from the cached input
    lstm = lstmForwardKernels(lstm.ks, H, inDim, p, cache.x, batch, length, cache.lengths).cache
      .resident as ResidentLstm;
  }
  const { ks, block, Hp, layout: lay } = lstm;
  const base = block.ptr;
  const at = (o: number) => base + 4 * o;
  const G = 4 * Hp;
  const N = batch * length;
  const Bp = Math.ceil(batch / 4) * 4;
  let t = 0;
  const tmp = (n: number) => {
    const o = t;
    t += align16(n);
    return o;
  };
  const oDy = tmp(N * 2 * Hp);
  const oDxw = tmp(N * G);
  const oW = tmp(G * inDim);
  const oR = tmp(G * Hp);
  const oRp = tmp(Math.ceil(Hp / 8) * 8 * G); // packed in 8-column panels
  const oStep = tmp(batch * G);
  const oDh = tmp(batch * Hp);
  const oDc = tmp(batch * Hp);
  const oA = tmp(Bp * KC);
  const oGW = tmp(G * inDim);
  const oGR = tmp(G * Hp);
  const oGB = tmp(G);
  const oDx = tmp(N * inDim);
  const tmpPtr = ks.alloc(t * 4);
  const tp = (o: number) => tmpPtr + 4 * o;
  let F = ks.F32;
  if (Hp === H) F.set(dy.subarray(0, N * 2 * H), tp(oDy) >> 2);
  else {
    ks.fill(tp(oDy), N * 2 * Hp, 0);
    const o = tp(oDy) >> 2;
    for (let n = 0; n < N; n++)
      for (let d = 0; d < 2; d++) F.set(dy.subarray((2 * n + d) * H, (2 * n + d + 1) * H), o + (2 * n + d) * Hp);
  }
  const GH = 4 * H;
  for (let d = 0; d < 2; d++) {
    putPaddedWeights(ks, p, d, H, Hp, inDim, tp(oW), tp(oR));
    // op(B)(g, j) = R[g, j] for dh = stepGrad · R
    ks.k.packBAll(tp(oR), Hp * 4, 4, G, Hp, tp(oRp));
    zeroPaddingRows(ks, tp(oDxw), G, batch, length, cache.lengths);
    ks.k.lstmBackward(
      batch,
      length,
      Hp,
      at(lay.lens),
      d,
      at(lay.gates[d]),
      at(lay.state[d]),
      at(lay.statePrev[d]),
      tp(oDy),
      tp(oDxw),
      tp(oRp),
      tp(oStep),
      tp(oDh),
      tp(oDc),
      tp(oA),
    );
    ks.gemmPtr(true, false, G, inDim, N, tp(oDxw), at(lay.x), tp(oGW), false);
    ks.gemmPtr(true, false, G, Hp, N, tp(oDxw), at(lay.hPrev[d]), tp(oGR), false);
    ks.fill(tp(oGB), G, 0);
    ks.k.colSumAdd(tp(oDxw), N, G, tp(oGB));
    ks.gemmPtr(false, false, N, inDim, G, tp(oDxw), tp(oW), tp(oDx), d > 0);
    F = ks.F32;
    const gW = grad.W.subarray(d * GH * inDim, (d + 1) * GH * inDim);
    const gR = grad.R.subarray(d * GH * H, (d + 1) * GH * H);
    const gB = grad.B.subarray(d * 8 * H, (d + 1) * 8 * H);
    const kW = tp(oGW) >> 2;
    const kR = tp(oGR) >> 2;
    const kB = tp(oGB) >> 2;
    if (Hp === H) {
      addInto(gW, 0, F, kW, GH * inDim);
      addInto(gR, 0, F, kR, GH * H);
      addInto(gB, 0, F, kB, GH); // input-side bias
      addInto(gB, GH, F, kB, GH); // recurrent-side bias: the same pre-activation gradient
    } else {
      for (let q = 0; q < 4; q++) {
        for (let u = 0; u < H; u++) {
          const row = q * H + u;
          const prow = q * Hp + u;
          addInto(gW, row * inDim, F, kW + prow * inDim, inDim);
          addInto(gR, row * H, F, kR + prow * Hp, H);
          gB[row] += F[kB + prow];
          gB[GH + row] += F[kB + prow];
        }
      }
    }
  }
  if (overwriteDx) dx.set(ks.f32(tp(oDx), N * inDim));
  else addInto(dx, 0, ks.F32, tp(oDx) >> 2, N * inDim);
  ks.release(tmpPtr);
  res.release(block);
  res.release((cache.resident as ResidentLstm).block); // the same block unless it was recomputed
}

/**
 * x [B*L, inDim] → y [B*L, 2H] (forward half, then backward half); rows past a length are 0.
 * `out`, when given, receives y (every entry is written) instead of a new array.
 */
export function birnnForward(
  cell: CellType,
  H: number,
  inDim: number,
  p: RnnParams,
  x: Float32Array,
  batch: number,
  length: number,
  lengths: Int32Array,
  out?: Float32Array,
): { y: Float32Array; cache: RnnCache } {
  const ks = cell === 'lstm' ? kernels() : null;
  const r = ks
    ? lstmForwardKernels(ks, H, inDim, p, x, batch, length, lengths, out)
    : birnnForwardJs(cell, H, inDim, p, x, batch, length, lengths);
  if (out && r.y !== out) {
    out.set(r.y);
    return { y: out, cache: r.cache };
  }
  return r;
}

/**
 * Accumulates parameter gradients into `grad` and input gradients into `dx` [B*L, inDim]
 * (overwrites dx instead when `overwriteDx`).
 */
export function birnnBackward(
  cache: RnnCache,
  p: RnnParams,
  dy: Float32Array,
  grad: RnnParams,
  dx: Float32Array,
  overwriteDx = false,
): void {
  if (cache.resident) {
    lstmBackwardKernels(cache, p, dy, grad, dx, overwriteDx);
  } else {
    if (overwriteDx) dx.fill(0, 0, cache.batch * cache.length * cache.inDim);
    birnnBackwardJs(cache, p, dy, grad, dx);
  }
}
