// extractFields on a real receipt's layout with the shipped model and field chooser: fields
// chosen one by one can land on the same printed number (the total, the subtotal and the tax all
// "60.31"), which makes the value checks report arithmetic that was never printed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseValues, extractFields } from '../../../src/model/fields/extract';
import { DocumentContext } from '../../../src/model/fields/candidates';
import { fieldsFor } from '../../../src/model/fields/config';
import { loadFieldChooser } from '../../../src/model/fields/chooser';
import { defaultModelDir } from '../../../src/model/io/paths';
import { Tagger } from '../../../src/model/inference/tagger';
import type { DocumentFields } from '../../../src/model/fields/result';

/** A SROIE-style receipt without tax: the total, a rounding, the cash and the change. */
const RECEIPT = `INDAH GIFT & HOME DECO
27,JALAN DEDAP 13,
TAMAN JOHOR JAYA,
81100 JOHOR BAHRU,JOHOR.
TEL:07-3507405
FAX:07-3558160
RECEIPT
19/10/2018 20:49:59 #01
DESC/ITEM
QTY
PRICE
AMT(RM)
GF-TABLE LAMP/STITCH <I>
62483
1
55.90
55.90
@DISC
10.00%
-5.59
#TOTAL QTY
2
TOTAL AMT................. RM
60.31
ROUNDING ADJ............
-0.01
RM
60.30
CASH.................... RM
70.30
CHANGE.................. RM
10.00
THANK YOU ! PLEASE COME AGAIN !
`;

test('one printed amount fills one field: the most confident keeps it, the others only a likely second choice', async () => {
  const chooser = await loadFieldChooser(defaultModelDir());
  assert.ok(chooser, 'the default model ships a field chooser');
  const tagger = await Tagger.load(defaultModelDir());
  try {
    const entities = await tagger.tag(RECEIPT);
    assert.ok(!entities.some((e) => e.text === '07-3558160'), 'the fax number is no identifier');
    const doc = new DocumentContext(RECEIPT, 'receipt', entities);
    const alone = Object.fromEntries(
      fieldsFor('receipt')
        .filter((s) => ['subtotal', 'tax', 'total'].includes(s.name))
        .map((s) => [s.name, chooseValues(s, doc, chooser)[0]?.start]),
    );
    assert.ok(
      new Set(Object.values(alone)).size < 3,
      `chosen one by one, two of the amount fields share a mention: ${JSON.stringify(alone)}`,
    );

    const f = extractFields(RECEIPT, { kind: 'receipt', entities, chooser });
    const starts = ['subtotal', 'tax', 'total'].flatMap((n) => f.fields[n].map((v) => v.start));
    assert.equal(new Set(starts).size, starts.length, JSON.stringify(f.fields));
    assert.equal(f.fields.total[0]?.text, '60.31');
    for (const n of ['subtotal', 'tax']) for (const v of f.fields[n]) assert.ok(v.confidence >= 0.5, n);
    assert.ok(!f.checks.some((c) => c.code === 'total-sum'), JSON.stringify(f.checks));
    assert.deepEqual(f.fields.tax_id, []);
  } finally {
    await tagger.dispose();
  }
});

/** A receipt whose subtotal, total and card payment print the same number, and no tax line. */
const SAME_AMOUNTS = `KEDAI UBAT SENTOSA SDN. BHD.
(CO. REG 771234-X)
NO. 12, JALAN MERAH 3, TAMAN CERIA,
47100 PUCHONG, SELANGOR
GST REG NO : 001234567890
TAX INVOICE
INV NO: CS00123456
DATE: 14/03/2018
VITAMIN C 1000MG 30S
2
89.00
178.00
BANDAGE ROLL 5CM
1
12.50
12.50
SUBTOTAL:
190.50
ROUNDING ADJ :
0.00
TOTAL INCLUSIVE GST:
190.50
VISA
190.50
THANK YOU. PLEASE COME AGAIN.
`;

/** The fields of a text as the CLI gets them: tagged by the default model, chosen by its chooser. */
async function taggedFields(text: string, kind: 'receipt' | 'invoice'): Promise<DocumentFields> {
  const chooser = await loadFieldChooser(defaultModelDir());
  const tagger = await Tagger.load(defaultModelDir());
  try {
    return extractFields(text, { kind, entities: await tagger.tag(text), chooser });
  } finally {
    await tagger.dispose();
  }
}

test('a tax is smaller than the total: the total printed again is never the tax', async () => {
  const f = await taggedFields(SAME_AMOUNTS, 'receipt');
  assert.equal(f.fields.total[0]?.value, '190.50', JSON.stringify(f.fields.total));
  for (const v of f.fields.tax) assert.ok(Math.abs(Number(v.value)) < 190.5, `tax ${v.value}`);
});

test('a piece of a number OCR garbled is no amount: no subtotal of 0 in euros on a receipt in ringgit', () => {
  // as OCR read a MR. D.I.Y. receipt: "10.60" as "10.€0", "10.60" as "1C.CD"
  const text = [
    'MR. D.I.Y. (M) SDN BHD',
    'CARBON FIBER CARTRIDGE',
    '9063785 2X 5.30 10.€0',
    'Total Incl. GST@6% RM 1C.CD',
    'CASH RM 20.00',
    'CHANGE RM 9.40',
  ].join('\n');
  const at = (s: string) => text.indexOf(s);
  const amount = (s: string) => ({ start: at(s), end: at(s) + s.length, text: s, label: 'AMOUNT', confidence: 0.9 });
  const entities = [amount('€0'), amount('RM 1C'), amount('RM 20.00')];
  const doc = new DocumentContext(text, 'receipt', entities);
  const amounts = doc.mentions.filter((m) => m.label === 'AMOUNT').map((m) => text.slice(m.start, m.end));
  assert.deepEqual(
    amounts,
    ['RM 20.00', 'RM 9.40'],
    'the tagger read "€0" and "RM 1C" as amounts; the rules "RM 9.40"',
  );
  const fields = extractFields(text, { kind: 'receipt', entities });
  const filed = Object.values(fields.fields)
    .flat()
    .map((v) => v.text);
  assert.ok(!filed.includes('€0') && !filed.includes('1C'), `filed: ${filed.join(', ')}`);
  assert.equal(fields.fields.currency?.[0]?.value, 'MYR');
  assert.ok(!fields.checks.some((c) => c.code === 'currency'), 'no check of two currencies');
  // every amount garbled: the currency printed apart, not the one inside "10.€0"
  const garbled = text.replace('CASH RM 20.00', 'CASH RM 2C.C0').replace('CHANGE RM 9.40', 'CHANGE RM &.40');
  const onlyGarbled = extractFields(garbled, { kind: 'receipt', entities: entities.slice(0, 2) });
  assert.equal(onlyGarbled.fields.currency?.[0]?.value, 'MYR');
});

test('the subtotal and tax that add up to the total: a GST summary read right', async () => {
  // a Malaysian receipt's GST summary: the amount column "7.74" reads as a tax as well
  const text = [
    'NASI CAMPUR SDN BHD',
    'TAX INVOICE',
    'INVOICE # : OR18030302170430',
    'SR 100100000035- 1 MEAT + 3 VEGE',
    '$7.10',
    '1',
    '$7.10',
    'SR 100100000015- VEGETABLE',
    '$1.10',
    '1',
    '$1.10',
    'TOTAL AMOUNT: $8.20',
    'GST @6%: $0.46',
    'NETT TOTAL: $8.20',
    'CASH',
    '$8.20',
    'CHANGE',
    '$0.00',
    'GST SUMMARY',
    'AMOUNT($)',
    'TAX($)',
    'SR = GST @6%',
    '7.74',
    '0.46',
    'THANK YOU & COME AGAIN!',
  ].join('\n');
  const f = await taggedFields(text, 'receipt');
  const value = (n: string) => f.fields[n][0]?.value;
  assert.deepEqual(
    [value('subtotal'), value('tax'), value('total')],
    ['7.74', '0.46', '8.20'],
    JSON.stringify(f.fields),
  );
  assert.equal(value('currency'), 'MYR', 'a Malaysian company\'s "$" is the ringgit');
  assert.equal(f.fields.total[0]?.currency, 'MYR');
  assert.ok(!f.checks.some((c) => c.code === 'total-sum'), JSON.stringify(f.checks));
});

test('a tax included in the total: no subtotal is printed, and none is made up', async () => {
  const text = [
    'ACME HARDWARE (M) SDN BHD',
    '-TAX INVOICE-',
    'CARBON FIBER CARTRIDGE',
    '9063785',
    '2 X 5.30',
    '10.60',
    'ITEM(S) : 1',
    'QTY(S) : 2',
    'TOTAL INCL . GST@6%',
    'RM 10.60',
    'CASH',
    'RM 20.00',
    'CHANGE',
    'RM 9.40',
    'GST @6% INCLUDED IN TOTAL',
    'RM 0.60',
  ].join('\n');
  const f = await taggedFields(text, 'receipt');
  assert.equal(f.fields.total[0]?.value, '10.60');
  assert.equal(f.fields.tax[0]?.value, '0.60');
  assert.deepEqual(f.fields.subtotal, [], JSON.stringify(f.fields.subtotal));
  assert.ok(!f.checks.some((c) => c.code === 'total-sum'), JSON.stringify(f.checks));
});

test('a net misread by one glyph keeps the check that reports it, the tax being 19 % of the total', async () => {
  const file = path.join(
    __dirname,
    '..',
    '..',
    '..',
    '..',
    'samples',
    'workspace',
    'invoices',
    'invoice-FOS-2026-0117.txt',
  );
  // 4.872,50 read as 4.872,80: net + tax no longer the total, which 925,78 is still 19/119 of
  const text = fs.readFileSync(file, 'utf8').replace('EUR 4.872,50', 'EUR 4.872,80');
  const f = await taggedFields(text, 'invoice');
  assert.equal(f.fields.subtotal[0]?.value, '4872.80');
  const check = f.checks.find((c) => c.code === 'total-sum');
  assert.ok(check, JSON.stringify(f.checks));
  assert.deepEqual(check.suggestion && [check.suggestion.field, check.suggestion.value], ['subtotal', '4872.50']);
});

test('a bare "$" is the dollar of where the document was printed: ringgit, Singapore dollar, else US', () => {
  const currency = (text: string) => new DocumentContext(text, 'receipt').currencyIn('$5.00');
  assert.equal(currency('KEDAI MAJU SDN BHD\nTOTAL $5.00'), 'MYR');
  assert.equal(currency('NANYANG BOOKS PTE LTD\nTOTAL $5.00'), 'SGD');
  assert.equal(currency('Acme Hardware Inc.\nTOTAL $5.00'), 'USD');
  assert.equal(new DocumentContext('KEDAI MAJU SDN BHD', 'receipt').currencyIn('US$5.00'), 'USD');
  const f = extractFields('NANYANG BOOKS PTE LTD\nTOTAL $5.00\nCASH $10.00\nCHANGE $5.00', { kind: 'receipt' });
  assert.equal(f.fields.currency[0]?.value, 'SGD');
});
