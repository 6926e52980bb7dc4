// Normalised values as the hover shows them: ISO dates, amounts with a currency, fractions
// for percentages, ISO 8601 durations; undefined whenever the text is not clearly one.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  currencyAtLineEnd,
  formatAmount,
  normalizeAmount,
  normalizeDate,
  normalizeDuration,
  normalizePercent,
  normalizedValue,
  parseNumber,
} from '../../../src/model/rules/normalize';

function table<T>(fn: (text: string) => T, cases: [string, T][]): void {
  for (const [text, want] of cases) assert.deepEqual(fn(text), want, JSON.stringify(text));
}

describe('normalizeDate', () => {
  test('written months, in both orders, with ordinals and "day of"', () => {
    table(normalizeDate, [
      ['May 5, 2024', '2024-05-05'],
      ['May 5 2024', '2024-05-05'],
      ['5 May 2024', '2024-05-05'],
      ['5th day of May, 2024', '2024-05-05'],
      ['the 1st day of March 2021', '2021-03-01'],
      ['Sept. 3, 2021', '2021-09-03'],
      ['Dec 31, 1999', '1999-12-31'],
      ['DECEMBER 31, 1999', '1999-12-31'],
    ]);
  });

  test('numeric dates: ISO; "/" month first unless the first number cannot be a month; "." day first', () => {
    table(normalizeDate, [
      ['2024-05-06', '2024-05-06'],
      ['2024/5/6', '2024-05-06'],
      ['05/06/2024', '2024-05-06'],
      ['13/06/2024', '2024-06-13'],
      ['05.06.2024', '2024-06-05'],
      ['1/2/99', '1999-01-02'],
      ['1/2/24', '2024-01-02'],
    ]);
  });

  test('a month and a year only', () => {
    table(normalizeDate, [
      ['June 2024', '2024-06'],
      ['June, 2024', '2024-06'],
    ]);
  });

  test('line breaks and runs of spaces inside the span (a date wrapped in the document)', () => {
    assert.equal(normalizeDate(' May\n5,\r\n2024 '), '2024-05-05');
    assert.equal(normalizeDate('5\u00a0May  2024'), '2024-05-05');
  });

  test('impossible or unclear dates give undefined, not a guess', () => {
    table(normalizeDate, [
      ['02/30/2024', undefined],
      ['29/02/2023', undefined],
      ['31 April 2024', undefined],
      ['2024-13-01', undefined],
      ['0/5/2024', undefined],
      ['Ma 5, 2024', undefined], // two letters are no month
      ['Mayday 5, 2024', undefined],
      ['the Effective Date', undefined],
      ['', undefined],
    ]);
    assert.equal(normalizeDate('29/02/2024'), '2024-02-29', 'a leap day is a date');
  });
});

describe('parseNumber', () => {
  test('thousands and decimal separators, as written in English and continental documents', () => {
    table(parseNumber, [
      ['1,234.56', 1234.56],
      ['1.234,56', 1234.56],
      ['1 234,56', 1234.56],
      ['1\u202f234,5', 1234.5],
      ["1'000.50", 1000.5],
      ['1,234', 1234],
      ['1,234,567', 1234567],
      ['1.234.567', 1234567],
      ['12,50', 12.5],
      ['1234', 1234],
      ['-5.00', -5],
    ]);
  });

  test('not a plain number: undefined', () => {
    table(parseNumber, [
      ['', undefined],
      ['-', undefined],
      ['1e5', undefined],
      ['0x10', undefined],
      ['12 USD', undefined],
    ]);
  });
});

describe('amounts', () => {
  test('currency symbols, ISO codes in any case, either side of the number', () => {
    table(normalizeAmount, [
      ['$1,200.00', { value: 1200, currency: 'USD' }],
      ['€1.234,56', { value: 1234.56, currency: 'EUR' }],
      ['EUR 1 234,56', { value: 1234.56, currency: 'EUR' }],
      ['12,50 €', { value: 12.5, currency: 'EUR' }],
      ['£ 3', { value: 3, currency: 'GBP' }],
      ['RM 7.20', { value: 7.2, currency: 'MYR' }],
      ['usd 10', { value: 10, currency: 'USD' }],
      ["CHF 1'000.50", { value: 1000.5, currency: 'CHF' }],
      ['1,234', { value: 1234, currency: undefined }],
      ['7', { value: 7, currency: undefined }],
    ]);
  });

  test('no number: undefined', () => {
    assert.equal(normalizeAmount('USD'), undefined);
    assert.equal(normalizeAmount(''), undefined);
  });

  test('formatAmount: grouped, decimals only when there are some, the currency last', () => {
    assert.equal(formatAmount({ value: 1200, currency: 'USD' }), '1,200 USD');
    assert.equal(formatAmount({ value: 0.5 }), '0.50');
    assert.equal(formatAmount({ value: 1234.5678, currency: 'EUR' }), '1,234.5678 EUR');
    assert.equal(formatAmount({ value: -5 }), '-5');
  });

  test("dollars with a country prefix are that country's currency", () => {
    assert.equal(normalizeAmount('S$5.00')?.currency, 'SGD');
    assert.equal(normalizeAmount('HK$ 100')?.currency, 'HKD');
  });

  test('currencyAtLineEnd: the currency a receipt prints at the end of the line above', () => {
    table(currencyAtLineEnd, [
      ['TOTAL RM', 'MYR'],
      ['AMOUNT (RM)', 'MYR'],
      ['TOTAL S$:', 'SGD'],
      ['Total HK$', 'HKD'],
      ['TOTAL US$', 'USD'],
      ['Amount due EUR', 'EUR'],
      ['TOTAL $', 'USD'],
      ['TOTAL', undefined],
      ['ITEM QTY', undefined],
      ['', undefined],
    ]);
  });
});

describe('normalizePercent and normalizeDuration', () => {
  test('percentages as fractions: sign, words, decimal comma', () => {
    table(normalizePercent, [
      ['2%', 0.02],
      ['five percent (5%)', 0.05],
      ['12,5 %', 0.125],
      ['7.25 per cent', 0.0725],
      ['10 PERCENT', 0.1],
      ['none', undefined],
      ['', undefined],
    ]);
  });

  test('durations in ISO 8601: digits win over words; calendar/business days are days', () => {
    table(normalizeDuration, [
      ['thirty (30) days', 'P30D'],
      ['one year', 'P1Y'],
      ['12 months', 'P12M'],
      ['sixty (60) calendar days', 'P60D'],
      ['ninety business days', 'P90D'],
      ['two-week', 'P2W'],
      ['a month', 'P1M'],
      ['twenty-four (24) months', 'P24M'],
      ['Thirty (30) Days', 'P30D'],
    ]);
  });

  test('a unit without a count, a count without a unit, an unknown number word: undefined', () => {
    table(normalizeDuration, [
      ['days', undefined],
      ['30', undefined],
      ['forever', undefined],
      ['thirteen months', undefined],
      ['', undefined],
    ]);
  });
});

describe('normalizedValue (what the hover prints)', () => {
  test('per label', () => {
    assert.equal(normalizedValue('DATE', 'May 5, 2024'), '2024-05-05');
    assert.equal(normalizedValue('AMOUNT', '$12,000.00'), '12,000 USD');
    assert.equal(normalizedValue('PERCENT', '7.25%'), '0.0725');
    assert.equal(normalizedValue('DURATION', 'thirty (30) days'), 'P30D');
    assert.equal(normalizedValue('PARTY', 'Acme Corp.'), undefined);
    assert.equal(normalizedValue('DATE', 'upon signature'), undefined);
  });

  test('percent values are rounded to six decimals, without floating-point noise', () => {
    assert.equal(normalizedValue('PERCENT', '0.1%'), '0.001');
    assert.equal(normalizedValue('PERCENT', '33.3333333%'), '0.333333');
  });

  test('an amount without a currency takes the one at the end of the line above; its own wins', () => {
    assert.equal(normalizedValue('AMOUNT', '7.20', 'TOTAL RM'), '7.20 MYR');
    assert.equal(normalizedValue('AMOUNT', '7.20', 'AMOUNT (RM)'), '7.20 MYR');
    assert.equal(normalizedValue('AMOUNT', '$7.20', 'TOTAL RM'), '7.20 USD');
    assert.equal(normalizedValue('AMOUNT', '7.20', 'TOTAL'), '7.20');
    assert.equal(normalizedValue('AMOUNT', '7.20'), '7.20');
  });
});
