// The normalisers behind hovers and document fields: ISO dates in the forms contracts and
// receipts print, amounts as decimals with their currency, fractions for percentages, ISO 8601
// durations in the unit written, numbers in words, the governing law's place name; undefined
// whenever the text is not clearly one.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  currencyAtLineEnd,
  currencyOf,
  dateOrderOf,
  decimalString,
  formatAmount,
  normalizeAmount,
  normalizeDate,
  normalizeDuration,
  normalizePercent,
  normalizedValue,
  parseNumber,
  parseNumberWords,
} from '../../../src/model/rules/normalize';
import { governingLawName, placeNames } from '../../../src/model/rules/jurisdiction';

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

  test('spaces only between groups of three, or after a decimal point as OCR leaves it', () => {
    table(parseNumber, [
      ['1 234 567', 1234567],
      ['68. 87', 68.87],
      ['0, 50', 0.5],
      ['87 4,13', undefined],
      ['12 34', undefined],
      ['1 2345', undefined],
      ['68. 87 4,13', undefined],
    ]);
    assert.equal(normalizeAmount('87 4,13'), undefined);
    assert.deepEqual(normalizeAmount('RM 0. 00'), { value: 0, currency: 'MYR', decimals: 2 });
  });
});

describe('amounts', () => {
  test('currency symbols, ISO codes in any case, either side of the number', () => {
    table(normalizeAmount, [
      ['$1,200.00', { value: 1200, currency: 'USD', decimals: 2 }],
      ['€1.234,56', { value: 1234.56, currency: 'EUR', decimals: 2 }],
      ['EUR 1 234,56', { value: 1234.56, currency: 'EUR', decimals: 2 }],
      ['12,50 €', { value: 12.5, currency: 'EUR', decimals: 2 }],
      ['£ 3', { value: 3, currency: 'GBP', decimals: 0 }],
      ['RM 7.20', { value: 7.2, currency: 'MYR', decimals: 2 }],
      ['usd 10', { value: 10, currency: 'USD', decimals: 0 }],
      ["CHF 1'000.50", { value: 1000.5, currency: 'CHF', decimals: 2 }],
      ['1,234', { value: 1234, currency: undefined, decimals: 0 }],
      ['7', { value: 7, currency: undefined, decimals: 0 }],
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
      ['umpteen months', undefined],
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

describe('normalizeDate: the forms fields meet', () => {
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

describe('normalizeDuration: the unit as written', () => {
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

describe('amounts as field values', () => {
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
