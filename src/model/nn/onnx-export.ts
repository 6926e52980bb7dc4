// Builds the ONNX inference graph (token ids → emissions) from trained weights. The weights
// are already in ONNX layout (see config.ts), so export is a copy; the CRF stays outside the
// graph. Opset 17 because ReduceMax takes `axes` as an attribute only up to 17.
import { onnx } from 'onnx-proto';
import {
  featureDim,
  sizeOf,
  tcnDilations,
  TCN_WIDTH,
  weightShapes,
  type ModelConfig,
  type Weights,
} from './architecture';

const OPSET = 17;
const IR_VERSION = 8; // the IR version that goes with opset 17 (ONNX 1.12)

/**
 * Name of the graph's only output; the inputs are words, shapes, chars and lengths, and
 * `features` for models with line and page features.
 */
export const ONNX_OUTPUT = 'emissions';

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT32 = onnx.TensorProto.DataType.INT32;
const INT64 = onnx.TensorProto.DataType.INT64;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A dimension is a fixed size or a symbolic name ("batch", "length"). */
type Dim = number | string;

function intAttr(name: string, i: number): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i };
}

function intsAttr(name: string, ints: number[]): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INTS, ints };
}

function stringAttr(name: string, s: string): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(s) };
}

function tensorValue(name: string, elemType: number, dims: Dim[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/** float32 raw_data must be little endian whatever the host is. */
function float32Bytes(values: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return bytes;
}

/** Collects nodes and initializers; every node here has one output, named after the node. */
class GraphBuilder {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  private counter = 0;

  op(opType: string, inputs: string[], attribute: onnx.IAttributeProto[] = [], output?: string): string {
    const name = output ?? `${opType.toLowerCase()}_${this.counter++}`;
    this.nodes.push({ name, opType, input: inputs, output: [name], attribute });
    return name;
  }

  /** A small int64 constant (shapes, axes), kept as a Constant node so the initializers are exactly the weights. */
  int64Constant(values: number[]): string {
    const t: onnx.ITensorProto = { dims: [values.length], dataType: INT64, int64Data: values };
    return this.op('Constant', [], [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t }]);
  }

  /** A rank-0 int64 constant (Range's bounds, a Gather index that drops the axis). */
  int64Scalar(value: number): string {
    const t: onnx.ITensorProto = { dims: [], dataType: INT64, int64Data: [value] };
    return this.op('Constant', [], [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t }]);
  }

  floatScalar(value: number): string {
    const t: onnx.ITensorProto = { dims: [], dataType: FLOAT, floatData: [value] };
    return this.op('Constant', [], [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t }]);
  }

  weight(name: string, shape: number[], values: Float32Array): string {
    this.initializers.push({ name, dims: shape, dataType: FLOAT, rawData: float32Bytes(values) });
    return name;
  }
}

/** The weights the emissions graph uses (all but the CRF's), checked against the config. */
function graphWeightShapes(config: ModelConfig, weights: Weights): Record<string, number[]> {
  const shapes: Record<string, number[]> = {};
  for (const [name, shape] of Object.entries(weightShapes(config))) {
    if (name.startsWith('crf.')) continue;
    const w = weights[name];
    if (!w) throw new Error(`exportOnnx: weight "${name}" is missing`);
    if (w.length !== sizeOf(shape)) {
      throw new Error(`exportOnnx: weight "${name}" has ${w.length} values, expected [${shape.join(', ')}]`);
    }
    shapes[name] = shape;
  }
  return shapes;
}

/**
 * Adds one model's emission graph to `g`, its weights named `prefix` + their name, reading the
 * graph inputs words, shapes, chars, charRows, lengths (and features); returns the name of its
 * emissions [B, L, T].
 */
function addEmissions(g: GraphBuilder, config: ModelConfig, weights: Weights, prefix: string, output?: string): string {
  if (config.charWidth % 2 !== 1) throw new Error(`exportOnnx: charWidth must be odd, got ${config.charWidth}`);
  const shapes = graphWeightShapes(config, weights);
  const p = (name: string) => prefix + name;
  for (const [name, shape] of Object.entries(shapes)) g.weight(p(name), shape, weights[name]);

  const H = config.hidden;

  // Embeddings.
  const word = g.op('Gather', [p('word.emb'), 'words']);
  const shape = g.op('Gather', [p('shape.emb'), 'shapes']);

  // Character CNN over the batch's distinct tokens: `chars` holds each distinct token's C
  // character ids once [U, C] and `charRows` [B, L] says which row each position reads (a
  // contract's window batch repeats most of its tokens, and this CNN is much of the graph's work).
  const charEmb = g.op('Gather', [p('char.emb'), 'chars']); // [U, C, dc]
  const charNCW = g.op('Transpose', [charEmb], [intsAttr('perm', [0, 2, 1])]);
  const pad = (config.charWidth - 1) / 2;
  const conv = g.op(
    'Conv',
    [charNCW, p('char.conv.w'), p('char.conv.b')],
    [intsAttr('kernel_shape', [config.charWidth]), intsAttr('pads', [pad, pad])],
  ); // [U, F, C]
  const pooled = g.op('ReduceMax', [conv], [intsAttr('axes', [2]), intAttr('keepdims', 0)]);
  const charFeat = g.op('Gather', [g.op('Tanh', [pooled]), 'charRows']); // [U, F] -> [B, L, F]
  const batchAndLength = g.op('Shape', ['words']); // [B, L] at run time

  const K = featureDim(config);
  const parts = K > 0 ? [word, shape, charFeat, 'features'] : [word, shape, charFeat];
  const x = g.op('Concat', parts, [intAttr('axis', 2)]);
  if (config.cell === 'tcn') {
    const h = addTcn(g, config, x, batchAndLength, p);
    return g.op('Add', [g.op('MatMul', [h, p('out.W')]), p('out.b')], [], output); // [B, L, T]
  }
  let h = g.op('Transpose', [x], [intsAttr('perm', [1, 0, 2])]); // [L, B, D]: RNN layout 0

  // Recurrent layers.
  const cellOp = config.cell === 'lstm' ? 'LSTM' : 'GRU';
  const flatten = g.int64Constant([0, 0, -1]); // 0 = keep that dim
  for (let l = 0; l < config.layers; l++) {
    const attrs = [stringAttr('direction', 'bidirectional'), intAttr('hidden_size', H)];
    if (config.cell === 'gru') attrs.push(intAttr('linear_before_reset', 1));
    // sequence_lens makes the backward direction start at each row's own last token
    const y = g.op(cellOp, [h, p(`rnn${l}.W`), p(`rnn${l}.R`), p(`rnn${l}.B`), 'lengths'], attrs); // [L, 2, B, H]
    const yt = g.op('Transpose', [y], [intsAttr('perm', [0, 2, 1, 3])]); // [L, B, 2, H]
    const layerOut = g.op('Reshape', [yt, flatten]); // [L, B, 2H] = concat(forward, backward)
    h = config.residual && l > 0 ? g.op('Add', [layerOut, h]) : layerOut;
  }

  // Output layer before the transpose back, so the transpose moves T columns instead of 2H.
  const scores = g.op('Add', [g.op('MatMul', [h, p('out.W')]), p('out.b')]); // [L, B, T]
  return g.op('Transpose', [scores], [intsAttr('perm', [1, 0, 2])], output);
}

/**
 * The tcn encoder (architecture.ts): x [B, L, D] → h [B, L, H]. Positions past a row's length
 * are multiplied by 0 after the projection and after every convolution, as in nn/tcn.ts.
 */
function addTcn(
  g: GraphBuilder,
  config: ModelConfig,
  x: string,
  batchAndLength: string,
  p: (n: string) => string,
): string {
  // mask [B, L] = (0..L-1) < lengths
  const L = g.op('Gather', [batchAndLength, g.int64Scalar(1)]); // scalar
  const positions = g.op('Range', [g.int64Scalar(0), L, g.int64Scalar(1)]); // [L]
  const lens = g.op('Unsqueeze', [g.op('Cast', ['lengths'], [intAttr('to', INT64)]), g.int64Constant([1])]); // [B, 1]
  const mask = g.op('Cast', [g.op('Less', [positions, lens])], [intAttr('to', FLOAT)]); // [B, L]
  const maskBL1 = g.op('Unsqueeze', [mask, g.int64Constant([2])]);
  const maskB1L = g.op('Unsqueeze', [mask, g.int64Constant([1])]);
  const h0 = g.op('Mul', [g.op('Add', [g.op('MatMul', [x, p('tcn.in.W')]), p('tcn.in.b')]), maskBL1]);
  let h = g.op('Transpose', [h0], [intsAttr('perm', [0, 2, 1])]); // [B, H, L] for Conv
  const dilations = tcnDilations(config);
  for (let rep = 0; rep < config.layers; rep++) {
    dilations.forEach((d, i) => {
      const conv = g.op(
        'Conv',
        [h, p(`tcn.conv${i}.w`), p(`tcn.conv${i}.b`)],
        [intsAttr('kernel_shape', [TCN_WIDTH]), intsAttr('dilations', [d]), intsAttr('pads', [d, d])],
      );
      h = g.op('Mul', [g.op('Add', [h, g.op('Relu', [conv])]), maskB1L]);
    });
  }
  return g.op('Transpose', [h], [intsAttr('perm', [0, 2, 1])]); // [B, L, H]
}

function graphInputs(config: ModelConfig): onnx.IValueInfoProto[] {
  const K = featureDim(config);
  return [
    tensorValue('words', INT64, ['batch', 'length']),
    tensorValue('shapes', INT64, ['batch', 'length']),
    tensorValue('chars', INT64, ['distinct', config.maxChars]),
    tensorValue('charRows', INT64, ['batch', 'length']),
    tensorValue('lengths', INT32, ['batch']),
    ...(K > 0 ? [tensorValue('features', FLOAT, ['batch', 'length', K])] : []),
  ];
}

function encodeModel(g: GraphBuilder, input: onnx.IValueInfoProto[], T: number): Uint8Array {
  const model: onnx.IModelProto = {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'entity-lens',
    graph: {
      name: 'entity-lens-emissions',
      node: g.nodes,
      initializer: g.initializers,
      input,
      output: [tensorValue(ONNX_OUTPUT, FLOAT, ['batch', 'length', T])],
    },
  };
  return onnx.ModelProto.encode(model).finish();
}

/**
 * Serialized ONNX model: inputs words/shapes int64 [B,L], chars int64 [U,C] (the character ids
 * of the batch's U distinct tokens), charRows int64 [B,L] (each position's row of chars),
 * lengths int32 [B] and, for models with line and page features, features float32 [B,L,K];
 * output emissions float32 [B,L,T]. (Graphs exported before charRows read chars [B,L,C].)
 */
export function exportOnnx(config: ModelConfig, weights: Weights): Uint8Array {
  const g = new GraphBuilder();
  addEmissions(g, config, weights, '', ONNX_OUTPUT);
  return encodeModel(g, graphInputs(config), config.tags.length);
}

/**
 * One graph for an ensemble (nn/ensemble.ts): every member's emission graph over the same
 * inputs (the members share one vocabulary), their emissions averaged. Member i's weights are
 * named `m{i}/` + their name. The inputs are those of the member that reads the most: with line
 * features when any member reads them.
 */
export function exportEnsembleOnnx(members: ReadonlyArray<{ config: ModelConfig; weights: Weights }>): Uint8Array {
  if (members.length === 0) throw new Error('exportEnsembleOnnx: no members');
  const g = new GraphBuilder();
  const ems = members.map((m, i) => addEmissions(g, m.config, m.weights, `m${i}/`));
  const sum = ems.reduce((a, b) => g.op('Add', [a, b]));
  const scale = g.floatScalar(1 / members.length);
  g.op('Mul', [sum, scale], [], ONNX_OUTPUT);
  const widest = members.find((m) => featureDim(m.config) > 0) ?? members[0];
  return encodeModel(g, graphInputs(widest.config), members[0].config.tags.length);
}

/**
 * Whether an ONNX file is the emission graph of these weights: the same initializers, byte for
 * byte, the config's character width and tag count. Null when it is; otherwise what differs,
 * as a phrase ("initializer word.emb differs"). For model folders saved without content hashes.
 */
export function onnxProblem(bytes: Uint8Array, config: ModelConfig, weights: Weights): string | null {
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch {
    return 'it is not a valid ONNX file';
  }
  const graph = model.graph;
  if (!graph) return 'it holds no graph';
  const expected = graphWeightShapes(config, weights);
  const seen = new Set<string>();
  for (const init of graph.initializer ?? []) {
    const name = init.name ?? '';
    const shape = expected[name];
    if (!shape) return `it has an initializer "${name.slice(0, 40)}" that this model does not`;
    seen.add(name);
    const dims = (init.dims ?? []).map(Number);
    if (dims.length !== shape.length || dims.some((d, i) => d !== shape[i])) {
      return `initializer ${name} has shape [${dims.join(', ')}], the model [${shape.join(', ')}]`;
    }
    const raw = init.rawData;
    const mine = float32Bytes(weights[name]);
    if (
      !raw ||
      raw.length !== mine.length ||
      !Buffer.from(raw).equals(Buffer.from(mine.buffer, mine.byteOffset, mine.byteLength))
    ) {
      return `initializer ${name} differs from weights.bin`;
    }
  }
  for (const name of Object.keys(expected)) if (!seen.has(name)) return `initializer ${name} is missing`;
  const dim = (v: onnx.IValueInfoProto | undefined, axis: number): number | undefined => {
    const d = v?.type?.tensorType?.shape?.dim?.[axis];
    return d?.dimValue !== undefined && d.dimValue !== null ? Number(d.dimValue) : undefined;
  };
  const chars = (graph.input ?? []).find((v) => v.name === 'chars');
  // chars is [U, C] beside charRows, [B, L, C] in graphs exported before it
  const charAxis = (graph.input ?? []).some((v) => v.name === 'charRows') ? 1 : 2;
  if (dim(chars, charAxis) !== config.maxChars)
    return `its characters per token are ${dim(chars, charAxis)}, the model's ${config.maxChars}`;
  const out = (graph.output ?? []).find((v) => v.name === ONNX_OUTPUT);
  if (dim(out, 2) !== config.tags.length) return `it has ${dim(out, 2)} tags, the model ${config.tags.length}`;
  return null;
}
