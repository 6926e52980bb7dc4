// Fine-tuning toward the base (TrainOptions.anchor): a full pull keeps every weight the base
// had while a new label's output weights learn; no pull leaves training exactly as it was; a
// partial pull keeps the weights nearer the base. Label weights (TrainOptions.labelWeights)
// change training only through windows holding the labels they name; a new label's output
// weights can learn faster than the rest (TrainOptions.newLabelRate).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { withLabels } from '../../../src/model/training/add-labels';
import { train, type TrainOptions } from '../../../src/model/training/trainer';
import type { Weights } from '../../../src/model/nn/architecture';
import type { TrainedModel } from '../../../src/model/nn/model-folder';
import { syntheticContracts } from '../../fixtures/contracts';

const small: TrainOptions = {
  labels: ['PARTY', 'DATE'],
  wordDim: 16,
  shapeDim: 8,
  charDim: 8,
  charFilters: 12,
  hidden: 16,
  epochs: 4,
  batchSize: 16,
  learningRate: 5e-3,
  minWordCount: 1,
  seed: 2,
};

let base: TrainedModel;
/** the base with AMOUNT added, and documents that label it */
let widened: TrainedModel;
const withAmounts = syntheticContracts(24, 5, { labels: ['PARTY', 'DATE', 'AMOUNT'] });

before(async () => {
  base = (await train(syntheticContracts(40, 11), [], small)).model;
  widened = withLabels(base, ['AMOUNT']);
});

const fineTune = async (extra: Partial<TrainOptions>): Promise<Weights> =>
  (
    await train(withAmounts, [], {
      ...small,
      labels: widened.config.labels,
      initial: widened,
      epochs: 2,
      learningRate: 1e-2,
      ...extra,
    })
  ).model.weights;

/** The largest |w − w0| over the tensors the base has (word-table rows included). */
function largestMove(w: Weights, w0: Weights, skip: string[] = []): number {
  let most = 0;
  for (const [name, a] of Object.entries(w0)) {
    if (skip.includes(name)) continue;
    for (let i = 0; i < a.length; i++) most = Math.max(most, Math.abs(w[name][i] - a[i]));
  }
  return most;
}

/** The root mean square of w − w0 over all weights the base has. */
function rmsMove(w: Weights, w0: Weights): number {
  let s = 0;
  let n = 0;
  for (const [name, a] of Object.entries(w0)) {
    for (let i = 0; i < a.length; i++) s += (w[name][i] - a[i]) ** 2;
    n += a.length;
  }
  return Math.sqrt(s / n);
}

const T0 = () => base.config.tags.length;
const T = () => widened.config.tags.length;

test('anchor 1 keeps every weight of the base (old output columns too); the new label’s columns still learn', async () => {
  const w = await fineTune({ anchor: 1, newLabels: ['AMOUNT'] });
  const outputs = ['out.W', 'out.b', 'crf.trans', 'crf.start', 'crf.end'];
  assert.equal(largestMove(w, widened.weights, outputs), 0, 'encoder, embeddings and word rows stay put');
  // the old tags' columns of the output layer and transitions among old tags stay put
  const rows = widened.weights['out.W'].length / T();
  let oldMoved = 0;
  let newMoved = 0;
  for (let r = 0; r < rows; r++) {
    for (let t = 0; t < T(); t++) {
      const d = Math.abs(w['out.W'][r * T() + t] - widened.weights['out.W'][r * T() + t]);
      if (t < T0()) oldMoved = Math.max(oldMoved, d);
      else newMoved = Math.max(newMoved, d);
    }
  }
  assert.equal(oldMoved, 0);
  assert.ok(newMoved > 1e-3, `the new label's output columns moved by ${newMoved}`);
  for (let t = 0; t < T0(); t++) assert.equal(w['out.b'][t], widened.weights['out.b'][t]);
  for (let a = 0; a < T0(); a++)
    for (let b = 0; b < T0(); b++) assert.equal(w['crf.trans'][a * T() + b], widened.weights['crf.trans'][a * T() + b]);
});

test('without newLabels, anchor 1 keeps the new columns at their start too', async () => {
  const w = await fineTune({ anchor: 1 });
  assert.equal(largestMove(w, widened.weights), 0);
});

test('anchor 0 is training as before, to the bit; a pull of 0.2 a step stays nearer the base than none', async () => {
  const none = await fineTune({ epochs: 6 });
  const zero = await fineTune({ epochs: 6, anchor: 0 });
  for (const [name, a] of Object.entries(none)) assert.deepEqual(zero[name], a, name);
  const free = rmsMove(none, widened.weights);
  const pulled = rmsMove(await fineTune({ epochs: 6, anchor: 0.2 }), widened.weights);
  assert.ok(free > 1e-3, `without an anchor the weights move (rms ${free})`);
  assert.ok(pulled < free / 2, `rms move with anchor 0.2: ${pulled}, without: ${free}`);
});

test('label weights: a label no window holds changes nothing; one that windows hold changes training', async () => {
  const none = await fineTune({});
  const absent = await fineTune({ labelWeights: { PERCENT: 4 } });
  for (const [name, a] of Object.entries(none)) assert.deepEqual(absent[name], a, name);
  const amount = await fineTune({ labelWeights: { AMOUNT: 4 } });
  assert.ok(largestMove(amount, none) > 0);
});

test('newLabelRate: 1 changes nothing; 10 moves the new label’s output columns further', async () => {
  const newColumns = (w: Weights) => {
    let most = 0;
    const rows = w['out.W'].length / T();
    for (let r = 0; r < rows; r++)
      for (let t = T0(); t < T(); t++) most = Math.max(most, Math.abs(w['out.W'][r * T() + t]));
    return most;
  };
  const plain = await fineTune({ newLabels: ['AMOUNT'], learningRate: 1e-3 });
  const one = await fineTune({ newLabels: ['AMOUNT'], learningRate: 1e-3, newLabelRate: 1 });
  for (const [name, a] of Object.entries(plain)) assert.deepEqual(one[name], a, name);
  const fast = await fineTune({ newLabels: ['AMOUNT'], learningRate: 1e-3, newLabelRate: 10 });
  assert.ok(newColumns(fast) > 3 * newColumns(plain), `${newColumns(fast)} vs ${newColumns(plain)}`);
});

test('an anchor outside 0–1 and a label weight that is not positive are refused before any work', async () => {
  await assert.rejects(fineTune({ anchor: 2 }), /anchor must be between 0 and 1/);
  await assert.rejects(fineTune({ anchor: -0.1 }), /anchor must be between 0 and 1/);
  await assert.rejects(fineTune({ newLabelRate: 0 }), /newLabelRate must be a positive number/);
  await assert.rejects(fineTune({ labelWeights: { AMOUNT: 0 } }), /weight of AMOUNT must be a positive number/);
  await assert.rejects(fineTune({ labelWeights: { 'not a label': 2 } }), /training options/);
});
