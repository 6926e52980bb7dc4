import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONTRACT_LABELS,
  generateContract,
  generateContractRecord,
  generateContracts,
  wrapLines,
} from '../../src/recipes/synthetic-contracts';
import { checkDocument } from '../../src/recipes/synthetic-invoices';

const SEED = 20261125;
const COUNT = 400;
const docs = generateContracts(COUNT, SEED);
const records = Array.from({ length: COUNT }, (_, i) => generateContractRecord(SEED, i));

const surfaces = (label: string) =>
  docs.flatMap((d) => d.spans.filter((s) => s.label === label).map((s) => d.text.slice(s.start, s.end)));

describe('generateContracts', () => {
  test('same seed, same documents; document i does not depend on the count; another seed differs', () => {
    assert.deepEqual(generateContracts(COUNT, SEED), docs);
    for (const i of [0, 7, COUNT - 1]) assert.deepEqual(generateContract(SEED, i), docs[i]);
    assert.notDeepEqual(
      generateContracts(20, SEED + 1).map((d) => d.text),
      docs.slice(0, 20).map((d) => d.text),
    );
  });

  test('spans are sorted, on token boundaries, trimmed; only PARTY and ADDRESS, both complete', () => {
    for (const d of docs) {
      checkDocument(d);
      assert.deepEqual(d.complete, [...CONTRACT_LABELS]);
      for (const s of d.spans) {
        assert.ok((CONTRACT_LABELS as readonly string[]).includes(s.label));
        const t = d.text.slice(s.start, s.end);
        assert.equal(t, t.trim());
      }
    }
  });

  test('every layout occurs, and people are parties in a good share of the contracts', () => {
    const layouts = new Set(records.map((r) => r.layout));
    assert.deepEqual([...layouts].sort(), ['columns', 'flat', 'lines']);
    const people = records.filter((r) => r.parties.some((p) => p.kind === 'person')).length;
    assert.ok(people > COUNT * 0.3 && people < COUNT * 0.8, `${people} of ${COUNT} contracts with a person as party`);
    // a person who is a party is labelled wherever named, in the preamble and the signature block
    for (const r of records) {
      for (const p of r.parties.filter((x) => x.kind === 'person')) {
        const named = r.document.spans.filter(
          (s) => s.label === 'PARTY' && r.document.text.slice(s.start, s.end).toUpperCase() === p.name.toUpperCase(),
        );
        assert.ok(named.length >= 1, `${r.document.id}: ${p.name} never labelled`);
      }
    }
  });

  test('names come from an open vocabulary: a second seed writes mostly names the first never wrote', () => {
    const a = new Set(surfaces('PARTY').map((s) => s.toUpperCase()));
    const other = generateContracts(COUNT, SEED + 99);
    const b = new Set(
      other.flatMap((d) =>
        d.spans.filter((s) => s.label === 'PARTY').map((s) => d.text.slice(s.start, s.end).toUpperCase()),
      ),
    );
    const shared = [...b].filter((n) => a.has(n)).length;
    assert.ok(a.size > COUNT, `only ${a.size} distinct party names`);
    assert.ok(shared < b.size * 0.1, `${shared} of ${b.size} names of another seed were written before`);
    const words = new Set(surfaces('PARTY').flatMap((s) => s.toUpperCase().match(/\p{L}+/gu) ?? []));
    assert.ok(words.size > 600, `only ${words.size} distinct words in party names`);
  });

  test('addresses: over one to four lines, inline, and flattened with runs of spaces', () => {
    const addresses = surfaces('ADDRESS');
    assert.ok(addresses.length > COUNT, `${addresses.length} addresses`);
    const lines = new Set(addresses.map((a) => a.split('\n').length));
    for (const n of [1, 2, 3, 4]) assert.ok(lines.has(n), `no address over ${n} line(s)`);
    assert.ok(
      addresses.some((a) => / {3,}/.test(a)),
      'no flattened address',
    );
    assert.ok(
      addresses.some((a) => /, /.test(a) && !a.includes('\n')),
      'no inline address',
    );
  });

  test('what is not a party is not labelled: role names, signing officers, counsel, captions', () => {
    for (const r of records) {
      const d = r.document;
      const party = d.spans.filter((s) => s.label === 'PARTY').map((s) => d.text.slice(s.start, s.end));
      for (const p of r.parties) {
        // a role name is never a party name (unless it is the name itself)
        assert.ok(!party.includes(p.role) && !party.includes(`the ${p.role}`), `${d.id}: role ${p.role} labelled`);
        if (p.signer) assert.ok(!party.includes(p.signer.name), `${d.id}: signer ${p.signer.name} labelled`);
      }
      for (const m of d.text.matchAll(/(?:Name|Attention|Attn|ATTN):\s+([^\n]+?)(?= {3}|\n|$|,)/g)) {
        const at = (m.index ?? 0) + m[0].indexOf(m[1]);
        const labelled = d.spans.some((s) => s.start === at);
        const isParty = r.parties.some(
          (p) => p.kind === 'person' && (p.name.startsWith(m[1]) || m[1].startsWith(p.name)),
        );
        assert.equal(labelled, isParty, `${d.id}: ${JSON.stringify(m[0])}`);
      }
    }
  });

  test('wrapped paragraphs: lines no longer than the width (but a word), offsets kept, names over a wrap', () => {
    const text = 'This Agreement is made by and between Kestrel Holdings, Inc. and Lisa Poobryrax.\nShort line.\n';
    const wrapped = wrapLines(text, 30);
    assert.equal(wrapped.length, text.length);
    assert.equal(wrapped.replace(/\n/g, ' '), text.replace(/\n/g, ' '));
    for (const line of wrapped.split('\n')) assert.ok(line.length <= 30 || !line.includes(' '), line);
    const crossing = docs.flatMap((d) =>
      d.spans.filter((s) => s.label === 'PARTY' && d.text.slice(s.start, s.end).includes('\n')),
    );
    assert.ok(crossing.length > 10, `${crossing.length} party names over a wrapped line`);
  });

  test('rejects a bad count', () => {
    assert.throws(() => generateContracts(-1, 1), RangeError);
    assert.deepEqual(generateContracts(0, 1), []);
  });
});
