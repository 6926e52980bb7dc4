// Teaching a trained model new labels (withLabels): the output layer and the CRF grow by the
// new tags, with zero weights and the mean entity bias, everything else is copied, and the
// grown model still tags the old labels exactly as before.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { withLabels } from '../../../src/model/training/add-labels';
import { train } from '../../../src/model/training/trainer';
import { Tagger } from '../../../src/model/inference/tagger';
import { weightShapes, sizeOf, type ModelConfig } from '../../../src/model/nn/architecture';
import { initWeights } from '../../../src/model/nn/network';
import type { TrainedModel } from '../../../src/model/nn/model-folder';
import { syntheticContracts } from '../../fixtures/contracts';

let model: TrainedModel;

before(async () => {
  const r = await train(syntheticContracts(80, 11), [], {
    labels: ['PARTY', 'DATE'],
    wordDim: 16,
    shapeDim: 8,
    charDim: 8,
    charFilters: 12,
    hidden: 16,
    epochs: 8,
    batchSize: 16,
    learningRate: 5e-3,
    minWordCount: 1,
    seed: 2,
  });
  model = r.model;
});

describe('withLabels', () => {
  test('no new label: the same model back', () => {
    assert.equal(withLabels(model, []), model);
    assert.equal(withLabels(model, ['DATE', 'PARTY']), model);
  });

  test('new labels are appended once, in the given order, after the old ones', () => {
    const grown = withLabels(model, ['PARTY', 'AMOUNT', 'AMOUNT', 'INVOICE_NO']);
    assert.deepEqual(grown.config.labels, ['PARTY', 'DATE', 'AMOUNT', 'INVOICE_NO']);
    assert.deepEqual(grown.config.tags.slice(0, model.config.tags.length), model.config.tags);
    assert.equal(grown.config.tags.length, 1 + 4 * 4);
    assert.deepEqual(model.config.labels, ['PARTY', 'DATE'], 'the old model is left alone');
  });

  test('every weight has the shape the new config asks for', () => {
    const grown = withLabels(model, ['AMOUNT']);
    for (const [name, shape] of Object.entries(weightShapes(grown.config))) {
      assert.equal(grown.weights[name]?.length, sizeOf(shape), name);
    }
  });

  test('output layer: old columns copied, new columns zero, new biases at the mean entity bias', () => {
    const grown = withLabels(model, ['AMOUNT']);
    const T0 = model.config.tags.length;
    const T = grown.config.tags.length;
    const rows = 2 * model.config.hidden;
    const oldW = model.weights['out.W'];
    const W = grown.weights['out.W'];
    for (let r = 0; r < rows; r++) {
      for (let t = 0; t < T; t++) {
        assert.equal(W[r * T + t], t < T0 ? oldW[r * T0 + t] : 0, `out.W[${r}, ${t}]`);
      }
    }
    const oldB = model.weights['out.b'];
    let mean = 0;
    for (let t = 1; t < T0; t++) mean += oldB[t];
    mean /= T0 - 1;
    const b = grown.weights['out.b'];
    assert.deepEqual(Array.from(b.subarray(0, T0)), Array.from(oldB));
    for (let t = T0; t < T; t++) assert.ok(Math.abs(b[t] - mean) < 1e-6, `out.b[${t}] = ${b[t]}, mean ${mean}`);
    assert.ok(mean !== 0, 'a trained model has non-zero entity biases (else the check above proves nothing)');
  });

  test('CRF: old transitions, starts and ends copied; the new rows and columns zero', () => {
    const grown = withLabels(model, ['AMOUNT']);
    const T0 = model.config.tags.length;
    const T = grown.config.tags.length;
    const oldTrans = model.weights['crf.trans'];
    const trans = grown.weights['crf.trans'];
    for (let i = 0; i < T; i++) {
      for (let j = 0; j < T; j++) {
        assert.equal(trans[i * T + j], i < T0 && j < T0 ? oldTrans[i * T0 + j] : 0, `crf.trans[${i}, ${j}]`);
      }
    }
    for (const name of ['crf.start', 'crf.end']) {
      const w = grown.weights[name];
      assert.deepEqual(Array.from(w.subarray(0, T0)), Array.from(model.weights[name]), name);
      assert.ok(
        w.subarray(T0).every((x) => x === 0),
        name,
      );
    }
  });

  test('the other weights are equal copies: training the new model leaves the old one alone', () => {
    const grown = withLabels(model, ['AMOUNT']);
    for (const name of Object.keys(model.weights)) {
      if (name.startsWith('out.') || name.startsWith('crf.')) continue;
      assert.deepEqual(grown.weights[name], model.weights[name], name);
      assert.notEqual(grown.weights[name], model.weights[name], `${name} is shared, not copied`);
    }
    const before = model.weights['word.emb'][5];
    grown.weights['word.emb'][5] += 1;
    assert.equal(model.weights['word.emb'][5], before);
    assert.equal(grown.vocab, model.vocab, 'the vocabulary is kept');
    assert.equal(grown.info, model.info, 'and the model record');
  });

  test('the grown model tags the old labels exactly as before, and nothing with the new one', async () => {
    const grown = withLabels(model, ['AMOUNT', 'INVOICE_NO']);
    const options = { runtime: 'tfjs' as const, rules: false };
    const oldTagger = await Tagger.create(model, options);
    const newTagger = await Tagger.create(grown, options);
    const texts = [
      ...syntheticContracts(25, 99).map((d) => d.text),
      'This Agreement is made on March 3, 2021 between Globex GmbH and Initech Ltd.\n\nStark Industries shall pay USD 1,200 by 12/04/2022.',
    ];
    let found = 0;
    for (const text of texts) {
      const key = (e: { label: string; start: number; end: number }) => `${e.label}:${e.start}-${e.end}`;
      const before = (await oldTagger.tag(text)).map(key);
      const after = (await newTagger.tag(text)).map(key);
      assert.deepEqual(after, before, text);
      found += before.length;
    }
    assert.ok(found > 50, `the small model finds entities (${found}), so the comparison means something`);
    await oldTagger.dispose();
    await newTagger.dispose();
  });

  test('a softmax model (no CRF weights) grows its output layer only', () => {
    const config: ModelConfig = {
      ...model.config,
      output: 'softmax',
    };
    const weights = initWeights(config, 1);
    assert.equal(weights['crf.trans'], undefined);
    const grown = withLabels({ ...model, config, weights }, ['AMOUNT']);
    assert.equal(grown.weights['crf.trans'], undefined);
    assert.deepEqual(Object.keys(grown.weights).sort(), Object.keys(weightShapes(grown.config)).sort());
    assert.equal(grown.weights['out.W'].length, 2 * config.hidden * grown.config.tags.length);
  });
});
