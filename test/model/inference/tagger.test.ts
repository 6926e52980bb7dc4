// Tagger.tag on a long text works a part at a time (memory flat) and finds exactly what tagging
// all windows at once and lending party names over the whole text finds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultModelDir, propagateEntities, Tagger, windows } from '../../../src/model';
import { syntheticContracts } from '../../fixtures/contracts';

test('tag() in parts equals tagging all windows at once, then propagating over the whole text', async () => {
  const text = syntheticContracts(400, 21)
    .map((d) => d.text)
    .join('\n\n');
  const parts = await Tagger.load(defaultModelDir(), { partChars: 2000 });
  const whole = await Tagger.load(defaultModelDir(), { propagate: false });
  try {
    const inParts = await parts.tag(text);
    const wins = windows(text, whole.maxTokens);
    const all = propagateEntities(text, wins.flat(), (await whole.tagWindows(text, wins)).flat());
    const key = (es: typeof all) =>
      es.map((e) => `${e.start}-${e.end}-${e.label}-${e.source ?? 'model'}-${e.confidence}`);
    assert.ok(all.length > 500, `${all.length} entities`);
    assert.ok(
      all.some((e) => e.source === 'document'),
      'names were lent',
    );
    assert.deepEqual(key(inParts), key(all));
  } finally {
    await parts.dispose();
    await whole.dispose();
  }
});
