// Gradient checks: the hand-written backward passes (char CNN, LSTM/GRU BPTT in both
// directions with padding, residual, output layer, partial CRF / softmax losses) against
// central finite differences of the loss.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ModelConfig } from '../../../src/model/nn/architecture';
import { partialCrfLoss, partialSoftmaxLoss } from '../../../src/model/crf/loss';
import { CrfStructure, type TransitionRules } from '../../../src/model/crf/structure';
import { Network, initWeights, zeroGradients, type Gradients } from '../../../src/model/nn/network';
import { Rng } from '../../../src/model/core/random';
import type { EncodedBatch } from '../../../src/model/core/types';

const T = 5;

function config(
  cell: 'lstm' | 'gru' | 'tcn',
  layers: 1 | 2,
  residual: boolean,
  output: 'crf' | 'softmax',
  features = 0,
): ModelConfig {
  return {
    ...(features > 0 ? { features: 'lines-1', featureDim: features } : {}),
    scheme: 'BIO',
    labels: ['A', 'B'],
    tags: ['O', 'B-A', 'I-A', 'B-B', 'I-B'],
    vocabSize: 12,
    shapeCount: 5,
    charCount: 9,
    wordDim: 4,
    shapeDim: 3,
    charDim: 3,
    charFilters: 4,
    charWidth: 3,
    maxChars: 5,
    cell,
    hidden: 3,
    layers,
    residual,
    output,
    ...(cell === 'tcn' ? { dilations: [1, 2] } : {}),
  };
}

/** BIO rules: I-X only after B-X or I-X, never first. */
const rules: TransitionRules = {
  start: [true, true, false, true, false],
  end: [true, true, true, true, true],
  trans: [0, 1, 2, 3, 4].map((i) =>
    [0, 1, 2, 3, 4].map((j) => !(j === 2 && i !== 1 && i !== 2) && !(j === 4 && i !== 3 && i !== 4)),
  ),
};

function randomBatch(rng: Rng, K = 0): { batch: EncodedBatch; mask: Uint8Array } {
  const B = 3;
  const L = 4;
  const C = 5;
  const lengths = Int32Array.from([4, 2, 1]);
  const words = new Int32Array(B * L);
  const shapes = new Int32Array(B * L);
  const chars = new Int32Array(B * L * C);
  const mask = new Uint8Array(B * L * T);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < lengths[b]; t++) {
      const n = b * L + t;
      words[n] = 1 + rng.int(11);
      shapes[n] = 1 + rng.int(4);
      const nc = 1 + rng.int(C);
      for (let k = 0; k < nc; k++) chars[n * C + k] = 1 + rng.int(8);
      // partial supervision: some tokens know their tag, others allow a set
      if (t % 2 === 0) mask[n * T + (t === 0 ? 1 : 0)] = 1;
      else for (const j of [0, 2, 3]) mask[n * T + j] = 1;
    }
  }
  const batch: EncodedBatch = { batch: B, length: L, maxChars: C, words, shapes, chars, lengths };
  if (K > 0) {
    batch.featureDim = K;
    batch.features = new Float32Array(B * L * K);
    for (let b = 0; b < B; b++)
      for (let t = 0; t < lengths[b]; t++) for (let k = 0; k < K; k++) batch.features[(b * L + t) * K + k] = rng.int(2);
  }
  return { batch, mask };
}

function loss(net: Network, batch: EncodedBatch, mask: Uint8Array, grads: Gradients | null): number {
  const c = net.config;
  const { emissions, cache } = net.forward(batch);
  const dEm = new Float32Array(emissions.length);
  const crfGrads = {
    em: dEm,
    trans: grads ? grads.dense['crf.trans'] : new Float32Array(T * T),
    start: grads ? grads.dense['crf.start'] : new Float32Array(T),
    end: grads ? grads.dense['crf.end'] : new Float32Array(T),
  };
  const s = new CrfStructure(rules);
  let total = 0;
  for (let b = 0; b < batch.batch; b++) {
    const off = b * batch.length * T;
    const len = batch.lengths[b];
    if (c.output === 'crf') {
      const crf = { trans: net.weights['crf.trans'], start: net.weights['crf.start'], end: net.weights['crf.end'] };
      const l = partialCrfLoss(emissions, off, len, crf, s, mask, off, 1, crfGrads);
      assert.ok(l !== null);
      total += l;
    } else {
      total += partialSoftmaxLoss(emissions, off, len, T, mask, off, 1, dEm);
    }
  }
  if (grads) net.backward(cache, dEm, grads);
  return total;
}

function check(cfg: ModelConfig, seed: number): void {
  const rng = new Rng(seed);
  const weights = initWeights(cfg, seed);
  // non-zero CRF and bias weights so their gradients are exercised
  for (const name of Object.keys(weights)) {
    if (name.startsWith('crf') || name === 'out.b' || name.endsWith('.B') || /^tcn\..*\.b$/.test(name)) {
      const a = weights[name];
      for (let i = 0; i < a.length; i++) a[i] = rng.uniform(-0.5, 0.5);
    }
  }
  const net = new Network(cfg, weights);
  const { batch, mask } = randomBatch(rng, cfg.featureDim ?? 0);
  const grads = zeroGradients(cfg);
  loss(net, batch, mask, grads);
  const eps = 1e-2;
  // max-pooling is piecewise linear: a large step can switch the winning position
  const epsFor = (name: string) => (name.startsWith('char.') || name.startsWith('tcn.') ? 1e-3 : eps);
  let checked = 0;
  for (const [name, w] of Object.entries(weights)) {
    const g = grads.dense[name];
    // a few entries of each weight, including ones with gradient
    const picks = new Set<number>();
    for (let i = 0; i < w.length && picks.size < 4; i++) if (Math.abs(g[i]) > 1e-4) picks.add(i);
    for (let k = 0; k < 3; k++) picks.add(rng.int(w.length));
    for (const i of picks) {
      const old = w[i];
      const e = epsFor(name);
      w[i] = old + e;
      const up = loss(net, batch, mask, null);
      w[i] = old - e;
      const down = loss(net, batch, mask, null);
      w[i] = old;
      const numeric = (up - down) / (2 * e);
      const tol = 2e-3 + 2e-2 * Math.abs(numeric);
      assert.ok(Math.abs(numeric - g[i]) <= tol, `${cfg.cell} ${name}[${i}]: analytic ${g[i]} vs numeric ${numeric}`);
      checked++;
    }
  }
  assert.ok(checked > 40);
}

test('LSTM + CRF gradients match finite differences', () => check(config('lstm', 1, false, 'crf'), 1));
test('GRU + CRF gradients match finite differences', () => check(config('gru', 1, false, 'crf'), 2));
test('two residual LSTM layers, softmax output', () => check(config('lstm', 2, true, 'softmax'), 3));
test('two GRU layers + CRF', () => check(config('gru', 2, false, 'crf'), 4));
test('LSTM + CRF with line features: gradients match finite differences', () =>
  check(config('lstm', 1, false, 'crf', 3), 5));
test('TCN + CRF gradients match finite differences (two blocks of shared weights)', () =>
  check(config('tcn', 2, false, 'crf'), 6));
test('TCN with softmax output and line features: gradients match finite differences', () =>
  check(config('tcn', 1, false, 'softmax', 3), 7));
