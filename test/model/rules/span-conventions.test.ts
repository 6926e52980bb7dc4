import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  conformAddress,
  conformParty,
  isNumberLine,
  joinAddressParts,
  joinPartyLines,
} from '../../../src/model/rules/span-conventions';
import { combineWindows } from '../../../src/model/rules/policy';
import { tokenize } from '../../../src/model/text/tokenizer';
import type { Entity } from '../../../src/model/core/types';

function at(text: string, surface: string, label: string, confidence = 0.8): Entity {
  const start = text.indexOf(surface);
  assert.ok(start >= 0, surface);
  return { label, start, end: start + surface.length, text: surface, confidence };
}

test('phone and registration lines are number lines; address lines, postcodes and house numbers are not', () => {
  for (const line of [
    '07 3823455',
    'TEL: 03-7728 2288',
    '(1168272-U)',
    'NO : SA0099552-P',
    'CO-REG:860671-D',
    '(GST REG. NO : 001685499904)',
    'JM0325955-V',
    '002043319-W',
    '03-3279 1851,',
    '000965911.P',
    '5033)',
  ]) {
    assert.ok(isNumberLine(line), line);
  }
  for (const line of [
    '43300',
    '81750 JOHOR BAHRU, JOHOR',
    'NO. 17-G, JALAN SETIA INDAH',
    'NO.19 & 21',
    'LOT P.T. 2811, JALAN ANGSA,',
    '1245-DESA SRI HARTAMAS',
    'Suite 3300',
    '1550 Peachtree Street',
    '',
  ]) {
    assert.ok(!isNumberLine(line), line);
  }
});

test('an address loses a registration line above it and a phone line below it, nothing else', () => {
  const text =
    'NADEJE SDN BHD\nNO : SA0099552-P\nLOT PT 1138 ,PT 33122,\n43200 CHERAS, SELANGOR\n07 3823455\nTAX INVOICE';
  const e = at(text, 'NO : SA0099552-P\nLOT PT 1138 ,PT 33122,\n43200 CHERAS, SELANGOR\n07 3823455', 'ADDRESS');
  const out = conformAddress(text, e);
  assert.equal(out?.text, 'LOT PT 1138 ,PT 33122,\n43200 CHERAS, SELANGOR');
  assert.equal(text.slice(out!.start, out!.end), out!.text);
  const plain = at(text, 'LOT PT 1138 ,PT 33122,\n43200 CHERAS, SELANGOR', 'ADDRESS');
  assert.equal(conformAddress(text, plain), plain, 'an address without such lines is the same object');
  const oneLine = at(text, '07 3823455', 'ADDRESS');
  assert.equal(conformAddress(text, oneLine), oneLine, 'a one-line address is never cut');
  const only = at(text, 'NO : SA0099552-P\nLOT', 'ADDRESS');
  assert.equal(conformAddress(text, only)?.text, 'LOT');
});

test("an address loses the outlet's name over its street line, a heading or web line under it, its own label", () => {
  const cut = (text: string, surface: string) => conformAddress(text, at(text, surface, 'ADDRESS'))?.text;
  let text = 'MYDIN MART SRI MUDA\n4-20, JALAN RIA 25/62\n40400 SHAH ALAM SELANGOR\nTAXINVOICE\nQTY';
  assert.equal(cut(text, text.slice(0, text.indexOf('\nQTY'))), '4-20, JALAN RIA 25/62\n40400 SHAH ALAM SELANGOR');
  text = 'FASARAYA SUPER SEVEN.\nNO. 1 JALAN EURO 1\nSHAH ALAM, 40150\nHTTP://WWW.SUPER7.COM.MY';
  assert.equal(cut(text, text), 'NO. 1 JALAN EURO 1\nSHAH ALAM, 40150');
  text = 'HQ ADD: LOT 11995, BATU 2, JALAN KAPAR\n41400 KLANG, SELANGOR';
  assert.equal(cut(text, text), 'LOT 11995, BATU 2, JALAN KAPAR\n41400 KLANG, SELANGOR');
  text = 'TAMAN SEJATI,\nIJOK, 45600 BESTARI JAYA,\nKUALA SELANGOR.';
  assert.equal(cut(text, text), text, 'a first line without digits over a line that is no street line stays');
  text = 'USJ SUMMIT, SUBANG (SS)\n22241 WS CUT SCUSSORS';
  assert.equal(cut(text, text), text, 'nor over an item line');
  text = 'NO 43-45-47G,\nTAMAN SEJATI,\n03-3279 1851,';
  assert.equal(cut(text, text), 'NO 43-45-47G,\nTAMAN SEJATI,', 'a phone line ending on a comma');
});

test('an address ends at its postcode, not at the name of a party after it', () => {
  const text = 'principal address at 1708 Jaggie Fox Way, Lexington, KY 40511 and Daniel Powell\n("Employee")';
  const e = at(text, '1708 Jaggie Fox Way, Lexington, KY 40511 and Daniel Powell', 'ADDRESS');
  assert.equal(conformAddress(text, e)?.text, '1708 Jaggie Fox Way, Lexington, KY 40511');
  const country = 'Frederick Street, Port of Spain, Trinidad and Tobago';
  assert.equal(conformAddress(country, at(country, country, 'ADDRESS'))?.text, country);
});

test('a party loses the bracketed defined term after its name', () => {
  const text =
    'by and between Nexeon MedSystems Inc (“Company”), a Nevada corporation, and Eric R. Shander ("Employee")';
  assert.equal(
    conformParty(text, at(text, 'Nexeon MedSystems Inc (“Company”)', 'PARTY'))?.text,
    'Nexeon MedSystems Inc',
  );
  assert.equal(conformParty(text, at(text, 'Eric R. Shander ("Employee")', 'PARTY'))?.text, 'Eric R. Shander');
  const name = at(text, 'Nexeon MedSystems Inc', 'PARTY');
  assert.equal(conformParty(text, name), name);
  const bracket = 'Acme (Europe) Ltd';
  assert.equal(conformParty(bracket, at(bracket, bracket, 'PARTY'))?.text, bracket, 'a bracket without a quote stays');
  const alone = '(“Company”)';
  assert.equal(conformParty(alone, at(alone, alone, 'PARTY')), null);
});

test('a party loses the end of the party defined before it', () => {
  const text = 'by and between ADA-ES, Inc. (“ADA”) and Industrial Furnace Company (the “Company”).';
  const e = at(text, 'ADA”) and Industrial Furnace Company', 'PARTY');
  const conformed = conformParty(text, e);
  assert.equal(conformed?.text, 'Industrial Furnace Company');
  assert.equal(text.slice(conformed?.start, conformed?.end), 'Industrial Furnace Company');
  const and = 'Smith and Jones LLP';
  assert.equal(conformParty(and, at(and, and, 'PARTY'))?.text, and, 'no closing quote: the "and" is the name\'s');
});

test('a party ended at its institution word takes the place it is "of" on its line', () => {
  const text =
    'by and between ArTara, Inc. ("ArTara"), and The University of Iowa, located at 2 Gilmore Hall. ' +
    'The University of Texas M. D. Anderson Cancer Center, with a place of business. ' +
    'Signed for the Bank of the City of New York. The Board\nof Directors. Wells Fargo Bank and Trust.';
  const party = (surface: string) => conformParty(text, at(text, surface, 'PARTY'))?.text;
  assert.equal(party('The University'), 'The University of Iowa');
  const second = text.indexOf('The University of Texas');
  const e = {
    label: 'PARTY',
    start: second,
    end: second + 'The University'.length,
    text: 'The University',
    confidence: 0.7,
  };
  assert.equal(conformParty(text, e)?.text, 'The University of Texas M. D. Anderson Cancer Center');
  assert.equal(party('Bank'), 'Bank of the City of New York', 'the full stop ending the sentence stays out');
  assert.equal(party('The Board'), 'The Board', 'not over a line break');
  assert.equal(party('Wells Fargo Bank'), 'Wells Fargo Bank', 'nothing "of" after it');
  assert.equal(party('ArTara, Inc.'), 'ArTara, Inc.', 'not an institution word');
});

test("a receipt's seller printed over two lines is one party, whichever line the network left out", () => {
  const texts = {
    dangling: 'HOME MASTER HARDWARE &\nELECTRICAL\nNO.113G, JALAN SETIA',
    suffix: 'PASARAYA BORONG PINTAR\nSDN BHD\nBR NO. :(124525-H)',
    generic: 'LIAN CHI PU TIAN VEGETARIAN\nRESTAURANT SDN BHD\n(1095514-X)',
    bracket: 'AIK HUAT HARDWARE\nENTERPRISE (SETIA\nALAM) SDN BHD\nNO. 17-G',
    split: 'POPULAR BOOK\nCO. (M) SDN BHD\n(113825-W)',
  };
  const one = (text: string, ...surfaces: string[]) =>
    joinPartyLines(
      text,
      surfaces.map((x) => at(text, x, 'PARTY', 0.7)),
    ).map((e) => e.text);
  assert.deepEqual(one(texts.dangling, 'HOME MASTER HARDWARE &'), ['HOME MASTER HARDWARE &\nELECTRICAL']);
  assert.deepEqual(one(texts.suffix, 'SDN BHD'), ['PASARAYA BORONG PINTAR\nSDN BHD']);
  assert.deepEqual(one(texts.generic, 'RESTAURANT SDN BHD'), ['LIAN CHI PU TIAN VEGETARIAN\nRESTAURANT SDN BHD']);
  assert.deepEqual(one(texts.bracket, 'ENTERPRISE (SETIA\nALAM) SDN BHD'), [
    'AIK HUAT HARDWARE\nENTERPRISE (SETIA\nALAM) SDN BHD',
  ]);
  assert.deepEqual(one(texts.split, 'POPULAR BOOK', 'CO. (M) SDN BHD'), ['POPULAR BOOK\nCO. (M) SDN BHD']);
});

test('a party is not joined to a heading, a number line, another entity or a name that needs nothing', () => {
  const join = (text: string, ...entities: Entity[]) => joinPartyLines(text, entities).map((e) => e.text);
  let text = 'TAX INVOICE\nSDN BHD';
  assert.deepEqual(join(text, at(text, 'SDN BHD', 'PARTY')), ['SDN BHD'], 'a heading above');
  text = 'NO 12 JALAN 3\nSDN BHD';
  assert.deepEqual(join(text, at(text, 'SDN BHD', 'PARTY')), ['SDN BHD'], 'an address line above');
  text = 'KEDAI ABC\nGARDENIA BAKERIES SDN BHD';
  assert.deepEqual(join(text, at(text, 'GARDENIA BAKERIES SDN BHD', 'PARTY')), ['GARDENIA BAKERIES SDN BHD']);
  text = 'SMITH &\nJONES LTD';
  assert.deepEqual(
    join(text, at(text, 'SMITH &', 'PARTY'), at(text, 'JONES LTD', 'ADDRESS')),
    ['SMITH &', 'JONES LTD'],
    'the next line is another entity',
  );
  text = 'BOOK SHOP &\n12 JALAN 3';
  assert.deepEqual(join(text, at(text, 'BOOK SHOP &', 'PARTY')), ['BOOK SHOP &'], 'digits below');
  text = 'HOME &\nMASTER\nSDN BHD\n12 JALAN';
  assert.deepEqual(
    join(text, at(text, 'HOME &', 'PARTY'), at(text, 'SDN BHD', 'PARTY')),
    ['HOME &\nMASTER\nSDN BHD'],
    'two names never both take the line between them: one party, no overlap',
  );
});

test('two parts of one address around an unsure line are joined; side by side columns and blank lines are not', () => {
  const text = 'NO. 17-G, JALAN SETIA INDAH\n(X) U13/X, SETIA ALAM,\nSEKSYEN U13, 40170 SHAH ALAM,\nTEL 03-1234567';
  const parts = [
    at(text, 'NO. 17-G, JALAN SETIA INDAH', 'ADDRESS', 0.9),
    at(text, 'SETIA ALAM,\nSEKSYEN U13, 40170 SHAH ALAM,', 'ADDRESS', 0.6),
  ];
  const joined = joinAddressParts(text, parts);
  assert.equal(joined.length, 1);
  assert.equal(joined[0].text, 'NO. 17-G, JALAN SETIA INDAH\n(X) U13/X, SETIA ALAM,\nSEKSYEN U13, 40170 SHAH ALAM,');
  assert.equal(joined[0].confidence, 0.6);

  const columns = '1550 Peachtree Street      11720 Amberpark Drive';
  const two = [at(columns, '1550 Peachtree Street', 'ADDRESS'), at(columns, '11720 Amberpark Drive', 'ADDRESS')];
  assert.equal(joinAddressParts(columns, two).length, 2);
  const blank = '1 Main Street\n\n2 High Street';
  assert.equal(
    joinAddressParts(blank, [at(blank, '1 Main Street', 'ADDRESS'), at(blank, '2 High Street', 'ADDRESS')]).length,
    2,
  );
  const between = '1 Main Street\nAcme Ltd\n2 High Street';
  const withParty = [
    at(between, '1 Main Street', 'ADDRESS'),
    at(between, 'Acme Ltd', 'PARTY'),
    at(between, '2 High Street', 'ADDRESS'),
  ];
  assert.equal(joinAddressParts(between, withParty).length, 3, 'another entity between them keeps them apart');
});

test('the rule policy applies them for the labels it validates, and only those', () => {
  const text =
    'ZAWIAJAYA FOOD N BEVERAGE SDN BHD (“Seller”)\n(1168272-U)\n106-107, LEVEL 1 THE MINES MALL\n43300 SELANGOR.';
  const found = [
    at(text, 'ZAWIAJAYA FOOD N BEVERAGE SDN BHD (“Seller”)', 'PARTY'),
    at(text, '(1168272-U)\n106-107, LEVEL 1 THE MINES MALL\n43300 SELANGOR.', 'ADDRESS'),
  ];
  const both = combineWindows(text, [tokenize(text)], [found], { labels: [], validate: ['ADDRESS', 'PARTY'] })[0];
  assert.deepEqual(
    both.map((e) => e.text),
    ['ZAWIAJAYA FOOD N BEVERAGE SDN BHD', '106-107, LEVEL 1 THE MINES MALL\n43300 SELANGOR.'],
  );
  const none = combineWindows(text, [tokenize(text)], [found], { labels: [], validate: ['AMOUNT'] })[0];
  assert.deepEqual(none, found);
});
