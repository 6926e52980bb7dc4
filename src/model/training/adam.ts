// Adam with global-norm gradient clipping. The word-embedding table is updated lazily: only
// the rows that occurred in the batch (and their moments) are touched, so a 20k-word table
// costs nothing per step beyond the batch's own words. The dense tensors are updated on the
// WebAssembly kernels when they load (KernelAdam below), in plain JS otherwise.
import type { Weights } from '../nn/architecture';
import { kernels, type Kernels } from '../kernels/runtime';
import type { Gradients } from '../nn/network';

export interface AdamOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  clipNorm?: number;
}

const SPARSE = 'word.emb';

export class Adam {
  private readonly m: Weights = {};
  private readonly v: Weights = {};
  private readonly rowSteps: Int32Array;
  private step = 0;
  private corrections = new Float64Array(64).fill(NaN);
  private kernelAdam: KernelAdam | null | undefined;
  private readonly b1: number;
  private readonly b2: number;
  private readonly eps: number;

  constructor(
    private readonly weights: Weights,
    private readonly rowSize: number,
    readonly options: AdamOptions,
  ) {
    for (const [name, w] of Object.entries(weights)) {
      this.m[name] = new Float32Array(w.length);
      this.v[name] = new Float32Array(w.length);
    }
    this.rowSteps = new Int32Array(weights[SPARSE].length / rowSize);
    this.b1 = options.beta1 ?? 0.9;
    this.b2 = options.beta2 ?? 0.999;
    this.eps = options.epsilon ?? 1e-8;
  }

  /**
   * Adam's bias correction sqrt(1 − b2^t) / (1 − b1^t) for a row's t-th update, tabulated so
   * that the per-row loop of the lazy word-table rows calls no Math.pow, its costly part.
   */
  private correction(t: number): number {
    if (t >= this.corrections.length) {
      const grown = new Float64Array(Math.max(2 * this.corrections.length, t + 1)).fill(NaN);
      grown.set(this.corrections);
      this.corrections = grown;
    }
    let c = this.corrections[t];
    if (c !== c) {
      c = Math.sqrt(1 - Math.pow(this.b2, t)) / (1 - Math.pow(this.b1, t));
      this.corrections[t] = c;
    }
    return c;
  }

  /** The dense tensors' moments in kernel memory (one SIMD pass per tensor), or null. */
  private denseOnKernels(): KernelAdam | null {
    if (this.kernelAdam === undefined) {
      const ks = kernels();
      this.kernelAdam = ks ? new KernelAdam(ks, this.weights, this.m, this.v) : null;
    }
    return this.kernelAdam;
  }

  /** Global L2 norm of the gradient (sparse rows only for the word table). */
  static norm(g: Gradients, rowSize: number): number {
    let s = 0;
    for (const [name, a] of Object.entries(g.dense)) {
      if (name === SPARSE) continue;
      s += sumSquares(a, 0, a.length);
    }
    const w = g.dense[SPARSE];
    for (const r of g.wordRows) s += sumSquares(w, r * rowSize, (r + 1) * rowSize);
    return Math.sqrt(s);
  }

  /** Applies one update and clears the gradients. Returns the gradient norm before clipping. */
  apply(g: Gradients, learningRate = this.options.learningRate): number {
    const norm = Adam.norm(g, this.rowSize);
    const clip = this.options.clipNorm ?? 5;
    const scale = norm > clip ? clip / norm : 1;
    this.step++;
    const { b1, b2, eps } = this;
    const c1 = 1 - Math.pow(b1, this.step);
    const c2 = 1 - Math.pow(b2, this.step);
    const lr = (learningRate * Math.sqrt(c2)) / c1;
    const dense = this.denseOnKernels();
    for (const [name, w] of Object.entries(this.weights)) {
      if (name === SPARSE) continue;
      if (dense) dense.step(name, w, g.dense[name], scale, b1, b2, lr, eps);
      else adamRange(w, g.dense[name], this.m[name], this.v[name], 0, w.length, scale, b1, b2, lr, eps);
    }
    // lazy Adam for the word table: bias correction by the row's own update count
    const w = this.weights[SPARSE];
    const grad = g.dense[SPARSE];
    const m = this.m[SPARSE];
    const v = this.v[SPARSE];
    const n = this.rowSize;
    for (const r of g.wordRows) {
      const t = ++this.rowSteps[r];
      adamRange(w, grad, m, v, r * n, (r + 1) * n, scale, b1, b2, learningRate * this.correction(t), eps);
    }
    g.wordRows.clear();
    return norm;
  }
}

/** Σ a[i]² over [from, to) */
function sumSquares(a: Float32Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i] * a[i];
  return s;
}

/**
 * One Adam step over w[from, to), clearing the gradient there. Small monomorphic loops like
 * this one are optimised far better by V8 than the same loop inside `apply`.
 */
function adamRange(
  w: Float32Array,
  grad: Float32Array,
  m: Float32Array,
  v: Float32Array,
  from: number,
  to: number,
  scale: number,
  b1: number,
  b2: number,
  lr: number,
  eps: number,
): void {
  const a1 = 1 - b1;
  const a2 = 1 - b2;
  for (let i = from; i < to; i++) {
    const gi = grad[i] * scale;
    // rounded to float32 as stored, so the step is the same as reading m and v back
    const mi = Math.fround(b1 * m[i] + a1 * gi);
    const vi = Math.fround(b2 * v[i] + a2 * gi * gi);
    m[i] = mi;
    v[i] = vi;
    w[i] -= (lr * mi) / (Math.sqrt(vi) + eps);
    grad[i] = 0;
  }
}

const freeKernelMoments = new FinalizationRegistry<{ ks: Kernels; blocks: number[] }>(({ ks, blocks }) => {
  for (const p of blocks) ks.release(p);
});

/**
 * Adam on the WebAssembly kernels for the dense tensors: the moments live in kernel memory
 * (copied from the JS ones once), weights and gradients are copied in, the weights back out.
 * The float32 SIMD update differs from the float64 JS one only by rounding.
 */
class KernelAdam {
  private readonly at = new Map<string, { m: number; v: number }>();
  private readonly wBuf: number;
  private readonly gBuf: number;

  constructor(
    private readonly ks: Kernels,
    weights: Weights,
    m: Weights,
    v: Weights,
  ) {
    const blocks: number[] = [];
    let largest = 0;
    for (const [name, w] of Object.entries(weights)) {
      if (name === SPARSE) continue;
      const pm = ks.allocCopy(m[name]);
      const pv = ks.allocCopy(v[name]);
      blocks.push(pm, pv);
      this.at.set(name, { m: pm, v: pv });
      largest = Math.max(largest, w.length);
    }
    this.wBuf = ks.alloc(largest * 4);
    this.gBuf = ks.alloc(largest * 4);
    blocks.push(this.wBuf, this.gBuf);
    freeKernelMoments.register(this, { ks, blocks });
  }

  step(
    name: string,
    w: Float32Array,
    g: Float32Array,
    scale: number,
    b1: number,
    b2: number,
    lr: number,
    eps: number,
  ): void {
    const mv = this.at.get(name);
    if (!mv) throw new Error(`Adam: no moments for ${name}`);
    const ks = this.ks;
    const F = ks.F32;
    F.set(w, this.wBuf >> 2);
    F.set(g, this.gBuf >> 2);
    ks.k.adamStep(this.wBuf, this.gBuf, mv.m, mv.v, w.length, scale, b1, b2, lr, eps);
    w.set(ks.f32(this.wBuf, w.length));
    g.fill(0);
  }
}
