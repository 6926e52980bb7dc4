// The exported ONNX graph run by onnxruntime-node must match the plain-JS reference forward.
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { onnx } from 'onnx-proto';
import {
  sizeOf,
  weightShapes,
  type CellType,
  type ModelConfig,
  type Weights,
} from '../../../src/model/nn/architecture';
import type { EncodedBatch } from '../../../src/model/core/types';
import { exportOnnx } from '../../../src/model/nn/onnx-export';
import { distinctRows, OnnxEmissions, isOnnxRuntimeAvailable } from '../../../src/model/inference/onnx-runner';
import { referenceEmissions } from './reference-forward';
import { ROOT } from '../../fixtures/paths';
import { Network } from '../../../src/model/nn/network';
import { prepareMatrixProducts } from '../../../src/model/nn/gemm';
import { prng as rng } from '../../../src/model/core/random';

interface Dims {
  vocab: number;
  shapes: number;
  charCount: number;
  dw: number;
  ds: number;
  dc: number;
  F: number;
  K: number;
  C: number;
  H: number;
  T: number;
}

const SMALL: Dims = { vocab: 50, shapes: 12, charCount: 30, dw: 8, ds: 4, dc: 5, F: 6, K: 3, C: 6, H: 7, T: 9 };
const REALISTIC: Dims = {
  vocab: 20000,
  shapes: 64,
  charCount: 200,
  dw: 100,
  ds: 16,
  dc: 16,
  F: 32,
  K: 3,
  C: 12,
  H: 128,
  T: 33,
};

function makeConfig(
  d: Dims,
  cell: CellType,
  layers: 1 | 2,
  residual: boolean,
  features = 0,
  dilations?: number[],
): ModelConfig {
  return {
    ...(dilations ? { dilations } : {}),
    ...(features > 0 ? { features: 'lines-1', featureDim: features } : {}),
    scheme: 'BIO',
    labels: ['X'],
    tags: Array.from({ length: d.T }, (_, i) => (i === 0 ? 'O' : `T${i}`)),
    vocabSize: d.vocab,
    shapeCount: d.shapes,
    charCount: d.charCount,
    wordDim: d.dw,
    shapeDim: d.ds,
    charDim: d.dc,
    charFilters: d.F,
    charWidth: d.K,
    maxChars: d.C,
    cell,
    hidden: d.H,
    layers,
    residual,
    output: 'crf',
  };
}

function randomWeights(config: ModelConfig, seed: number, scale = 1): Weights {
  const next = rng(seed);
  const weights: Weights = {};
  for (const [name, shape] of Object.entries(weightShapes(config))) {
    const w = new Float32Array(sizeOf(shape));
    for (let i = 0; i < w.length; i++) w[i] = (next() - 0.5) * scale;
    weights[name] = w;
  }
  return weights;
}

/** Random ids; tokens past a row's length and chars past a token's length are padding (0). */
function randomBatch(config: ModelConfig, lengths: number[], L: number, seed: number): EncodedBatch {
  const next = rng(seed);
  const int = (n: number): number => Math.floor(next() * n);
  const B = lengths.length;
  const C = config.maxChars;
  const batch: EncodedBatch = {
    batch: B,
    length: L,
    maxChars: C,
    words: new Int32Array(B * L),
    shapes: new Int32Array(B * L),
    chars: new Int32Array(B * L * C),
    lengths: Int32Array.from(lengths),
  };
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < lengths[b]; t++) {
      const tok = b * L + t;
      batch.words[tok] = int(config.vocabSize);
      batch.shapes[tok] = int(config.shapeCount);
      const n = 1 + int(C);
      for (let k = 0; k < n; k++) batch.chars[tok * C + k] = 1 + int(config.charCount - 1);
    }
  }
  const K = config.featureDim ?? 0;
  if (K > 0) {
    // line features: mostly 0/1 flags, some fractions; 0 at padding
    batch.featureDim = K;
    batch.features = new Float32Array(B * L * K);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < lengths[b]; t++) {
        for (let k = 0; k < K; k++) batch.features[(b * L + t) * K + k] = k % 3 === 0 ? next() : int(2);
      }
    }
  }
  return batch;
}

function assertClose(actual: Float32Array, expected: Float32Array, batch: EncodedBatch, T: number, tol: number): void {
  assert.equal(actual.length, expected.length);
  let worst = 0;
  for (let b = 0; b < batch.batch; b++) {
    for (let t = 0; t < batch.lengths[b]; t++) {
      for (let k = 0; k < T; k++) {
        const i = (b * batch.length + t) * T + k;
        const diff = Math.abs(actual[i] - expected[i]);
        if (!(diff <= tol)) assert.fail(`row ${b}, t ${t}, tag ${k}: onnx ${actual[i]} vs reference ${expected[i]}`);
        worst = Math.max(worst, diff);
      }
    }
  }
  assert.ok(worst <= tol);
}

async function checkAgainstReference(config: ModelConfig, seed: number): Promise<void> {
  const weights = randomWeights(config, seed);
  const batch = randomBatch(config, [7, 1, 4], 7, seed + 1);
  const session = await OnnxEmissions.create(exportOnnx(config, weights));
  try {
    assert.equal(session.tagCount, config.tags.length);
    const actual = await session.run(batch);
    const reference = referenceEmissions(config, weights, batch);
    assertClose(actual, reference, batch, config.tags.length, 1e-4);
    // the engine's own forward pass (the runtime when onnxruntime cannot load) agrees too
    await prepareMatrixProducts();
    assertClose(new Network(config, weights).forward(batch).emissions, reference, batch, config.tags.length, 1e-4);
  } finally {
    await session.dispose();
  }
}

test('onnxruntime-node loads', () => {
  assert.equal(isOnnxRuntimeAvailable(), true);
});

test('ONNX matches the reference: LSTM, 1 layer', async () => {
  await checkAgainstReference(makeConfig(SMALL, 'lstm', 1, false), 11);
});

test('ONNX matches the reference: LSTM, 2 layers, residual', async () => {
  await checkAgainstReference(makeConfig(SMALL, 'lstm', 2, true), 22);
});

test('ONNX matches the reference: GRU, 2 layers, no residual', async () => {
  await checkAgainstReference(makeConfig(SMALL, 'gru', 2, false), 33);
});

test('ONNX matches the reference with line features: LSTM, 1 layer', async () => {
  await checkAgainstReference(makeConfig(SMALL, 'lstm', 1, false, 18), 44);
});

test('ONNX matches the reference with line features: GRU, 2 layers, residual', async () => {
  await checkAgainstReference(makeConfig(SMALL, 'gru', 2, true, 5), 55);
});

test('ONNX matches the reference and the engine: TCN, dilations 1,2,4 twice, shared weights', async () => {
  await checkAgainstReference(makeConfig(SMALL, 'tcn', 2, false), 66);
});

test('ONNX matches the reference: TCN with line features, dilations 1,3 once', async () => {
  await checkAgainstReference(makeConfig(SMALL, 'tcn', 1, false, 18, [1, 3]), 77);
});

test('a TCN graph is dilated Convs, and its emissions stay within 1e-4 of the engine at realistic size', async () => {
  const config = makeConfig({ ...REALISTIC, H: 64 }, 'tcn', 2, false, 18);
  const weights = randomWeights(config, 88, 0.2);
  const bytes = exportOnnx(config, weights);
  const nodes = onnx.ModelProto.decode(bytes).graph?.node ?? [];
  const dilations = nodes
    .filter((n) => n.opType === 'Conv' && (n.input ?? [])[1]?.startsWith('tcn.'))
    .map((n) => Number((n.attribute ?? []).find((a) => a.name === 'dilations')?.ints?.[0]));
  assert.deepEqual(dilations, [1, 2, 4, 1, 2, 4]);
  assert.ok(!nodes.some((n) => n.opType === 'LSTM' || n.opType === 'GRU'));
  const session = await OnnxEmissions.create(bytes);
  try {
    const batch = randomBatch(config, [60, 33, 1, 60], 60, 89);
    await prepareMatrixProducts();
    const engine = new Network(config, weights).forward(batch).emissions;
    assertClose(await session.run(batch), engine, batch, config.tags.length, 1e-4);
  } finally {
    await session.dispose();
  }
});

test('a graph with line features has a features input, and runs check the batch carries them', async () => {
  const config = makeConfig(SMALL, 'lstm', 1, false, 4);
  const weights = randomWeights(config, 12);
  const bytes = exportOnnx(config, weights);
  const graph = onnx.ModelProto.decode(bytes).graph;
  assert.deepEqual(
    (graph?.input ?? []).map((v) => v.name),
    ['words', 'shapes', 'chars', 'charRows', 'lengths', 'features'],
  );
  const session = await OnnxEmissions.create(bytes);
  try {
    assert.equal(session.featureDim, 4);
    const batch = randomBatch(config, [3, 2], 3, 13);
    const { features: _f, featureDim: _k, ...bare } = batch;
    await assert.rejects(session.run(bare), /reads 4 line features per token; the batch has 0/);
    // the features change the emissions
    const a = await session.run(batch);
    const b = await session.run({ ...batch, features: (batch.features as Float32Array).map((v) => 1 - v) });
    assert.notDeepEqual(a, b);
  } finally {
    await session.dispose();
  }
});

test('distinctRows: each distinct row once, in order of first appearance, and every position maps back to its own', () => {
  const C = 3;
  const chars = Int32Array.from([1, 2, 0, 4, 5, 6, 1, 2, 0, 0, 0, 0, 4, 5, 6, 1, 2, 3, 0, 0, 0]);
  const { rows, count, distinct } = distinctRows(chars, C);
  assert.equal(count, 4);
  assert.deepEqual([...rows], [0, 1, 0, 2, 1, 3, 2]);
  for (let i = 0; i < rows.length; i++)
    assert.deepEqual([...distinct.subarray(rows[i] * C, rows[i] * C + C)], [...chars.subarray(i * C, i * C + C)]);
  // many rows, few distinct ones (probing past collisions)
  const many = new Int32Array(5000 * C);
  for (let i = 0; i < 5000; i++) many.set([i % 37, (i * 7) % 37, 1], i * C);
  const r = distinctRows(many, C);
  assert.equal(r.count, 37);
  for (let i = 0; i < 5000; i++)
    assert.deepEqual([...r.distinct.subarray(r.rows[i] * C, r.rows[i] * C + C)], [...many.subarray(i * C, i * C + C)]);
});

test("a batch whose tokens repeat: each distinct token's characters are read once and the emissions match the reference", async () => {
  const config = makeConfig(SMALL, 'lstm', 1, false);
  const weights = randomWeights(config, 12);
  const batch = randomBatch(config, [7, 5, 7], 7, 13);
  const C = config.maxChars;
  // the third row repeats the first's tokens, and row two repeats its own first token
  batch.words.copyWithin(14, 0, 7);
  batch.shapes.copyWithin(14, 0, 7);
  batch.chars.copyWithin(14 * C, 0, 7 * C);
  for (let t = 1; t < 5; t++) batch.chars.copyWithin((7 + t) * C, 7 * C, 8 * C);
  const session = await OnnxEmissions.create(exportOnnx(config, weights));
  try {
    assertClose(await session.run(batch), referenceEmissions(config, weights, batch), batch, config.tags.length, 1e-4);
  } finally {
    await session.dispose();
  }
});

test('a graph exported before charRows (chars [B, L, C]) still runs, as workspace models saved then do', async () => {
  const file = path.join(ROOT, 'test', 'fixtures', 'onnx', 'per-token-chars.onnx');
  const bytes = fs.readFileSync(file);
  const inputs = (onnx.ModelProto.decode(bytes).graph?.input ?? []).map((v) => v.name);
  assert.ok(inputs.includes('chars') && !inputs.includes('charRows'), inputs.join(', '));
  // the fixture: this config, random weights from seed 99 (test/fixtures/onnx, made by the export of 2026-12-06)
  const config = makeConfig(SMALL, 'lstm', 1, false);
  const weights = randomWeights(config, 99);
  const session = await OnnxEmissions.create(new Uint8Array(bytes));
  try {
    const batch = randomBatch(config, [5, 3], 5, 7);
    assertClose(await session.run(batch), referenceEmissions(config, weights, batch), batch, config.tags.length, 1e-4);
  } finally {
    await session.dispose();
  }
});

test('exported bytes decode with onnx-proto', () => {
  const config = makeConfig(SMALL, 'gru', 2, true);
  const weights = randomWeights(config, 5);
  const model = onnx.ModelProto.decode(exportOnnx(config, weights));
  assert.equal(Number(model.irVersion), 8);
  assert.equal(model.producerName, 'entity-lens');
  assert.deepEqual(
    model.opsetImport.map((o) => [o.domain, Number(o.version)]),
    [['', 17]],
  );
  const graph = model.graph;
  assert.ok(graph);
  const initializers = graph.initializer ?? [];
  // every weight but the CRF's, each with its own bytes
  const expected = Object.keys(weightShapes(config)).filter((n) => !n.startsWith('crf.'));
  assert.deepEqual(initializers.map((t) => t.name).sort(), expected.sort());
  const raw = initializers.find((t) => t.name === 'out.W')?.rawData;
  assert.ok(raw);
  assert.deepEqual(
    new Float32Array(new Uint8Array(raw).buffer) /* copy: decode returns Buffer views */,
    weights['out.W'],
  );
  assert.deepEqual(
    (graph.input ?? []).map((v) => v.name),
    ['words', 'shapes', 'chars', 'charRows', 'lengths'],
  );
  assert.deepEqual(
    (graph.output ?? []).map((v) => v.name),
    ['emissions'],
  );
});

test('export rejects weights of the wrong size', () => {
  const config = makeConfig(SMALL, 'lstm', 1, false);
  const weights = randomWeights(config, 6);
  weights['rnn0.R'] = new Float32Array(3);
  assert.throws(() => exportOnnx(config, weights), /rnn0\.R/);
});

test('create rejects a garbage model with a clear Error', async () => {
  const garbage = new Uint8Array(256).map((_, i) => (i * 37 + 11) & 0xff);
  await assert.rejects(OnnxEmissions.create(garbage), (e: unknown) => {
    assert.ok(e instanceof Error);
    assert.match(e.message, /^ONNX model could not be loaded \(256 bytes\): /);
    return true;
  });
});

test('run checks its input and keeps earlier results intact', async () => {
  const config = makeConfig(SMALL, 'lstm', 1, false);
  const weights = randomWeights(config, 7);
  const session = await OnnxEmissions.create(exportOnnx(config, weights));
  try {
    const a = randomBatch(config, [7, 1, 4], 7, 8);
    const b = randomBatch(config, [3, 7, 2], 7, 9); // same sizes: the int64 buffers are reused
    const [first, second] = await Promise.all([session.run(a), session.run(b)]);
    const firstCopy = first.slice();
    await session.run(a);
    assert.deepEqual(first, firstCopy);
    assert.notDeepEqual(first, second);
    // an empty row is allowed: its scores are out.b
    const empty = await session.run(randomBatch(config, [2, 0], 3, 10));
    const T = config.tags.length;
    assert.deepEqual(empty.subarray(3 * T, 4 * T), weights['out.b']);
    await assert.rejects(session.run({ ...a, maxChars: 5 }), /maxChars 5/);
    await assert.rejects(session.run({ ...a, lengths: Int32Array.from([7, 8, 1]) }), /lengths\[1\] = 8/);
    // a run queued before dispose still completes; one after it rejects
    const pending = session.run(a);
    await session.dispose();
    assert.deepEqual(await pending, firstCopy);
    await assert.rejects(session.run(a), /after dispose/);
  } finally {
    await session.dispose();
  }
});

test('a realistic model exports quickly and runs', async () => {
  const config = makeConfig(REALISTIC, 'lstm', 2, true, 18);
  const weights = randomWeights(config, 42, 0.2); // U(-0.1, 0.1): wide layers would saturate every gate at ±0.5
  const started = performance.now();
  const bytes = exportOnnx(config, weights);
  const ms = performance.now() - started;
  console.log(`realistic export: ${ms.toFixed(1)} ms, ${(bytes.byteLength / 1e6).toFixed(2)} MB`);
  const session = await OnnxEmissions.create(bytes);
  try {
    const batch = randomBatch(config, [50, 50, 31, 1], 50, 43);
    const actual = await session.run(batch);
    assert.equal(actual.length, 4 * 50 * config.tags.length);
    assertClose(actual, referenceEmissions(config, weights, batch), batch, config.tags.length, 1e-4);
  } finally {
    await session.dispose();
  }
});
