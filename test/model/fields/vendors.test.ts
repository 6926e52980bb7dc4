// Known vendors: a seller or address OCR misread by a glyph or two is filed in the spelling filed
// before; a value printed as text, one spelled like no known vendor, or one as near to two
// different vendors is left as read.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TextLayout } from '../../../src/model/core/types';
import { answerMatches } from '../../../src/model/fields/answers';
import { FieldChooser, loadFieldChooser } from '../../../src/model/fields/chooser';
import { extractFields } from '../../../src/model/fields/extract';
import { fieldsJson } from '../../../src/model/fields/export';
import { correctedVendors, trainFieldChooser } from '../../../src/model/fields/training';
import {
  distanceWithin,
  editDistance,
  knownVendorsOf,
  mergeVendors,
  nearestKnown,
} from '../../../src/model/fields/vendors';
import { defaultModelDir } from '../../../src/model/io/paths';
import { Tagger } from '../../../src/model/inference/tagger';

const CEMPAKA = 'NO.59 JALAN CEMPAKA 9/5 BANDAR BARU CEMPAKA JAYA 81760 JOHOR BAHRU';

describe('matching a read value to the known ones', () => {
  test('edit distance, and its early stop once past the most allowed', () => {
    assert.equal(editDistance('JALAN CEMRAKA', 'JALAN CEMPAKA', 3), 1);
    assert.equal(editDistance('SERDANGN', 'SERDANG', 3), 1);
    assert.equal(editDistance('abc', 'abc', 0), 0);
    assert.equal(editDistance('ABCDEFGH', 'STUVWXYZ', 2), 3, 'capped at max + 1');
    assert.equal(editDistance('A', 'ABCDEF', 2), 3, 'lengths too far apart');
  });

  test('a misreading of a known address is that address; a known spelling, or a short name, is not changed', () => {
    const known = [CEMPAKA, 'LOT 1720-A & 1720-B, JALAN KPJ 6, KAWASAN PERINDUSTRIAN SERDANG'];
    assert.equal(
      nearestKnown('NO.50 JALAN CEMRAKA 9/5 BANDAR BARU CEMPAKA JAYA 81760 JOHOR BAHRU', known)?.value,
      CEMPAKA,
    );
    assert.equal(nearestKnown('no.59  jalan cempaka 9/5 bandar baru cempaka jaya 81760 johor bahru', known), undefined);
    assert.equal(nearestKnown('NO.12 JALAN MERDEKA 81100 JOHOR BAHRU', known), undefined, 'another address');
    assert.equal(
      nearestKnown('KEDAI MAJX', ['KEDAI MAJU']),
      undefined,
      'too short to tell a misreading from another shop',
    );
  });

  test('a known name inside a longer line: the run of it that is nearest', () => {
    assert.equal(distanceWithin('88 QUICK MART S/B', 'TAN AH KOW 88 QUICK MART S/B (734512-%)', 2), 0);
    assert.equal(distanceWithin('88 QUICK MART S/B', '88 QUICK MAKT 5/B (734512-%)', 2), 2);
    assert.equal(distanceWithin('88 QUICK MART S/B', 'KEDAI RUNCIT MAJU JAYA', 2), 3);
    assert.deepEqual(nearestKnown('TAN AH KOW 88 QUICK MART S/B (734512-%)', ['88 QUICK MART S/B']), {
      value: '88 QUICK MART S/B',
      distance: 0,
    });
  });

  test('as near to two different vendors: neither; two spellings of one vendor: the nearest', () => {
    const a = 'LOT P.T. 2811, JALAN MERBAU, TAMAN CENDANA 41150 KLANG, SELANGOR 1245-DESA';
    const b = 'LOT P.T. 2811, JALAN MERBAU, TAMAN CENDANA 41150 KLANG, SELANGOR 1249-TMNS';
    assert.equal(
      nearestKnown('LOT P.T, 2811, JALAN MERBAU, TAMAN CENDANA 41150 KLANG, SELANGOR 124X-XXXX', [a, b]),
      undefined,
    );
    const spaced = 'NO: 28, JALAN MELATI 1C, BANDAR BUKIT INDAH, 41050 KLANG SELANGOR D.E, MALAYSIA';
    const tight = 'NO: 28,JALAN MELATI 1C, BANDAR BUKIT INDAH, 41050 KLANG SELANGOR D.E, MALAYSIA';
    const read = 'No: 28, JALAN MELATI 1C, . BANDAR BUKIT INDAH, 41050 KLANG SELANGOR D.E, MALAYSIA';
    assert.equal(nearestKnown(read, [tight, spaced])?.value, spaced);
  });

  test("the vendors of examples: each receipt's seller and address typed or annotated (not a mention picked as read); each once", () => {
    const text = 'KEDAI MAJU JAYA SDN BHD\n12 JALAN MERDEKA, 81100 JOHOR BAHRU\nTOTAL 5.00';
    const vendors = knownVendorsOf([
      {
        text,
        kind: 'receipt',
        answers: {
          seller: [{ text: 'KEDAI MAJU JAYA SDN BHD' }],
          seller_address: [{ value: '12 JALAN  MERDEKA,\n81100 JOHOR BAHRU' }],
        },
      },
      { text, kind: 'receipt', answers: { seller: [{ value: 'KEDAI MAJU JAYA SDN BHD' }] } },
      { text, kind: 'receipt', answers: { seller: [{ start: 0, end: 23 }], seller_address: [{ start: 24, end: 59 }] } },
      { text: 'An agreement', kind: 'contract', answers: { parties: [{ value: 'Acme' }] } },
    ]);
    assert.deepEqual(vendors, [
      { seller: 'KEDAI MAJU JAYA SDN BHD', address: '12 JALAN MERDEKA, 81100 JOHOR BAHRU' },
      { seller: 'KEDAI MAJU JAYA SDN BHD' },
    ]);
    assert.equal(mergeVendors(vendors, [{ seller: 'kedai  maju jaya sdn bhd' }, { seller: 'OTHER SHOP' }]).length, 3);
  });

  test('a known value is compared as filed, another as printed', () => {
    const found = {
      value: CEMPAKA,
      text: 'NO.50 JALAN CEMRAKA 9/5 BANDAR BARU CEMPAKA JAYA 81760 JOHOR BAHRU',
      start: 0,
      end: 5,
    };
    assert.equal(answerMatches('address', { ...found, known: true }, { text: CEMPAKA }), true);
    assert.equal(answerMatches('address', found, { text: CEMPAKA }), false);
  });

  test('a chooser file keeps its vendors, checks them, and a workspace chooser adds those its corrections type', () => {
    const base = new FieldChooser({
      format: 'entity-lens-field-chooser',
      version: 1,
      fields: {},
      vendors: [{ seller: 'A' }],
    });
    assert.deepEqual(FieldChooser.fromJSON(JSON.parse(JSON.stringify(base.toJSON()))).data.vendors, [{ seller: 'A' }]);
    assert.throws(() => FieldChooser.fromJSON({ ...base.toJSON(), vendors: [{ seller: 5 }] }), /vendors\[0\] must be/);
    const text = 'KEDAI MAJU JAYA SDN BHD\nTOTAL 5.00';
    const trained = trainFieldChooser(
      [{ text, kind: 'receipt', answers: { seller: [{ value: 'KEDAI MAJU JAYA SDN BHD' }] } }],
      {
        base,
        iterations: 5,
      },
    );
    assert.deepEqual(trained.data.vendors, [{ seller: 'A' }, { seller: 'KEDAI MAJU JAYA SDN BHD' }]);
  });
});

describe('the fields of a receipt with known vendors', () => {
  const READ = [
    'PERNIAGAAN LIM HENG',
    'NO.50 JALAN CEMRAKA 9/5',
    'BANDAR BARU CEMPAKA JAYA',
    '81760 JOHOR BAHRU',
    'TAX INVOICE',
    'DATE: 02/03/2018',
    'TOTAL RM 112.45',
    'CASH RM 120.00',
  ].join('\n');

  /** The layout OCR gives: a box per word, read with `confidence`. */
  function ocrLayout(text: string, confidence: number): TextLayout {
    const boxes = [...text.matchAll(/\S+/g)].map((m, i) => ({
      start: m.index,
      end: m.index + m[0].length,
      page: 1,
      x0: 10,
      y0: 10 + 20 * i,
      x1: 100,
      y1: 28 + 20 * i,
      source: 'ocr' as const,
      confidence,
    }));
    return { pages: [{ width: 800, height: 2000, unit: 'px' }], boxes };
  }

  test('read by OCR, the address is filed as known, its text as printed; printed as text, as printed', async () => {
    const shipped = await loadFieldChooser(defaultModelDir());
    assert.ok(shipped);
    const chooser = new FieldChooser({
      ...shipped.data,
      vendors: [{ seller: 'PERNIAGAAN LIM HENG', address: CEMPAKA }],
    });
    const tagger = await Tagger.load(defaultModelDir());
    try {
      const entities = await tagger.tag(READ);
      const photo = extractFields(READ, { kind: 'receipt', entities, chooser, layout: ocrLayout(READ, 0.8) });
      const address = photo.fields.seller_address[0];
      assert.ok(address, JSON.stringify(photo.fields.seller_address));
      assert.equal(address.value, CEMPAKA);
      assert.equal(address.known, true);
      assert.equal(fieldsJson('receipt.jpg', photo).fields.seller_address[0].known, true, 'the CLI says so');
      assert.match(address.text, /CEMRAKA/, 'the text stays as printed');
      assert.equal(READ.slice(address.start, address.end).replace(/\s+/g, ' '), address.text);
      assert.equal(photo.fields.seller[0]?.known, undefined, 'the seller is a known spelling already');
      // a seller a glyph from a known one is that vendor only at that vendor's address
      const layout = ocrLayout(READ, 0.8);
      const near = (address: string) =>
        extractFields(READ, {
          kind: 'receipt',
          entities,
          layout,
          chooser: new FieldChooser({ ...shipped.data, vendors: [{ seller: 'PERNIAGAAN LIM HANG', address }] }),
        }).fields.seller[0];
      assert.equal(near(CEMPAKA)?.value, 'PERNIAGAAN LIM HANG');
      assert.equal(near('NO.12 JALAN MERDEKA, TAMAN UNIVERSITI, 81300 SKUDAI')?.value, 'PERNIAGAAN LIM HENG');
      // a vendor typed as a correction of another receipt is known at once, before any training
      const corrected = correctedVendors([
        {
          document: 'earlier.jpg',
          text: 'an earlier receipt',
          kind: 'receipt',
          corrections: [
            { field: 'seller_address', value: CEMPAKA },
            { field: 'seller', range: { start: 0, end: 2 } },
            { field: 'total', value: '5.00' },
          ],
        },
        {
          document: 'nda.txt',
          text: 'An agreement',
          kind: 'contract',
          corrections: [{ field: 'parties', value: 'Acme' }],
        },
      ]);
      assert.deepEqual(corrected, [{ address: CEMPAKA }], 'typed values only, of receipts and invoices');
      const unknown = new FieldChooser({ ...shipped.data, vendors: undefined });
      const now = extractFields(READ, { kind: 'receipt', entities, chooser: unknown, layout, vendors: corrected });
      assert.equal(now.fields.seller_address[0]?.value, CEMPAKA);
      assert.equal(now.fields.seller_address[0]?.known, true);
      assert.ok(now.fields.seller_address[0].confidence >= 0.8, 'a known vendor is a sure value');
      const before = extractFields(READ, { kind: 'receipt', entities, chooser: unknown, layout });
      assert.equal(before.fields.seller_address[0]?.known, undefined);
      const typed = extractFields(READ, { kind: 'receipt', entities, chooser });
      for (const v of typed.fields.seller_address) {
        assert.equal(v.known, undefined);
        assert.match(v.value, /CEMRAKA/);
      }
    } finally {
      await tagger.dispose();
    }
  });
});
