// Regularisation toward the model fine-tuning starts from: after each optimizer step every
// weight the initial model had is pulled back by a fixed share of its distance from its
// initial value, w ← w − anchor·(w − w0) (decoupled from the gradient, as AdamW decouples its
// weight decay, so Adam's per-weight scaling does not undo it). A few corrections then move the
// weights only as far as their gradients keep pushing, and what the base model knew elsewhere
// is not worn away step by step. Output weights of labels new to the model have no initial
// value to keep: they are free.
import { encoderDim, type ModelConfig, type Weights } from '../nn/architecture';

const WORD_TABLE = 'word.emb';

export class WeightAnchor {
  private readonly initial: Weights = {};
  /** per tensor: 1 where the weight is free (it belongs to a new label); absent when none is */
  private readonly free: Record<string, Uint8Array>;

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
    this.free = newLabelEntries(config, newLabels);
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

/**
 * The output weights of `newLabels` (tags of those labels): per output tensor, 1 at the
 * weights of a new tag (its out.W column and bias, its transitions, start and end scores).
 * Tensors without any are absent.
 */
export function newLabelEntries(config: ModelConfig, newLabels: readonly string[]): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  const T = config.tags.length;
  const isNew = config.tags.map((tag) => tag !== 'O' && newLabels.includes(tag.slice(2)));
  if (!isNew.some(Boolean)) return out;
  const mark = (name: string, length: number, at: (i: number) => boolean) => {
    const f = new Uint8Array(length);
    for (let i = 0; i < length; i++) f[i] = at(i) ? 1 : 0;
    out[name] = f;
  };
  mark('out.W', encoderDim(config) * T, (i) => isNew[i % T]);
  mark('out.b', T, (i) => isNew[i]);
  if (config.output === 'crf') {
    mark('crf.trans', T * T, (i) => isNew[Math.floor(i / T)] || isNew[i % T]);
    mark('crf.start', T, (i) => isNew[i]);
    mark('crf.end', T, (i) => isNew[i]);
  }
  return out;
}

function pullRange(w: Float32Array, w0: Float32Array, from: number, to: number, a: number): void {
  for (let i = from; i < to; i++) w[i] -= a * (w[i] - w0[i]);
}

function pullMasked(w: Float32Array, w0: Float32Array, free: Uint8Array, a: number): void {
  for (let i = 0; i < w.length; i++) if (free[i] === 0) w[i] -= a * (w[i] - w0[i]);
}
