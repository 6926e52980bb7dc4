// Adam with global-norm gradient clipping. The word-embedding table is updated lazily: only
// the rows that occurred in the batch (and their moments) are touched, so a 20k-word table
// costs nothing per step beyond the batch's own words.
import type { Weights } from './config';
import type { Gradients } from './network';

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

  /** Global L2 norm of the gradient (sparse rows only for the word table). */
  static norm(g: Gradients, rowSize: number): number {
    let s = 0;
    for (const [name, a] of Object.entries(g.dense)) {
      if (name === SPARSE) continue;
      for (let i = 0; i < a.length; i++) s += a[i] * a[i];
    }
    const w = g.dense[SPARSE];
    for (const r of g.wordRows) for (let k = r * rowSize; k < (r + 1) * rowSize; k++) s += w[k] * w[k];
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
    for (const [name, w] of Object.entries(this.weights)) {
      if (name === SPARSE) continue;
      const grad = g.dense[name];
      const m = this.m[name];
      const v = this.v[name];
      for (let i = 0; i < w.length; i++) {
        const gi = grad[i] * scale;
        m[i] = b1 * m[i] + (1 - b1) * gi;
        v[i] = b2 * v[i] + (1 - b2) * gi * gi;
        w[i] -= (lr * m[i]) / (Math.sqrt(v[i]) + eps);
      }
      grad.fill(0);
    }
    // lazy Adam for the word table: bias correction by the row's own update count
    const w = this.weights[SPARSE];
    const grad = g.dense[SPARSE];
    const m = this.m[SPARSE];
    const v = this.v[SPARSE];
    const n = this.rowSize;
    for (const r of g.wordRows) {
      const t = ++this.rowSteps[r];
      const rl = (learningRate * Math.sqrt(1 - Math.pow(b2, t))) / (1 - Math.pow(b1, t));
      for (let k = r * n; k < (r + 1) * n; k++) {
        const gi = grad[k] * scale;
        m[k] = b1 * m[k] + (1 - b1) * gi;
        v[k] = b2 * v[k] + (1 - b2) * gi * gi;
        w[k] -= (rl * m[k]) / (Math.sqrt(v[k]) + eps);
        grad[k] = 0;
      }
    }
    g.wordRows.clear();
    return norm;
  }
}
