// fields.json: a workspace's overrides of the default fields, parsed without throwing, every
// mistake one problem naming where it is, the right parts still applied.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldsFor, parseFieldsConfig } from '../../../src/model/fields/config';
import { defaultFields } from '../../../src/model/fields/schema';

describe('default fields', () => {
  test('contracts and invoices have the fields the issue lists, in order', () => {
    assert.deepEqual(
      defaultFields('contract').map((f) => f.name),
      [
        'parties',
        'agreement_date',
        'effective_date',
        'expiration_date',
        'term',
        'renewal_term',
        'notice_period',
        'governing_law',
      ],
    );
    const invoice = [
      'seller',
      'seller_address',
      'buyer',
      'buyer_address',
      'invoice_number',
      'date',
      'due_date',
      'subtotal',
      'tax',
      'tax_rate',
      'total',
      'currency',
      'iban',
      'bic',
      'tax_id',
    ];
    assert.deepEqual(
      defaultFields('invoice').map((f) => f.name),
      invoice,
    );
    assert.deepEqual(
      defaultFields('receipt').map((f) => f.name),
      invoice,
    );
  });

  test('a fresh copy each time: changing one does not change the next', () => {
    const a = defaultFields('contract');
    a[0].labels.push('X');
    assert.deepEqual(defaultFields('contract')[0].labels, ['PARTY']);
  });
});

describe('parseFieldsConfig', () => {
  test('changes, removes and adds fields', () => {
    const { config, problems } = parseFieldsConfig(
      JSON.stringify({
        contract: {
          purchase_price: { label: 'AMOUNT', pick: 'largest' },
          renewal_term: false,
          parties: { values: 4 },
        },
        invoice: { po_number: { label: ['PO_NUMBER'], pick: 'first', keywords: ['PO'] } },
      }),
    );
    assert.deepEqual(problems, []);
    const contract = fieldsFor('contract', config);
    assert.ok(!contract.some((f) => f.name === 'renewal_term'));
    assert.equal(contract.find((f) => f.name === 'parties')?.max, 4);
    const price = contract.find((f) => f.name === 'purchase_price');
    assert.deepEqual(price, {
      name: 'purchase_price',
      labels: ['AMOUNT'],
      type: 'amount',
      pick: 'largest',
      max: 1,
      keywords: undefined,
    });
    const po = fieldsFor('invoice', config).find((f) => f.name === 'po_number');
    assert.equal(po?.type, 'text');
    assert.deepEqual(po?.keywords, ['PO']);
    // the receipt fields are untouched
    assert.deepEqual(fieldsFor('receipt', config), defaultFields('receipt'));
  });

  test('every mistake is one problem with its place; the right parts still apply', () => {
    const { config, problems } = parseFieldsConfig(
      JSON.stringify({
        contract: {
          price: { pick: 'biggest', label: 'AMOUNT' },
          term: { values: 0 },
          notice_period: { colour: 'red' },
          'bad name': { label: 'X' },
          new_one: { pick: 'first' },
          governing_law: { type: 'money' },
          nothing: false,
          effective_date: { pick: 'last' },
        },
        memo: {},
        invoice: [],
      }),
    );
    assert.deepEqual(problems, [
      'contract.price.pick: must be one of learned, first, last, largest, smallest, all, not "biggest"',
      'contract.term.values: must be a whole number from 1 to 100 or "all", not 0',
      'contract.notice_period.colour: unknown setting (one of label, pick, values, type, keywords)',
      'contract.bad name: a field name is a letter then letters, digits or _ (at most 64)',
      'contract.new_one: a new field needs a "label"',
      'contract.governing_law.type: must be one of party, address, date, duration, amount, percent, law, identifier, iban, bic, currency, text, not "money"',
      'contract.nothing: there is no such field to remove',
      'memo: not a kind of document (one of contract, invoice, receipt)',
      'invoice: must be an object of fields, not a list',
    ]);
    assert.equal(fieldsFor('contract', config).find((f) => f.name === 'effective_date')?.pick, 'last');
  });

  test('not JSON, or not an object: one problem, no change', () => {
    const bad = parseFieldsConfig('{"contract": ');
    assert.equal(bad.problems.length, 1);
    assert.match(bad.problems[0], /^not valid JSON/);
    assert.deepEqual(bad.config, {});
    assert.match(parseFieldsConfig('[1]').problems[0], /^must be an object with the kinds/);
    assert.deepEqual(parseFieldsConfig('\uFEFF{}'), { config: {}, problems: [] });
  });
});
