// Ensembles: members on a merged vocabulary give the emissions they gave alone, the one ONNX
// graph averages them like the engine does, an ensemble folder round-trips and is checked on
// load, and an ensemble of a model with itself tags exactly as the model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ModelConfig } from '../../../src/model/nn/architecture';
import { buildEnsemble, ensembleProblem } from '../../../src/model/nn/ensemble';
import { initWeights, Network } from '../../../src/model/nn/network';
import { loadModel, saveModel, type TrainedModel } from '../../../src/model/nn/model-folder';
import { exportEnsembleOnnx } from '../../../src/model/nn/onnx-export';
import { Vocabulary } from '../../../src/model/nn/vocabulary';
import { OnnxEmissions } from '../../../src/model/inference/onnx-runner';
import { NetworkEmissions, Tagger } from '../../../src/model/inference/tagger';
import { prepareMatrixProducts } from '../../../src/model/nn/gemm';
import { tagNames } from '../../../src/model/text/tags';
import { tokenize } from '../../../src/model/text/tokenizer';
import { Rng } from '../../../src/model/core/random';

const TEXT = 'Acme Corp. shall pay Beta LLC on March 3, 2021. Globex GmbH signed in May 2020.';

function model(cell: ModelConfig['cell'], words: string[], seed: number, labels = ['PARTY', 'DATE']): TrainedModel {
  const vocab = new Vocabulary({
    words: ['<pad>', '<unk>', ...words],
    shapes: ['<pad>', '<unk>', 'Xx', 'x', 'd', 'Xx.', 'd,'],
    chars: ['<pad>', '<unk>', ...'abcdefghijklmnopqrstuvwxyzACGMB0123,.'.split('')],
  });
  const config: ModelConfig = {
    scheme: 'BILOU',
    labels,
    tags: tagNames(labels, 'BILOU'),
    vocabSize: vocab.words.length,
    shapeCount: vocab.shapes.length,
    charCount: vocab.chars.length,
    wordDim: 6,
    shapeDim: 3,
    charDim: 4,
    charFilters: 4,
    charWidth: 3,
    maxChars: 8,
    cell,
    hidden: 5,
    layers: 1,
    residual: false,
    output: 'crf',
  };
  const weights = initWeights(config, seed);
  // non-zero CRF so that averaging it matters
  const rng = new Rng(seed);
  for (const k of ['crf.trans', 'crf.start', 'crf.end', 'out.b'])
    for (let i = 0; i < weights[k].length; i++) weights[k][i] = rng.uniform(-1, 1);
  return { info: { name: `m${seed}`, version: '1', created: 'now' }, config, vocab, weights };
}

const INFO = { name: 'ens', version: '1', created: 'now' };

function windows(): ReturnType<typeof tokenize>[] {
  return [tokenize(TEXT)];
}

test('members keep their own emissions on the merged vocabulary; ONNX and the engine average them alike', async () => {
  await prepareMatrixProducts();
  const a = model('lstm', ['acme', 'corp', 'pay', 'march'], 1);
  const b = model('tcn', ['beta', 'llc', 'march', 'globex', 'signed'], 2);
  const ens = buildEnsemble([a, b], INFO);
  assert.equal(ens.members?.length, 2);
  // union: a's words, then b's new ones
  assert.deepEqual(ens.vocab.words.slice(2), ['acme', 'corp', 'pay', 'march', 'beta', 'llc', 'globex', 'signed']);
  const wins = windows();
  const own = [a, b].map(
    (m) => new Network(m.config, m.weights).forward(m.vocab.encode(wins, m.config.maxChars)).emissions,
  );
  const batch = ens.vocab.encode(wins, ens.config.maxChars);
  ens.members?.forEach((m, i) => {
    const merged = new Network(m.config, m.weights).forward(batch).emissions;
    for (let j = 0; j < merged.length; j++) assert.ok(Math.abs(merged[j] - own[i][j]) < 1e-5, `member ${i} at ${j}`);
  });
  const mean = own[0].map((v, j) => (v + own[1][j]) / 2);
  const engine = await new NetworkEmissions(ens).run(batch);
  const session = await OnnxEmissions.create(exportEnsembleOnnx(ens.members ?? []));
  try {
    const viaOnnx = await session.run(batch);
    for (let j = 0; j < mean.length; j++) {
      assert.ok(Math.abs(engine[j] - mean[j]) < 1e-5);
      assert.ok(Math.abs(viaOnnx[j] - mean[j]) <= 1e-4, `onnx ${viaOnnx[j]} vs ${mean[j]}`);
    }
  } finally {
    await session.dispose();
  }
  // the decoder's CRF is the members' mean
  for (let i = 0; i < ens.weights['crf.trans'].length; i++)
    assert.ok(
      Math.abs(ens.weights['crf.trans'][i] - (a.weights['crf.trans'][i] + b.weights['crf.trans'][i]) / 2) < 1e-6,
    );
});

test('models that cannot be one ensemble are named with the reason', () => {
  const a = model('lstm', ['x'], 1);
  assert.match(
    ensembleProblem([a, model('gru', ['x'], 2, ['PARTY'])], ['A', 'B']) ?? '',
    /B and A have different labels \(PARTY \/ PARTY, DATE\)/,
  );
  assert.match(ensembleProblem([a, model('gru', ['x'], 2, ['DATE', 'PARTY'])], ['A', 'B']) ?? '', /same order/);
  assert.match(ensembleProblem([a, { ...a, config: { ...a.config, output: 'softmax' } }], ['A', 'B']) ?? '', /output/);
  assert.match(ensembleProblem([a], ['A']) ?? '', /at least 2/);
  assert.throws(() => buildEnsemble([a, model('lstm', ['x'], 2, ['PARTY'])], INFO, ['A', 'B']), /different labels/);
});

test('an ensemble folder round-trips, loads in the tagger, and a changed member is refused', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'entity-lens-ensemble-'));
  try {
    const a = model('lstm', ['acme', 'corp'], 3);
    const b = model('gru', ['beta', 'corp'], 4);
    const c = model('tcn', ['globex'], 5);
    const out = path.join(dir, 'ens');
    await saveModel(out, buildEnsemble([a, b, c], INFO));
    const manifest = JSON.parse(await fs.readFile(path.join(out, 'model.json'), 'utf8'));
    assert.equal(manifest.format, 3);
    assert.equal(manifest.kind, 'ensemble');
    assert.deepEqual(
      manifest.members.map((m: { folder: string }) => m.folder),
      ['member-0', 'member-1', 'member-2'],
    );
    const loaded = await loadModel(out);
    assert.deepEqual(
      loaded.members?.map((m) => m.config.cell),
      ['lstm', 'gru', 'tcn'],
    );
    const onnx = await Tagger.load(out, { runtime: 'onnx', rules: false, propagate: false });
    const engine = await Tagger.load(out, { runtime: 'tfjs', rules: false, propagate: false });
    try {
      const x = await onnx.tag(TEXT);
      const y = await engine.tag(TEXT);
      assert.deepEqual(
        x.map((e) => [e.label, e.start, e.end]),
        y.map((e) => [e.label, e.start, e.end]),
      );
    } finally {
      await onnx.dispose();
      await engine.dispose();
    }
    // a member's weights changed: its own hash check refuses it
    const w = path.join(out, 'member-1', 'weights.bin');
    const bytes = await fs.readFile(w);
    bytes[8] ^= 0xff;
    await fs.writeFile(w, bytes);
    await assert.rejects(loadModel(out), /member-1: weights\.bin does not match model\.json/);
    bytes[8] ^= 0xff;
    await fs.writeFile(w, bytes);
    // a member's model.json changed: the ensemble's record refuses it
    const mj = path.join(out, 'member-2', 'model.json');
    await fs.writeFile(mj, (await fs.readFile(mj, 'utf8')).replace('"name": "m5"', '"name": "other"'));
    await assert.rejects(loadModel(out), /member-2\/model\.json does not match the ensemble's model\.json/);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('an ensemble of a model with itself tags exactly as the model, confidences included', async () => {
  const a = model('lstm', ['acme', 'corp', 'march'], 6);
  const single = await Tagger.create(a, { runtime: 'onnx', rules: false, propagate: false });
  const twice = await Tagger.create(buildEnsemble([a, a], INFO), { runtime: 'onnx', rules: false, propagate: false });
  try {
    const x = await single.tag(TEXT);
    const y = await twice.tag(TEXT);
    assert.equal(x.length, y.length);
    x.forEach((e, i) => {
      assert.deepEqual([e.label, e.start, e.end], [y[i].label, y[i].start, y[i].end]);
      assert.ok(Math.abs(e.confidence - y[i].confidence) < 1e-5);
    });
  } finally {
    await single.dispose();
    await twice.dispose();
  }
});
