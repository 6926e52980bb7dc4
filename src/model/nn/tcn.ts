// The temporal convolutional encoder (cell "tcn"): an iterated dilated CNN (Strubell et al.
// 2017). A linear projection of each token's input to H channels, then a block of width-3
// convolutions with growing dilations, each residual (h + relu(conv(h))), applied `layers`
// times with the same weights. Positions past a sequence's length are held at 0, so every
// sequence of a batch sees zero padding at its own end, as a sequence alone would.
//
// Each convolution is one matrix product over all positions of the batch: the three shifted
// copies of h side by side (im2col, [N, 3H]) times the taps ([H, 3H]); its backward pass is two
// more products and the adjoint copy (col2im). The products run on the WebAssembly SIMD kernels
// through gemm.ts; the copies, ReLU and masking are plain loops.
import { gemm } from './gemm';
import { inputDim, tcnDilations, TCN_WIDTH, type ModelConfig, type Weights } from './architecture';

export interface TcnCache {
  batch: number;
  length: number;
  /** 1 inside a sequence, 0 past its length [N] */
  mask: Float32Array;
  /** the encoder's input [N, In] */
  x: Float32Array;
  /** per convolution applied, its input h [N, H] and its ReLU output [N, H] */
  inputs: Float32Array[];
  relus: Float32Array[];
}

/** The convolutions in the order they run: [weight index, dilation] per step. */
export function tcnSteps(c: ModelConfig): Array<[number, number]> {
  const dilations = tcnDilations(c);
  const steps: Array<[number, number]> = [];
  for (let rep = 0; rep < c.layers; rep++) dilations.forEach((d, i) => steps.push([i, d]));
  return steps;
}

function sequenceMask(batch: number, length: number, lengths: Int32Array): Float32Array {
  const m = new Float32Array(batch * length);
  for (let b = 0; b < batch; b++) m.fill(1, b * length, b * length + Math.max(0, Math.min(lengths[b], length)));
  return m;
}

/** Wc [H, 3H] with Wc[o, k*H + j] = w[o, j, k] (w in ONNX Conv layout [H, H, 3]). */
function tapsMatrix(w: Float32Array, H: number): Float32Array {
  const K = TCN_WIDTH;
  const out = new Float32Array(H * K * H);
  for (let o = 0; o < H; o++)
    for (let j = 0; j < H; j++) for (let k = 0; k < K; k++) out[o * K * H + k * H + j] = w[(o * H + j) * K + k];
  return out;
}

/** The adjoint of tapsMatrix: g [H, H, 3] += gc rearranged. */
function addTapsGradient(g: Float32Array, gc: Float32Array, H: number): void {
  const K = TCN_WIDTH;
  for (let o = 0; o < H; o++)
    for (let j = 0; j < H; j++) for (let k = 0; k < K; k++) g[(o * H + j) * K + k] += gc[o * K * H + k * H + j];
}

/**
 * col [N, 3H]: col[(b,t), k*H + j] = h[(b, t + (k-1)·d), j], 0 outside 0..L-1 (positions past a
 * length hold h = 0 already).
 */
function im2col(h: Float32Array, batch: number, L: number, H: number, d: number, col: Float32Array): void {
  const K = TCN_WIDTH;
  const row = K * H;
  col.fill(0);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < L; t++) {
      const dst = (b * L + t) * row;
      for (let k = 0; k < K; k++) {
        const s = t + (k - 1) * d;
        if (s < 0 || s >= L) continue;
        col.set(h.subarray((b * L + s) * H, (b * L + s + 1) * H), dst + k * H);
      }
    }
  }
}

/** The adjoint of im2col: dh[(b, t + (k-1)·d), j] += dcol[(b,t), k*H + j]. */
function col2imAdd(dcol: Float32Array, batch: number, L: number, H: number, d: number, dh: Float32Array): void {
  const K = TCN_WIDTH;
  const row = K * H;
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < L; t++) {
      const src = (b * L + t) * row;
      for (let k = 0; k < K; k++) {
        const s = t + (k - 1) * d;
        if (s < 0 || s >= L) continue;
        const o = (b * L + s) * H;
        const q = src + k * H;
        for (let j = 0; j < H; j++) dh[o + j] += dcol[q + j];
      }
    }
  }
}

/** x [N, In] → y [N, H]; rows past a length are 0. */
export function tcnForward(
  c: ModelConfig,
  w: Weights,
  x: Float32Array,
  batch: number,
  length: number,
  lengths: Int32Array,
): { y: Float32Array; cache: TcnCache } {
  const H = c.hidden;
  const D = inputDim(c);
  const N = batch * length;
  const mask = sequenceMask(batch, length, lengths);
  let h = new Float32Array(N * H);
  gemm(false, false, N, H, D, x, w['tcn.in.W'], h, false);
  const inB = w['tcn.in.b'];
  for (let n = 0; n < N; n++) {
    const m = mask[n];
    for (let j = 0; j < H; j++) h[n * H + j] = m * (h[n * H + j] + inB[j]);
  }
  const inputs: Float32Array[] = [];
  const relus: Float32Array[] = [];
  const taps = tcnDilations(c).map((_, i) => tapsMatrix(w[`tcn.conv${i}.w`], H));
  const col = new Float32Array(N * TCN_WIDTH * H);
  for (const [i, d] of tcnSteps(c)) {
    im2col(h, batch, length, H, d, col);
    const r = new Float32Array(N * H);
    gemm(false, true, N, H, TCN_WIDTH * H, col, taps[i], r, false);
    const bias = w[`tcn.conv${i}.b`];
    const next = new Float32Array(N * H);
    for (let n = 0; n < N; n++) {
      const m = mask[n];
      for (let j = 0; j < H; j++) {
        const q = n * H + j;
        const a = r[q] + bias[j];
        const v = a > 0 ? a : 0;
        r[q] = v;
        next[q] = m * (h[q] + v);
      }
    }
    inputs.push(h);
    relus.push(r);
    h = next;
  }
  return { y: h, cache: { batch, length, mask, x, inputs, relus } };
}

/** Accumulates the weights' gradients into `g` and returns d loss / d x [N, In]. */
export function tcnBackward(c: ModelConfig, w: Weights, cache: TcnCache, dy: Float32Array, g: Weights): Float32Array {
  const H = c.hidden;
  const D = inputDim(c);
  const { batch, length: L, mask, x } = cache;
  const N = batch * L;
  const KH = TCN_WIDTH * H;
  const taps = tcnDilations(c).map((_, i) => tapsMatrix(w[`tcn.conv${i}.w`], H));
  const gTaps = taps.map(() => new Float32Array(H * KH));
  const steps = tcnSteps(c);
  // dh: the gradient of the current h (after the mask)
  let dh = new Float32Array(N * H);
  for (let n = 0; n < N; n++) {
    const m = mask[n];
    if (m !== 0) for (let j = 0; j < H; j++) dh[n * H + j] = dy[n * H + j] * m;
  }
  const col = new Float32Array(N * KH);
  const dcol = new Float32Array(N * KH);
  const dr = new Float32Array(N * H);
  for (let s = steps.length - 1; s >= 0; s--) {
    const [i, d] = steps[s];
    const r = cache.relus[s];
    // h_next = mask · (h + relu(a)): dh already carries the mask
    for (let q = 0; q < N * H; q++) dr[q] = r[q] > 0 ? dh[q] : 0;
    const gb = g[`tcn.conv${i}.b`];
    for (let n = 0; n < N; n++) for (let j = 0; j < H; j++) gb[j] += dr[n * H + j];
    im2col(cache.inputs[s], batch, L, H, d, col);
    gemm(true, false, H, KH, N, dr, col, gTaps[i], true);
    gemm(false, false, N, KH, H, dr, taps[i], dcol, false);
    const prev = new Float32Array(dh); // the residual path
    col2imAdd(dcol, batch, L, H, d, prev);
    // h of the step before was masked too
    for (let n = 0; n < N; n++) if (mask[n] === 0) prev.fill(0, n * H, (n + 1) * H);
    dh = prev;
  }
  tcnDilations(c).forEach((_, i) => addTapsGradient(g[`tcn.conv${i}.w`], gTaps[i], H));
  // input projection: h0 = mask · (x · W + b); dh carries the mask
  const gb = g['tcn.in.b'];
  for (let n = 0; n < N; n++) for (let j = 0; j < H; j++) gb[j] += dh[n * H + j];
  gemm(true, false, D, H, N, x, dh, g['tcn.in.W'], true);
  const dx = new Float32Array(N * D);
  gemm(false, true, N, D, H, dh, w['tcn.in.W'], dx, false);
  return dx;
}
