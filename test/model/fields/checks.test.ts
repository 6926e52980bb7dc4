// The value checks: each one failing on values that do not add up (with the arithmetic in the
// message and, where one value is clearly misread, the correction), and silent when they do.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentContext } from '../../../src/model/fields/candidates';
import { addDuration, checkFields, oneEdit } from '../../../src/model/fields/checks';
import type { FieldValue } from '../../../src/model/fields/result';
import type { DocumentKind } from '../../../src/model/rules/document-kind';
import { ibanCheckDigits } from '../../../src/model/rules/bank';

/** A field value at the first occurrence of `text` in `doc`. */
function at(doc: string, text: string, value: string, extra: Partial<FieldValue> = {}): FieldValue {
  const start = doc.indexOf(text);
  assert.ok(start >= 0, `${text} not in the document`);
  return { value, text, confidence: 1, start, end: start + text.length, ...extra };
}

function run(kind: DocumentKind, text: string, fields: Record<string, FieldValue[]>) {
  return checkFields(kind, fields, new DocumentContext(text, kind));
}

const INVOICE = `Invoice INV-7
Net amount EUR 176.43
VAT 19% EUR 33.52
Total EUR 209.95
`;

describe('totals', () => {
  test('net + tax = total holds: nothing to report', () => {
    const fields = {
      subtotal: [at(INVOICE, '176.43', '176.43')],
      tax: [at(INVOICE, '33.52', '33.52')],
      total: [at(INVOICE, '209.95', '209.95')],
      tax_rate: [at(INVOICE, '19%', '0.19')],
    };
    assert.deepEqual(run('invoice', INVOICE, fields), []);
  });

  test('a misread total: the arithmetic, and the total as the correction', () => {
    const text = INVOICE.replace('Total EUR 209.95', 'Total EUR 289.95');
    const checks = run('invoice', text, {
      subtotal: [at(text, '176.43', '176.43')],
      tax: [at(text, '33.52', '33.52')],
      total: [at(text, '289.95', '289.95')],
      tax_rate: [at(text, '19%', '0.19')],
    });
    assert.equal(checks.length, 1);
    assert.equal(checks[0].code, 'total-sum');
    assert.equal(checks[0].severity, 'error');
    assert.equal(checks[0].message, 'total 289.95 ≠ net 176.43 + tax 33.52 = 209.95');
    assert.deepEqual(checks[0].fields, ['subtotal', 'tax', 'total']);
    assert.deepEqual(checks[0].suggestion, {
      field: 'total',
      value: '209.95',
      start: text.indexOf('289.95'),
      end: text.indexOf('289.95') + 6,
    });
  });

  test('a total with two digits swapped: the tax that holds to the cent says the total is the misread one', () => {
    // a tax 0.54 off would also hold within the rate's 0.5 % tolerance: the exact rate decides
    const text = `Net amount EUR 4.872,50\nVAT 19% EUR 925,78\nTotal amount due EUR 5.798,82\n`;
    const checks = run('invoice', text, {
      subtotal: [at(text, '4.872,50', '4872.50')],
      tax: [at(text, '925,78', '925.78')],
      total: [at(text, '5.798,82', '5798.82')],
      tax_rate: [at(text, '19%', '0.19')],
    });
    assert.equal(checks[0].message, 'total 5798.82 ≠ net 4872.50 + tax 925.78 = 5798.28');
    assert.equal(checks[0].suggestion?.field, 'total');
    assert.equal(checks[0].suggestion?.value, '5798.28');
  });

  test('a misread tax: both the sum and the rate fail, and the tax is the correction', () => {
    const text = INVOICE.replace('EUR 33.52', 'EUR 38.52');
    const checks = run('invoice', text, {
      subtotal: [at(text, '176.43', '176.43')],
      tax: [at(text, '38.52', '38.52')],
      total: [at(text, '209.95', '209.95')],
      tax_rate: [at(text, '19%', '0.19')],
    });
    assert.deepEqual(
      checks.map((c) => c.code),
      ['total-sum', 'tax-rate'],
    );
    assert.equal(checks[0].suggestion?.field, 'tax');
    assert.equal(checks[0].suggestion?.value, '33.52');
    assert.equal(checks[1].message, 'tax 38.52 ≠ rate 19% × net 176.43 = 33.52');
  });

  test('no clear culprit: the failure without a suggestion', () => {
    const text = 'Net 100.00\nTax 10.00\nTotal 150.00\n';
    const checks = run('invoice', text, {
      subtotal: [at(text, '100.00', '100.00')],
      tax: [at(text, '10.00', '10.00')],
      total: [at(text, '150.00', '150.00')],
    });
    assert.equal(checks.length, 1);
    assert.equal(checks[0].suggestion, undefined);
  });
});

describe('line items', () => {
  const table = `Item  Qty  Price  Amount
Chair  6  EUR 389,00  EUR 2.334,00
Desk  3  EUR 712,50  EUR 2.137,50
Net amount  EUR 4.571,50
`;
  test('item amounts that do not add up to the subtotal', () => {
    const checks = run('invoice', table, { subtotal: [at(table, '4.571,50', '4571.50')] });
    assert.equal(checks.length, 1);
    assert.equal(checks[0].code, 'line-items');
    assert.equal(checks[0].message, 'line items 2334.00 + 2137.50 = 4471.50 ≠ subtotal 4571.50');
  });
  test('silent when they do', () => {
    const text = table.replace('4.571,50', '4.471,50');
    assert.deepEqual(run('invoice', text, { subtotal: [at(text, '4.471,50', '4471.50')] }), []);
  });
});

describe('dates', () => {
  test('a due date before the invoice date', () => {
    const text = 'Date: 2024-05-10\nDue: 2024-05-01\n';
    const checks = run('invoice', text, {
      date: [at(text, '2024-05-10', '2024-05-10')],
      due_date: [at(text, '2024-05-01', '2024-05-01')],
    });
    assert.equal(checks[0].code, 'due-date');
    assert.equal(checks[0].message, 'due date 2024-05-01 is before the invoice date 2024-05-10');
  });

  test('a contract that expires before it takes effect', () => {
    const text = 'effective May 1, 2024 and expires April 30, 2023';
    const checks = run('contract', text, {
      effective_date: [at(text, 'May 1, 2024', '2024-05-01')],
      expiration_date: [at(text, 'April 30, 2023', '2023-04-30')],
    });
    assert.equal(checks[0].code, 'expiration');
  });

  test('effective date + term = expiration, or the day before it; else a warning with the sum', () => {
    const text = 'effective May 1, 2024 for a term of two (2) years, until April 30, 2026; or May 1, 2027';
    const fields = {
      effective_date: [at(text, 'May 1, 2024', '2024-05-01')],
      term: [at(text, 'two (2) years', 'P2Y')],
      expiration_date: [at(text, 'April 30, 2026', '2026-04-30')],
    };
    assert.deepEqual(run('contract', text, fields), []);
    fields.expiration_date = [at(text, 'May 1, 2027', '2027-05-01')];
    const checks = run('contract', text, fields);
    assert.equal(checks[0].code, 'term-expiration');
    assert.equal(checks[0].message, 'expiration date 2027-05-01 ≠ effective date 2024-05-01 + term P2Y = 2026-05-01');
  });

  test('addDuration keeps the unit', () => {
    assert.equal(addDuration('2024-01-31', 'P1M'), '2024-03-02');
    assert.equal(addDuration('2024-02-29', 'P1Y'), '2025-03-01');
    assert.equal(addDuration('2024-05-01', 'P30D'), '2024-05-31');
    assert.equal(addDuration('2024-05-01', 'P2W'), '2024-05-15');
    assert.equal(addDuration('2024-05', 'P1Y'), undefined);
  });
});

describe('bank details, tax ids, currencies, words', () => {
  const valid = `DE${ibanCheckDigits('DE', '370400440532013000')}370400440532013000`;
  test('an IBAN that fails mod 97; the one OCR confusion that passes is the correction', () => {
    const misread = `${valid.slice(0, 6)}O${valid.slice(7)}`; // a 0 read as O
    assert.equal(valid[6], '0');
    const text = `IBAN: ${misread}\n`;
    const checks = run('invoice', text, {});
    assert.equal(checks.length, 1);
    assert.equal(checks[0].code, 'iban');
    assert.match(checks[0].message, /fails the ISO 13616 check/);
    assert.equal(checks[0].suggestion?.value, valid);
    assert.deepEqual(run('invoice', `IBAN: ${valid}\n`, { iban: [at(`IBAN: ${valid}\n`, valid, valid)] }), []);
  });

  test('a BIC of the wrong shape, a VAT id of the wrong shape', () => {
    const text = 'BIC: DEUTDEF\nVAT ID: DE12345678\n';
    const checks = run('invoice', text, {
      bic: [at(text, 'DEUTDEF', 'DEUTDEF')],
      tax_id: [at(text, 'DE12345678', 'DE12345678')],
    });
    assert.deepEqual(
      checks.map((c) => c.code),
      ['bic', 'tax-id'],
    );
    const ok = 'BIC: DEUTDEFF\nVAT ID: DE123456789\n';
    assert.deepEqual(
      run('invoice', ok, { bic: [at(ok, 'DEUTDEFF', 'DEUTDEFF')], tax_id: [at(ok, 'DE123456789', 'DE123456789')] }),
      [],
    );
  });

  test('amounts in two currencies', () => {
    const text = 'Item EUR 10.00\nShipping USD 5.00\nTotal EUR 15.00\n';
    const checks = run('invoice', text, {});
    assert.equal(checks.length, 1);
    assert.equal(checks[0].code, 'currency');
    assert.equal(checks[0].message, 'amounts in more than one currency: EUR (2), USD (1)');
  });

  test('an amount in words and figures with two values', () => {
    const text = 'The fee is Five Thousand Dollars ($6,000) payable at once.';
    const checks = run('contract', text, {});
    assert.equal(checks.length, 1);
    assert.equal(checks[0].code, 'total-words');
    assert.equal(checks[0].message, '"Five Thousand Dollars ($6,000)": in words 5000, in figures 6000');
    assert.deepEqual(run('contract', text.replace('6,000', '5,000'), {}), []);
  });

  test('oneEdit: one character replaced, added or dropped', () => {
    assert.ok(oneEdit('209.95', '289.95'));
    assert.ok(oneEdit('209.95', '2209.95'));
    assert.ok(!oneEdit('209.95', '209.95'));
    assert.ok(!oneEdit('209.95', '208.96'));
  });
});
