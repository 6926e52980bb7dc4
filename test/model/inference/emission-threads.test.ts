// onnxruntime on worker threads: a document tagged with its windows spread over two threads
// comes out exactly as on one; a graph that cannot load fails clearly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultModelDir, EmissionThreads, Tagger } from '../../../src/model';
import { syntheticContracts } from '../../fixtures/contracts';

test('two onnxruntime worker threads tag a long text exactly as one thread does', async () => {
  const text = syntheticContracts(150, 5)
    .map((d) => d.text)
    .join('\n\n');
  const one = await Tagger.load(defaultModelDir());
  const two = await Tagger.load(defaultModelDir(), { threads: 2, batchSize: 8 });
  try {
    assert.equal(two.runtime.parallel, 2);
    const key = (es: Awaited<ReturnType<Tagger['tag']>>) =>
      es.map((e) => `${e.start}-${e.end}-${e.label}-${e.source ?? 'model'}-${e.confidence}`);
    const [a, b] = [await one.tag(text), await two.tag(text)];
    assert.ok(a.length > 200, `${a.length} entities`);
    assert.deepEqual(key(b), key(a));
    // runs started together all finish before dispose returns
    const again = Promise.all([two.tag(text), two.tag(text.slice(0, 5000))]);
    const [c] = await again;
    assert.deepEqual(key(c), key(a));
  } finally {
    await one.dispose();
    await two.dispose();
  }
});

test("a graph the worker threads cannot load fails with onnxruntime's reason, and no thread is left running", async () => {
  await assert.rejects(EmissionThreads.create(new Uint8Array([1, 2, 3, 4]), 2), /ONNX model could not be loaded/);
  await assert.rejects(EmissionThreads.create(new Uint8Array(8), 0), /whole number ≥ 1/);
});
