// The training loop: partial-annotation CRF (or softmax) loss, Adam with clipping, length
// bucketing, early stopping on dev entity F1 with the best weights kept, fixed seeds, progress
// events and cooperative cancellation (checked between batches).
import type { ModelConfig, Weights } from '../nn/architecture';
import { outsidePriorLoss, partialCrfLoss, partialSoftmaxLoss } from '../crf/loss';
import { CrfStructure } from '../crf/structure';
import { bucketBatches, documentSequences, type Sequence } from '../text/windows';
import { Decoder } from '../crf/decoder';
import { evaluateSpans, type EvalReport } from '../evaluation/evaluate';
import { Vocabulary } from '../nn/vocabulary';
import { useTfjsGemm, usingTfjsGemm } from '../nn/gemm';
import type { TrainedModel } from '../nn/model-folder';
import type { RulePolicy } from '../rules/policy';
import { Network, initWeights, zeroGradients } from '../nn/network';
import { Adam } from './adam';
import { Rng } from '../core/random';
import { allowedTransitions, tagNames } from '../text/tags';
import type { AnnotatedDocument, Span, TagScheme } from '../core/types';

export interface TrainOptions {
  labels: string[];
  scheme?: TagScheme;
  cell?: ModelConfig['cell'];
  hidden?: number;
  layers?: 1 | 2;
  residual?: boolean;
  output?: ModelConfig['output'];
  wordDim?: number;
  shapeDim?: number;
  charDim?: number;
  charFilters?: number;
  maxChars?: number;
  /** partial-annotation loss (default); false = every unlabelled token is O */
  partial?: boolean;
  /**
   * Weight of a prior toward O on tokens whose tag is unknown: −β·log softmax(emissions)[O].
   * Without it nothing in the partial loss prefers O to an open label there, and a model can
   * tag every unlabelled token as, say, DATE. Small values keep the labelled evidence decisive.
   */
  outsidePrior?: number;
  silver?: 'gold' | 'ignore';
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  clipNorm?: number;
  dropout?: number;
  /** epochs without dev improvement before stopping */
  patience?: number;
  /**
   * Score, keep and save an exponential moving average of the weights (this decay per step)
   * instead of the last step's weights. Dev scores of the raw weights swing from epoch to
   * epoch; the average smooths the last steps' noise. Off when absent.
   */
  averageDecay?: number;
  seed?: number;
  maxTokens?: number;
  maxWords?: number;
  minWordCount?: number;
  /** labels whose dev annotation is incomplete: their precision is not scored */
  recallOnly?: string[];
  /** cap on dev sequences scored each epoch (evaluation costs a forward pass each) */
  maxDevSequences?: number;
  /**
   * Labels whose micro F1 on dev chooses the epoch (default: the micro F1 of all labels). Give
   * the labels whose gold is complete: recall-only labels reward a model that over-tags them.
   */
  selectLabels?: string[];
  /** pretrained vectors by normalised word (see embeddings.ts) */
  pretrained?: Map<string, Float32Array>;
  /** start from this model (fine-tuning): its vocabulary and architecture are kept */
  initial?: TrainedModel;
  /** labels the rule annotators decide when tagging (stored in model.json; see combine.ts) */
  rules?: RulePolicy;
  /** extra sequences (e.g. replayed predictions), trained alongside the documents */
  extraSequences?: Sequence[];
  name?: string;
  version?: string;
}

export interface TrainProgress {
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  loss: number;
  sentencesPerSecond: number;
  etaSeconds: number;
  devF1?: number;
}

export interface EpochRecord {
  epoch: number;
  loss: number;
  devF1: number;
  seconds: number;
  sentencesPerSecond: number;
}

export interface TrainHooks {
  onProgress?: (p: TrainProgress) => void;
  onEpoch?: (r: EpochRecord, improved: boolean) => void;
  /** called with the new best model; save it here to keep the last good model on disk */
  onCheckpoint?: (m: TrainedModel) => Promise<void>;
  shouldStop?: () => boolean;
  /**
   * Scores the model after each epoch (higher is better) and chooses the best epoch by it
   * instead of the window-level dev F1: for a score the windows cannot show, such as entities
   * over whole documents with party names propagated.
   */
  devScore?: (m: TrainedModel) => Promise<number>;
}

export interface TrainResult {
  model: TrainedModel;
  history: EpochRecord[];
  bestEpoch: number;
  report: EvalReport | null;
  cancelled: boolean;
  trainSequences: number;
  devSequences: number;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function makeConfig(o: TrainOptions, vocab: Vocabulary): ModelConfig {
  const scheme = o.scheme ?? 'BILOU';
  return {
    scheme,
    labels: o.labels,
    tags: tagNames(o.labels, scheme),
    vocabSize: vocab.words.length,
    shapeCount: vocab.shapes.length,
    charCount: vocab.chars.length,
    wordDim: o.wordDim ?? 100,
    shapeDim: o.shapeDim ?? 16,
    charDim: o.charDim ?? 16,
    charFilters: o.charFilters ?? 32,
    charWidth: 3,
    maxChars: o.maxChars ?? 12,
    cell: o.cell ?? 'lstm',
    hidden: o.hidden ?? 100,
    layers: o.layers ?? 1,
    residual: o.residual ?? false,
    output: o.output ?? 'crf',
  };
}

function copyWeights(w: Weights): Weights {
  const out: Weights = {};
  for (const [k, v] of Object.entries(w)) out[k] = new Float32Array(v);
  return out;
}

/**
 * Decodes sequences with a network (no dropout) and scores them against their gold spans.
 * Windows carry no text, so unlike tagging they are not decoded paragraph by paragraph.
 */
export function evaluateSequences(
  network: Network,
  vocab: Vocabulary,
  sequences: Sequence[],
  options: { recallOnly?: string[]; batchSize?: number; labelBias?: Record<string, number> } = {},
): EvalReport {
  const decoder = new Decoder(network.config, network.weights, options.labelBias);
  const T = network.config.tags.length;
  const gold: Span[][] = [];
  const pred: Span[][] = [];
  for (const batch of bucketBatches(sequences, options.batchSize ?? 64)) {
    const enc = vocab.encode(
      batch.map((s) => s.tokens),
      network.config.maxChars,
    );
    const { emissions } = network.forward(enc);
    batch.forEach((s, b) => {
      gold.push(s.gold);
      pred.push(decoder.entities('', s.tokens, emissions, b * enc.length * T));
    });
  }
  return evaluateSpans(gold, pred, { labels: network.config.labels, recallOnly: options.recallOnly });
}

export async function train(
  trainDocs: AnnotatedDocument[],
  devDocs: AnnotatedDocument[],
  o: TrainOptions,
  hooks: TrainHooks = {},
): Promise<TrainResult> {
  if (!usingTfjsGemm()) await useTfjsGemm();
  const scheme = o.initial?.config.scheme ?? o.scheme ?? 'BILOU';
  const labels = o.initial?.config.labels ?? o.labels;
  const seqOptions = {
    labels,
    scheme,
    partial: o.partial ?? true,
    maxTokens: o.maxTokens ?? 60,
    silver: o.silver ?? 'ignore',
  };
  const trainSeqs = trainDocs.flatMap((d) => documentSequences(d, seqOptions));
  if (o.extraSequences) trainSeqs.push(...o.extraSequences);
  if (trainSeqs.length === 0) throw new Error('no training text: the training documents are empty');
  const rng = new Rng(o.seed ?? 1);
  let devSeqs = devDocs.flatMap((d) => documentSequences(d, { ...seqOptions, partial: false }));
  const maxDev = o.maxDevSequences ?? 3000;
  if (devSeqs.length > maxDev) devSeqs = rng.shuffle(devSeqs).slice(0, maxDev);

  let vocab: Vocabulary;
  let config: ModelConfig;
  let weights: Weights;
  if (o.initial) {
    vocab = o.initial.vocab;
    config = o.initial.config;
    weights = copyWeights(o.initial.weights);
  } else {
    const texts = function* () {
      for (const s of trainSeqs) for (const t of s.tokens) yield t.text;
    };
    vocab = Vocabulary.build(texts(), { maxWords: o.maxWords, minWordCount: o.minWordCount });
    config = makeConfig({ ...o, labels, scheme }, vocab);
    weights = initWeights(config, o.seed ?? 1);
    if (o.pretrained) {
      let hits = 0;
      vocab.words.forEach((w, id) => {
        const v = o.pretrained?.get(w);
        if (v && v.length === config.wordDim && id > 1) {
          weights['word.emb'].set(v, id * config.wordDim);
          hits++;
        }
      });
      if (hits === 0) throw new Error('none of the pretrained vectors matched the vocabulary (check the dimension)');
    }
  }
  const network = new Network(config, weights);
  const structure = new CrfStructure(allowedTransitions(config.tags, config.scheme));
  const adam = new Adam(weights, config.wordDim, { learningRate: o.learningRate ?? 2e-3, clipNorm: o.clipNorm ?? 5 });
  const grads = zeroGradients(config);
  const T = config.tags.length;
  const epochs = o.epochs ?? 10;
  const batchSize = o.batchSize ?? 32;
  const dropout = o.dropout ?? 0.25;
  const patience = o.patience ?? 3;
  const outsidePrior = o.outsidePrior ?? (seqOptions.partial ? 0.1 : 0);
  const batches = bucketBatches(trainSeqs, batchSize);
  const history: EpochRecord[] = [];
  let best: { weights: Weights; epoch: number; f1: number; report: EvalReport | null } | null = null;
  let cancelled = false;
  let sinceBest = 0;
  const started = Date.now();
  let stepsDone = 0;
  const totalSteps = epochs * batches.length;
  const info = (epoch: number, f1: number) => ({
    name: o.name ?? o.initial?.info.name ?? 'entity-lens',
    version: o.version ?? new Date().toISOString(),
    created: new Date().toISOString(),
    // a model trained on from another keeps its rule policy and operating point
    ...((o.rules ?? o.initial?.info.rules) ? { rules: o.rules ?? o.initial?.info.rules } : {}),
    ...(o.initial?.info.labelBias ? { labelBias: o.initial.info.labelBias } : {}),
    training: {
      trainDocuments: trainDocs.length,
      trainSequences: trainSeqs.length,
      devSequences: devSeqs.length,
      epoch,
      devF1: f1,
      partial: seqOptions.partial,
      seed: o.seed ?? 1,
    },
  });

  const average = o.averageDecay ? copyWeights(weights) : null;
  let averaged = 0;
  /** the moving average, with a shorter memory early on (the start weights are random) */
  const updateAverage = (avg: Weights): void => {
    averaged++;
    const d = Math.min(o.averageDecay ?? 0, (1 + averaged) / (10 + averaged));
    for (const [k, w] of Object.entries(weights)) {
      const a = avg[k];
      for (let i = 0; i < w.length; i++) a[i] += (1 - d) * (w[i] - a[i]);
    }
  };

  for (let epoch = 1; epoch <= epochs && !cancelled; epoch++) {
    const epochStart = Date.now();
    const order = rng.shuffle(batches.map((_, i) => i));
    let lossSum = 0;
    let seen = 0;
    for (let step = 0; step < order.length; step++) {
      if (hooks.shouldStop?.()) {
        cancelled = true;
        break;
      }
      const batch = batches[order[step]];
      const enc = vocab.encode(
        batch.map((s) => s.tokens),
        config.maxChars,
      );
      const { emissions, cache } = network.forward(enc, dropout, rng);
      const dEm = new Float32Array(emissions.length);
      const g = {
        em: dEm,
        trans: grads.dense['crf.trans'],
        start: grads.dense['crf.start'],
        end: grads.dense['crf.end'],
      };
      const crf = { trans: weights['crf.trans'], start: weights['crf.start'], end: weights['crf.end'] };
      let loss = 0;
      batch.forEach((s, b) => {
        const off = b * enc.length * T;
        const w = s.weight / batch.length;
        if (config.output === 'crf') {
          loss += partialCrfLoss(emissions, off, s.tokens.length, crf, structure, s.mask, 0, w, g) ?? 0;
        } else {
          loss += partialSoftmaxLoss(emissions, off, s.tokens.length, T, s.mask, 0, w, dEm);
        }
        if (outsidePrior > 0)
          loss += outsidePriorLoss(emissions, off, s.tokens.length, T, s.mask, w * outsidePrior, dEm);
      });
      network.backward(cache, dEm, grads);
      adam.apply(grads);
      if (average) updateAverage(average);
      lossSum += loss * batch.length;
      seen += batch.length;
      stepsDone++;
      if (step % 10 === 0 || step === order.length - 1) {
        const elapsed = (Date.now() - started) / 1000;
        const sps = seen / Math.max(1e-3, (Date.now() - epochStart) / 1000);
        hooks.onProgress?.({
          epoch,
          epochs,
          step: step + 1,
          steps: order.length,
          loss: lossSum / seen,
          sentencesPerSecond: sps,
          etaSeconds: (elapsed / stepsDone) * (totalSteps - stepsDone),
          devF1: best?.f1,
        });
      }
      await yieldToEventLoop();
    }
    if (cancelled) break;
    // the average is scored (and kept) in place of the live weights, which go back after
    const live = average ? copyWeights(weights) : null;
    if (average) for (const [k, w] of Object.entries(weights)) w.set(average[k]);
    const report =
      devSeqs.length > 0 && !hooks.devScore
        ? evaluateSequences(network, vocab, devSeqs, { recallOnly: o.recallOnly, labelBias: o.initial?.info.labelBias })
        : null;
    // with no dev set, the last epoch counts as the best
    const f1 = hooks.devScore
      ? await hooks.devScore({ info: info(epoch, NaN), config, vocab, weights })
      : report
        ? selectionF1(report, o.selectLabels)
        : epoch;
    const record: EpochRecord = {
      epoch,
      loss: lossSum / Math.max(1, seen),
      devF1: report || hooks.devScore ? f1 : NaN,
      seconds: (Date.now() - epochStart) / 1000,
      sentencesPerSecond: seen / Math.max(1e-3, (Date.now() - epochStart) / 1000),
    };
    history.push(record);
    const improved: boolean = !best || f1 > best.f1;
    const scored: Weights | null = improved ? copyWeights(weights) : null;
    if (live) for (const [k, w] of Object.entries(weights)) w.set(live[k]);
    hooks.onEpoch?.(record, improved);
    if (improved) {
      best = { weights: scored as Weights, epoch, f1, report };
      sinceBest = 0;
      await hooks.onCheckpoint?.({
        info: info(epoch, report || hooks.devScore ? f1 : NaN),
        config,
        vocab,
        weights: best.weights,
      });
    } else if (++sinceBest >= patience) {
      break;
    }
  }
  const final = best ?? { weights: copyWeights(weights), epoch: 0, f1: NaN, report: null };
  return {
    model: {
      info: info(final.epoch, final.report || hooks.devScore ? final.f1 : NaN),
      config,
      vocab,
      weights: final.weights,
    },
    history,
    bestEpoch: final.epoch,
    report: final.report,
    cancelled,
    trainSequences: trainSeqs.length,
    devSequences: devSeqs.length,
  };
}

/** The dev score that picks the best epoch: micro F1, over `labels` when given. */
export function selectionF1(report: EvalReport, labels?: string[]): number {
  if (!labels) return report.micro.f1;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const l of report.labels) {
    if (!labels.includes(l.label)) continue;
    tp += l.tp;
    fp += l.fp;
    fn += l.fn;
  }
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}
