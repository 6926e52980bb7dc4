// The training losses on emission scores: the partial-annotation CRF loss (−log of the total
// probability of the paths a partial annotation allows), its per-token softmax analogue, and
// the prior toward O on tokens whose tag is unknown.
import { kernels } from '../kernels/runtime';
import { addExpectations, forwardBackward } from './lattice';
import { partialCrfLossOnKernels } from './loss-on-kernels';
import { expParams, type CrfGradients, type CrfParams, type CrfStructure, type ExpParams } from './structure';

// The training loop calls partialCrfLoss for every sentence of a batch with the same CRF
// parameters: their exp tables are kept with a copy of the values they were made from, and
// reused while the values are unchanged (comparing ~T² floats costs far less than T² exps).
let shared: { s: CrfStructure; values: Float32Array; exp: ExpParams } | null = null;

function sharedExpParams(crf: CrfParams, s: CrfStructure): ExpParams {
  const T = s.T;
  const n = T * T + 2 * T;
  if (shared && shared.s === s && shared.values.length === n) {
    const v = shared.values;
    let same = true;
    for (let k = 0; k < T * T && same; k++) same = v[k] === crf.trans[k];
    for (let j = 0; j < T && same; j++) same = v[T * T + j] === crf.start[j] && v[T * T + T + j] === crf.end[j];
    if (same) return shared.exp;
  }
  const values = new Float32Array(n);
  values.set(crf.trans.subarray(0, T * T));
  values.set(crf.start.subarray(0, T), T * T);
  values.set(crf.end.subarray(0, T), T * T + T);
  shared = { s, values, exp: expParams(crf, s) };
  return shared.exp;
}

/**
 * Partial-annotation CRF loss of one sequence: −log Σ_{paths consistent with mask} p(path)
 * = logZ(all) − logZ(mask). With a one-tag-per-token mask this is the ordinary CRF loss.
 * Adds `weight` × the gradient into `grads` (emissions at the same offset as `em`).
 * Returns the weighted loss, or null when the mask admits no valid path (the sequence is skipped).
 */
export function partialCrfLoss(
  em: Float32Array,
  offset: number,
  len: number,
  crf: CrfParams,
  s: CrfStructure,
  mask: Uint8Array,
  maskOffset: number,
  weight: number,
  grads: CrfGradients,
): number | null {
  const exp = sharedExpParams(crf, s);
  const ks = kernels();
  if (ks) {
    // the same lattices on the WebAssembly kernels (see loss-on-kernels.ts)
    const loss = partialCrfLossOnKernels(ks, em, offset, len, s, mask, maskOffset, weight, grads, exp);
    if (loss !== undefined) return loss;
  }
  const constrained = forwardBackward(em, offset, len, crf, s, mask, maskOffset, exp);
  if (constrained.logZ === -Infinity) return null;
  const free = forwardBackward(em, offset, len, crf, s, undefined, 0, exp);
  addExpectations(free, s, weight, grads.em, offset, grads.trans, grads.start, grads.end);
  addExpectations(constrained, s, -weight, grads.em, offset, grads.trans, grads.start, grads.end);
  return weight * (free.logZ - constrained.logZ);
}

/**
 * Per-token analogue for a softmax output: −Σ_t log Σ_{tag in mask_t} softmax(em_t).
 * Adds weight × gradient into gEm; returns the weighted loss.
 */
export function partialSoftmaxLoss(
  em: Float32Array,
  offset: number,
  len: number,
  T: number,
  mask: Uint8Array,
  maskOffset: number,
  weight: number,
  gEm: Float32Array,
): number {
  let loss = 0;
  const p = new Float64Array(T);
  for (let t = 0; t < len; t++) {
    const row = offset + t * T;
    const mrow = maskOffset + t * T;
    let m = -Infinity;
    for (let j = 0; j < T; j++) m = Math.max(m, em[row + j]);
    let all = 0;
    let allowed = 0;
    for (let j = 0; j < T; j++) {
      p[j] = Math.exp(em[row + j] - m);
      all += p[j];
      if (mask[mrow + j]) allowed += p[j];
    }
    if (!(allowed > 0)) continue;
    loss += Math.log(all) - Math.log(allowed);
    for (let j = 0; j < T; j++) {
      gEm[row + j] += weight * (p[j] / all - (mask[mrow + j] ? p[j] / allowed : 0));
    }
  }
  return weight * loss;
}

/** −log softmax(em_t)[O] on tokens that may be O or something else; adds weight × gradient. */
export function outsidePriorLoss(
  em: Float32Array,
  offset: number,
  len: number,
  T: number,
  mask: Uint8Array,
  weight: number,
  dEm: Float32Array,
): number {
  let loss = 0;
  for (let t = 0; t < len; t++) {
    let open = 0;
    for (let j = 0; j < T; j++) open += mask[t * T + j];
    if (open < 2 || !mask[t * T]) continue;
    const row = offset + t * T;
    let m = -Infinity;
    for (let j = 0; j < T; j++) m = Math.max(m, em[row + j]);
    let sum = 0;
    for (let j = 0; j < T; j++) sum += Math.exp(em[row + j] - m);
    loss += m + Math.log(sum) - em[row];
    for (let j = 0; j < T; j++) dEm[row + j] += (weight * Math.exp(em[row + j] - m)) / sum - (j === 0 ? weight : 0);
  }
  return weight * loss;
}
