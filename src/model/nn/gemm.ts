// Matrix products for the training kernels. Row-major Float32Arrays throughout.
// Products run on the WebAssembly SIMD kernels (kernels/: a packed 4×8 register-blocked SGEMM,
// 45–54 GFLOP/s on one core here, against 10–25 for tfjs-wasm's matMul with its copies; the
// copies in and out of kernel memory are included in that for these array arguments).
// Without WebAssembly SIMD they fall back to tfjs-wasm (after `prepareMatrixProducts`) for large
// products and plain JS (about 1 GFLOP/s) otherwise.
import type * as TfCore from '@tensorflow/tfjs-core';
import { kernels } from '../kernels/runtime';

type Tf = typeof TfCore;
let tf: Tf | null = null;
let ready = false;
/** what runs the products once prepared (see prepareMatrixProducts) */
let backend = '';
/** multiply-adds below which plain JS wins over a round trip to tfjs */
const TFJS_MIN_WORK = 32 * 1024;

/**
 * Prepares the fast matrix products (once; later calls return at once) and returns what runs
 * them: the engine's WebAssembly SIMD kernels ("wasm-simd" or "wasm-simd-fma") when the
 * runtime has SIMD, else tfjs's wasm backend ("wasm"), loaded only for that fallback.
 */
export async function prepareMatrixProducts(): Promise<string> {
  if (ready) return backend;
  const ks = kernels();
  if (ks) {
    ready = true;
    return (backend = ks.fma ? 'wasm-simd-fma' : 'wasm-simd');
  }
  const core = (await import('@tensorflow/tfjs-core')) as Tf;
  await import('@tensorflow/tfjs-backend-wasm');
  // importing the wasm backend makes it the top priority; make sure it is initialised
  if (!(await core.setBackend('wasm'))) throw new Error('tfjs wasm backend failed to initialise');
  await core.ready();
  tf = core;
  ready = true;
  return (backend = core.getBackend());
}

/**
 * C[M,N] = (accumulate ? C : 0) + op(A) · op(B), where op(A) is [M,K] (A stored [K,M] when
 * transA) and op(B) is [K,N] (B stored [N,K] when transB).
 */
export function gemm(
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  B: Float32Array,
  C: Float32Array,
  accumulate: boolean,
): void {
  if (M === 0 || N === 0) return;
  if (K === 0) {
    if (!accumulate) C.fill(0, 0, M * N);
    return;
  }
  const ks = kernels();
  if (ks) {
    ks.gemmArrays(transA, transB, M, N, K, A, B, C, accumulate);
    return;
  }
  if (tf && M * N * K >= TFJS_MIN_WORK) {
    gemmTfjs(tf, transA, transB, M, N, K, A, B, C, accumulate);
    return;
  }
  if (!accumulate) C.fill(0, 0, M * N);
  if (!transA && !transB) gemmNN(M, N, K, A, B, C);
  else if (!transA && transB) gemmNT(M, N, K, A, B, C);
  else if (transA && !transB) gemmTN(M, N, K, A, B, C);
  else gemmTT(M, N, K, A, B, C);
}

function gemmTfjs(
  t: Tf,
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  B: Float32Array,
  C: Float32Array,
  accumulate: boolean,
): void {
  // tfjs-wasm's transposed matMul runs at about 2 GFLOP/s against 10–25 plain: transpose here
  const a0 = transA ? transpose(A, K, M) : A.subarray(0, M * K);
  const b0 = transB ? transpose(B, N, K) : B.subarray(0, K * N);
  const out = t.tidy(() => t.matMul(t.tensor2d(a0, [M, K]), t.tensor2d(b0, [K, N])));
  const r = out.dataSync() as Float32Array;
  out.dispose();
  if (accumulate) for (let i = 0; i < M * N; i++) C[i] += r[i];
  else C.set(r.subarray(0, M * N));
}

/** [rows, cols] → [cols, rows], in cache-friendly tiles. */
export function transpose(X: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  const tile = 32;
  for (let r0 = 0; r0 < rows; r0 += tile) {
    const r1 = Math.min(rows, r0 + tile);
    for (let c0 = 0; c0 < cols; c0 += tile) {
      const c1 = Math.min(cols, c0 + tile);
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) out[c * rows + r] = X[r * cols + c];
    }
  }
  return out;
}

function gemmNN(M: number, N: number, K: number, A: Float32Array, B: Float32Array, C: Float32Array): void {
  for (let i = 0; i < M; i++) {
    const ci = i * N;
    const ai = i * K;
    for (let k = 0; k < K; k++) {
      const a = A[ai + k];
      if (a === 0) continue;
      const bk = k * N;
      for (let j = 0; j < N; j++) C[ci + j] += a * B[bk + j];
    }
  }
}

function gemmNT(M: number, N: number, K: number, A: Float32Array, B: Float32Array, C: Float32Array): void {
  for (let i = 0; i < M; i++) {
    const ai = i * K;
    for (let j = 0; j < N; j++) {
      const bj = j * K;
      let s = 0;
      for (let k = 0; k < K; k++) s += A[ai + k] * B[bj + k];
      C[i * N + j] += s;
    }
  }
}

function gemmTN(M: number, N: number, K: number, A: Float32Array, B: Float32Array, C: Float32Array): void {
  // A is [K, M], B is [K, N]
  for (let k = 0; k < K; k++) {
    const ak = k * M;
    const bk = k * N;
    for (let i = 0; i < M; i++) {
      const a = A[ak + i];
      if (a === 0) continue;
      const ci = i * N;
      for (let j = 0; j < N; j++) C[ci + j] += a * B[bk + j];
    }
  }
}

function gemmTT(M: number, N: number, K: number, A: Float32Array, B: Float32Array, C: Float32Array): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += A[k * M + i] * B[j * K + k];
      C[i * N + j] += s;
    }
  }
}
