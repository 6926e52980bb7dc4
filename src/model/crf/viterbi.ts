// Viterbi: the highest-scoring tag sequence that the tag scheme allows.
import type { CrfParams, CrfStructure } from './structure';

/** Highest-scoring valid tag sequence for em[offset .. offset + len*T). */
export function viterbi(em: Float32Array, offset: number, len: number, crf: CrfParams, s: CrfStructure): Int32Array {
  const T = s.T;
  const tags = new Int32Array(len);
  if (len === 0) return tags;
  // the structure's arrays in locals, and each allowed transition's score in the order of the
  // predecessor lists: the inner loop then reads two arrays in sequence (V8 reloads object
  // fields and strides across trans[i * T + j] otherwise)
  const { predOffset, predFrom, startOk, endOk } = s;
  const edges = new Float64Array(predFrom.length);
  for (let j = 0; j < T; j++) {
    for (let p = predOffset[j]; p < predOffset[j + 1]; p++) edges[p] = crf.trans[predFrom[p] * T + j];
  }
  let score = new Float64Array(T);
  let next = new Float64Array(T);
  const back = new Int32Array(len * T);
  for (let j = 0; j < T; j++) score[j] = startOk[j] ? crf.start[j] + em[offset + j] : -Infinity;
  for (let t = 1; t < len; t++) {
    const row = offset + t * T;
    const backRow = t * T;
    for (let j = 0; j < T; j++) {
      let best = -Infinity;
      let arg = 0;
      const end = predOffset[j + 1];
      for (let p = predOffset[j]; p < end; p++) {
        const i = predFrom[p];
        const v = score[i] + edges[p];
        if (v > best) {
          best = v;
          arg = i;
        }
      }
      next[j] = best + em[row + j];
      back[backRow + j] = arg;
    }
    const swap = score;
    score = next;
    next = swap;
  }
  let best = -Infinity;
  let arg = 0;
  for (let j = 0; j < T; j++) {
    const v = endOk[j] ? score[j] + crf.end[j] : -Infinity;
    if (v > best) {
      best = v;
      arg = j;
    }
  }
  tags[len - 1] = arg;
  for (let t = len - 1; t > 0; t--) tags[t - 1] = back[t * T + tags[t]];
  return tags;
}
