// The training loop: partial-annotation CRF (or softmax) loss, Adam with clipping, length
// bucketing, early stopping on dev entity F1 with the best weights kept, fixed seeds, progress
// events and cooperative cancellation (checked between batches). Fine-tuning can pull the
// weights toward the initial model's (anchor.ts) and let new labels learn faster (new-label-rate.ts).
//
// `train` reads as the loop: the sequences (trainingData), the starting weights (startingModel),
// then per epoch the steps (runEpoch, one batchLoss each) and the dev score (scoreEpoch).
import { Rng } from '../core/random';
import { firstLabelProblem } from '../core/labels';
import { InputError } from '../io/files';
import type { AnnotatedDocument, TagScheme } from '../core/types';
import { outsidePriorLoss, partialCrfLoss, partialSoftmaxLoss } from '../crf/loss';
import { CrfStructure } from '../crf/structure';
import type { EvalReport } from '../evaluation/evaluate';
import { configProblem, copyWeights, featureDim, type ModelConfig, type Weights } from '../nn/architecture';
import { prepareMatrixProducts } from '../nn/gemm';
import type { ModelInfo, TrainedModel } from '../nn/model-folder';
import { Network, initWeights, zeroGradients, type Gradients } from '../nn/network';
import { Vocabulary } from '../nn/vocabulary';
import type { RulePolicy } from '../rules/policy';
import { allowedTransitions, tagNames } from '../text/tags';
import { bucketBatches } from '../text/windows';
import { Adam } from './adam';
import { WeightAnchor } from './anchor';
import { NewLabelRate } from './new-label-rate';
import { evaluateSequences, selectionF1 } from './dev-scoring';
import { documentSequences, sequenceFeatures, type Sequence } from './sequences';
import { LINE_FEATURE_DIM, LINE_FEATURES } from '../text/line-features';

export interface TrainOptions {
  labels: string[];
  scheme?: TagScheme;
  cell?: ModelConfig['cell'];
  /** tcn: the dilations of one block (default TCN_DILATIONS) */
  dilations?: number[];
  hidden?: number;
  layers?: 1 | 2;
  residual?: boolean;
  output?: ModelConfig['output'];
  wordDim?: number;
  shapeDim?: number;
  charDim?: number;
  charFilters?: number;
  maxChars?: number;
  /**
   * Line and page features beside each token (text/line-features.ts): where it sits in its
   * line, the line's shape, its place on the page. Default off; a fine-tuned model keeps its own.
   */
  lineFeatures?: boolean;
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
  /** pretrained vectors by normalised word (see nn/embeddings.ts) */
  pretrained?: Map<string, Float32Array>;
  /** start from this model (fine-tuning): its vocabulary and architecture are kept */
  initial?: TrainedModel;
  /** labels the rule annotators decide when tagging (stored in model.json; see rules/policy.ts) */
  rules?: RulePolicy;
  /** extra sequences (e.g. replayed predictions), trained alongside the documents */
  extraSequences?: Sequence[];
  /**
   * Fine-tuning: after each step, pull every weight of the initial model back by this share
   * (0–1) of its distance from its initial value (training/anchor.ts). Absent or 0: no pull.
   */
  anchor?: number;
  /** labels the initial model has just been given (withLabels): the anchor leaves their output weights free */
  newLabels?: string[];
  /** learning rate of the new labels' output weights, as a multiple of learningRate (default 1) */
  newLabelRate?: number;
  /**
   * Loss weight of a training document's window by the labels of its spans (the largest
   * weight among them; 1 for labels not listed): emphasis for labels with few examples.
   */
  labelWeights?: Record<string, number>;
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
  /** after each epoch; for an improved epoch, after onCheckpoint has resolved */
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
    ...(o.cell === 'tcn' && o.dilations ? { dilations: o.dilations } : {}),
    ...(o.lineFeatures ? { features: LINE_FEATURES, featureDim: LINE_FEATURE_DIM } : {}),
  };
}

/** The sequences a run trains and scores on, and the label set and scheme they are tagged in. */
interface TrainingData {
  labels: string[];
  scheme: TagScheme;
  partial: boolean;
  documents: number;
  train: Sequence[];
  dev: Sequence[];
}

function trainingData(
  trainDocs: AnnotatedDocument[],
  devDocs: AnnotatedDocument[],
  o: TrainOptions,
  rng: Rng,
): TrainingData {
  const scheme = o.initial?.config.scheme ?? o.scheme ?? 'BILOU';
  const labels = o.initial?.config.labels ?? o.labels;
  const seqOptions = {
    labels,
    scheme,
    partial: o.partial ?? true,
    maxTokens: o.maxTokens ?? 60,
    silver: o.silver ?? 'ignore',
    features: o.initial ? featureDim(o.initial.config) > 0 : (o.lineFeatures ?? false),
  };
  const train = trainDocs.flatMap((d) => documentSequences(d, seqOptions));
  if (o.labelWeights) weighByLabel(train, o.labelWeights);
  if (o.extraSequences) for (const seq of o.extraSequences) train.push(seq);
  if (train.length === 0) throw new Error('no training text: the training documents are empty');
  let dev = devDocs.flatMap((d) => documentSequences(d, { ...seqOptions, partial: false }));
  const maxDev = o.maxDevSequences ?? 3000;
  if (dev.length > maxDev) dev = rng.shuffle(dev).slice(0, maxDev);
  return { labels, scheme, partial: seqOptions.partial, documents: trainDocs.length, train, dev };
}

/** Multiplies each window's weight by the largest weight of the labels of its spans. */
function weighByLabel(sequences: Sequence[], weights: Record<string, number>): void {
  for (const s of sequences) {
    let w = 1;
    for (const span of s.gold) w = Math.max(w, weights[span.label] ?? 1);
    s.weight *= w;
  }
}

/** The model training starts from: a copy of `o.initial`, or a new vocabulary and random (or pretrained) weights. */
function startingModel(
  o: TrainOptions,
  data: TrainingData,
): { vocab: Vocabulary; config: ModelConfig; weights: Weights } {
  if (o.initial && o.cell && o.cell !== o.initial.config.cell) return withArchitecture(o, o.initial, o.cell);
  // an ensemble's config and weights are its first member's with the CRF averaged over all:
  // fine-tuning it fine-tunes that one network, and the result is a single model
  if (o.initial) return { vocab: o.initial.vocab, config: o.initial.config, weights: copyWeights(o.initial.weights) };
  const texts = function* () {
    for (const s of data.train) for (const t of s.tokens) yield t.text;
  };
  const vocab = Vocabulary.build(texts(), { maxWords: o.maxWords, minWordCount: o.minWordCount });
  const config = makeConfig({ ...o, labels: data.labels, scheme: data.scheme }, vocab);
  const problem = configProblem(config);
  if (problem) throw new InputError(`training data: ${problem}.`);
  const weights = initWeights(config, o.seed ?? 1);
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
  return { vocab, config, weights };
}

/**
 * A new network of another architecture (`cell`) on a trained model's vocabulary: its word,
 * shape and character layers and its CRF are copied (the same inputs and tags), the encoder and
 * output layer start fresh. The workspace setting for the architecture of trained models starts
 * here; replayed predictions of the old model (TrainOptions.extraSequences) teach the rest.
 */
function withArchitecture(
  o: TrainOptions,
  base: TrainedModel,
  cell: ModelConfig['cell'],
): { vocab: Vocabulary; config: ModelConfig; weights: Weights } {
  const { dilations: _d, ...rest } = base.config;
  const config: ModelConfig = {
    ...rest,
    cell,
    hidden: o.hidden ?? base.config.hidden,
    layers: o.layers ?? (cell === 'tcn' ? 2 : base.config.layers),
    residual: cell === 'tcn' ? false : base.config.residual,
    ...(cell === 'tcn' && o.dilations ? { dilations: o.dilations } : {}),
  };
  const problem = configProblem(config);
  if (problem) throw new InputError(`training options: ${problem}.`);
  const weights = initWeights(config, o.seed ?? 1);
  for (const name of [
    'word.emb',
    'shape.emb',
    'char.emb',
    'char.conv.w',
    'char.conv.b',
    'crf.trans',
    'crf.start',
    'crf.end',
  ]) {
    const from = base.weights[name];
    if (from && weights[name] && from.length === weights[name].length) weights[name].set(from);
  }
  return { vocab: base.vocab, config, weights };
}

/** What one training step needs, built once per run. */
interface StepContext {
  network: Network;
  vocab: Vocabulary;
  structure: CrfStructure;
  adam: Adam;
  grads: Gradients;
  dropout: number;
  outsidePrior: number;
  rng: Rng;
  average: WeightAverage | null;
  anchor: WeightAnchor | null;
  newLabelRate: NewLabelRate | null;
}

/** Forward, loss of every sequence, backward and one Adam step; returns the batch's mean loss. */
function trainStep(ctx: StepContext, batch: Sequence[]): number {
  const { network, grads } = ctx;
  const { config, weights } = network;
  const T = config.tags.length;
  const K = featureDim(config);
  const enc = ctx.vocab.encode(
    batch.map((s) => s.tokens),
    config.maxChars,
    K > 0 ? sequenceFeatures(batch, K) : undefined,
  );
  const { emissions, cache } = network.forward(enc, ctx.dropout, ctx.rng);
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
      loss += partialCrfLoss(emissions, off, s.tokens.length, crf, ctx.structure, s.mask, 0, w, g) ?? 0;
    } else {
      loss += partialSoftmaxLoss(emissions, off, s.tokens.length, T, s.mask, 0, w, dEm);
    }
    if (ctx.outsidePrior > 0)
      loss += outsidePriorLoss(emissions, off, s.tokens.length, T, s.mask, w * ctx.outsidePrior, dEm);
  });
  network.backward(cache, dEm, grads);
  // the rows this step updates, before Adam clears them
  const rows = ctx.anchor ? [...grads.wordRows] : null;
  ctx.newLabelRate?.remember(weights);
  ctx.adam.apply(grads);
  ctx.newLabelRate?.stretch(weights);
  if (rows) ctx.anchor?.pull(weights, rows);
  ctx.average?.update(weights);
  return loss;
}

/** Progress of the whole run, for the ETA. */
interface RunClock {
  started: number;
  stepsDone: number;
  totalSteps: number;
}

/** One pass over the batches in a shuffled order; stops between batches when asked to. */
async function runEpoch(
  ctx: StepContext,
  batches: Sequence[][],
  epoch: number,
  epochs: number,
  clock: RunClock,
  bestF1: number | undefined,
  hooks: TrainHooks,
): Promise<{ loss: number; seen: number; cancelled: boolean; started: number }> {
  const started = Date.now();
  const order = ctx.rng.shuffle(batches.map((_, i) => i));
  let lossSum = 0;
  let seen = 0;
  for (let step = 0; step < order.length; step++) {
    if (hooks.shouldStop?.()) return { loss: lossSum / Math.max(1, seen), seen, cancelled: true, started };
    const batch = batches[order[step]];
    lossSum += trainStep(ctx, batch) * batch.length;
    seen += batch.length;
    clock.stepsDone++;
    if (step % 10 === 0 || step === order.length - 1) {
      const elapsed = (Date.now() - clock.started) / 1000;
      hooks.onProgress?.({
        epoch,
        epochs,
        step: step + 1,
        steps: order.length,
        loss: lossSum / seen,
        sentencesPerSecond: seen / Math.max(1e-3, (Date.now() - started) / 1000),
        etaSeconds: (elapsed / clock.stepsDone) * (clock.totalSteps - clock.stepsDone),
        devF1: bestF1,
      });
    }
    await yieldToEventLoop();
  }
  return { loss: lossSum / Math.max(1, seen), seen, cancelled: false, started };
}

/**
 * An exponential moving average of the weights (TrainOptions.averageDecay), with a shorter
 * memory early on (the start weights are random). It is scored and kept in place of the live
 * weights, which training goes on from.
 */
class WeightAverage {
  private readonly avg: Weights;
  private steps = 0;

  constructor(
    weights: Weights,
    private readonly decay: number,
  ) {
    this.avg = copyWeights(weights);
  }

  update(weights: Weights): void {
    this.steps++;
    const d = Math.min(this.decay, (1 + this.steps) / (10 + this.steps));
    for (const [k, w] of Object.entries(weights)) {
      const a = this.avg[k];
      for (let i = 0; i < w.length; i++) a[i] += (1 - d) * (w[i] - a[i]);
    }
  }

  /** Puts the average into `weights` and returns the live values to restore afterwards. */
  swapIn(weights: Weights): Weights {
    const live = copyWeights(weights);
    for (const [k, w] of Object.entries(weights)) w.set(this.avg[k]);
    return live;
  }
}

/** The score that chooses the epoch: the hook's, the dev windows' F1, or (no dev set) the epoch itself. */
async function scoreEpoch(
  ctx: StepContext,
  data: TrainingData,
  o: TrainOptions,
  hooks: TrainHooks,
  candidate: () => TrainedModel,
  epoch: number,
): Promise<{ f1: number; report: EvalReport | null; scored: boolean }> {
  if (hooks.devScore) return { f1: await hooks.devScore(candidate()), report: null, scored: true };
  if (data.dev.length === 0) return { f1: epoch, report: null, scored: false };
  const report = evaluateSequences(ctx.network, ctx.vocab, data.dev, {
    recallOnly: o.recallOnly,
    labelBias: o.initial?.info.labelBias,
  });
  return { f1: selectionF1(report, o.selectLabels), report, scored: true };
}

/** Refuses labels that break the label grammar and architectures out of bounds, before any work. */
function checkTrainOptions(o: TrainOptions): void {
  const named = [
    ...(o.initial ? [] : o.labels),
    ...(o.recallOnly ?? []),
    ...(o.selectLabels ?? []),
    ...(o.newLabels ?? []),
    ...Object.keys(o.labelWeights ?? {}),
  ];
  const problem = firstLabelProblem(named);
  if (problem) throw new InputError(`training options: ${problem}.`);
  if (o.anchor !== undefined && !(o.anchor >= 0 && o.anchor <= 1))
    throw new InputError(`training options: anchor must be between 0 and 1 (got ${o.anchor}).`);
  if (o.newLabelRate !== undefined && !(Number.isFinite(o.newLabelRate) && o.newLabelRate > 0))
    throw new InputError(`training options: newLabelRate must be a positive number (got ${o.newLabelRate}).`);
  for (const [label, w] of Object.entries(o.labelWeights ?? {}))
    if (!(Number.isFinite(w) && w > 0))
      throw new InputError(`training options: the weight of ${label} must be a positive number (got ${w}).`);
  if (!o.initial) {
    if (new Set(o.labels).size !== o.labels.length) throw new InputError('training options: a label is listed twice.');
    // the smallest vocabulary: the data's own is checked against the same bounds when built
    const smallest = new Vocabulary({ words: ['', ' '], shapes: [''], chars: ['', ' '] });
    const shape = configProblem(makeConfig(o, smallest));
    if (shape) throw new InputError(`training options: ${shape}.`);
  }
}

/** model.json's record of a run: names, the policy it inherits, what it was trained on. */
function modelInfo(o: TrainOptions, data: TrainingData, epoch: number, devF1: number): ModelInfo {
  return {
    name: o.name ?? o.initial?.info.name ?? 'entity-lens',
    version: o.version ?? new Date().toISOString(),
    created: new Date().toISOString(),
    // a model trained on from another keeps its rule policy and operating point
    ...((o.rules ?? o.initial?.info.rules) ? { rules: o.rules ?? o.initial?.info.rules } : {}),
    ...(o.initial?.info.labelBias ? { labelBias: o.initial.info.labelBias } : {}),
    ...(o.initial?.info.lineBreakPenalty ? { lineBreakPenalty: o.initial.info.lineBreakPenalty } : {}),
    training: {
      trainDocuments: data.documents,
      trainSequences: data.train.length,
      devSequences: data.dev.length,
      epoch,
      devF1,
      partial: data.partial,
      seed: o.seed ?? 1,
    },
  };
}

export async function train(
  trainDocs: AnnotatedDocument[],
  devDocs: AnnotatedDocument[],
  o: TrainOptions,
  hooks: TrainHooks = {},
): Promise<TrainResult> {
  checkTrainOptions(o);
  await prepareMatrixProducts();
  const rng = new Rng(o.seed ?? 1);
  const data = trainingData(trainDocs, devDocs, o, rng);
  const { vocab, config, weights } = startingModel(o, data);
  const ctx: StepContext = {
    network: new Network(config, weights),
    vocab,
    structure: new CrfStructure(allowedTransitions(config.tags, config.scheme)),
    adam: new Adam(weights, config.wordDim, { learningRate: o.learningRate ?? 2e-3, clipNorm: o.clipNorm ?? 5 }),
    grads: zeroGradients(config),
    dropout: o.dropout ?? 0.25,
    outsidePrior: o.outsidePrior ?? (data.partial ? 0.1 : 0),
    rng,
    average: o.averageDecay ? new WeightAverage(weights, o.averageDecay) : null,
    // only toward weights of the same architecture (not a new encoder on the initial vocabulary)
    anchor:
      o.anchor && o.initial && config === o.initial.config
        ? new WeightAnchor(weights, config, o.anchor, config.wordDim, o.newLabels)
        : null,
    newLabelRate:
      o.newLabelRate !== undefined && o.newLabelRate !== 1 && o.newLabels?.length
        ? new NewLabelRate(config, o.newLabels, o.newLabelRate)
        : null,
  };
  const epochs = o.epochs ?? 10;
  const patience = o.patience ?? 3;
  const batches = bucketBatches(data.train, o.batchSize ?? 32);
  const clock: RunClock = { started: Date.now(), stepsDone: 0, totalSteps: epochs * batches.length };
  const history: EpochRecord[] = [];
  let best: { weights: Weights; epoch: number; f1: number; scored: boolean; report: EvalReport | null } | null = null;
  let cancelled = false;
  let sinceBest = 0;

  for (let epoch = 1; epoch <= epochs; epoch++) {
    const pass = await runEpoch(ctx, batches, epoch, epochs, clock, best?.f1, hooks);
    if (pass.cancelled) {
      cancelled = true;
      break;
    }
    const live = ctx.average?.swapIn(weights);
    const candidate = (): TrainedModel => ({ info: modelInfo(o, data, epoch, NaN), config, vocab, weights });
    const { f1, report, scored } = await scoreEpoch(ctx, data, o, hooks, candidate, epoch);
    const seconds = (Date.now() - pass.started) / 1000;
    const record: EpochRecord = {
      epoch,
      loss: pass.loss,
      devF1: scored ? f1 : NaN,
      seconds,
      sentencesPerSecond: pass.seen / Math.max(1e-3, seconds),
    };
    history.push(record);
    const improved: boolean = !best || f1 > best.f1;
    const kept: Weights | null = improved ? copyWeights(weights) : null;
    if (live) for (const [k, w] of Object.entries(weights)) w.set(live[k]);
    if (kept) {
      best = { weights: kept, epoch, f1, scored, report };
      sinceBest = 0;
      // saved before it is reported: "(best so far, saved)" is printed only once it is on disk
      await hooks.onCheckpoint?.({ info: modelInfo(o, data, epoch, scored ? f1 : NaN), config, vocab, weights: kept });
      hooks.onEpoch?.(record, improved);
    } else {
      hooks.onEpoch?.(record, improved);
      if (++sinceBest >= patience) break;
    }
  }
  const final = best ?? { weights: copyWeights(weights), epoch: 0, f1: NaN, scored: false, report: null };
  return {
    model: {
      info: modelInfo(o, data, final.epoch, final.scored ? final.f1 : NaN),
      config,
      vocab,
      weights: final.weights,
    },
    history,
    bestEpoch: final.epoch,
    report: final.report,
    cancelled,
    trainSequences: data.train.length,
    devSequences: data.dev.length,
  };
}
