// The subtotal and tax that add up to the total: the most probable pair that does, with a tax
// that is nothing or a plausible share of the net (the printed rate where there is one).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addsUp, pairAddingUp, taxIncluded, type AmountOption } from '../../../src/model/fields/sums';

let at = 0;
const option = (value: number, probability: number): AmountOption<string> => {
  at += 10;
  return { cents: Math.round(value * 100), probability, start: at, end: at + 4, item: value.toFixed(2) };
};

test('the pair that adds up to the total, not the values most probable apart', () => {
  // a GST summary "7.74 0.46" under a total of 8.20: 7.74 read as the tax too
  const nets = [option(0, 0.35), option(7.74, 0.2), option(7.1, 0.15)];
  const taxes = [option(7.74, 0.91), option(0.46, 0.06)];
  const pair = pairAddingUp(820, nets, taxes, 0.06);
  assert.deepEqual([pair?.net.item, pair?.tax.item], ['7.74', '0.46']);
});

test('one printed number is not both; a tax is nothing or 1–30 % of the net, the printed rate if any', () => {
  const same = option(4, 0.9);
  assert.equal(pairAddingUp(800, [same], [same]), undefined, 'one mention');
  // two item lines adding up to the total: a tax of 60 % is no tax
  assert.equal(pairAddingUp(800, [option(5, 0.5)], [option(3, 0.5)]), undefined);
  // a rounding of two cents is no tax
  assert.equal(pairAddingUp(1000, [option(9.98, 0.5)], [option(0.02, 0.5)]), undefined);
  // no tax: the net is the total
  assert.equal(pairAddingUp(1000, [option(10, 0.5)], [option(0, 0.5)])?.tax.item, '0.00');
  // 10 % where 6 % is printed
  assert.equal(pairAddingUp(1100, [option(10, 0.5)], [option(1, 0.5)], 0.06), undefined);
  assert.equal(pairAddingUp(1100, [option(10, 0.5)], [option(1, 0.5)])?.net.item, '10.00');
});

test('a pair too unlikely together is a coincidence, less so at the printed rate', () => {
  assert.equal(pairAddingUp(1060, [option(10, 0.1)], [option(0.6, 0.1)]), undefined);
  assert.equal(pairAddingUp(1060, [option(10, 0.1)], [option(0.6, 0.1)], 0.06)?.tax.item, '0.60');
  assert.equal(pairAddingUp(1060, [option(10, 0.01)], [option(0.6, 0.1)], 0.06), undefined);
});

test('with a printed rate, a tax at that rate beats no tax', () => {
  const nets = [option(8.2, 0.15), option(7.74, 0.2)];
  const taxes = [option(0, 0.14), option(0.46, 0.06)];
  assert.equal(pairAddingUp(820, nets, taxes, 0.06)?.tax.item, '0.46');
  assert.equal(pairAddingUp(820, nets, taxes)?.tax.item, '0.00', 'no rate printed: no reason to');
});

test('a total rounded to five cents adds up within two; others to the cent', () => {
  assert.ok(addsUp(10610, 637, 11245), '106.10 + 6.37 = 112.47, paid as 112.45');
  assert.ok(!addsUp(10610, 637, 11244), 'not a total rounded to five');
  assert.ok(!addsUp(10610, 640, 11245), 'three cents off');
  assert.ok(addsUp(774, 46, 821));
});

test('a tax included in the total is the rate share of the total', () => {
  assert.ok(taxIncluded(60, 1060, 0.06), 'GST @6% included in 10.60: 0.60');
  assert.ok(!taxIncluded(64, 1060, 0.06));
  assert.ok(!taxIncluded(0, 1060, 0.06));
  assert.ok(!taxIncluded(60, 1060, 0));
});

test('a tax is included to the cent or two, however large', () => {
  // net 4872.50 + tax 925.78 (19 %) = 5798.28: 925.78 is 19/119 of it; of 5798.82 it is not
  assert.ok(taxIncluded(92578, 579828, 0.19));
  assert.ok(!taxIncluded(92578, 579882, 0.19));
});
