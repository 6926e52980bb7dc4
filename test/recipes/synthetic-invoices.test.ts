import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkDocument,
  COUNTRY_CODES,
  formatNumber,
  generateInvoice,
  generateInvoiceRecord,
  generateInvoices,
  INVOICE_LABELS,
  numberToWords,
} from '../../src/recipes/synthetic-invoices';
import { annotate, isValidIban } from '../../src/model/rules/annotate';
import { tokenize } from '../../src/model/text/tokenizer';
import type { AnnotatedDocument } from '../../src/model/core/types';

const SEED = 20240512;
const COUNT = 600;
const docs = generateInvoices(COUNT, SEED);

/** What a span of each label must look like. */
const SHAPES: Record<string, RegExp> = {
  // names may start with a number ("99 Speed Mart")
  PARTY: /^[\p{Lu}\d][\p{L}\d&.,'()/ \n-]+$/u,
  ADDRESS: /\d/,
  DATE: /\d/,
  AMOUNT: /\d[.,]\d\d(?:\s?(?:€|EUR|USD|CHF))?$|\)$/,
  PERCENT: /^\d+(?:[.,]\d+)?\s?%$/,
  DURATION: /(?:days?|months?|years?|weeks?)$/i,
  IBAN: /^[A-Z]{2}\d{2}[A-Z0-9 ]+$/,
  BIC: /^[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/,
  INVOICE_ID: /\d/,
  TAX_ID: /\d{2}/,
};

describe('generateInvoices', () => {
  test('same seed, same documents; another seed, other documents', () => {
    assert.deepEqual(generateInvoices(COUNT, SEED), docs);
    const other = generateInvoices(50, SEED + 1);
    assert.notDeepEqual(
      other.map((d) => d.text),
      docs.slice(0, 50).map((d) => d.text),
    );
  });

  test('document i does not depend on how many are generated', () => {
    for (const i of [0, 1, 17, 333, COUNT - 1]) assert.deepEqual(generateInvoice(SEED, i), docs[i]);
    assert.deepEqual(generateInvoices(5, SEED), docs.slice(0, 5));
  });

  test('every gold span covers exactly the text the generator wrote for it', () => {
    for (let i = 0; i < COUNT; i++) {
      const { document, entities } = generateInvoiceRecord(SEED, i);
      assert.equal(document.spans.length, entities.length, document.id);
      document.spans.forEach((s, k) => {
        assert.equal(s.label, entities[k].label, `${document.id} span ${k}`);
        assert.equal(document.text.slice(s.start, s.end), entities[k].text, `${document.id} span ${k}`);
      });
    }
  });

  test('spans are sorted, non-overlapping, trimmed and on token boundaries', () => {
    for (const doc of docs) {
      checkDocument(doc); // throws on any violation
      const tokens = tokenize(doc.text);
      const starts = new Set(tokens.map((t) => t.start));
      const ends = new Set(tokens.map((t) => t.end));
      let previousEnd = 0;
      for (const s of doc.spans) {
        const surface = doc.text.slice(s.start, s.end);
        assert.ok(s.start >= previousEnd && s.start < s.end, `${doc.id}: ${JSON.stringify(surface)} out of order`);
        assert.ok(starts.has(s.start) && ends.has(s.end), `${doc.id}: ${JSON.stringify(surface)} not token-aligned`);
        assert.equal(surface, surface.trim(), `${doc.id}: ${JSON.stringify(surface)} not trimmed`);
        previousEnd = s.end;
      }
    }
  });

  test('labels, shapes and completeness', () => {
    const seen = new Set<string>();
    for (const doc of docs) {
      assert.equal(doc.complete, 'all');
      assert.equal(doc.source, 'synthetic-invoices');
      assert.equal(doc.split, 'train');
      for (const s of doc.spans) {
        assert.ok((INVOICE_LABELS as readonly string[]).includes(s.label), `${doc.id}: label ${s.label}`);
        const surface = doc.text.slice(s.start, s.end);
        assert.match(surface, SHAPES[s.label], `${doc.id}: ${s.label} ${JSON.stringify(surface)}`);
        seen.add(s.label);
      }
    }
    assert.deepEqual([...seen].sort(), [...INVOICE_LABELS].sort(), 'every label occurs');
  });

  test('every IBAN has valid check digits', () => {
    let count = 0;
    for (const doc of docs) {
      for (const s of doc.spans.filter((x) => x.label === 'IBAN')) {
        assert.ok(isValidIban(doc.text.slice(s.start, s.end)), doc.text.slice(s.start, s.end));
        count++;
      }
    }
    assert.ok(count > 50, `only ${count} IBANs`);
  });

  test('all layouts and countries occur', () => {
    const layouts = new Set<string>();
    const countries = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const r = generateInvoiceRecord(SEED, i);
      layouts.add(r.layout);
      countries.add(r.country);
    }
    assert.deepEqual([...layouts].sort(), ['invoice', 'prose', 'receipt']);
    assert.deepEqual([...countries].sort(), [...COUNTRY_CODES].sort());
  });

  test('sellers, buyers and addresses vary: open vocabulary, with and without legal form', () => {
    // words, not names: a few fixed words in many combinations give many names (the earlier
    // generator wrote 327 distinct names from under 100 words)
    const nameWords = new Set<string>();
    const addressWords = new Set<string>();
    let receiptSellers = 0;
    let withoutLegalForm = 0;
    let malaysian = 0;
    const lineCounts = new Set<number>();
    const legalForm =
      /(?:Inc\.|LLC|Corp\.|Co\.|GmbH|AG|KG|SARL|SAS|SA|Ltd\.?|Limited|PLC|LLP|B\.V\.|N\.V\.|BV|Sdn\.? ?Bhd\.?|Bhd|Berhad|PLT|S\/B|SB|Pte\.? Ltd\.?|Private Limited)$/i;
    for (let i = 0; i < 200; i++) {
      const r = generateInvoiceRecord(SEED, i);
      const parties = r.entities.filter((e) => e.label === 'PARTY');
      for (const p of parties) for (const w of p.text.toUpperCase().match(/\p{L}+/gu) ?? []) nameWords.add(w);
      for (const a of r.entities.filter((e) => e.label === 'ADDRESS')) {
        for (const w of a.text.toUpperCase().match(/\p{L}+/gu) ?? []) addressWords.add(w);
        if (r.country === 'MY') lineCounts.add(a.text.split('\n').length);
      }
      if (r.layout === 'receipt') {
        receiptSellers++;
        if (!legalForm.test(parties[0].text)) withoutLegalForm++;
        if (r.country === 'MY') malaysian++;
      }
    }
    assert.ok(nameWords.size > 300, `only ${nameWords.size} distinct words in party names`);
    assert.ok(addressWords.size > 400, `only ${addressWords.size} distinct address words`);
    assert.ok(
      withoutLegalForm > receiptSellers * 0.25,
      `${withoutLegalForm} of ${receiptSellers} receipt sellers without a legal form`,
    );
    assert.ok(
      withoutLegalForm < receiptSellers * 0.75,
      `${withoutLegalForm} of ${receiptSellers} receipt sellers without a legal form`,
    );
    assert.ok(malaysian > receiptSellers * 0.25, `${malaysian} of ${receiptSellers} receipts Malaysian`);
    // Malaysian addresses are laid out over one to four lines
    for (const n of [1, 2, 3, 4]) assert.ok(lineCounts.has(n), `no Malaysian address over ${n} line(s)`);
  });

  test('options restrict layouts and countries', () => {
    for (let i = 0; i < 20; i++) {
      const r = generateInvoiceRecord(1, i, { layouts: ['prose'], countries: ['DE'], split: 'dev' });
      assert.equal(r.layout, 'prose');
      assert.equal(r.country, 'DE');
      assert.equal(r.document.split, 'dev');
    }
  });

  test('complete means complete: the rules find nothing outside gold spans of the same label', () => {
    // The rules are precise on these labels, so a rule hit that no gold span matches would
    // be an entity the generator wrote without labelling it.
    const labels = ['DATE', 'PERCENT', 'DURATION', 'IBAN', 'BIC', 'TAX_ID', 'AMOUNT'];
    for (const doc of docs) {
      const gold = new Set(doc.spans.map((s) => `${s.start}:${s.end}:${s.label}`));
      for (const p of annotate(doc.text, labels)) {
        assert.ok(
          gold.has(`${p.start}:${p.end}:${p.label}`),
          `${doc.id}: unlabelled ${p.label} ${JSON.stringify(doc.text.slice(p.start, p.end))}`,
        );
      }
    }
  });

  test('rejects a bad count', () => {
    assert.throws(() => generateInvoices(-1, 1), RangeError);
    assert.throws(() => generateInvoices(1.5, 1), RangeError);
    assert.deepEqual(generateInvoices(0, 1), []);
  });
});

describe('checkDocument', () => {
  test('rejects misaligned or overlapping spans', () => {
    const base: AnnotatedDocument = { id: 't', text: 'Total 1,250.00 EUR', spans: [] };
    assert.doesNotThrow(() => checkDocument({ ...base, spans: [{ start: 6, end: 18, label: 'AMOUNT' }] }));
    assert.throws(
      () => checkDocument({ ...base, spans: [{ start: 7, end: 18, label: 'AMOUNT' }] }),
      /token boundaries/,
    );
    assert.throws(
      () =>
        checkDocument({
          ...base,
          spans: [
            { start: 6, end: 14, label: 'AMOUNT' },
            { start: 6, end: 18, label: 'AMOUNT' },
          ],
        }),
      /overlaps/,
    );
  });
});

describe('formatting helpers', () => {
  test('formatNumber in four locale styles', () => {
    assert.equal(formatNumber(123456, 'en'), '1,234.56');
    assert.equal(formatNumber(123456, 'de'), '1.234,56');
    assert.equal(formatNumber(123456, 'fr'), '1 234,56');
    assert.equal(formatNumber(123456, 'ch'), "1'234.56");
    assert.equal(formatNumber(900, 'en'), '9.00');
    assert.equal(formatNumber(125000000, 'en'), '1,250,000.00');
    assert.equal(formatNumber(123456, 'en', false), '1234.56');
  });

  test('numberToWords', () => {
    assert.equal(numberToWords(5000), 'Five Thousand');
    assert.equal(numberToWords(1250), 'One Thousand Two Hundred Fifty');
    assert.equal(numberToWords(45), 'Forty-Five');
    assert.equal(numberToWords(999999), 'Nine Hundred Ninety-Nine Thousand Nine Hundred Ninety-Nine');
    assert.throws(() => numberToWords(0), RangeError);
  });
});
