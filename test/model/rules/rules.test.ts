import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { annotate, ibanCheckDigits, isValidIban, RULE_LABELS } from '../../../src/model/rules/annotate';
import { Rng } from '../../../src/model/core/random';
import { tokenize } from '../../../src/model/text/tokenizer';
import type { Span } from '../../../src/model/core/types';
import { DATA_DIR } from '../../fixtures/paths';

// Compiled to out-test/test/model/, so four levels up is /work, beside the repo.

/** `[label, surface]` for every span the rules find (optionally of some labels). */
function found(text: string, labels?: string[]): Array<[string, string]> {
  return annotate(text, labels).map((s) => [s.label, text.slice(s.start, s.end)]);
}

/** Surfaces of one label. */
function of(label: string, text: string): string[] {
  return annotate(text, [label]).map((s) => text.slice(s.start, s.end));
}

function checkInvariants(text: string, spans: Span[], where: string): void {
  const tokens = tokenize(text);
  const starts = new Set(tokens.map((t) => t.start));
  const ends = new Set(tokens.map((t) => t.end));
  let previousEnd = -1;
  for (const s of spans) {
    const surface = JSON.stringify(text.slice(s.start, s.end));
    assert.ok(s.start < s.end, `${where}: empty span ${surface}`);
    assert.ok(s.start >= previousEnd, `${where}: span ${surface} overlaps or is out of order`);
    assert.ok(starts.has(s.start) && ends.has(s.end), `${where}: ${s.label} ${surface} is not on token boundaries`);
    assert.ok((RULE_LABELS as readonly string[]).includes(s.label), `${where}: unknown label ${s.label}`);
    previousEnd = s.end;
  }
}

function readJsonl(file: string): Array<{ id: string; text: string; split?: string }> {
  return fs
    .readFileSync(path.join(DATA_DIR, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { id: string; text: string; split?: string });
}

// ---------------------------------------------------------------------------------------

describe('DATE', () => {
  const cases: Array<[string, string[]]> = [
    ['This Agreement is entered into this 5th day of May, 2024, by and between', ['5th day of May, 2024']],
    ['made as of the 5th day of May, 2024 (the "Effective Date")', ['5th day of May, 2024']],
    ['dated as of May 5, 2024 (the "Effective Date")', ['May 5, 2024']],
    ['effective as from 5 May 2024.', ['5 May 2024']],
    ['DATE: 12/05/2024', ['12/05/2024']],
    ['Invoice date 2024-05-12', ['2024-05-12']],
    ['shall terminate on December 31, 2012.', ['December 31, 2012']],
    ['Rechnungsdatum: 12.05.2024', ['12.05.2024']],
    ['as of Nov  5,  1999, (the "Effective Date")', ['Nov  5,  1999']],
    ['July 11 , 2006 (the "Effective Date")', ['July 11 , 2006']],
    ['DATE:\n25/12/2018 8:13:39 PM\nCASHIER', ['25/12/2018']],
    ['entered into as of September ___, 2019 (the "Effective Date")', ['September ___, 2019']],
    ['the 20t h day of November, 2018', ['20t h day of November, 2018']],
    ['03 MAR 2018 18:22', ['03 MAR 2018']],
    ['2003 CLOSED 24 MAR 18 09:58:26 PM', ['24 MAR 18']],
    ['12-MAR-2018 and 5/17/12', ['12-MAR-2018', '5/17/12']],
    [
      'November 1st, 2017, and expire on the first day of January, 2020',
      ['November 1st, 2017', 'first day of January, 2020'],
    ],
    ['for the fiscal year ended December 2019', ['December 2019']],
    ['each year ending on June 30 and', ['June 30']],
  ];
  for (const [text, expected] of cases) {
    test(JSON.stringify(text), () => assert.deepEqual(of('DATE', text), expected));
  }

  test('not dates', () => {
    assert.deepEqual(of('DATE', 'Section 1.10.20 applies; see 10-K, 10-Q.'), []);
    assert.deepEqual(of('DATE', 'the parties may 5 times a year'), []);
    assert.deepEqual(of('DATE', 'timestamp 2024-05-12T10:00 in the log'), []); // a date inside a longer token
    assert.deepEqual(of('DATE', 'on 32/13/2024 and 00/00/2024'), []);
    assert.deepEqual(of('DATE', 'TEL: 03-9201 6281 and 016-5498845'), []);
  });
});

describe('DURATION', () => {
  const cases: Array<[string, string[]]> = [
    ['for a period of twelve (12) months after', ['twelve (12) months']],
    ['upon thirty (30) days written notice', ['thirty (30) days']],
    ['renew for one year unless', ['one year']],
    ['for a period of five (5) years from the Effective Date', ['five (5) years']],
    ['at least 60 days prior to', ['60 days']],
    ["by providing thirty (30) calendar days' prior written notice", ['thirty (30) calendar days']],
    ['successive five (5)-year terms', ['five (5)-year']],
    ['a 30-day cure period', ['30-day']],
    ['for additional one-year terms', ['one-year']],
    ['at least one hundred twenty (120) days prior', ['one hundred twenty (120) days']],
    ['renewal on a year to year basis', ['a year']],
    ['within 24 hours of notice', ['24 hours']],
    ['Payment terms: within 30 days', ['30 days']],
    ['TWELVE (12) MONTHS IMMEDIATELY PRIOR', ['TWELVE (12) MONTHS']],
  ];
  for (const [text, expected] of cases) {
    test(JSON.stringify(text), () => assert.deepEqual(of('DURATION', text), expected));
  }

  test('not durations', () => {
    assert.deepEqual(of('DURATION', 'employees who are 18 years of age or older'), []);
    assert.deepEqual(of('DURATION', 'meetings twice a year'), []);
    assert.deepEqual(of('DURATION', 'YEAR 2          YEAR 3'), []);
    assert.deepEqual(of('DURATION', 'during the 2018 Calendar Year'), []);
    assert.deepEqual(of('DURATION', 'on the 5th day of May'), []);
  });
});

describe('AMOUNT', () => {
  const cases: Array<[string, string[]]> = [
    ['a fee of $1,250,000.00 payable', ['$1,250,000.00']],
    ['valued at US$ 500 per unit', ['US$ 500']],
    ['Total: EUR 1.234,56', ['EUR 1.234,56']],
    ['Gesamt 1.234,56 €', ['1.234,56 €']],
    ['TOTAL RM9.00', ['RM9.00']],
    ['a fee of Five Thousand Dollars ($5,000) per year', ['Five Thousand Dollars ($5,000)']],
    ['a fee of $5,000 (Five Thousand Dollars) per year', ['$5,000 (Five Thousand Dollars)']],
    ['Total 1 250,00 CHF', ['1 250,00 CHF']],
    ['up to a total of $120 million of costs', ['$120 million']],
    ['TOTAL:\n9.00\nCASH\n10.00\nCHANGE\n1.00', ['9.00', '10.00', '1.00']],
    ['TOTAL\n:\n4.90', ['4.90']],
    ['TOTAL:\r\n9.00\r\nCASH\r\n10.00\r\n', ['9.00', '10.00']],
    ['TOTAL : 15.00', ['15.00']],
    ['TOTAL\nCASH\nCHANGE\n9.00\n10.00\n1.00', ['9.00', '10.00', '1.00']],
    ['USD 98.00  USD 490.00', ['USD 98.00', 'USD 490.00']],
    ['Network switch 1 CHF 99.22 CHF 99.22', ['CHF 99.22', 'CHF 99.22']],
    ['Cable set 6 2.082,78 EUR 12.496,68 EUR', ['2.082,78 EUR', '12.496,68 EUR']],
  ];
  for (const [text, expected] of cases) {
    test(JSON.stringify(text), () => assert.deepEqual(of('AMOUNT', text), expected));
  }

  test('numbers that are not money', () => {
    // Section numbers and tables of contents in contracts.
    assert.deepEqual(of('AMOUNT', "22.11 Attorneys' Fees and Costs     22.12 Financial Statements"), []);
    assert.deepEqual(of('AMOUNT', 'see Section 8.2. 1.95 "Representatives" shall mean'), []);
    // Receipt numbers without a money label, quantities, weights, times.
    assert.deepEqual(of('AMOUNT', 'KF MODELLING CLAY\n1 PC\n9.000\n2.50'), []);
    assert.deepEqual(of('AMOUNT', '*TOTAL QTY: 4.00'), []);
    assert.deepEqual(of('AMOUNT', 'TOTAL\n35.10 LITRE'), []);
    assert.deepEqual(of('AMOUNT', 'DATE 12.05 PM'), []);
    // A UK postcode in Romford is not ringgit.
    assert.deepEqual(of('AMOUNT', '48 Bramble Way, Leeds RM13 2PT'), []);
  });
});

describe('PERCENT', () => {
  const cases: Array<[string, string[]]> = [
    ['VAT 19%', ['19%']],
    ['interest of 7.5 % per annum', ['7.5 %']],
    ['more than ten percent (10%) of the shares', ['ten percent (10%)']],
    ['a royalty (10%) on net sales', ['10%']],
    ['GST @6%', ['6%']],
    ['twenty-five percent (25%)', ['twenty-five percent (25%)']],
    ['MwSt. 19,5 %', ['19,5 %']],
  ];
  for (const [text, expected] of cases) {
    test(JSON.stringify(text), () => assert.deepEqual(of('PERCENT', text), expected));
  }
});

describe('JURISDICTION', () => {
  const cases: Array<[string, string[]]> = [
    [
      'This Agreement shall be governed by the laws of the State of New York, without regard to conflicts of law.',
      ['New York'],
    ],
    ['This Agreement shall be construed under the laws of the Commonwealth of Virginia.', ['Virginia']],
    ['This Agreement is governed by the laws of England and Wales.', ['England', 'Wales']],
    ['THIS AGREEMENT SHALL BE GOVERNED BY THE LAWS OF THE STATE OF TEXAS.', ['TEXAS']],
    ["It will be governed by the law of the People's Republic of China.", ["People's Republic of China"]],
    ['governed by the laws of the State of Delaware, United States of America, without reference', ['Delaware']],
    [
      'governed by the laws of the Province of Ontario and the federal laws of Canada applicable therein.',
      ['Ontario', 'Canada'],
    ],
    [
      'construed in accordance with the laws of the State of California as applied to agreements performed entirely in California by California residents.',
      ['California', 'California', 'California'],
    ],
    [
      // a PDF's page break inside the sentence
      'This Agreement shall be governed, construed and\nenforced in accordance with the applicable laws of the\n\nState of California, without regard to conflict of laws provisions.',
      ['California'],
    ],
  ];
  for (const [text, expected] of cases) {
    test(JSON.stringify(text.slice(0, 60)), () => assert.deepEqual(of('JURISDICTION', text), expected));
  }

  test('places outside a governing-law clause', () => {
    assert.deepEqual(of('JURISDICTION', 'Acme Inc., a Delaware corporation with offices in New York, New York.'), []);
    assert.deepEqual(
      of('JURISDICTION', 'Acme Inc., a corporation organized under the laws of the State of Delaware, and Beta LLC.'),
      [],
    );
    assert.deepEqual(
      of('JURISDICTION', 'The regulations governing telecommunications apply; shipments from China are taxed.'),
      [],
    );
    assert.deepEqual(
      of('JURISDICTION', '12. Governing Law\n\nAcme Inc. is a corporation of the State of Delaware.'),
      [],
      'a heading and its paragraph are two sentences',
    );
  });
});

describe('IBAN, BIC, ACCOUNT', () => {
  test('IBAN grouped and compact, label excluded', () => {
    assert.deepEqual(of('IBAN', 'IBAN: DE89 3704 0044 0532 0130 00\nBIC: COBADEFFXXX'), [
      'DE89 3704 0044 0532 0130 00',
    ]);
    assert.deepEqual(of('IBAN', 'pay to GB29NWBK60161331926819.'), ['GB29NWBK60161331926819']);
    assert.deepEqual(of('IBAN', 'IBAN GB29 NWBK 6016 1331 9268 19 BIC NWBKGB2L'), ['GB29 NWBK 6016 1331 9268 19']);
  });

  test('IBAN check digits are validated (mod 97)', () => {
    assert.equal(isValidIban('DE89 3704 0044 0532 0130 00'), true);
    assert.equal(isValidIban('GB29NWBK60161331926819'), true);
    assert.equal(isValidIban('CH9300762011623852957'), true);
    assert.equal(isValidIban('NL91ABNA0417164300'), true);
    assert.equal(isValidIban('DE88 3704 0044 0532 0130 00'), false); // wrong check digits
    assert.equal(isValidIban('DE89 3704 0044 0532 0130 01'), false); // one digit changed
    assert.equal(isValidIban('DE89 3704 0044 0532 0130'), false); // wrong length for DE
    assert.equal(isValidIban('QQ89 3704 0044 0532 0130 00'), false); // unknown country
    assert.deepEqual(of('IBAN', 'IBAN: DE88 3704 0044 0532 0130 00'), []);
  });

  test('ibanCheckDigits makes valid IBANs', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 200; i++) {
      let bban = '';
      for (let k = 0; k < 18; k++) bban += String(rng.int(10));
      const iban = `DE${ibanCheckDigits('DE', bban)}${bban}`;
      assert.ok(isValidIban(iban), iban);
      const broken = iban.slice(0, 10) + String((Number(iban[10]) + 1) % 10) + iban.slice(11);
      assert.ok(!isValidIban(broken), broken);
    }
    assert.equal(ibanCheckDigits('GB', 'NWBK60161331926819'), '29');
  });

  test('BIC needs its label and a valid country code', () => {
    assert.deepEqual(of('BIC', 'BIC: DEUTDEFF'), ['DEUTDEFF']);
    assert.deepEqual(of('BIC', 'SWIFT Code #: BOFAUS3N  Trust Account'), ['BOFAUS3N']);
    assert.deepEqual(of('BIC', 'Swift Address:           UBSWUS33XXX'), ['UBSWUS33XXX']);
    assert.deepEqual(of('BIC', 'governed by the laws of DELAWARE and PROVIDED THAT'), []);
    assert.deepEqual(of('BIC', 'BIC: ABCDZZ12'), []); // ZZ is no country
  });

  test('ACCOUNT after an account label', () => {
    assert.deepEqual(of('ACCOUNT', 'Account No.: 123-456-789'), ['123-456-789']);
    assert.deepEqual(of('ACCOUNT', 'ABA: 121140399, Account: 3300109833, Money Market'), ['3300109833']);
    assert.deepEqual(of('ACCOUNT', 'on account of 2019 2020 results'), []);
  });
});

describe('INVOICE_ID, TAX_ID', () => {
  test('invoice numbers', () => {
    assert.deepEqual(of('INVOICE_ID', 'Invoice No.: INV-2024-0012'), ['INV-2024-0012']);
    assert.deepEqual(
      of('INVOICE_ID', 'Invoice No.:      FOS-2026-0117\nInvoice date:     14.04.2026'),
      ['FOS-2026-0117'],
      'a value in an aligned column',
    );
    assert.deepEqual(of('INVOICE_ID', 'INVOICE NO.:\nCS 67832\nDATE :'), ['CS 67832']);
    assert.deepEqual(of('INVOICE_ID', 'RECEIPT #: CSP0393921 DATE: 15/06/2017'), ['CSP0393921']);
    assert.deepEqual(of('INVOICE_ID', 'Please find enclosed invoice INV-2024-0153 dated 5 May 2024'), [
      'INV-2024-0153',
    ]);
    assert.deepEqual(of('INVOICE_ID', 'Invoice date: 12/05/2024'), []);
    assert.deepEqual(of('INVOICE_ID', 'payable within 30 days of invoice 30 days'), []);
    // "Document No." in a contract names some other document.
    assert.deepEqual(
      of('INVOICE_ID', 'the Services Agreement bearing ExxonMobil Document No. EM09080, as amended'),
      [],
    );
  });

  test('tax identifiers', () => {
    assert.deepEqual(of('TAX_ID', 'VAT Reg. No.: DE123456789'), ['DE123456789']);
    assert.deepEqual(of('TAX_ID', 'GST ID : 000750673920'), ['000750673920']);
    assert.deepEqual(of('TAX_ID', 'EIN: 12-3456789'), ['12-3456789']);
    assert.deepEqual(of('TAX_ID', 'VAT No. GB 123 4567 89'), ['GB 123 4567 89']);
    assert.deepEqual(of('TAX_ID', 'UID CHE-123.456.789 MWST'), ['CHE-123.456.789 MWST']);
    assert.deepEqual(of('TAX_ID', 'Tax 19%: 237.50'), []);
    assert.deepEqual(of('TAX_ID', 'TAX: 5.37'), []);
    // an empty label, then the receipt's date and time as OCR read them on the next line
    assert.deepEqual(of('TAX_ID', 'GST No. :\n14/03/2018 557.07PM'), []);
    assert.deepEqual(of('DATE', 'GST No. :\n14/03/2018 557.07PM'), ['14/03/2018']);
  });
});

describe('annotate', () => {
  test('labels restrict the output; unknown labels are ignored; none asked, none given', () => {
    const text = 'Invoice No.: INV-7 dated 5 May 2024, total $1,250.00 incl. VAT 19%, due within 30 days.';
    assert.deepEqual(found(text, ['DATE']), [['DATE', '5 May 2024']]);
    assert.deepEqual(found(text, ['PERCENT', 'NOPE']), [['PERCENT', '19%']]);
    assert.deepEqual(found(text, []), []);
    assert.deepEqual(found(text), [
      ['INVOICE_ID', 'INV-7'],
      ['DATE', '5 May 2024'],
      ['AMOUNT', '$1,250.00'],
      ['PERCENT', '19%'],
      ['DURATION', '30 days'],
    ]);
  });

  test('overlaps resolve by priority: a date inside an id belongs to the id', () => {
    // "12/05/2024" is not a separate DATE inside a longer token.
    assert.deepEqual(found('INVOICE NO: 2024-05-12-001'), [['INVOICE_ID', '2024-05-12-001']]);
  });

  test('empty and whitespace-only text', () => {
    assert.deepEqual(annotate(''), []);
    assert.deepEqual(annotate(' \n\t '), []);
  });

  test('random strings of digits, separators, currencies and words keep the invariants', () => {
    const pieces = [
      '1',
      '12',
      '2024',
      '05',
      '.',
      ',',
      '/',
      '-',
      ' ',
      '\n',
      '$',
      '€',
      'RM',
      'EUR',
      '%',
      '(',
      ')',
      'May',
      'days',
      'thirty',
      'TOTAL',
      'IBAN',
      'DE89',
      '3704',
      'BIC',
      'Invoice No.',
      ':',
      'of',
      'laws of the State of',
      'New York',
      'governed by',
      'percent',
      '___',
      'th',
      'day',
      'x',
    ];
    const rng = new Rng(99);
    for (let i = 0; i < 300; i++) {
      let text = '';
      const n = 1 + rng.int(40);
      for (let k = 0; k < n; k++) text += pieces[rng.int(pieces.length)] + (rng.next() < 0.5 ? ' ' : '');
      checkInvariants(text, annotate(text), `random ${i}: ${JSON.stringify(text)}`);
    }
  });
});

describe('invariants on real documents', () => {
  const available = fs.existsSync(path.join(DATA_DIR, 'cuad.jsonl'));

  test('CUAD dev: sorted, non-overlapping, token-aligned, also on random cuts', { skip: !available }, () => {
    const docs = readJsonl('cuad.jsonl')
      .filter((d) => d.split === 'dev')
      .slice(0, 12);
    const rng = new Rng(5);
    for (const doc of docs) {
      checkInvariants(doc.text, annotate(doc.text), doc.id);
      // Cuts at arbitrary offsets create partial tokens and clauses at the edges.
      for (let k = 0; k < 5; k++) {
        const start = rng.int(doc.text.length);
        const piece = doc.text.slice(start, start + 200 + rng.int(3000));
        checkInvariants(piece, annotate(piece), `${doc.id} @${start}`);
      }
    }
  });

  test(
    'SROIE receipts: sorted, non-overlapping, token-aligned',
    { skip: !fs.existsSync(path.join(DATA_DIR, 'sroie-dev.jsonl')) },
    () => {
      for (const doc of readJsonl('sroie-dev.jsonl').slice(0, 60))
        checkInvariants(doc.text, annotate(doc.text), doc.id);
    },
  );
});

describe('PARTY: organisations a preamble names and defines', () => {
  test('a run of capitalised words after between / and, defined by a role or its short name', () => {
    assert.deepEqual(
      of(
        'PARTY',
        'This Confidentiality Agreement is dated as of October 7, 2011 by and between Russian Standard Vodka (the\n“Receiving Party”) and Central European Distribution Corporation (together with its subsidiaries, the “Company”).',
      ),
      ['Russian Standard Vodka', 'Central European Distribution Corporation'],
    );
    assert.deepEqual(of('PARTY', 'by and between Acme Corp. and Blue Harbor Foods ("BHF").'), ['Blue Harbor Foods']);
    assert.deepEqual(
      of(
        'PARTY',
        'by and between Telco Solutions III, LLC, a corporation organized under the laws of Nevada (“TELCO”), and Comverge, Inc., a corporation organized under the laws of Delaware (“COMVERGE”)',
      ),
      ['Telco Solutions III, LLC', 'Comverge, Inc.'],
      'what kind of entity it is may come between a name and its defined term',
    );
    assert.deepEqual(
      of(
        'PARTY',
        'by and between Pareteum Corporation, a Delaware corporation (“TEUM”), and iPass Inc., a Delaware corporation having its address at: 3800 Bridge Parkway, Redwood Shores, California 94065, USA (“iPass”)',
      ),
      ['iPass Inc.'],
      '"TEUM" is neither a role nor a short form of "Pareteum Corporation": the network finds that one',
    );
    assert.deepEqual(
      of(
        'PARTY',
        'by and between Alloy, Inc., a Delaware corporation (“Parent”), Dodger Acquisition Corp., a Delaware corporation and a wholly owned subsidiary of Parent (“Sub”), and the Stockholders',
      ),
      ['Alloy, Inc.', 'Dodger Acquisition Corp.'],
      "the second of a list, after the first one's defined term and a comma",
    );
    assert.deepEqual(
      of('PARTY', 'between the University of Iowa and Erchonia Corporation. (the "Distributor")'),
      ['Erchonia Corporation'],
      "a sentence's full stop is not the name's",
    );
    assert.deepEqual(
      of(
        'PARTY',
        'This Agreement is entered into by and between Information Spectrum, Inc. (hereinafter “ISI”), a corporation',
      ),
      ['Information Spectrum, Inc.'],
      'a word of defined things ("Information") in a name a legal form ends',
    );
    const involving =
      'In connection with a possible business transaction (the “Transaction”) involving Manpower Inc. (“COMPANY”) and Comsys IT Partners, Inc. (“COMSYS”), collectively the “Parties,” certain information may be requested';
    assert.deepEqual(
      of('PARTY', involving),
      ['Comsys IT Partners, Inc.'],
      'no "between", but "collectively the Parties" after it (the first has no "and" or "between" before it: the network finds that one)',
    );
    assert.deepEqual(of('PARTY', involving.replace(', collectively the “Parties,”', '')), []);
  });

  test('not a defined thing, an office, a role, nor outside a list of parties', () => {
    assert.deepEqual(
      of('PARTY', 'between the parties with respect to Confidential Information (the "Information")'),
      [],
    );
    assert.deepEqual(
      of('PARTY', 'between the parties with regard to the Proposed Transaction (the "Transaction")'),
      [],
    );
    assert.deepEqual(of('PARTY', 'between Acme and Franchisee (the "Member")'), []);
    assert.deepEqual(
      of('PARTY', 'before the China International Economic and Trade Arbitration Commission (the "Commission")'),
      [],
    );
    assert.deepEqual(
      of('PARTY', 'Payment is made to Blue Harbor Foods ("BHF") monthly.'),
      [],
      'no "between" before it',
    );
  });
});

describe('PARTY: organisations a preamble names by their legal form', () => {
  test('a name ending in a legal form in the party list, defined or not', () => {
    assert.deepEqual(
      of(
        'PARTY',
        'This NON-DISCLOSURE AGREEMENT is made effective as of the 29th day of Dec. 2006, by and between SUPERMICRO Computer, Inc., a California Corporation, (“herein “SUPERMICRO”) and Ablecom Technology Inc. to assure the protection of the information.',
      ),
      ['SUPERMICRO Computer, Inc.', 'Ablecom Technology Inc.'],
    );
    assert.deepEqual(
      of('PARTY', 'This Agreement is entered into between Northwind Traders Limited and Contoso Pty Ltd. today.'),
      ['Northwind Traders Limited', 'Contoso Pty Ltd.'],
    );
    assert.deepEqual(
      of('PARTY', 'This Agreement is made on May 13, 2021 between Initech Ltd. and Umbrella S.A.. The parties agree.'),
      ['Initech Ltd.', 'Umbrella S.A.'],
      'a name ends where the next sentence starts',
    );
  });

  test('not part of a name joined by "and", not a defined thing, not where no contract is made', () => {
    assert.deepEqual(
      of('PARTY', 'made by and between the Company and ExxonMobil Research and Engineering Company, to'),
      [],
      '"Research and Engineering Company" is one name: the network decides it',
    );
    assert.deepEqual(of('PARTY', 'made between the parties and the Confidential Information Company.'), []);
    assert.deepEqual(
      of('PARTY', 'by and between Acme Corp. and Blue Harbor Foods Inc.'),
      [],
      'no contract said to be made between them',
    );
    assert.deepEqual(
      of(
        'PARTY',
        'licensed under the "License Agreement" dated February 3, 2006, by and between MeadWestvaco Corporation and ABI',
      ),
      [],
      'another agreement this one names, not this one',
    );
    const later = `${'The parties agree as follows. '.repeat(150)}Disputes between the parties and Wells Fargo Bank, N.A., as trustee, are settled in court.`;
    assert.deepEqual(of('PARTY', later), [], 'far from where it is made, "between" lists others than the parties');
  });
});

describe('PARTY: people a preamble names as parties', () => {
  test('a name after between / and, introduced by its defined term or as an individual', () => {
    assert.deepEqual(
      of(
        'PARTY',
        'by and between Global Technologies, Ltd (the "Company"), a Delaware corporation whose address is 501 1st Ave N., FL 33701 and Timothy Cabrera (hereinafter the "Consultant"), an individual',
      ),
      ['Global Technologies, Ltd', 'Timothy Cabrera'],
    );
    assert.deepEqual(
      of(
        'PARTY',
        'between Healthcare Distribution Specialists LLC ("HDS"), a Delaware corporation, and Paul Silas ("Celebrity), an individual.',
      ),
      ['Paul Silas'],
    );
    assert.deepEqual(of('PARTY', 'This Agreement is between Acme Corp. and Mr. Eric R. Shander (“Employee”).'), [
      'Eric R. Shander',
    ]);
    assert.deepEqual(
      of(
        'PARTY',
        'among Acme Golf, Inc., a Delaware corporation, and KATHY WHITWORTH, an individual residing at 302 La Mancha',
      ),
      ['KATHY WHITWORTH'],
    );
    assert.deepEqual(of('PARTY', 'between the Company and Donald J. DeMarie, Jr. (the “Consultant”)'), [
      'Donald J. DeMarie, Jr.',
    ]);
    assert.deepEqual(
      of('PARTY', 'by and between the Company and R. David Banyard (the “Executive”).'),
      ['R. David Banyard'],
      'a first initial',
    );
    assert.deepEqual(
      of(
        'PARTY',
        'by and between Apogee Enterprises, Inc. (“Apogee”) and Brent C. Jewell, who resides at 3165 Lake Shore Boulevard, Minnetonka, Minnesota 55491 (“Employee”).',
      ),
      ['Apogee Enterprises, Inc.', 'Brent C. Jewell'],
      'where the person lives, then the defined term',
    );
    assert.deepEqual(
      of(
        'PARTY',
        'is made between the Company and Reynolds C. Faulkner, his heirs, executors, administrators, successors, and assigns (“Faulkner”).',
      ),
      ['Reynolds C. Faulkner'],
    );
    assert.deepEqual(
      of(
        'PARTY',
        'by and among the Company, and Richard M. Beyer, whose address is 13503 Fremont Road, Los Altos, CA 94022 (hereinafter “Mr. Beyer”).',
      ),
      ['Richard M. Beyer'],
    );
    assert.deepEqual(
      of('PARTY', 'NON-DISCLOSURE AGREEMENT PARTIES: Mindy Grossman (EMPLOYEE) and NIKE, Inc., and its divisions'),
      ['Mindy Grossman'],
      'a "PARTIES:" header, a bare role in brackets',
    );
    assert.deepEqual(of('PARTY', 'sent to Mindy Grossman (EMPLOYEE) in March'), [], 'not outside a list of parties');
  });

  test('not a company, an office or a name joined by "and", nor outside a list of parties', () => {
    assert.deepEqual(
      of('PARTY', 'between Acme and Ingram Micro Inc. ("Distributor")'),
      ['Ingram Micro Inc.'],
      'an organisation (the rule for organisations), not a person',
    );
    assert.deepEqual(of('PARTY', 'filed between the parties with the Patent and Trademark Office (the "USPTO")'), []);
    assert.deepEqual(of('PARTY', 'between the parties, with the Securities and Exchange Commission ("SEC")'), []);
    assert.deepEqual(of('PARTY', 'The products were shipped to Paul Silas ("Celebrity") last year.'), []);
    assert.deepEqual(
      of('PARTY', 'between the parties and John Smith, who resides at 1 Main Street; the Company ("Acme")'),
      [],
      'not a defined term after the end of the clause',
    );
    assert.deepEqual(
      of('PARTY', 'The Company and Paul Silas ("Celebrity") agree as follows.'),
      [],
      'no "between" before it',
    );
  });
});
