// From emission scores to entities: constrained Viterbi, and the CRF marginal probability of
// each decoded span as its confidence.
import type { ModelConfig, Weights } from '../nn/architecture';
import { forwardBackward, LatticeBuffers, spanProbability } from './lattice';
import { CrfStructure, expParams, type CrfParams, type ExpParams } from './structure';
import { viterbi } from './viterbi';
import { allowedTransitions, tagsToTokenSpans } from '../text/tags';
import { countLineBreaks, paragraphRuns } from '../text/tokenizer';
import type { Entity, Token } from '../core/types';

export class Decoder {
  readonly structure: CrfStructure;
  readonly crf: CrfParams;
  private readonly T: number;
  private readonly exp: ExpParams;
  /** per tag, what labelBias adds to its emission score; null when nothing */
  private readonly bias: Float32Array | null;
  /** tables reused window after window: decoding a long text allocates almost nothing */
  private readonly lattice = new LatticeBuffers();
  private biased = new Float32Array(0);
  /**
   * per tag, what lineBreakPenalty takes from its score on a line's first token when the tag
   * continues an entity from the line before (I- and L- in BILOU, I- in BIO); null when nothing
   */
  private readonly linePenalty: Float32Array | null;

  constructor(
    readonly config: ModelConfig,
    weights: Weights,
    labelBias?: Record<string, number>,
    lineBreakPenalty?: Record<string, number>,
  ) {
    this.T = config.tags.length;
    const bias = new Float32Array(this.T);
    config.tags.forEach((tag, i) => {
      const b = tag === 'O' ? undefined : labelBias?.[tag.slice(2)];
      if (typeof b === 'number' && Number.isFinite(b)) bias[i] = b;
    });
    this.bias = bias.some((b) => b !== 0) ? bias : null;
    const penalty = new Float32Array(this.T);
    config.tags.forEach((tag, i) => {
      const continues = tag.startsWith('I-') || (config.scheme === 'BILOU' && tag.startsWith('L-'));
      const p = continues && config.scheme !== 'IO' ? lineBreakPenalty?.[tag.slice(2)] : undefined;
      if (typeof p === 'number' && Number.isFinite(p) && p > 0) penalty[i] = p;
    });
    this.linePenalty = penalty.some((p) => p !== 0) ? penalty : null;
    this.structure = new CrfStructure(allowedTransitions(config.tags, config.scheme));
    // a softmax model decodes with zero transition scores: the scheme's constraints still hold
    this.crf =
      config.output === 'crf'
        ? { trans: weights['crf.trans'], start: weights['crf.start'], end: weights['crf.end'] }
        : { trans: new Float32Array(this.T * this.T), start: new Float32Array(this.T), end: new Float32Array(this.T) };
    this.exp = expParams(this.crf, this.structure);
  }

  /**
   * Entities of one token sequence, decoded paragraph by paragraph: the emissions see the whole
   * window, but no entity runs across a blank line (an invoice's "HRB 160233" and the buyer's
   * address block below it are two things). A confidence is the span's marginal probability at
   * the model's operating point, i.e. with its labelBias added.
   */
  entities(text: string, tokens: Token[], em: Float32Array, offset: number): Entity[] {
    const len = tokens.length;
    if (len === 0) return [];
    const [scores, base] = this.scores(em, offset, len, text, tokens);
    const out: Entity[] = [];
    for (const [from, to] of paragraphRuns(text, tokens)) {
      const at = base + from * this.T;
      const n = to - from;
      const ids = viterbi(scores, at, n, this.crf, this.structure);
      const names = Array.from(ids, (i) => this.config.tags[i]);
      const spans = tagsToTokenSpans(names, this.config.scheme);
      if (spans.length === 0) continue;
      // marginals only where there is something to score: most sentences have no entity
      const lattice = forwardBackward(scores, at, n, this.crf, this.structure, undefined, 0, this.exp, this.lattice);
      for (const s of spans) {
        const start = tokens[from + s.start].start;
        const end = tokens[from + s.end - 1].end;
        out.push({
          label: s.label,
          start,
          end,
          text: text.slice(start, end),
          confidence: spanProbability(lattice, this.T, this.structure, ids, s.start, s.end - 1),
        });
      }
    }
    return out;
  }

  /**
   * The scores Viterbi reads for one sequence, and where they start: the emissions with the
   * label bias added and, on each line's first token, the line-break penalty taken from the tags
   * that would carry an entity over from the line before.
   */
  private scores(em: Float32Array, offset: number, len: number, text: string, tokens: Token[]): [Float32Array, number] {
    const scores = this.softmaxAware(em, offset, len);
    const base = this.config.output === 'crf' ? offset : 0;
    const breaks = this.linePenalty && text ? lineStarts(text, tokens) : null;
    if (!this.bias && !breaks) return [scores, base];
    const T = this.T;
    if (this.biased.length < len * T) this.biased = new Float32Array(Math.max(len * T, 2 * this.biased.length));
    const out = this.biased;
    out.set(scores.subarray(base, base + len * T));
    if (this.bias) for (let t = 0; t < len; t++) for (let j = 0; j < T; j++) out[t * T + j] += this.bias[j];
    if (breaks && this.linePenalty) {
      for (const t of breaks) for (let j = 0; j < T; j++) out[t * T + j] -= this.linePenalty[j];
    }
    return [out, 0];
  }

  /** For softmax models: log-probabilities, so a path's score is its log-probability. */
  private softmaxAware(em: Float32Array, offset: number, len: number): Float32Array {
    if (this.config.output === 'crf') return em;
    const T = this.T;
    const out = new Float32Array(len * T);
    for (let t = 0; t < len; t++) {
      let m = -Infinity;
      for (let j = 0; j < T; j++) m = Math.max(m, em[offset + t * T + j]);
      let sum = 0;
      for (let j = 0; j < T; j++) sum += Math.exp(em[offset + t * T + j] - m);
      const lse = m + Math.log(sum);
      for (let j = 0; j < T; j++) out[t * T + j] = em[offset + t * T + j] - lse;
    }
    return out;
  }
}

/** Indices of the tokens (after the first) that a line break separates from the token before. */
function lineStarts(text: string, tokens: Token[]): number[] {
  const out: number[] = [];
  for (let k = 1; k < tokens.length; k++) {
    if (countLineBreaks(text, tokens[k - 1].end, tokens[k].start) > 0) out.push(k);
  }
  return out;
}
