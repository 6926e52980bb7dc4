// Ensembles: N member models (seeds and/or architectures) whose emissions are averaged before
// the CRF decodes, with the members' CRF parameters averaged too, so Viterbi finds the path of
// the highest mean score and a span's confidence is its marginal under the combined model.
//
// Members share one vocabulary: members trained on the same data with the same options have
// the same one already; otherwise their embedding tables are re-indexed to the union of their
// vocabularies (a word a member never saw gets that member's unknown-word row), so one encoded
// batch feeds every member and one ONNX graph runs them all (onnx-export.ts).
import { copyWeights, weightShapes, sizeOf, type ModelConfig, type Weights } from './architecture';
import type { ModelInfo, TrainedModel } from './trained-model';
import { UNK, Vocabulary } from './vocabulary';

/** Members of one ensemble, at least and at most. */
export const ENSEMBLE_LIMITS = { min: 2, max: 16 } as const;

/** Whether a model is an ensemble (TrainedModel.members set). */
export function isEnsemble(model: TrainedModel): boolean {
  return (model.members?.length ?? 0) > 0;
}

/**
 * What keeps these models from being one ensemble, as a sentence naming the member (by
 * `names[i]`), or null. Members must tag alike: the same labels in the same order, scheme,
 * output layer, characters per token and line features.
 */
export function ensembleProblem(models: readonly TrainedModel[], names: readonly string[]): string | null {
  if (models.length < ENSEMBLE_LIMITS.min) return `an ensemble needs at least ${ENSEMBLE_LIMITS.min} models`;
  if (models.length > ENSEMBLE_LIMITS.max) return `an ensemble holds at most ${ENSEMBLE_LIMITS.max} models`;
  const scoped = models.findIndex((m) => m.base || m.info.scope);
  if (scoped >= 0)
    return `${names[scoped]} was trained on corrections for some labels and kinds of documents only (its "scope"); it cannot be an ensemble member`;
  const first = models[0].config;
  for (let i = 1; i < models.length; i++) {
    const c = models[i].config;
    const who = `${names[i]} and ${names[0]}`;
    if (c.labels.join(',') !== first.labels.join(','))
      return `${who} have different labels (${c.labels.join(', ')} / ${first.labels.join(', ')}); members must have the same labels in the same order`;
    if (c.scheme !== first.scheme) return `${who} use different tag schemes (${c.scheme} / ${first.scheme})`;
    if (c.output !== first.output) return `${who} have different output layers (${c.output} / ${first.output})`;
    if (c.maxChars !== first.maxChars)
      return `${who} read different characters per token (${c.maxChars} / ${first.maxChars})`;
    if ((c.features ?? '') !== (first.features ?? ''))
      return `${who} read different line features (${c.features ?? 'none'} / ${first.features ?? 'none'})`;
  }
  return null;
}

/** The union of lists whose first two entries are padding and unknown: the first list's order, then new items. */
function unionList(lists: readonly string[][]): string[] {
  const out = [...lists[0]];
  const seen = new Set(out);
  for (const list of lists.slice(1)) {
    for (const item of list.slice(2)) {
      if (!seen.has(item)) {
        seen.add(item);
        out.push(item);
      }
    }
  }
  return out;
}

/** table [own.length, dim] re-indexed to `union`: row u = own row of union[u], else the unknown row. */
function reindex(table: Float32Array, dim: number, own: readonly string[], union: readonly string[]): Float32Array {
  const index = new Map<string, number>();
  own.forEach((item, i) => {
    if (!index.has(item)) index.set(item, i);
  });
  const out = new Float32Array(union.length * dim);
  union.forEach((item, u) => {
    const i = u < 2 ? u : (index.get(item) ?? UNK);
    out.set(table.subarray(i * dim, (i + 1) * dim), u * dim);
  });
  return out;
}

/** A member re-indexed to the shared vocabulary (itself when its vocabulary is that one already). */
function onVocabulary(model: TrainedModel, vocab: Vocabulary): TrainedModel {
  const v = model.vocab;
  if (v.words.join('\n') === vocab.words.join('\n') && v.shapes.join('\n') === vocab.shapes.join('\n')) {
    if (v.chars.join('\n') === vocab.chars.join('\n')) return { ...model, vocab };
  }
  const config: ModelConfig = {
    ...model.config,
    vocabSize: vocab.words.length,
    shapeCount: vocab.shapes.length,
    charCount: vocab.chars.length,
  };
  const weights: Weights = { ...model.weights };
  weights['word.emb'] = reindex(model.weights['word.emb'], config.wordDim, v.words, vocab.words);
  weights['shape.emb'] = reindex(model.weights['shape.emb'], config.shapeDim, v.shapes, vocab.shapes);
  weights['char.emb'] = reindex(model.weights['char.emb'], config.charDim, v.chars, vocab.chars);
  return { ...model, config, vocab, weights };
}

/**
 * The ensemble of `models` (checked with ensembleProblem; an ensemble given as a member adds
 * its members). Its `config`, `vocab` and `weights` are the first member's on the shared
 * vocabulary, with the CRF parameters averaged over the members: what the decoder reads.
 */
export function buildEnsemble(
  models: readonly TrainedModel[],
  info: ModelInfo,
  names?: readonly string[],
): TrainedModel {
  const flat: TrainedModel[] = [];
  const flatNames: string[] = [];
  models.forEach((m, i) => {
    const name = names?.[i] ?? `member ${i + 1}`;
    const parts = m.members ?? [m];
    parts.forEach((x, j) => {
      flat.push(x);
      flatNames.push(m.members ? `${name} (member ${j + 1})` : name);
    });
  });
  const problem = ensembleProblem(flat, flatNames);
  if (problem) throw new Error(problem);
  const vocab = new Vocabulary({
    words: unionList(flat.map((m) => m.vocab.words)),
    shapes: unionList(flat.map((m) => m.vocab.shapes)),
    chars: unionList(flat.map((m) => m.vocab.chars)),
  });
  const members = flat.map((m) => onVocabulary(m, vocab));
  return combineMembers(members, info);
}

/** The ensemble of members that already share one vocabulary (a loaded ensemble folder). */
export function combineMembers(members: TrainedModel[], info: ModelInfo): TrainedModel {
  const first = members[0];
  const weights = copyWeights(first.weights);
  if (first.config.output === 'crf') {
    for (const name of ['crf.trans', 'crf.start', 'crf.end']) {
      const avg = weights[name];
      avg.fill(0);
      for (const m of members) for (let i = 0; i < avg.length; i++) avg[i] += m.weights[name][i] / members.length;
    }
  }
  return { info, config: first.config, vocab: first.vocab, weights, members };
}

/** Weights of all members together (for sizes and limits). */
export function ensembleWeightCount(members: readonly TrainedModel[]): number {
  let n = 0;
  for (const m of members) for (const s of Object.values(weightShapes(m.config))) n += sizeOf(s);
  return n;
}
