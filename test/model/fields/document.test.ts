// The pieces of the field stage that need no model: the kind of a document, party clusters and
// aliases, party names and comparison keys, an amount's figures, lines and pages, the JSON and
// CSV of a document's fields, and field-level scores.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TextLayout } from '../../../src/model/core/types';
import { attachCommas, figures } from '../../../src/model/fields/candidates';
import { columnLabel, labelLineAbove } from '../../../src/model/fields/features';
import { extractFields } from '../../../src/model/fields/extract';
import { csvCell, fieldsCsvColumns, fieldsCsvRow, fieldsJson } from '../../../src/model/fields/export';
import { detectKind } from '../../../src/model/rules/document-kind';
import type { Mention } from '../../../src/model/fields/mentions';
import { definedAliases, partyClusters } from '../../../src/model/fields/parties';
import { scoreFields } from '../../../src/model/fields/score';
import { FieldText } from '../../../src/model/fields/text';
import { cleanPartyName, normalizeFieldValue, partyKey } from '../../../src/model/fields/values';

const CONTRACT = `LICENSE AGREEMENT

This License Agreement (the "Agreement") is made as of May 5, 2024 by and between Acme Holdings, Inc., a Delaware corporation ("Acme" or the "Licensor"), and Beta Labs LLC (the "Licensee").

WHEREAS, Acme owns certain patents; the parties hereby agree as follows. This Agreement shall be governed by the laws of the State of New York. Either party shall give sixty (60) days prior written notice.

IN WITNESS WHEREOF, the parties have executed this Agreement.
ACME HOLDINGS, INC.
By: ____
BETA LABS LLC
By: ____
`;

const RECEIPT = `KEDAI RUNCIT SRI MELATI
(002314567-K)
NO. 18, JALAN MERBAU 3,
43000 KAJANG, SELANGOR.
TEL: 03-8736 1142
RECEIPT NO. : CS2604/00142
DATE : 14/04/2026 10:42 AM
CASHIER: AINA
TOTAL
RM 12.50
CASH
RM 20.00
CHANGE
RM 7.50
THANK YOU
`;

/** PARTY mentions of the names, longest first, none inside another. */
function mentionsOf(text: string, names: string[]): Mention[] {
  const out: Mention[] = [];
  for (const n of [...names].sort((a, b) => b.length - a.length)) {
    for (let i = text.indexOf(n); i >= 0; i = text.indexOf(n, i + 1)) {
      if (out.some((m) => m.start < i + n.length && i < m.end)) continue;
      out.push({ start: i, end: i + n.length, label: 'PARTY', confidence: 0.9, source: 'model' });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

describe('kind', () => {
  test('a contract, an invoice, a receipt', () => {
    assert.equal(detectKind(CONTRACT), 'contract');
    assert.equal(detectKind(RECEIPT), 'receipt');
    assert.equal(
      detectKind(
        'INVOICE\nInvoice No.: 7\nBill to: Beta\nDue date: 2024-05-01\nSubtotal 10.00\nVAT 1.90\nIBAN DE89 3704 0044 0532 0130 00\n',
      ),
      'invoice',
    );
  });
});

describe('parties', () => {
  test('one cluster per party: full name, short names, capitals, defined aliases', () => {
    const ft = new FieldText(CONTRACT);
    const clusters = partyClusters(
      ft,
      mentionsOf(CONTRACT, ['Acme Holdings, Inc.', 'Acme', 'ACME HOLDINGS, INC.', 'Beta Labs LLC', 'BETA LABS LLC']),
    );
    assert.deepEqual(
      clusters.map((c) => c.name),
      ['Acme Holdings, Inc.', 'Beta Labs LLC'],
    );
    assert.equal(clusters[0].mentions.length, 4);
    assert.deepEqual(
      clusters[0].aliases.map((a) => a.text),
      ['Acme', 'the Licensor'],
    );
    for (const a of clusters[0].aliases) assert.equal(CONTRACT.slice(a.start, a.end).replace(/"/g, ''), a.text);
    assert.deepEqual(
      clusters[1].aliases.map((a) => a.text),
      ['the Licensee'],
    );
  });

  test('a name one or two letters off a long one joins it (a typo, an OCR misreading)', () => {
    const text = 'between Stremicks Heritage Foods, LLC and ... STREMICK HERITAGE FOODS, LLC signs.';
    const clusters = partyClusters(
      new FieldText(text),
      mentionsOf(text, ['Stremicks Heritage Foods, LLC', 'STREMICK HERITAGE FOODS, LLC']),
    );
    assert.equal(clusters.length, 1);
  });

  test('the defining mention: the defined spelling of a name one letter off the longest one', () => {
    const text =
      'by and between SUPERMICRO Computer, Inc., a California Corporation, ("SUPERMICRO") and Ablecom Technology Inc. to assure ... IN WITNESS WHEREOF: Super Micro Computer, Inc. By: ____';
    const clusters = partyClusters(
      new FieldText(text),
      mentionsOf(text, ['SUPERMICRO Computer, Inc.', 'Ablecom Technology Inc.', 'Super Micro Computer, Inc.']),
    );
    assert.deepEqual(
      clusters.map((c) => [c.name, c.start]),
      [
        ['SUPERMICRO Computer, Inc.', text.indexOf('SUPERMICRO')],
        ['Ablecom Technology Inc.', text.indexOf('Ablecom')],
      ],
    );
    // the longest spelling stays where it is defined too (or where none is)
    const stremick =
      'STREMICK HERITAGE FOODS, LLC and PREMIER\n\nbetween Stremicks Heritage Foods, LLC ("Stremicks") and Premier';
    const [c] = partyClusters(
      new FieldText(stremick),
      mentionsOf(stremick, ['STREMICK HERITAGE FOODS, LLC', 'Stremicks Heritage Foods, LLC']),
    );
    assert.equal(c.name, 'Stremicks Heritage Foods, LLC');
  });

  test('a span begun a word late joins the name it ends when that word is there, not otherwise', () => {
    const cover =
      'SYNOVUS FINANCIAL CORP.\nTOTAL SYSTEM SERVICES, INC.\n\nbetween Synovus and Total System Services, Inc.';
    const clusters = partyClusters(
      new FieldText(cover),
      // the network began the cover's name a word late
      mentionsOf(cover, ['SYNOVUS FINANCIAL CORP.', 'SYSTEM SERVICES, INC.', 'Total System Services, Inc.']),
    );
    assert.deepEqual(
      clusters.map((c) => c.name),
      ['SYNOVUS FINANCIAL CORP.', 'Total System Services, Inc.'],
    );
    const two = 'among Sykes HealthPlan Services, Inc. and HealthPlan Services, Inc.';
    const apart = partyClusters(
      new FieldText(two),
      mentionsOf(two, ['Sykes HealthPlan Services, Inc.', 'HealthPlan Services, Inc.']),
    );
    assert.equal(apart.length, 2, 'a name that ends another, standing alone, is another party');
  });

  test("a name the network cut short where a rule read it whole is the rule's name", () => {
    const text = 'by and between Innotrac Corporation ("INNOTRAC"), and Dynamic Response Group, Inc, having';
    const at = text.indexOf('Dynamic');
    const mention = (start: number, end: number, source: Mention['source']): Mention => ({
      start,
      end,
      label: 'PARTY',
      confidence: 0.9,
      source,
    });
    const network = mentionsOf(text, ['Innotrac Corporation', 'INNOTRAC', 'Dynamic Response']);
    const clusters = partyClusters(
      new FieldText(text),
      [...network, mention(at, at + 'Dynamic Response Group, Inc'.length, 'rules')].sort((a, b) => a.start - b.start),
    );
    assert.deepEqual(
      clusters.map((c) => c.name),
      ['Innotrac Corporation', 'Dynamic Response Group, Inc'],
    );
  });

  test('definedAliases stops at the next mention', () => {
    const text = 'Acme Inc. and Beta LLC ("Beta")';
    assert.deepEqual(definedAliases(text, 9, text.indexOf('Beta')), []);
  });

  test('party names without the words around them; keys ignore case, punctuation and legal forms', () => {
    assert.equal(cleanPartyName('Party A (Shipper): ZTO Express Co., Ltd.'), 'ZTO Express Co., Ltd.');
    assert.equal(cleanPartyName('PPD Development, LP, a Texas limited partnership'), 'PPD Development, LP');
    assert.equal(cleanPartyName('99 SPEED MART S/B (519537-X)'), '99 SPEED MART S/B');
    assert.equal(cleanPartyName('99 SPEED MART S/B (519537-%)'), '99 SPEED MART S/B', 'a check letter OCR misread');
    assert.equal(cleanPartyName('MINI MART 50%'), 'MINI MART 50%');
    assert.equal(cleanPartyName('AEON CO. (M) BHD (126926-H)'), 'AEON CO. (M) BHD');
    assert.equal(cleanPartyName('McDATA CORPORATION(McDATA) RESELLER MTI'), 'McDATA CORPORATION');
    assert.equal(cleanPartyName('Studio Okafor & Lind GbR, Reichenberger Strasse'), 'Studio Okafor & Lind GbR');
    assert.equal(cleanPartyName('Havelblick Immobilien GmbH & Co. KG'), 'Havelblick Immobilien GmbH & Co. KG');
    assert.equal(cleanPartyName('Bank of America, N.A.'), 'Bank of America, N.A.');
    assert.equal(cleanPartyName('**Quillfeather Software LLC**'), 'Quillfeather Software LLC');
    assert.equal(cleanPartyName('BETWEEN Acme Inc.'), 'Acme Inc.');
    for (const name of [
      'Total System Services, Inc.',
      'Anderson Consulting LLC',
      'Byron Hotels Ltd',
      'Withers Bergman LLP',
    ])
      assert.equal(cleanPartyName(name), name, 'a name that starts with "to", "and", "by" or "with" keeps it');
    assert.equal(partyKey('ACME HOLDINGS, INC.'), partyKey('Acme Holdings Incorporated'));
    assert.equal(partyKey('Dassault Systemes Corp.'), partyKey('Dassault Systemes'));
    assert.notEqual(partyKey('Acme Holdings'), partyKey('Acme Labs'));
    assert.equal(normalizeFieldValue('party', '<<enter Company Name>>'), undefined);
  });
});

describe('values', () => {
  test("an amount's figures: a currency set apart by a space is left out, one written onto them stays", () => {
    const cut = (s: string) => {
      const r = figures(s, { start: 0, end: s.length });
      return s.slice(r.start, r.end);
    };
    assert.equal(cut('RM 15.90'), '15.90');
    assert.equal(cut('RM15.90'), 'RM15.90');
    assert.equal(cut('EUR 4.872,50'), '4.872,50');
    assert.equal(cut('1 250,00 CHF'), '1 250,00');
    assert.equal(cut('$8.20'), '$8.20');
  });

  test("an address's comma set apart on both sides is written onto the word before; one written onto the next word stays", () => {
    assert.equal(
      attachCommas('LOT 1851-A & 1851-B, JALAN KPB 6 , KAWASAN PERINDUSTRIAN BALAKONG ,'),
      'LOT 1851-A & 1851-B, JALAN KPB 6, KAWASAN PERINDUSTRIAN BALAKONG,',
    );
    assert.equal(attachCommas('JALAN SETIA INDAH X ,U13/X 40170'), 'JALAN SETIA INDAH X ,U13/X 40170');
  });

  test("a receipt's value under its label: a colon OCR read on a line of its own is not the label", () => {
    const ft = new FieldText('SUB-TOTAL\n:\n15.60\nGRAND TOTAL\n:\n6.70\nPAYMENT\n:\n50.00');
    assert.deepEqual(labelLineAbove(ft, 5), { text: 'GRAND TOTAL', distance: 2 });
    // a column: labels (one with its colon apart), currency headers, then the values in order
    const col = new FieldText('TOTAL\n:\nCASH\nCHANGE\nRM\nRM\nRM\n3.70\n10.00\n6.30');
    assert.deepEqual(
      [7, 8, 9].map((i) => columnLabel(col, i)),
      ['TOTAL', 'CASH', 'CHANGE'],
    );
  });

  test('normalised by field type', () => {
    assert.deepEqual(normalizeFieldValue('amount', 'RM 15.90'), { value: '15.90', currency: 'MYR' });
    assert.deepEqual(normalizeFieldValue('amount', '15.90', { lineAbove: 'TOTAL (RM)' }), {
      value: '15.90',
      currency: 'MYR',
    });
    assert.deepEqual(normalizeFieldValue('date', '14/04/2026', { dateOrder: 'DMY' }), { value: '2026-04-14' });
    assert.deepEqual(normalizeFieldValue('duration', 'sixty (60) days'), { value: 'P60D' });
    assert.deepEqual(normalizeFieldValue('law', 'State of New York'), { value: 'New York' });
    assert.deepEqual(normalizeFieldValue('iban', 'DE89 3704 0044'), { value: 'DE8937040044' });
    assert.deepEqual(normalizeFieldValue('percent', '19%'), { value: '0.19' });
  });
});

describe('text and pages', () => {
  test('lines without their spaces; pages from form feeds', () => {
    const ft = new FieldText('  one  \n\ntwo\fthree\n');
    assert.deepEqual(
      ft.lines.map((l) => ft.lineText(l.index)),
      ['one', 'two', 'three'],
    );
    assert.equal(ft.pageAt(2), 1);
    assert.equal(ft.pageAt(ft.text.indexOf('three')), 2);
    assert.equal(new FieldText('no pages').pageAt(3), undefined);
  });

  test("pages from an intake's layout", () => {
    const text = 'first page\nsecond page\n';
    const layout: TextLayout = {
      pages: [
        { width: 612, height: 792, unit: 'pt' },
        { width: 612, height: 792, unit: 'pt' },
      ],
      boxes: [
        { start: 0, end: 10, page: 1, x0: 0, y0: 0, x1: 100, y1: 10, source: 'text' },
        { start: 11, end: 22, page: 2, x0: 0, y0: 0, x1: 100, y1: 10, source: 'text' },
      ],
    };
    const ft = new FieldText(text, layout);
    assert.equal(ft.pageAt(3), 1);
    assert.equal(ft.pageAt(15), 2);
    const fields = extractFields('Invoice date: 2024-05-06\fDue date: 2024-06-05\n', { kind: 'invoice' }).fields;
    assert.equal(fields.date[0].page, 1);
  });

  test("how sure the OCR was of a range's words: lowest and mean of its OCR boxes, none from a text layer", () => {
    const text = 'KEDAI MAJU\nEE SALEEM\n';
    const box = (start: number, end: number, source: 'text' | 'ocr', confidence?: number) => ({
      start,
      end,
      page: 1,
      x0: 0,
      y0: 0,
      x1: 10,
      y1: 10,
      source,
      ...(confidence !== undefined ? { confidence } : {}),
    });
    const layout: TextLayout = {
      pages: [{ width: 800, height: 2000, unit: 'px' }],
      boxes: [box(0, 5, 'ocr', 0.96), box(6, 10, 'ocr', 0.9), box(11, 13, 'ocr', 0.2), box(14, 20, 'ocr', 0.4)],
    };
    const ft = new FieldText(text, layout);
    const first = ft.readConfidence({ start: 0, end: 10 });
    assert.equal(first?.min, 0.9);
    assert.ok(Math.abs((first?.mean ?? 0) - 0.93) < 1e-9);
    const second = ft.readConfidence({ start: 11, end: 20 });
    assert.equal(second?.min, 0.2);
    assert.ok(Math.abs((second?.mean ?? 0) - 0.3) < 1e-9);
    assert.equal(ft.readConfidence({ start: 20, end: 21 }), undefined, 'no box there');
    const pdf: TextLayout = { pages: layout.pages, boxes: [box(0, 5, 'text'), box(6, 10, 'text')] };
    assert.equal(new FieldText(text, pdf).readConfidence({ start: 0, end: 10 }), undefined);
    assert.equal(new FieldText(text).readConfidence({ start: 0, end: 10 }), undefined);
  });
});

describe('export and scores', () => {
  const result = extractFields(CONTRACT, { kind: 'contract' });

  test("fieldsJson: the issue's shape, every value's text at its offsets", () => {
    const json = fieldsJson('c.txt', result);
    assert.deepEqual(Object.keys(json), ['file', 'kind', 'fields', 'checks']);
    assert.deepEqual(Object.keys(json.fields), [
      'parties',
      'agreement_date',
      'effective_date',
      'expiration_date',
      'term',
      'renewal_term',
      'notice_period',
      'governing_law',
    ]);
    const date = json.fields.agreement_date[0];
    assert.deepEqual(Object.keys(date), ['value', 'text', 'confidence', 'start', 'end']);
    assert.equal(date.value, '2024-05-05');
    assert.equal(CONTRACT.slice(date.start, date.end), date.text);
    assert.equal(json.fields.governing_law[0].value, 'New York');
    assert.equal(json.fields.notice_period[0].value, 'P60D');
  });

  test('CSV: one column per field, quoting where needed', () => {
    const columns = fieldsCsvColumns(['contract']);
    assert.equal(columns[0], 'file');
    assert.equal(columns[columns.length - 1], 'checks');
    const row = fieldsCsvRow(columns, 'a, "b".txt', result);
    assert.ok(row.startsWith('"a, ""b"".txt",contract,'));
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
  });

  test('scoreFields: alternatives for one value, several values, unnormalisable answers apart', () => {
    const v = (value: string) => ({ value, text: value, confidence: 1, start: 0, end: 1 });
    const scores = scoreFields(
      [
        {
          fields: { notice_period: [v('P180D')], parties: [v('Acme Inc.'), v('Gamma')] },
          answers: {
            notice_period: [{ value: 'P6M' }, { value: 'P180D' }],
            parties: [{ value: 'ACME, INC.' }, { value: 'Beta' }],
          },
        },
        {
          fields: { notice_period: [v('P30D')], parties: [] },
          answers: { notice_period: [{ unnormalisable: 'perpetual' }], parties: [] },
        },
        { fields: { notice_period: [v('P30D')], parties: [] }, answers: { notice_period: [] } },
      ],
      [
        { name: 'notice_period', type: 'duration', multi: false },
        { name: 'parties', type: 'party', multi: true },
      ],
    );
    assert.deepEqual(
      scores.map((s) => [s.field, s.tp, s.fp, s.fn, s.unnormalisable]),
      [
        ['notice_period', 1, 1, 0, 1],
        ['parties', 1, 1, 1, 0],
        ['all', 2, 2, 1, 1],
      ],
    );
  });
});
