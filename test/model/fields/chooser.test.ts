// The field chooser as a learned decision: trained on a few synthetic contracts where the
// effective date is not the first date and the notice period is not the first duration, it
// picks them in contracts it has not seen; a user's corrections teach it too; its file round-
// trips and bad files are refused with a clear message.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../src/model/core/random';
import { FieldChooser } from '../../../src/model/fields/chooser';
import { extractFields, rankCandidates } from '../../../src/model/fields/extract';
import {
  collectDecisions,
  correctionExample,
  trainFieldChooser,
  tuneThresholds,
  withThresholds,
  type FieldExample,
} from '../../../src/model/fields/training';
import { parseFieldCorrectionLine } from '../../../src/model/fields/corrections';
import { InputError } from '../../../src/model/io/files';

const MONTHS = ['January', 'March', 'May', 'July', 'September', 'November'];

/** A contract signed on one date, effective on another, with a notice period after a renewal term. */
function contract(rng: Rng): { text: string; signed: string; effective: string; notice: string } {
  const d = () => `${MONTHS[rng.int(MONTHS.length)]} ${1 + rng.int(27)}, ${2000 + rng.int(20)}`;
  const signed = d();
  let effective = d();
  while (effective === signed) effective = d();
  const renewal = `${2 + rng.int(3)} years`;
  const notice = `${[30, 60, 90][rng.int(3)]} days`;
  const text =
    `SUPPLY AGREEMENT\n\nThis Supply Agreement is signed on ${signed} by Acme Corp. and Beta LLC.\n\n` +
    `1. Term. This Agreement takes effect on ${effective} (the "Effective Date"). It renews for successive ` +
    `periods of ${renewal} unless a party gives written notice of non-renewal at least ${notice} before the end of the term.\n\n` +
    `2. Records. Each party keeps its records for ${1 + rng.int(5)} years.\n`;
  return { text, signed, effective, notice };
}

function examples(n: number, seed: number): FieldExample[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const c = contract(rng);
    return {
      text: c.text,
      kind: 'contract' as const,
      answers: {
        effective_date: [{ text: c.effective }],
        agreement_date: [{ text: c.signed }],
        notice_period: [{ value: `P${c.notice.split(' ')[0]}D` }],
        expiration_date: [],
      },
    };
  });
}

describe('trained chooser', () => {
  const chooser = trainFieldChooser(examples(30, 1), { l2: 0.01, iterations: 200 });

  test('picks the effective date and the notice period, not the first date or duration', () => {
    const rng = new Rng(99);
    let right = 0;
    for (let i = 0; i < 10; i++) {
      const c = contract(rng);
      const f = extractFields(c.text, { kind: 'contract', chooser }).fields;
      if (f.effective_date[0]?.text === c.effective && f.notice_period[0]?.text === c.notice) right++;
      // without the chooser, the first mention wins
      const naive = extractFields(c.text, { kind: 'contract' }).fields;
      assert.equal(naive.effective_date[0]?.text, c.signed);
    }
    assert.equal(right, 10);
  });

  test('no expiration date mention where none was ever right', () => {
    const c = contract(new Rng(5));
    const chosen = extractFields(c.text, { kind: 'contract', chooser }).fields.expiration_date;
    // a value computed from the start date and the term (fields/derived.ts) is not a mention chosen
    assert.deepEqual(
      chosen.filter((v) => !v.derivedFrom),
      [],
    );
  });

  test('rankCandidates: every date, the chosen one first, probabilities summing to at most 1', () => {
    const c = contract(new Rng(6));
    const ranked = rankCandidates(c.text, 'effective_date', { kind: 'contract', chooser });
    assert.equal(ranked.length, 2);
    assert.equal(ranked[0].candidate.text, c.effective);
    assert.ok(ranked.reduce((a, r) => a + r.probability, 0) <= 1 + 1e-9);
  });

  test('tuned thresholds are stored with the field and used', () => {
    const decisions = collectDecisions(chooser, examples(10, 2));
    const tuned = tuneThresholds(decisions);
    assert.ok(tuned['contract.effective_date'].threshold! > 0);
    const c2 = withThresholds(chooser, { 'contract.effective_date': { threshold: 1.01 } });
    const c = contract(new Rng(7));
    assert.deepEqual(extractFields(c.text, { kind: 'contract', chooser: c2 }).fields.effective_date, []);
  });

  test('the file round-trips; a broken one is refused with its reason', () => {
    const again = FieldChooser.fromJSON(JSON.parse(JSON.stringify(chooser.toJSON())));
    const c = contract(new Rng(8));
    assert.deepEqual(
      extractFields(c.text, { kind: 'contract', chooser: again }),
      extractFields(c.text, { kind: 'contract', chooser }),
    );
    assert.throws(
      () => FieldChooser.fromJSON({ format: 'other' }),
      (e: unknown) => e instanceof InputError && /not a field chooser/.test(e.message),
    );
    assert.throws(
      () =>
        FieldChooser.fromJSON({
          format: 'entity-lens-field-chooser',
          version: 1,
          fields: { 'contract.x': { none: 0, weights: { a: 'b' } } },
        }),
      /weights\["a"\] is not a number/,
    );
  });
});

describe("a user's corrections", () => {
  test('teach a field the chooser had no weights for, and move a trained one', () => {
    const rng = new Rng(3);
    // the user's documents: the renewal period is what they call the term
    const corrected: FieldExample[] = [];
    for (let i = 0; i < 12; i++) {
      const c = contract(rng);
      const at = c.text.indexOf('successive periods of ') + 'successive periods of '.length;
      const end = c.text.indexOf(' unless');
      corrected.push(
        correctionExample(c.text, 'contract', [
          { field: 'term', range: { start: at, end } },
          { field: 'expiration_date', none: true },
        ]),
      );
    }
    const base = trainFieldChooser(examples(20, 4), { l2: 0.01, iterations: 150 });
    const tuned = trainFieldChooser(corrected, { base, l2: 0.01, iterations: 150 });
    const c = contract(new Rng(42));
    const term = extractFields(c.text, { kind: 'contract', chooser: tuned }).fields.term;
    assert.equal(term.length, 1);
    assert.match(term[0].text, /^\d years$/);
    assert.match(c.text.slice(term[0].start - 22, term[0].start), /successive periods of $/);
    // the fields the corrections did not touch keep the base's weights
    assert.deepEqual(tuned.weights('contract', 'effective_date'), base.weights('contract', 'effective_date'));
  });
});

describe('field corrections file', () => {
  test('a line read back as a training example; a bad line named with its number', () => {
    const text = 'Total due: EUR 10.00';
    const line = JSON.stringify({
      text,
      kind: 'invoice',
      corrections: [
        { field: 'total', range: { start: 11, end: 20 } },
        { field: 'tax', none: true },
        { field: 'currency', value: 'EUR' },
      ],
    });
    const record = parseFieldCorrectionLine(line, 1);
    assert.deepEqual(record.corrections, [
      { field: 'total', range: { start: 11, end: 20 } },
      { field: 'tax', none: true },
      { field: 'currency', value: 'EUR' },
    ]);
    const ex = correctionExample(record.text, record.kind, record.corrections);
    assert.deepEqual(ex.answers, { total: [{ start: 11, end: 20 }], tax: [], currency: [{ value: 'EUR' }] });
    assert.throws(
      () => parseFieldCorrectionLine('{"text": "x"', 7, 'fc.jsonl'),
      /^InputError: fc\.jsonl:7: not valid JSON\.$|fc\.jsonl:7: not valid JSON\./,
    );
    assert.throws(
      () => parseFieldCorrectionLine(JSON.stringify({ text, kind: 'memo', corrections: [] }), 2),
      /2: "kind" must be one of contract, invoice, receipt/,
    );
    assert.throws(
      () =>
        parseFieldCorrectionLine(
          JSON.stringify({ text, kind: 'invoice', corrections: [{ field: 'total', range: { start: 5, end: 99 } }] }),
          3,
        ),
      /corrections\[0\] needs a "value", "none": true, or a "range" inside the text/,
    );
  });
});
