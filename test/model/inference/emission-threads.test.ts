// Windows tagged on worker threads (encoded, run and decoded there): a document comes out
// exactly as on one thread; a graph that cannot load fails clearly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  defaultModelDir,
  EmissionThreads,
  featureDim,
  LineFeatures,
  loadModel,
  Tagger,
  windows,
} from '../../../src/model';
import { syntheticContracts } from '../../fixtures/contracts';

const key = (es: Awaited<ReturnType<Tagger['tag']>>) =>
  es.map((e) => `${e.start}-${e.end}-${e.label}-${e.source ?? 'model'}-${e.confidence}-${e.text}`);

test('two worker threads tag a long text exactly as one thread does', async () => {
  const text = syntheticContracts(150, 5)
    .map((d) => d.text)
    .join('\n\n');
  const one = await Tagger.load(defaultModelDir());
  const two = await Tagger.load(defaultModelDir(), { threads: 2, batchSize: 8 });
  try {
    assert.ok(two.runtime instanceof EmissionThreads && two.runtime.threads === 2);
    const a = await one.tag(text);
    assert.ok(a.length > 200, `${a.length} entities`);
    assert.deepEqual(key(await two.tag(text)), key(a));
    // two texts at once: each gets its own windows' entities back
    const [c, d] = await Promise.all([two.tag(text), two.tag(text.slice(0, 5000))]);
    assert.deepEqual(key(c), key(a));
    assert.deepEqual(key(d), key(await one.tag(text.slice(0, 5000))));
    // emissions alone, as any emission source gives them
    const c0 = one.model.config;
    const ws = windows(text, one.maxTokens).slice(0, 16);
    const lines = new LineFeatures(text);
    const batch = one.model.vocab.encode(ws, c0.maxChars, { dim: featureDim(c0), values: ws.map((w) => lines.of(w)) });
    assert.deepEqual(await two.runtime.run(batch), await one.runtime.run(batch));
  } finally {
    await one.dispose();
    await two.dispose();
  }
});

test("a graph the worker threads cannot load fails with onnxruntime's reason, and no thread is left running", async () => {
  const model = await loadModel(defaultModelDir());
  const thread = { onnx: new Uint8Array([1, 2, 3, 4]), config: model.config, vocab: model.vocab.toJSON() };
  await assert.rejects(EmissionThreads.create(thread, 2), /ONNX model could not be loaded/);
  await assert.rejects(EmissionThreads.create(thread, 0), /whole number ≥ 1/);
});

test('threads with the tfjs runtime: tagging on one thread, and a warning that says so', async () => {
  const warnings: string[] = [];
  const tagger = await Tagger.load(defaultModelDir(), { threads: 2, runtime: 'tfjs', warn: (m) => warnings.push(m) });
  try {
    assert.equal(tagger.runtime.kind, 'tfjs');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /one thread/);
  } finally {
    await tagger.dispose();
  }
});
