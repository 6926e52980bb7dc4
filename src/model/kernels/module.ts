// The training kernels as one WebAssembly module, generated at load time (wasm-builder.ts) from
// the bodies in this folder, one file per layer:
// - a packed SGEMM with a 4×8 f32x4 register-blocked micro-kernel (BLIS-style: A packed into
//   4-row panels, B into 8-column panels, K in blocks of KC), which keeps the 128-bit SIMD
//   units busy (its speed is in the README's Performance section);
// - the LSTM recurrences, whole sequences per call: every step's h·Rᵀ product against a
//   once-packed R, and the cell update with its gate nonlinearities (rational tanh, sigmoid
//   through tanh), so nothing crosses into JS per time step;
// - small helpers of the training step: the character CNN's max-pooled responses, dropout
//   masks, the dense Adam update, fills and sums.
// Every pointer is a byte address in the module's memory; every stride is in bytes.
//
// `fma`: use relaxed-SIMD f32x4.relaxed_madd (one FMA instruction on x86 with FMA3) instead of
// f32x4.mul + f32x4.add. Both variants compute the same products; the fused one rounds once.
import { buildModule, type Func } from './wasm-builder';
import { adamStepFunc } from './adam';
import { charConvMaxFunc } from './char-cnn';
import { crfForwardFunc, crfBackwardFunc, crfExpectFunc } from './crf';
import { dropoutMaskFunc } from './dropout';
import { packAFunc, packBFunc, macroFunc, gemmFunc, packBAllFunc, gemmPackedFunc, colSumAddFunc } from './gemm';
import { vecFunc, lstmForwardFunc, lstmBackwardFunc } from './lstm';
import { fillFunc, addToFunc } from './memory';

export interface KernelExports {
  fill(ptr: number, n: number, value: number): void;
  /** dst += src, n floats */
  addTo(dst: number, src: number, n: number): void;
  packA(src: number, rs: number, cs: number, mc: number, kc: number, dst: number): void;
  packB(src: number, rs: number, cs: number, kc: number, nc: number, dst: number): void;
  /** C[mc, nc] (+)= packed A block · packed B block; `accumulate` 0 overwrites C */
  macro(mc: number, nc: number, kc: number, pa: number, pb: number, pc: number, ldc: number, accumulate: number): void;
  /**
   * C[M,N] (+)= op(A)·op(B); element (i,k) of op(A) at A + i*rsA + k*csA, (k,j) of op(B) at
   * B + k*rsB + j*csB; C row stride ldc. apack: MC*KC floats, bpack: KC*NC floats.
   * `accumulate` 0 overwrites C (K ≥ 1).
   */
  gemm(
    M: number,
    N: number,
    K: number,
    A: number,
    rsA: number,
    csA: number,
    B: number,
    rsB: number,
    csB: number,
    C: number,
    ldc: number,
    apack: number,
    bpack: number,
    accumulate: number,
  ): void;
  /** packs all of op(B) [K, N] into KC blocks of 8-column panels (see gemmPacked) */
  packBAll(src: number, rs: number, cs: number, K: number, N: number, dst: number): void;
  /** C[M,N] (+)= op(A)·B with B packed by packBAll; apack: M rounded up to 4, times KC floats */
  gemmPacked(
    M: number,
    N: number,
    K: number,
    A: number,
    rsA: number,
    csA: number,
    pb: number,
    C: number,
    ldc: number,
    apack: number,
    accumulate: number,
  ): void;
  /** dst[j] += sum over rows of src[r*cols + j] */
  colSumAdd(src: number, rows: number, cols: number, dst: number): void;
  /** one LSTM direction over a batch (see lstmForwardFunc) */
  lstmForward(
    B: number,
    L: number,
    Hp: number,
    lens: number,
    dir: number,
    gates: number,
    state: number,
    statePrev: number,
    hPrev: number,
    y: number,
    bias: number,
    rtPack: number,
    hS: number,
    cS: number,
    hr: number,
    apack: number,
  ): void;
  /** BPTT of one LSTM direction (see lstmBackwardFunc) */
  lstmBackward(
    B: number,
    L: number,
    Hp: number,
    lens: number,
    dir: number,
    gates: number,
    state: number,
    statePrev: number,
    dy: number,
    dXW: number,
    rPack: number,
    stepGrad: number,
    dhNext: number,
    dcNext: number,
    apack: number,
  ): void;
  /**
   * Character CNN response maxima: for each of n tokens and each of its C positions, the sum
   * over k < K of table row slot[token*C + p + k - pad] (skipped outside 0..C-1) at column block
   * k*F of P [U, K*F]; best [n, F] gets the maximum over positions, arg [n, F] (i32) the first
   * position reaching it. F a multiple of 4; acc: F floats of scratch.
   */
  charConvMax(
    n: number,
    C: number,
    K: number,
    F: number,
    pad: number,
    slot: number,
    P: number,
    best: number,
    arg: number,
    acc: number,
  ): void;
  /**
   * Dropout mask: n floats (rounded up to 4) of 0 (probability threshold/2^32, threshold read
   * as unsigned) or `keep`, from four interleaved mulberry32 streams seeded from `seed`.
   */
  dropoutMask(dst: number, n: number, seed: number, threshold: number, keep: number): void;
  /**
   * One Adam step on n floats (rounded up to 4): g' = g*scale; m = b1 m + (1-b1) g';
   * v = b2 v + (1-b2) g'²; w -= lr m / (sqrt(v) + eps).
   */
  adamStep(
    w: number,
    g: number,
    m: number,
    v: number,
    n: number,
    scale: number,
    b1: number,
    b2: number,
    lr: number,
    eps: number,
  ): void;
  /**
   * CRF forward pass of one sequence in scaled probability space, float64, over Tp tags (even;
   * padding tags have zero scores): alpha[t] = normalised X[t] ⊙ (alpha[t-1] · E), the
   * normalisers in scale[t]. X, alpha [len, Tp], E [Tp, Tp] (0 for forbidden transitions).
   * Returns 0 when a step has no probability mass (no path), else 1.
   */
  crfForward(len: number, Tp: number, X: number, E: number, start: number, alpha: number, scale: number): number;
  /** CRF backward pass: beta[t] = ET[·]-weighted sums of X[t+1] ⊙ beta[t+1], over scale[t+1]. */
  crfBackward(len: number, Tp: number, X: number, ET: number, end: number, scale: number, beta: number): void;
  /**
   * Adds w·alpha⊙beta to gEm [len, Tp] and w·(alpha[t-1] ⊗ X[t]⊙beta[t]) ⊙ E / scale[t] to
   * G [Tp, Tp] (float64 accumulators); r: Tp scratch doubles.
   */
  crfExpect(
    len: number,
    Tp: number,
    X: number,
    E: number,
    alpha: number,
    beta: number,
    scale: number,
    w: number,
    gEm: number,
    G: number,
    r: number,
  ): void;
  /** v = sigmoid(v), n floats rounded up to 4 (the LSTM gates' function; for tests) */
  vsigmoid(ptr: number, n: number): void;
  /** v = tanh(v), n floats rounded up to 4 (the LSTM's and the character CNN's tanh) */
  vtanh(ptr: number, n: number): void;
}

export const EXPORT_NAMES: (keyof KernelExports)[] = [
  'fill',
  'addTo',
  'packA',
  'packB',
  'macro',
  'gemm',
  'packBAll',
  'gemmPacked',
  'colSumAdd',
  'lstmForward',
  'lstmBackward',
  'charConvMax',
  'dropoutMask',
  'adamStep',
  'crfForward',
  'crfBackward',
  'crfExpect',
  'vsigmoid',
  'vtanh',
];

/** The module's bytes; `fma` selects relaxed-SIMD multiply-add. */
export function buildKernelModule(fma: boolean): Uint8Array<ArrayBuffer> {
  // function indices follow this order
  const order = EXPORT_NAMES;
  const idx = Object.fromEntries(order.map((n, i) => [n, i])) as Record<keyof KernelExports, number>;
  const funcs: Record<keyof KernelExports, Func> = {
    fill: fillFunc(),
    addTo: addToFunc(),
    packA: packAFunc(),
    packB: packBFunc(),
    macro: macroFunc(fma),
    gemm: gemmFunc(idx),
    packBAll: packBAllFunc(idx),
    gemmPacked: gemmPackedFunc(idx),
    colSumAdd: colSumAddFunc(idx),
    lstmForward: lstmForwardFunc(fma, idx),
    lstmBackward: lstmBackwardFunc(fma, idx),
    charConvMax: charConvMaxFunc(idx),
    dropoutMask: dropoutMaskFunc(),
    adamStep: adamStepFunc(fma),
    crfForward: crfForwardFunc(),
    crfBackward: crfBackwardFunc(),
    crfExpect: crfExpectFunc(),
    vsigmoid: vecFunc('vsigmoid', fma, 'sigmoid'),
    vtanh: vecFunc('vtanh', fma, 'tanh'),
  };
  return buildModule(
    order.map((n) => funcs[n]),
    { minPages: 1, maxPages: 65536 },
  );
}
