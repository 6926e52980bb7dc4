// The normalisers behind hovers and document fields: ISO dates in the forms contracts and
// receipts print, ISO 8601 durations in the unit written, amounts as decimals with their
// currency, numbers in words, the governing law's place name.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  currencyOf,
  dateOrderOf,
  decimalString,
  normalizeAmount,
  normalizeDate,
  normalizeDuration,
  parseNumber,
  parseNumberWords,
} from '../../../src/model/rules/normalize';
import { governingLawName, placeNames } from '../../../src/model/rules/jurisdiction';

describe('normalizeDate', () => {
  test('the forms contracts print', () => {
    const cases: [string, string][] = [
      ['May 5, 2024', '2024-05-05'],
      ['5 May 2024', '2024-05-05'],
      ['5th day of May, 2024', '2024-05-05'],
      ['the 20t h day of November, 2018', '2018-11-20'],
      ['1s t day of October 2008', '2008-10-01'],
      ['19  DAY OF MAY , 2010', '2010-05-19'],
      ['the twenty-first day of May 2024', '2024-05-21'],
      ['first day of June, 2004', '2004-06-01'],
      ['Monday, March 9th, 2015', '2015-03-09'],
      ['Sept. 3, 2019', '2019-09-03'],
      ['2024-05-12', '2024-05-12'],
      ['December 2019', '2019-12'],
    ];
    for (const [text, iso] of cases) assert.equal(normalizeDate(text), iso, text);
  });

  test('the forms receipts print, numeric dates in the document order', () => {
    assert.equal(normalizeDate('25/12/2018'), '2018-12-25');
    assert.equal(normalizeDate('05/06/2024'), '2024-05-06');
    assert.equal(normalizeDate('05/06/2024', 'DMY'), '2024-06-05');
    assert.equal(normalizeDate('12.05.2024'), '2024-05-12');
    assert.equal(normalizeDate('12-23-2019'), '2019-12-23');
    assert.equal(normalizeDate('05-MAY-2024'), '2024-05-05');
    assert.equal(normalizeDate('24 MAR 18'), '2018-03-24');
    assert.equal(normalizeDate('OCT 9, 2018'), '2018-10-09');
    assert.equal(normalizeDate('20180324'), '2018-03-24');
  });

  test('undefined when unsure: a blank day, an impossible date, words', () => {
    assert.equal(normalizeDate('September ___, 2019'), undefined);
    assert.equal(normalizeDate('31/02/2020'), undefined);
    assert.equal(normalizeDate('the Effective Date'), undefined);
  });

  test('dateOrderOf: the order a date that reads one way only gives', () => {
    assert.equal(dateOrderOf(['05/06/2024', '25/12/2018']), 'DMY');
    assert.equal(dateOrderOf(['12/23/2019']), 'MDY');
    assert.equal(dateOrderOf(['05/06/2024']), undefined);
  });
});

describe('normalizeDuration', () => {
  test('keeps the unit as written', () => {
    const cases: [string, string][] = [
      ['thirty (30) days', 'P30D'],
      ['24 months', 'P24M'],
      ['two (2) years', 'P2Y'],
      ['one year', 'P1Y'],
      ['a year', 'P1Y'],
      ['five (5)-year', 'P5Y'],
      ['30-day', 'P30D'],
      ['successive 1 year', 'P1Y'],
      ['ninety (90) calendar days', 'P90D'],
      ['forty-five days', 'P45D'],
      ['one hundred twenty days', 'P120D'],
      ['48 hours', 'PT48H'],
      ['one quarter', 'P3M'],
    ];
    for (const [text, iso] of cases) assert.equal(normalizeDuration(text), iso, text);
  });

  test('undefined without a number or a unit', () => {
    assert.equal(normalizeDuration('perpetual'), undefined);
    assert.equal(normalizeDuration('several days'), undefined);
  });
});

describe('amounts', () => {
  test('decimal string with the decimals printed, and the currency', () => {
    const cases: [string, string, string | undefined][] = [
      ['$1,200.00', '1200.00', 'USD'],
      ['EUR 4.872,50', '4872.50', 'EUR'],
      ['1 250,00 CHF', '1250.00', 'CHF'],
      ['RM9.00', '9.00', 'MYR'],
      ['S$ 12.50', '12.50', 'SGD'],
      ['US$500', '500', 'USD'],
      ['$5 million', '5000000', 'USD'],
      ['Five Thousand Dollars ($5,000)', '5000', 'USD'],
      ['Five Thousand Dollars', '5000', 'USD'],
      ['-5.59', '-5.59', undefined],
      ['9.00', '9.00', undefined],
    ];
    for (const [text, value, currency] of cases) {
      const a = normalizeAmount(text);
      assert.ok(a, text);
      assert.equal(decimalString(a), value, text);
      assert.equal(a.currency, currency, text);
    }
  });

  test('parseNumber reads grouping and decimal separators of several countries', () => {
    assert.equal(parseNumber('1,234.56'), 1234.56);
    assert.equal(parseNumber('1.234,56'), 1234.56);
    assert.equal(parseNumber('1 234,56'), 1234.56);
    assert.equal(parseNumber('1,234'), 1234);
    assert.equal(parseNumber('12,50'), 12.5);
    assert.equal(parseNumber('1.234.567'), 1234567);
    assert.equal(parseNumber('abc'), undefined);
  });

  test('currencyOf: prefixed dollars before the plain dollar sign', () => {
    assert.equal(currencyOf('S$5.00'), 'SGD');
    assert.equal(currencyOf('HK$ 20'), 'HKD');
    assert.equal(currencyOf('$5.00'), 'USD');
    assert.equal(currencyOf('TOTAL RM'), 'MYR');
    assert.equal(currencyOf('9.00'), undefined);
  });

  test('parseNumberWords', () => {
    assert.equal(parseNumberWords('thirty'), 30);
    assert.equal(parseNumberWords('twenty-four'), 24);
    assert.equal(parseNumberWords('one hundred and five'), 105);
    assert.equal(parseNumberWords('Five Thousand Two Hundred'), 5200);
    assert.equal(parseNumberWords('two million five hundred thousand'), 2_500_000);
    assert.equal(parseNumberWords('thirty apples'), undefined);
  });
});

describe('governing law', () => {
  test('the place name users file it under', () => {
    assert.equal(governingLawName('the laws of the State of New York'), 'New York');
    assert.equal(governingLawName('England and Wales'), 'England and Wales');
    assert.equal(governingLawName('Ontario, Canada'), 'Ontario');
    assert.equal(governingLawName('Province of Ontario, Canada'), 'Ontario');
    assert.equal(governingLawName('State of Delaware, United States of America'), 'Delaware');
    assert.equal(governingLawName("People's Republic of China"), "People's Republic of China");
    assert.equal(governingLawName('PRC'), "People's Republic of China");
    assert.equal(governingLawName('NEW YORK'), 'New York');
    assert.equal(governingLawName('Texas; Singapore; Belgium'), 'Texas and Singapore and Belgium');
    assert.equal(governingLawName('the United States'), 'United States');
    assert.equal(governingLawName('[* * *]'), undefined);
  });

  test('placeNames: "us" the word is no place', () => {
    assert.deepEqual(placeNames('let us agree in the US'), ['United States']);
  });
});
