// Training other encoders: a TCN learns the synthetic contracts as the BiLSTM does; fine-tuning
// with another cell (the editor's architecture setting) starts a new encoder on the old model's
// vocabulary, embeddings and CRF; fine-tuning an ensemble trains its first member.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildEnsemble } from '../../../src/model/nn/ensemble';
import { Network } from '../../../src/model/nn/network';
import { documentSequences } from '../../../src/model/training/sequences';
import { evaluateSequences } from '../../../src/model/training/dev-scoring';
import { train, type TrainOptions } from '../../../src/model/training/trainer';
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
  dropout: 0.1,
  minWordCount: 1,
  seed: 2,
};

const trainDocs = syntheticContracts(80, 7).map((d) => ({ ...d, complete: ['PARTY', 'DATE'] }));
const testDocs = syntheticContracts(30, 99);

function f1(model: Awaited<ReturnType<typeof train>>['model']): number {
  const seqs = testDocs.flatMap((d) =>
    documentSequences(d, { labels: small.labels, scheme: 'BILOU', partial: false, maxTokens: 60 }),
  );
  return evaluateSequences(new Network(model.config, model.weights), model.vocab, seqs).micro.f1;
}

test('a TCN trained from scratch tags held-out synthetic contracts', async () => {
  const r = await train(trainDocs, [], { ...small, cell: 'tcn', layers: 2 });
  assert.equal(r.model.config.cell, 'tcn');
  const score = f1(r.model);
  console.log(`TCN on synthetic contracts, held-out micro F1 ${score.toFixed(3)}`);
  assert.ok(score >= 0.8, `F1 ${score}`);
});

test('fine-tuning with another cell: a new encoder on the old vocabulary, embeddings and CRF', async () => {
  const base = (await train(trainDocs, [], { ...small, epochs: 2 })).model;
  const r = await train(trainDocs.slice(0, 10), [], { ...small, epochs: 0 as number, initial: base, cell: 'tcn' });
  const m = r.model;
  assert.equal(m.config.cell, 'tcn');
  assert.equal(m.config.layers, 2);
  assert.equal(m.vocab, base.vocab);
  for (const name of ['word.emb', 'char.conv.w', 'crf.trans'])
    assert.deepEqual(m.weights[name], base.weights[name], name);
  assert.ok(m.weights['tcn.in.W'] && !m.weights['rnn0.W']);
});

test('fine-tuning an ensemble trains its first member as one model', async () => {
  const a = (await train(trainDocs.slice(0, 20), [], { ...small, epochs: 1, seed: 3 })).model;
  const b = (await train(trainDocs.slice(0, 20), [], { ...small, epochs: 1, seed: 4, cell: 'gru' })).model;
  const ens = buildEnsemble([a, b], { name: 'e', version: '1', created: 'now' });
  const r = await train(trainDocs.slice(0, 10), [], { ...small, epochs: 1, initial: ens });
  assert.equal(r.model.members, undefined);
  assert.equal(r.model.config.cell, 'lstm');
});
