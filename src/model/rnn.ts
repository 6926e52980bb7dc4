// Bidirectional LSTM / GRU layer with hand-written forward and backward passes (BPTT).
// Weights are in ONNX layout (see config.ts): W [2, G*H, In], R [2, G*H, H], B [2, 2*G*H];
// LSTM gates i,o,f,c; GRU gates z,r,h with linear_before_reset=1.
// The input projection of every time step is one matrix product, and so are the weight
// gradients: only the recurrent product h·Rᵀ has to run step by step.
import type { CellType } from './config';
import { gemm, transpose } from './gemm';

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
  dirs: DirectionCache[];
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** Row of sequence b at processing step k of direction d (backward runs from len-1 to 0). */
function position(d: number, b: number, k: number, L: number, len: number): number {
  return b * L + (d === 0 ? k : len - 1 - k);
}

/** x [B*L, inDim] → y [B*L, 2H] (forward half, then backward half); rows past a length are 0. */
export function birnnForward(
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

/** Accumulates parameter gradients into `grad` and input gradients into `dx` [B*L, inDim]. */
export function birnnBackward(cache: RnnCache, p: RnnParams, dy: Float32Array, grad: RnnParams, dx: Float32Array): void {
  const { cell, H, inDim, batch, length, lengths, x } = cache;
  const G = cell === 'lstm' ? 4 : 3;
  const GH = G * H;
  const N = batch * length;
  const stepGrad = new Float32Array(batch * GH);
  const dhRec = new Float32Array(batch * H);
  for (let d = 0; d < 2; d++) {
    const { gates, state, statePrev, hPrev } = cache.dirs[d];
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
