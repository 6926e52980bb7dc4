// Values the others imply: a contract's expiration date from its start date and its term.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { withDerivedValues } from '../../../src/model/fields/derived';
import { fieldsJson } from '../../../src/model/fields/export';
import type { FieldValue } from '../../../src/model/fields/result';

function v(value: string, text: string, start: number, confidence = 0.9): FieldValue {
  return { value, text, confidence, start, end: start + text.length };
}

describe('derived expiration date', () => {
  const base = (): Record<string, FieldValue[]> => ({
    agreement_date: [v('2019-02-28', 'February 28, 2019', 40)],
    effective_date: [v('2020-03-15', 'March 15, 2020', 90)],
    term: [v('P5Y', 'five (5) years', 300, 0.6)],
    expiration_date: [],
  });

  test('the effective date plus the term, pointing at the term, with both confidences', () => {
    const out = withDerivedValues(base());
    assert.deepEqual(out.expiration_date, [
      {
        value: '2025-03-15',
        text: 'five (5) years',
        confidence: 0.54,
        start: 300,
        end: 314,
        derivedFrom: ['effective_date', 'term'],
      },
    ]);
  });

  test('the JSON the CLI prints says what it was computed from', () => {
    const json = fieldsJson('c.txt', { kind: 'contract', fields: withDerivedValues(base()), checks: [] });
    assert.deepEqual(json.fields.expiration_date[0].derivedFrom, ['effective_date', 'term']);
    assert.equal(json.fields.term[0].derivedFrom, undefined);
  });

  test('the agreement date where no effective date was found; months as well as years', () => {
    const fields = { ...base(), effective_date: [], term: [v('P24M', '24 months', 300)] };
    const out = withDerivedValues(fields).expiration_date[0];
    assert.equal(out.value, '2021-02-28');
    assert.deepEqual(out.derivedFrom, ['agreement_date', 'term']);
  });

  test('never over a chosen or corrected expiration date, a term in days, an unsure term or a month-only date', () => {
    const stated = { ...base(), expiration_date: [v('2024-12-31', 'December 31, 2024', 500)] };
    assert.equal(withDerivedValues(stated).expiration_date[0].value, '2024-12-31');
    const removed = withDerivedValues(base(), [{ field: 'expiration_date', none: true }]);
    assert.deepEqual(removed.expiration_date, [], 'a user who removed the expiration date keeps it removed');
    assert.deepEqual(withDerivedValues({ ...base(), term: [v('P30D', '30 days', 300)] }).expiration_date, []);
    assert.deepEqual(withDerivedValues({ ...base(), term: [v('P5Y', 'five years', 300, 0.2)] }).expiration_date, []);
    const monthOnly = { ...base(), effective_date: [v('2020-02', 'February 2020', 90)] };
    assert.deepEqual(withDerivedValues(monthOnly).expiration_date, []);
    const invoice = { date: [v('2020-01-01', '1/1/2020', 0)], total: [v('10.00', '10.00', 20)] };
    assert.equal(withDerivedValues(invoice), invoice, 'fields without an expiration date are left alone');
  });
});
