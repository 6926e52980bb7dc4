// The field chooser's answers read from CUAD's records: the contract's term, which CUAD does not
// answer, is the duration its expiration date lies from the start date.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cuadAnswers, termAnswers } from '../../src/recipes/fields-data';

const date = (value: string, answer = value) => ({ value, answer });

describe('termAnswers', () => {
  test('whole years from the effective date: in years and in months', () => {
    const a = cuadAnswers({ effective_date: date('2014-02-10'), expiration_date: date('2019-02-10') });
    assert.deepEqual(a.term, [{ value: 'P60M' }, { value: 'P5Y' }]);
  });

  test('the agreement date where there is no effective date, within a day', () => {
    const a = cuadAnswers({ agreement_date: date('2020-03-01'), expiration_date: date('2020-08-31') });
    assert.deepEqual(a.term, [{ value: 'P6M' }]);
  });

  test('no term where CUAD has no expiration date or calls the contract perpetual', () => {
    assert.deepEqual(cuadAnswers({ effective_date: date('2014-02-10') }).term, []);
    assert.deepEqual(termAnswers({ expiration_date: [{ unnormalisable: 'Perpetual' }] }), []);
  });

  test('unknown where the expiration is no whole number of months from the start, a blank, or there is no start', () => {
    assert.equal(
      cuadAnswers({ effective_date: date('2014-02-10'), expiration_date: date('2014-12-31') }).term,
      undefined,
    );
    assert.equal(termAnswers({ expiration_date: [{ unnormalisable: '[]/[]/2021' }] }), undefined);
    assert.equal(cuadAnswers({ expiration_date: date('2019-02-10') }).term, undefined);
  });
});
