import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_NAMES, nameVariants, propagateEntities, tokenBounds } from '../../../src/model/inference/propagate';
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

test('the first word is lent for a company, not for a person with a middle initial', () => {
  const text = 'between Oxbow Carbon LLC and Dennis W. Wells and DONALD J. DEMARIE, JR.';
  assert.ok(nameVariants(text, entity(text, 'Oxbow Carbon LLC')).includes('Oxbow'));
  assert.deepEqual(nameVariants(text, entity(text, 'Dennis W. Wells')), ['Dennis W. Wells']);
  assert.deepEqual(nameVariants(text, entity(text, 'DONALD J. DEMARIE, JR.')), ['DONALD J. DEMARIE, JR.']);
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

// ---------------------------------------------------------------------------------------
// The linear-time search against the regular expression it replaces (one alternative per name,
// longest first, a refused match skipped), on random texts built from names, their case
// variants, partial words and whitespace runs.

function referencePropagate(text: string, tokens: ReturnType<typeof tokenize> | null, entities: Entity[]): Entity[] {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const variants = new Map<string, { label: string; confidence: number }>();
  const roles = new Map<string, boolean>();
  for (const e of entities) {
    if (e.label !== 'PARTY' || e.confidence < 0.5 || e.source === 'document') continue;
    for (const v of nameVariants(text, e, roles)) {
      const key = v.replace(/\s+/g, ' ');
      const known = variants.get(key);
      if (!known || known.confidence < e.confidence) variants.set(key, { label: e.label, confidence: e.confidence });
    }
  }
  if (variants.size === 0) return entities;
  const sameName = (found: string, name: string): boolean => {
    const f = found.replace(/\s+/g, ' ');
    const n = name.replace(/\s+/g, ' ');
    if (f === n) return true;
    if (f.toLowerCase() !== n.toLowerCase()) return false;
    if (f === f.toUpperCase()) return true;
    return n === n.toUpperCase() && /^[A-Z]/.test(f);
  };
  const taken = entities.map((e) => ({ start: e.start, end: e.end })).sort((a, b) => a.start - b.start);
  const starts = new Set(tokens?.map((t) => t.start));
  const ends = new Set(tokens?.map((t) => t.end));
  const W = /[\p{L}\p{N}_]/u;
  const keys = [...variants.keys()].sort((a, b) => b.length - a.length);
  const byKey = new Map(keys.map((k) => [k.toLowerCase(), k]));
  const pattern = new RegExp(keys.map((k) => k.split(' ').map(escape).join('\\s+')).join('|'), 'gi');
  const added: Entity[] = [];
  for (const m of text.matchAll(pattern)) {
    const at = m.index ?? 0;
    const end = at + m[0].length;
    const key = byKey.get(m[0].replace(/\s+/g, ' ').toLowerCase());
    if (key === undefined || !sameName(m[0], key)) continue;
    const whole = tokens ? starts.has(at) && ends.has(end) : !W.test(text.charAt(at - 1)) && !W.test(text.charAt(end));
    if (!whole || taken.some((t) => t.start < end && at < t.end)) continue;
    const { label, confidence } = variants.get(key) as { label: string; confidence: number };
    added.push({ label, start: at, end, text: m[0], confidence: confidence * 0.9, source: 'document' });
    taken.push({ start: at, end });
  }
  return added.length ? [...entities, ...added].sort((a, b) => a.start - b.start) : entities;
}

test('the linear search finds what one regular expression over all names finds (random texts)', () => {
  let seed = 7;
  const rand = (n: number) => (((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n) + n) % n;
  const names = ['Acme Corp.', 'Acme', 'ACME CORP.', 'Beta Holdings LLC', 'Beta', 'Acme Beta Ltd', 'Gamma', 'Zeta AG'];
  const filler = ['the', 'Acmeon', 'beta', 'shall', '(the "Company")', 'and', ',', 'Gammas', '\n', '  ', 'AcmeCorp.'];
  for (let round = 0; round < 60; round++) {
    const pieces: string[] = [];
    const given: Entity[] = [];
    let text = '';
    for (let i = 0; i < 40; i++) {
      const useName = rand(3) === 0;
      const piece = useName ? names[rand(names.length)] : filler[rand(filler.length)];
      const sep = rand(4) === 0 ? '   ' : ' ';
      if (useName && rand(3) === 0) {
        given.push({
          label: 'PARTY',
          start: text.length,
          end: text.length + piece.length,
          text: piece,
          confidence: 0.6 + rand(40) / 100,
        });
      }
      pieces.push(piece);
      text += piece + sep;
    }
    const tokens = tokenize(text);
    const key = (x: Entity[]) =>
      x.map((e) => `${e.start}-${e.end}-${e.label}-${e.source ?? ''}-${e.confidence}`).join(',');
    assert.equal(key(propagateEntities(text, tokens, given)), key(referencePropagate(text, tokens, given)), text);
    assert.equal(key(propagateEntities(text, null, given)), key(referencePropagate(text, null, given)), text);
  }
});

test('token bounds (typed arrays) give what the tokens give', () => {
  const tokens = tokenize(contract);
  const given = [entity(contract, 'ArTara Therapeutics, Inc.')];
  assert.deepEqual(propagateEntities(contract, tokenBounds(tokens), given), propagateEntities(contract, tokens, given));
});

test('at most MAX_NAMES names are lent, the most confident first', () => {
  const count = MAX_NAMES + 50;
  const names = Array.from({ length: count }, (_, i) => `Name${i.toString(36).toUpperCase()} Corp`);
  const text = names.join('. ') + '.\n' + names.map((n) => n.split(' ')[0]).join(' and ') + '.';
  const given = names.map((n, i) => entity(text, n, 'PARTY', i < 50 ? 0.51 : 0.9));
  const out = propagateEntities(text, tokenize(text), given);
  const lent = new Set(out.filter((e) => e.source === 'document').map((e) => e.text));
  assert.ok(lent.size > 0 && lent.size <= MAX_NAMES);
  for (let i = 0; i < 50; i++) assert.ok(!lent.has(names[i].split(' ')[0]), 'the least confident lend nothing');
});
