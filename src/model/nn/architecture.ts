// The model's architecture and the layout of its weights. Weights are stored in the
// layout ONNX uses, so export is a copy and the training kernels share it.
import type { TagScheme } from '../core/types';
import { labelProblem } from '../core/labels';
import { arrayOf, bool, must, oneOf } from '../core/validate';
import { tagNames } from '../text/tags';
import { isKnownFeatureSet, LINE_FEATURE_DIM } from '../text/line-features';

/** lstm / gru: a bidirectional recurrent encoder; tcn: stacked dilated 1-D convolutions (nn/tcn.ts) */
export type CellType = 'lstm' | 'gru' | 'tcn';
export type OutputLayer = 'crf' | 'softmax';

export interface ModelConfig {
  scheme: TagScheme;
  /** entity labels, e.g. ["PARTY", "DATE"] */
  labels: string[];
  /** tag names; index 0 is always "O" */
  tags: string[];
  vocabSize: number;
  shapeCount: number;
  charCount: number;
  wordDim: number;
  shapeDim: number;
  charDim: number;
  charFilters: number;
  /** odd convolution width over characters */
  charWidth: number;
  /** characters kept per token (see features.ts) */
  maxChars: number;
  cell: CellType;
  /** hidden units per direction (tcn: channels of every convolution) */
  hidden: number;
  /** recurrent layers; tcn: how many times the block of dilations is applied (shared weights) */
  layers: 1 | 2;
  /** add layer l-1's output to layer l's (l > 0); a tcn's convolutions are always residual */
  residual: boolean;
  /** tcn only: the dilations of one block, in order (default TCN_DILATIONS) */
  dilations?: number[];
  output: OutputLayer;
  /**
   * Line and page features the network reads beside each token (text/line-features.ts), by the
   * name of their set; absent in models trained before them, which read none.
   */
  features?: string;
  /** values per token of that set (0 or absent: none) */
  featureDim?: number;
}

/** gates per cell: LSTM i,o,f,c (ONNX order); GRU z,r,h (ONNX order, linear_before_reset=1) */
export function gateCount(cell: CellType): number {
  return cell === 'lstm' ? 4 : 3;
}

/** A tcn block's dilations when the config names none (receptive field 15 tokens per block). */
export const TCN_DILATIONS: readonly number[] = [1, 2, 4];
/** Width of every tcn convolution. */
export const TCN_WIDTH = 3;

export function tcnDilations(c: ModelConfig): number[] {
  return c.dilations && c.dilations.length > 0 ? c.dilations : [...TCN_DILATIONS];
}

/** Width of the encoder's output, which the output layer reads: 2H for a BiRNN, H for a tcn. */
export function encoderDim(c: ModelConfig): number {
  return c.cell === 'tcn' ? c.hidden : 2 * c.hidden;
}

export function inputDim(c: ModelConfig): number {
  return c.wordDim + c.shapeDim + c.charFilters + featureDim(c);
}

/** Line and page feature values per token (0 for models without them). */
export function featureDim(c: ModelConfig): number {
  return c.features && c.featureDim ? c.featureDim : 0;
}

/**
 * Weight names and shapes. Row-major Float32Arrays.
 *  word.emb   [vocabSize, wordDim]        row 0 = padding, row 1 = unknown word
 *  shape.emb  [shapeCount, shapeDim]
 *  char.emb   [charCount, charDim]        row 0 = padding, row 1 = unknown char
 *  char.conv.w [charFilters, charDim, charWidth]   (ONNX Conv layout)
 *  char.conv.b [charFilters]
 *     char feature = tanh(max over the maxChars positions of conv(chars, pad (w-1)/2))
 *  x = concat(word, shape, char feature, line/page features)  [inputDim]
 *  rnn{l}.W [2, G*H, In]  rnn{l}.R [2, G*H, H]  rnn{l}.B [2, 2*G*H]   (ONNX LSTM/GRU
 *     layout; direction 0 forward, 1 backward; In = inputDim for l=0, else 2H)
 *  layer output = concat(forward h, backward h) [2H]; with residual, + previous layer output
 *  tcn instead of rnn{l}: tcn.in.W [In, H]  tcn.in.b [H]   h = mask · (x · tcn.in.W + tcn.in.b)
 *     tcn.conv{i}.w [H, H, 3]  tcn.conv{i}.b [H]  (ONNX Conv layout, dilation dilations[i])
 *     h = mask · (h + relu(conv_i(h))) for each i, the block `layers` times with the same weights;
 *     mask is 1 inside a sequence, 0 past its length (convolutions see zeros there)
 *  out.W [E, T]   out.b [T]   (E = encoderDim: 2H, tcn H)   emissions = h · out.W + out.b
 *  crf.trans [T, T] (from row tag to column tag)  crf.start [T]  crf.end [T]
 */
export function weightShapes(c: ModelConfig): Record<string, number[]> {
  const G = gateCount(c.cell);
  const H = c.hidden;
  const T = c.tags.length;
  const shapes: Record<string, number[]> = {
    'word.emb': [c.vocabSize, c.wordDim],
    'shape.emb': [c.shapeCount, c.shapeDim],
    'char.emb': [c.charCount, c.charDim],
    'char.conv.w': [c.charFilters, c.charDim, c.charWidth],
    'char.conv.b': [c.charFilters],
  };
  if (c.cell === 'tcn') {
    shapes['tcn.in.W'] = [inputDim(c), H];
    shapes['tcn.in.b'] = [H];
    tcnDilations(c).forEach((_, i) => {
      shapes[`tcn.conv${i}.w`] = [H, H, TCN_WIDTH];
      shapes[`tcn.conv${i}.b`] = [H];
    });
  } else {
    for (let l = 0; l < c.layers; l++) {
      const inDim = l === 0 ? inputDim(c) : 2 * H;
      shapes[`rnn${l}.W`] = [2, G * H, inDim];
      shapes[`rnn${l}.R`] = [2, G * H, H];
      shapes[`rnn${l}.B`] = [2, 2 * G * H];
    }
  }
  shapes['out.W'] = [encoderDim(c), T];
  shapes['out.b'] = [T];
  if (c.output === 'crf') {
    shapes['crf.trans'] = [T, T];
    shapes['crf.start'] = [T];
    shapes['crf.end'] = [T];
  }
  return shapes;
}

export type Weights = Record<string, Float32Array>;

export function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A deep copy: every tensor in new memory. */
export function copyWeights(w: Weights): Weights {
  const out: Weights = {};
  for (const [k, v] of Object.entries(w)) out[k] = new Float32Array(v);
  return out;
}

/**
 * Bounds on an architecture, far above any model this project trains (the default model:
 * vocabulary 14k × 64, hidden 64, maxChars 12, 1M weights) and low enough that a hand-edited or
 * hostile model.json cannot make loading or tagging allocate gigabytes.
 */
export const ARCHITECTURE_LIMITS = {
  labels: 256,
  vocabSize: 2_000_000,
  shapeCount: 100_000,
  charCount: 200_000,
  wordDim: 1024,
  shapeDim: 256,
  charDim: 256,
  charFilters: 1024,
  charWidth: 15,
  maxChars: 64,
  hidden: 2048,
  /** tcn: convolutions per block, and the widest dilation */
  dilations: 8,
  dilation: 256,
  /** float32 weights in all: 1 GB */
  weights: 256 * 1024 * 1024,
} as const;

/** What is wrong with a config (read from model.json or built from options), or null. */
export function configProblem(c: unknown): string | null {
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return '"config" must be an object';
  const o = c as Record<string, unknown>;
  const badScheme = oneOf(['BILOU', 'BIO', 'IO'] as const)(o.scheme, '"scheme"');
  if (badScheme !== undefined) return badScheme;
  if (!Array.isArray(o.labels) || o.labels.length === 0) return '"labels" must be a non-empty list';
  if (o.labels.length > ARCHITECTURE_LIMITS.labels) return `more than ${ARCHITECTURE_LIMITS.labels} labels`;
  for (const label of o.labels) {
    const problem = labelProblem(label);
    if (problem) return problem;
  }
  if (new Set(o.labels).size !== o.labels.length) return 'a label is listed twice';
  const tags = tagNames(o.labels as string[], o.scheme as TagScheme);
  if (
    !Array.isArray(o.tags) ||
    o.tags.length !== tags.length ||
    tags.some((t, i) => o.tags !== undefined && (o.tags as unknown[])[i] !== t)
  ) {
    return `"tags" must be the ${o.scheme} tags of the labels, in order`;
  }
  const ints: Array<[keyof typeof ARCHITECTURE_LIMITS, number]> = [
    ['vocabSize', 2],
    ['shapeCount', 1],
    ['charCount', 2],
    ['wordDim', 1],
    ['shapeDim', 1],
    ['charDim', 1],
    ['charFilters', 1],
    ['charWidth', 1],
    ['maxChars', 1],
    ['hidden', 1],
  ];
  for (const [key, min] of ints) {
    const max = ARCHITECTURE_LIMITS[key];
    const inRange = must(
      `a whole number from ${min} to ${max}`,
      (v): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max,
    );
    const problem = inRange(o[key], `"${key}"`);
    if (problem !== undefined) return problem;
  }
  if ((o.charWidth as number) % 2 !== 1) return '"charWidth" must be odd';
  const layers = must('1 or 2', (v): v is 1 | 2 => v === 1 || v === 2);
  const badChoice =
    oneOf(['lstm', 'gru', 'tcn'] as const)(o.cell, '"cell"') ??
    layers(o.layers, '"layers"') ??
    bool(o.residual, '"residual"') ??
    oneOf(['crf', 'softmax'] as const)(o.output, '"output"');
  if (badChoice !== undefined) return badChoice;
  if (o.dilations !== undefined) {
    if (o.cell !== 'tcn') return '"dilations" belong to a tcn';
    const dilation = must(
      `a whole number from 1 to ${ARCHITECTURE_LIMITS.dilation}`,
      (v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= ARCHITECTURE_LIMITS.dilation,
    );
    const badDilations = arrayOf(dilation, ARCHITECTURE_LIMITS.dilations)(o.dilations, '"dilations"');
    if (badDilations !== undefined) return badDilations;
    if ((o.dilations as unknown[]).length === 0) return '"dilations" must list at least one dilation';
  }
  if (o.features !== undefined) {
    if (!isKnownFeatureSet(o.features))
      return `the model reads line features ${JSON.stringify(o.features)}, unknown here`;
    if (o.featureDim !== LINE_FEATURE_DIM) return `"featureDim" must be ${LINE_FEATURE_DIM} for ${String(o.features)}`;
  } else if (o.featureDim !== undefined && o.featureDim !== 0) {
    return '"featureDim" without "features"';
  }
  let total = 0;
  for (const shape of Object.values(weightShapes(o as unknown as ModelConfig))) total += sizeOf(shape);
  if (total > ARCHITECTURE_LIMITS.weights) {
    return `the architecture has ${total} weights, more than the limit of ${ARCHITECTURE_LIMITS.weights}`;
  }
  return null;
}

/** Total float32 weights of a config. */
export function weightCount(c: ModelConfig): number {
  let total = 0;
  for (const shape of Object.values(weightShapes(c))) total += sizeOf(shape);
  return total;
}
