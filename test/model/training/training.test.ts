// End-to-end checks of the engine: partial supervision beats the plain recipe on
// incompletely labelled data; train → save → export → tag with onnxruntime; ONNX emissions
// equal the engine's own forward pass; training in a worker can be cancelled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { documentSequences } from '../../../src/model/training/sequences';
import { loadModel, saveModel } from '../../../src/model/nn/model-folder';
import { Network } from '../../../src/model/nn/network';
import { OnnxEmissions } from '../../../src/model/inference/onnx-runner';
import { exportOnnx } from '../../../src/model/nn/onnx-export';
import { Tagger } from '../../../src/model/inference/tagger';
import { evaluateSequences } from '../../../src/model/training/dev-scoring';
import { train, type TrainOptions } from '../../../src/model/training/trainer';
import { trainInWorker } from '../../../src/model/training/worker';
import { hideDates, syntheticContracts } from '../../fixtures/contracts';
import { windows } from '../../../src/model/text/windows';

const small: TrainOptions = {
  labels: ['PARTY', 'DATE'],
  wordDim: 16,
  shapeDim: 8,
  charDim: 8,
  charFilters: 12,
  hidden: 16,
  epochs: 8,
  batchSize: 16,
  learningRate: 5e-3,
  dropout: 0.1,
  minWordCount: 1,
  patience: 8,
};

test('partial loss recalls clearly more of the unlabelled mentions than the plain loss; the O prior keeps precision', async () => {
  const gold = syntheticContracts(120, 7);
  const trainDocs = hideDates(gold, 0.5, 3);
  const testDocs = syntheticContracts(40, 99);
  const score = async (partial: boolean, outsidePrior = 0) => {
    const r = await train(trainDocs, [], { ...small, partial, outsidePrior, seed: 5 });
    const net = new Network(r.model.config, r.model.weights);
    const seqs = testDocs.flatMap((d) =>
      documentSequences(d, { labels: small.labels, scheme: 'BILOU', partial: false, maxTokens: 60 }),
    );
    const report = evaluateSequences(net, r.model.vocab, seqs);
    const date = report.labels.find((l) => l.label === 'DATE');
    return { recall: date?.recall ?? 0, precision: date?.precision ?? 0 };
  };
  const plain = await score(false);
  const partial = await score(true);
  const prior = await score(true, 0.1);
  console.log(
    `DATE with half the dates unlabelled, recall / precision: plain ${plain.recall.toFixed(3)} / ${plain.precision?.toFixed(3)}, ` +
      `partial ${partial.recall.toFixed(3)} / ${partial.precision?.toFixed(3)}, partial + O prior ${prior.recall.toFixed(3)} / ${prior.precision?.toFixed(3)}`,
  );
  assert.ok(partial.recall >= 0.85, `partial recall ${partial.recall}`);
  assert.ok(partial.recall >= plain.recall + 0.15, `partial ${partial.recall} vs plain ${plain.recall}`);
  // the prior toward O keeps precision without giving the recall back
  assert.ok(prior.recall >= plain.recall + 0.15 && (prior.precision ?? 0) >= 0.9, `prior ${JSON.stringify(prior)}`);
});

test('train, save, export, and tag with onnxruntime: entities with exact offsets', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entity-lens-e2e-'));
  const docs = syntheticContracts(80, 11);
  const dev = syntheticContracts(15, 12);
  const r = await train(docs, dev, { ...small, seed: 2, name: 'e2e', version: '1' });
  assert.ok(r.report && r.report.micro.f1 > 0.8, `dev F1 ${r.report?.micro.f1}`);
  await saveModel(dir, r.model);
  for (const f of ['model.json', 'vocab.json', 'weights.bin', 'model.onnx'])
    assert.ok(fs.existsSync(path.join(dir, f)), f);
  const tagger = await Tagger.load(dir, { runtime: 'onnx' });
  assert.equal(tagger.runtime.kind, 'onnx');
  const text =
    'This Agreement is made on March 3, 2021 between Globex GmbH and Initech Ltd.\n\nStark Industries shall pay the invoice no later than 12/04/2022.';
  const entities = await tagger.tag(text);
  await tagger.dispose();
  for (const e of entities) {
    assert.equal(text.slice(e.start, e.end), e.text);
    assert.ok(e.confidence > 0 && e.confidence <= 1 + 1e-9, `confidence ${e.confidence}`);
  }
  const found = entities.map((e) => `${e.label}:${e.text}`);
  for (const want of [
    'DATE:March 3, 2021',
    'PARTY:Globex GmbH',
    'PARTY:Initech Ltd.',
    'PARTY:Stark Industries',
    'DATE:12/04/2022',
  ]) {
    assert.ok(found.includes(want), `${want} not in ${found.join(' | ')}`);
  }
  // the saved model loads back identical
  const again = await loadModel(dir);
  assert.deepEqual(Array.from(again.weights['out.W']), Array.from(r.model.weights['out.W']));
  assert.equal(tagger.rules, undefined, 'no rule policy, no rules');

  // a model whose policy gives DATE to the rules: a date format it never saw is found by them
  const withRules = {
    ...r.model,
    info: { ...r.model.info, rules: { labels: ['DATE', 'NOT_A_LABEL'] }, labelBias: { PARTY: 0.5 } },
  };
  const ruled = await Tagger.create(withRules, { runtime: 'onnx' });
  const off = await Tagger.create(withRules, { runtime: 'onnx', rules: false });
  assert.deepEqual(
    ruled.rules,
    { labels: ['DATE'], ruleOnly: [], validate: [], fill: [] },
    'labels the model lacks are dropped',
  );
  const iso = 'Globex GmbH shall pay by 2022-04-12 at the latest.';
  const date = (await ruled.tag(iso)).find((e) => e.label === 'DATE');
  assert.equal(date?.text, '2022-04-12');
  assert.equal(date?.source, 'rules');
  assert.ok(!(await off.tag(iso)).some((e) => e.source === 'rules'));
  await ruled.dispose();
  await off.dispose();
  // training on from it keeps the policy
  const more = await train(docs.slice(0, 10), [], { ...small, epochs: 1, initial: withRules });
  assert.deepEqual(more.model.info.rules, withRules.info.rules);
  assert.deepEqual(more.model.info.labelBias, { PARTY: 0.5 });
});

test('ONNX emissions equal the engine forward pass (tfjs-wasm matmuls) within 1e-4', async () => {
  const docs = syntheticContracts(30, 21);
  for (const cell of ['lstm', 'gru'] as const) {
    const r = await train(docs, [], { ...small, epochs: 1, cell, layers: 2, residual: true, seed: 4 });
    const model = r.model;
    // random weights, not just trained ones
    let s = 12345;
    for (const w of Object.values(model.weights))
      for (let i = 0; i < w.length; i++) w[i] += ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5) * 0.2;
    const ort = await OnnxEmissions.create(exportOnnx(model.config, model.weights));
    const seqs = docs
      .slice(0, 8)
      .flatMap((d) => documentSequences(d, { labels: small.labels, scheme: 'BILOU', partial: false, maxTokens: 60 }));
    const batch = model.vocab.encode(
      seqs.map((q) => q.tokens),
      model.config.maxChars,
    );
    const a = await ort.run(batch);
    const b = new Network(model.config, model.weights).forward(batch).emissions;
    const T = model.config.tags.length;
    let worst = 0;
    for (let n = 0; n < batch.batch; n++)
      for (let t = 0; t < batch.lengths[n]; t++)
        for (let j = 0; j < T; j++) {
          const k = (n * batch.length + t) * T + j;
          worst = Math.max(worst, Math.abs(a[k] - b[k]));
        }
    await ort.dispose();
    assert.ok(worst < 1e-4, `${cell}: max difference ${worst}`);
  }
});

test('training in a worker reports progress, saves the best model, and cancels cleanly', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entity-lens-worker-'));
  const out = path.join(dir, 'model');
  const docs = syntheticContracts(200, 31);
  const dev = syntheticContracts(10, 32);
  let progress = 0;
  let epochs = 0;
  const job = trainInWorker(
    { train: docs, dev, options: { ...small, epochs: 50, patience: 50 }, outDir: out },
    {
      onProgress: () => progress++,
      onEpoch: () => {
        // cancel once a first model has been saved
        if (++epochs === 2) job.cancel();
      },
    },
  );
  const summary = await job.done;
  assert.equal(summary.cancelled, true);
  assert.ok(summary.history.length >= 2 && summary.history.length < 50);
  assert.ok(progress > 0);
  const saved = await loadModel(out);
  assert.equal(saved.config.labels.join(), 'PARTY,DATE');
});

test('a devScore hook chooses the epoch and is what the history records', async () => {
  const docs = syntheticContracts(20, 3);
  const scores = [0.2, 0.9, 0.4];
  let calls = 0;
  const r = await train(
    docs,
    [],
    { ...small, epochs: 3, patience: 5, seed: 4 },
    { devScore: async () => scores[calls++] },
  );
  assert.equal(calls, 3);
  assert.equal(r.bestEpoch, 2);
  assert.deepEqual(
    r.history.map((h) => h.devF1),
    scores,
  );
});

test('averageDecay: the moving average of the weights is scored and kept; training goes on from the live weights', async () => {
  const docs = syntheticContracts(40, 5);
  const options = { ...small, epochs: 3, patience: 5, seed: 8 };
  // records the output layer each epoch is scored with; epoch 2 is the best
  const recorder = (seen: Float32Array[]) => async (m: { weights: Record<string, Float32Array> }) => {
    seen.push(new Float32Array(m.weights['out.W']));
    return seen.length === 2 ? 1 : 0;
  };
  const raw: Float32Array[] = [];
  const avg: Float32Array[] = [];
  const plain = await train(docs, [], options, { devScore: recorder(raw) });
  const averaged = await train(docs, [], { ...options, averageDecay: 0.99 }, { devScore: recorder(avg) });
  assert.equal(averaged.bestEpoch, 2);
  assert.deepEqual(
    Array.from(averaged.model.weights['out.W']),
    Array.from(avg[1]),
    'the scored weights are the kept ones',
  );
  for (let e = 0; e < 3; e++)
    assert.notDeepEqual(Array.from(avg[e]), Array.from(raw[e]), `epoch ${e + 1} scores the average`);
  // scoring the average does not disturb training: the same seed gives the same losses
  assert.deepEqual(
    averaged.history.map((h) => h.loss),
    plain.history.map((h) => h.loss),
  );
  // the average of a model that learns tags too
  const learnt = await train(syntheticContracts(80, 11), syntheticContracts(15, 12), { ...small, averageDecay: 0.9 });
  assert.ok((learnt.report?.micro.f1 ?? 0) > 0.8, `dev F1 ${learnt.report?.micro.f1}`);
  const tagger = await Tagger.create(learnt.model, { runtime: 'onnx' });
  const found = await tagger.tag('This Agreement is made on March 3, 2021 between Acme Corp. and Globex GmbH.');
  await tagger.dispose();
  assert.ok(
    found.some((e) => e.label === 'PARTY'),
    found.map((e) => `${e.label}:${e.text}`).join(' | '),
  );
});

test('an improved epoch is reported only after its checkpoint has been saved', async () => {
  const docs = syntheticContracts(20, 6);
  const events: string[] = [];
  await train(
    docs,
    syntheticContracts(5, 7),
    { ...small, epochs: 2, patience: 5, seed: 9 },
    {
      onCheckpoint: async (m) => {
        await new Promise((r) => setTimeout(r, 20)); // a save takes a while
        events.push(`saved ${m.info.training?.epoch}`);
      },
      onEpoch: (r, improved) => events.push(`epoch ${r.epoch}${improved ? ' improved' : ''}`),
    },
  );
  const improved = events.filter((e) => e.endsWith('improved'));
  assert.ok(improved.length > 0, events.join(', '));
  for (const e of improved) {
    const epoch = e.split(' ')[1];
    assert.ok(
      events.indexOf(`saved ${epoch}`) >= 0 && events.indexOf(`saved ${epoch}`) < events.indexOf(e),
      `"${e}" came before its save: ${events.join(', ')}`,
    );
  }
});

test('training options with an invalid label or an architecture out of bounds are refused before any work', async () => {
  const docs = syntheticContracts(5, 1);
  await assert.rejects(
    train(docs, [], { ...small, labels: ['PARTY', 'date'] }),
    /^InputError: training options: "date" is not a valid label.*use DATE\.$/,
  );
  await assert.rejects(train(docs, [], { ...small, recallOnly: ['<b>'] }), /"<b>" is not a valid label/);
  await assert.rejects(train(docs, [], { ...small, maxChars: 5000 }), /"maxChars" must be a whole number from 1 to 64/);
  await assert.rejects(train(docs, [], { ...small, hidden: 100_000 }), /"hidden" must be a whole number/);
});

test('line features: trained, saved as format 2, tagged alike by onnxruntime and the engine; kept when training on', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entity-lens-lines-'));
  const docs = syntheticContracts(40, 31).map((d) => ({ ...d, text: d.text.replace(/\. /g, '.\n') }));
  const r = await train(docs, [], { ...small, epochs: 6, seed: 3, lineFeatures: true, name: 'lines', version: '1' });
  assert.equal(r.model.config.features, 'lines-1');
  assert.equal(r.model.config.featureDim, 18);
  r.model.info.lineBreakPenalty = { PARTY: 2 };
  await saveModel(dir, r.model);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  assert.equal(manifest.format, 2);
  const onnx = await Tagger.load(dir, { runtime: 'onnx' });
  const tfjs = await Tagger.load(dir, { runtime: 'tfjs' });
  const text =
    'This Agreement is made on March 3, 2021 between\nGlobex GmbH and Initech Ltd.\r\n\r\n  Stark Industries shall pay.';
  const layout = {
    pages: [{ width: 600, height: 800, unit: 'pt' as const }],
    boxes: [
      { start: 0, end: 47, page: 1, x0: 50, y0: 50, x1: 550, y1: 62, source: 'text' as const },
      { start: 48, end: 76, page: 1, x0: 50, y0: 64, x1: 300, y1: 90, source: 'text' as const },
    ],
  };
  for (const options of [{}, { layout }]) {
    const a = await onnx.tag(text, options);
    const b = await tfjs.tag(text, options);
    assert.deepEqual(
      a.map((e) => [e.label, e.start, e.end]),
      b.map((e) => [e.label, e.start, e.end]),
    );
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i].confidence - b[i].confidence) < 1e-4);
  }
  // the editor tags the windows of a block of whole paragraphs with the block's text: the same
  // entities and confidences as with the whole document's text
  const doc = `Preamble by Globex GmbH.\n\n${text}\n\nInitech Ltd. signs\nhere.`;
  const blockStart = doc.indexOf('This Agreement');
  const blockEnd = doc.indexOf('\n\nInitech');
  const block = doc.slice(blockStart, blockEnd);
  const inBlock = windows(doc, 8).filter((w) => w[0].start >= blockStart && w[w.length - 1].end <= blockEnd);
  const shifted = inBlock.map((w) => w.map((t) => ({ ...t, start: t.start - blockStart, end: t.end - blockStart })));
  const local = (await onnx.tagWindows(block, shifted)).flat();
  const whole = (await onnx.tagWindows(doc, inBlock)).flat();
  assert.ok(local.length > 0, 'the block has entities');
  assert.deepEqual(
    local.map((e) => [e.label, e.start + blockStart, e.end + blockStart, e.confidence]),
    whole.map((e) => [e.label, e.start, e.end, e.confidence]),
  );
  await onnx.dispose();
  await tfjs.dispose();
  // training on keeps the features and the penalty, and trains on sequences without text too
  const loaded = await loadModel(dir);
  const more = await train(docs.slice(0, 5), [], {
    ...small,
    epochs: 1,
    initial: loaded,
    extraSequences: documentSequences(docs[6], { labels: small.labels, scheme: 'BILOU', partial: true, maxTokens: 60 }),
  });
  assert.equal(more.model.config.featureDim, 18);
  assert.deepEqual(more.model.info.lineBreakPenalty, { PARTY: 2 });
  // a model without features is still written as format 1, which older engines read
  const plainDir = fs.mkdtempSync(path.join(os.tmpdir(), 'entity-lens-plain-'));
  const plain = await train(docs.slice(0, 5), [], { ...small, epochs: 1 });
  await saveModel(plainDir, plain.model);
  assert.equal(JSON.parse(fs.readFileSync(path.join(plainDir, 'model.json'), 'utf8')).format, 1);
  // a feature set this engine does not know is refused with a message
  fs.writeFileSync(
    path.join(dir, 'model.json'),
    JSON.stringify({ ...manifest, config: { ...manifest.config, features: 'lines-9' } }),
  );
  await assert.rejects(loadModel(dir), /line features "lines-9", unknown here/);
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ ...manifest, format: 3 }));
  await assert.rejects(loadModel(dir), /model format 3 is not supported/);
});
