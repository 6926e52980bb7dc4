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

test('names are lent in contracts, not on receipts: a seller on an item line is a brand', async () => {
  const receipt = [
    'INDAH GIFT & HOME DECO',
    '27,JALAN DEDAP 13,',
    '81100 JOHOR BAHRU,JOHOR.',
    'RECEIPT',
    '19/10/2018 20:49:59 #01',
    'DESC/ITEM',
    'ST-PRIVILEGE CARD/GD INDAH',
    '1',
    '10.00',
    'TOTAL AMT.......... RM',
    '10.00',
    'CASH............... RM',
    '20.00',
  ].join('\n');
  const tagger = await Tagger.load(defaultModelDir());
  try {
    const lent = async (kind?: string) =>
      (await tagger.tag(receipt, kind ? { kind } : {})).filter((e) => e.source === 'document').map((e) => e.text);
    assert.deepEqual(await lent(), [], 'detected as a receipt: nothing lent');
    assert.deepEqual(await lent('receipt'), []);
    assert.ok((await lent('contract')).includes('INDAH'), 'read as a contract, the name is lent');
  } finally {
    await tagger.dispose();
  }
});
