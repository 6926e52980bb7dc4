// The model's architecture and the layout of its weights. Weights are stored in the
// layout ONNX uses, so export is a copy and the training kernels share it.
import type { TagScheme } from '../core/types';

export type CellType = 'lstm' | 'gru';
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
  /** hidden units per direction */
  hidden: number;
  layers: 1 | 2;
  /** add layer l-1's output to layer l's (l > 0) */
  residual: boolean;
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
 *  out.W [2H, T]   out.b [T]             emissions = h · out.W + out.b
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
  for (let l = 0; l < c.layers; l++) {
    const inDim = l === 0 ? inputDim(c) : 2 * H;
    shapes[`rnn${l}.W`] = [2, G * H, inDim];
    shapes[`rnn${l}.R`] = [2, G * H, H];
    shapes[`rnn${l}.B`] = [2, 2 * G * H];
  }
  shapes['out.W'] = [2 * H, T];
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
