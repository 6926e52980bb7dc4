import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nameVariants, propagateEntities } from '../../../src/model/inference/propagate';
import { tokenize } from '../../../src/model/text/tokenizer';
import type { Entity } from '../../../src/model/core/types';

function entity(text: string, name: string, label = 'PARTY', confidence = 0.9, from = 0): Entity {
  const start = text.indexOf(name, from);
  return { label, start, end: start + name.length, text: name, confidence };
}

const contract =
  'This Agreement is between ArTara Therapeutics, Inc. ("ArTara") and Acme Corp. (the "Company"). ' +
  'ArTara shall pay the Company. Acme shall deliver. ArTaraX is another firm. (artara) is not a name. ' +
  'Signed: ARTARA THERAPEUTICS, INC. and ArTara  Therapeutics, Inc. over a line break.';

test('variants: the name, the name without its suffix, a defined short name drawn from it', () => {
  const e = entity(contract, 'ArTara Therapeutics, Inc.');
  assert.deepEqual(nameVariants(contract, e).sort(), ['ArTara', 'ArTara Therapeutics', 'ArTara Therapeutics, Inc.']);
  // "the Company" is a role, not part of the name
  assert.deepEqual(nameVariants(contract, entity(contract, 'Acme Corp.')).sort(), ['Acme', 'Acme Corp.'].sort());
});

test('later occurrences get the label, in capitals and across runs of spaces; partial words, lower case and low confidence do not', () => {
  const tokens = tokenize(contract);
  const given = [entity(contract, 'ArTara Therapeutics, Inc.'), entity(contract, 'Acme Corp.', 'PARTY', 0.3)];
  const out = propagateEntities(contract, tokens, given);
  const texts = out.map((e) => `${e.start}:${e.text}`);
  const artara = [...contract.matchAll(/ArTara(?![X ])/g)].map((m) => m.index);
  for (const at of artara) assert.ok(texts.includes(`${at}:ArTara`), `ArTara at ${at}`);
  assert.ok(!out.some((e) => e.text === 'Acme' && e.start > 100), 'low-confidence Acme lends nothing');
  assert.ok(!out.some((e) => contract.slice(e.start, e.end + 1) === 'ArTaraX'));
  assert.ok(!out.some((e) => e.text === 'artara'), 'lower case');
  assert.ok(
    out.some((e) => e.text === 'ARTARA THERAPEUTICS, INC.'),
    'the signature block in capitals',
  );
  assert.ok(
    out.some((e) => e.text === 'ArTara  Therapeutics, Inc.'),
    'two spaces inside the name',
  );
  for (const e of out) assert.equal(contract.slice(e.start, e.end), e.text);
  // sorted, non-overlapping
  for (let i = 1; i < out.length; i++) assert.ok(out[i - 1].end <= out[i].start);
  const added = out.find((e) => e.text === 'ArTara' && e.start > 60);
  assert.ok(added && Math.abs(added.confidence - 0.81) < 1e-9);
});

test('a definition a clause later still counts; one that names a role does not', () => {
  const text =
    'between Brightwater Analytics Ltd., a company registered in England at 12 Canal Wharf, Leeds ("Brightwater"), and Corvell GmbH (the "Company").';
  assert.ok(nameVariants(text, entity(text, 'Brightwater Analytics Ltd.')).includes('Brightwater'));
  assert.ok(!nameVariants(text, entity(text, 'Corvell GmbH')).includes('Company'));
});

test('no confident entity: the input comes back unchanged', () => {
  const tokens = tokenize(contract);
  const given = [entity(contract, 'ArTara', 'DATE')];
  assert.equal(propagateEntities(contract, tokens, given), given);
});

test('all short names of one definition count; roles and words the contract uses in lower case do not', () => {
  const text =
    'by and among ASHWORTH, INC. (The "Company" or "Ashworth") and Nantz Communications, Inc. ("Communications"). ' +
    'Ashworth pays. Bioeq IP AG, having its place of business at Zug (Bioeq), licenses. ' +
    'The parties use electronic communications and mail.';
  assert.deepEqual(
    nameVariants(text, entity(text, 'ASHWORTH, INC.')).sort(),
    ['ASHWORTH', 'ASHWORTH, INC.', 'Ashworth'].sort(),
  );
  assert.ok(
    nameVariants(text, entity(text, 'Bioeq IP AG')).includes('Bioeq'),
    'an unquoted short name drawn from the name',
  );
  assert.ok(
    !nameVariants(text, entity(text, 'Nantz Communications, Inc.')).includes('Communications'),
    '"communications" is an ordinary word here',
  );
});

test('a short name not drawn from the full name is not lent (CUAD labels those in only some contracts)', () => {
  const text = 'Ingevity Corporation, a Delaware corporation ("SpinCo"). SpinCo shall pay.';
  assert.deepEqual(nameVariants(text, entity(text, 'Ingevity Corporation')).sort(), [
    'Ingevity',
    'Ingevity Corporation',
  ]);
});
