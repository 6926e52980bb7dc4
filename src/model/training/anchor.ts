// Regularisation toward the model fine-tuning starts from: after each optimizer step every
// weight the initial model had is pulled back by a fixed share of its distance from its
// initial value, w ← w − anchor·(w − w0) (decoupled from the gradient, as AdamW decouples its
// weight decay, so Adam's per-weight scaling does not undo it). A few corrections then move the
// weights only as far as their gradients keep pushing, and what the base model knew elsewhere
// is not worn away step by step. Output weights of labels new to the model have no initial
// value to keep: they are free.
import type { ModelConfig, Weights } from '../nn/architecture';

const WORD_TABLE = 'word.emb';

export class WeightAnchor {
  private readonly initial: Weights = {};
  /** per tensor: 1 where the weight is free (it belongs to a new label); absent when none is */
  private readonly free: Record<string, Uint8Array> = {};

  /**
   * `initial` holds the weights at the start (copied here); `newLabels` are labels of `config`
   * whose output columns, biases and transitions the anchor leaves free.
   */
  constructor(
    initial: Weights,
    config: ModelConfig,
    readonly strength: number,
    private readonly rowSize: number,
    newLabels: readonly string[] = [],
  ) {
    for (const [name, w] of Object.entries(initial)) this.initial[name] = new Float32Array(w);
    const T = config.tags.length;
    const isFree = config.tags.map((tag) => tag !== 'O' && newLabels.includes(tag.slice(2)));
    if (!isFree.some(Boolean)) return;
    const mark = (name: string, at: (i: number) => boolean) => {
      const w = initial[name];
      if (!w) return;
      const f = new Uint8Array(w.length);
      for (let i = 0; i < w.length; i++) f[i] = at(i) ? 1 : 0;
      this.free[name] = f;
    };
    mark('out.W', (i) => isFree[i % T]);
    mark('out.b', (i) => isFree[i]);
    mark('crf.trans', (i) => isFree[Math.floor(i / T)] || isFree[i % T]);
    mark('crf.start', (i) => isFree[i]);
    mark('crf.end', (i) => isFree[i]);
  }

  /** One pull after a step; `wordRows` are the word-table rows the step updated (the others did not move). */
  pull(weights: Weights, wordRows: Iterable<number>): void {
    const a = this.strength;
    for (const [name, w] of Object.entries(weights)) {
      const w0 = this.initial[name];
      if (!w0 || name === WORD_TABLE) continue;
      const free = this.free[name];
      if (free) pullMasked(w, w0, free, a);
      else pullRange(w, w0, 0, w.length, a);
    }
    const w = weights[WORD_TABLE];
    const w0 = this.initial[WORD_TABLE];
    const n = this.rowSize;
    for (const r of wordRows) pullRange(w, w0, r * n, (r + 1) * n, a);
  }
}

function pullRange(w: Float32Array, w0: Float32Array, from: number, to: number, a: number): void {
  for (let i = from; i < to; i++) w[i] -= a * (w[i] - w0[i]);
}

function pullMasked(w: Float32Array, w0: Float32Array, free: Uint8Array, a: number): void {
  for (let i = 0; i < w.length; i++) if (free[i] === 0) w[i] -= a * (w[i] - w0[i]);
}
