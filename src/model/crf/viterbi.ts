// Viterbi: the highest-scoring tag sequence that the tag scheme allows.
import type { CrfParams, CrfStructure } from './structure';

/** Highest-scoring valid tag sequence for em[offset .. offset + len*T). */
export function viterbi(em: Float32Array, offset: number, len: number, crf: CrfParams, s: CrfStructure): Int32Array {
  const T = s.T;
  const tags = new Int32Array(len);
  if (len === 0) return tags;
  let score = new Float64Array(T);
  let next = new Float64Array(T);
  const back = new Int32Array(len * T);
  for (let j = 0; j < T; j++) score[j] = s.startOk[j] ? crf.start[j] + em[offset + j] : -Infinity;
  for (let t = 1; t < len; t++) {
    const row = offset + t * T;
    for (let j = 0; j < T; j++) {
      let best = -Infinity;
      let arg = 0;
      for (let p = s.predOffset[j]; p < s.predOffset[j + 1]; p++) {
        const i = s.predFrom[p];
        const v = score[i] + crf.trans[i * T + j];
        if (v > best) {
          best = v;
          arg = i;
        }
      }
      next[j] = best + em[row + j];
      back[t * T + j] = arg;
    }
    const swap = score;
    score = next;
    next = swap;
  }
  let best = -Infinity;
  let arg = 0;
  for (let j = 0; j < T; j++) {
    const v = s.endOk[j] ? score[j] + crf.end[j] : -Infinity;
    if (v > best) {
      best = v;
      arg = j;
    }
  }
  tags[len - 1] = arg;
  for (let t = len - 1; t > 0; t--) tags[t - 1] = back[t * T + tags[t]];
  return tags;
}
