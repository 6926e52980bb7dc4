import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chunkSentences, splitSentences, tokenize } from '../../../src/model/text/tokenizer';
import type { Sentence, Token } from '../../../src/model/core/types';
import { prng } from '../../../src/model/core/random';
import { DATA_DIR } from '../../fixtures/paths';

// Compiled to out-test/test/model/, so four levels up is /work, beside the repo.

/** Whitespace as the tokenizer defines it: JS `\s` plus soft hyphen and zero-width chars. */
const WHITESPACE = /[\s\u00AD\u200B-\u200D\uFEFF]/;

function words(text: string): string[] {
  return tokenize(text).map((t) => t.text);
}

/** Texts of the sentences splitSentences finds in `text`. */
function sentenceTexts(text: string): string[] {
  return splitSentences(text, tokenize(text)).map((s) => text.slice(s.start, s.end));
}

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
function splitsPair(text: string, at: number): boolean {
  return at > 0 && at < text.length && isHigh(text.charCodeAt(at - 1)) && isLow(text.charCodeAt(at));
}

// ---------------------------------------------------------------------------------------
// Invariants

function checkTokens(text: string, tokens: Token[]): void {
  let covered = 0;
  for (const [k, t] of tokens.entries()) {
    assert.ok(t.start < t.end, `token ${k} is empty`);
    assert.ok(t.start >= covered, `token ${k} overlaps or is out of order`);
    assert.equal(text.slice(t.start, t.end), t.text, `token ${k} text`);
    assert.ok(!WHITESPACE.test(t.text), `token ${k} ${JSON.stringify(t.text)} contains whitespace`);
    assert.ok(!splitsPair(text, t.start) && !splitsPair(text, t.end), `token ${k} splits a surrogate pair`);
    for (let i = covered; i < t.start; i++) {
      assert.ok(WHITESPACE.test(text[i]), `non-space char ${JSON.stringify(text[i])} at ${i} not covered`);
    }
    covered = t.end;
  }
  for (let i = covered; i < text.length; i++) {
    assert.ok(WHITESPACE.test(text[i]), `non-space char ${JSON.stringify(text[i])} at ${i} not covered`);
  }
}

/** Sentences (or windows) partition the token array in order, with matching offsets. */
function checkPartition(tokens: Token[], sentences: Sentence[], maxTokens: number): void {
  let next = 0;
  for (const s of sentences) {
    assert.equal(s.tokenStart, next, 'sentences must be consecutive');
    assert.ok(s.tokenEnd > s.tokenStart, 'empty sentence');
    assert.ok(s.tokenEnd - s.tokenStart <= maxTokens, `sentence of ${s.tokenEnd - s.tokenStart} tokens`);
    assert.equal(s.start, tokens[s.tokenStart].start);
    assert.equal(s.end, tokens[s.tokenEnd - 1].end);
    next = s.tokenEnd;
  }
  assert.equal(next, tokens.length, 'every token must be in a sentence');
}

function checkAll(text: string): void {
  const tokens = tokenize(text);
  checkTokens(text, tokens);
  const sentences = splitSentences(text, tokens);
  checkPartition(tokens, sentences, 200);
  for (const max of [1, 7, 64]) checkPartition(tokens, chunkSentences(sentences, max, tokens), max);
}

// ---------------------------------------------------------------------------------------
// Amounts, dates, percentages, section numbers

test('amounts: currency symbols and codes are their own tokens, numbers stay whole', () => {
  assert.deepEqual(words('$1,250,000.00'), ['$', '1,250,000.00']);
  assert.deepEqual(words('1,250,000.00'), ['1,250,000.00']);
  assert.deepEqual(words('EUR 1.234,56'), ['EUR', '1.234,56']);
  assert.deepEqual(words('1.234,56 €'), ['1.234,56', '€']);
  assert.deepEqual(words('€1.000'), ['€', '1.000']);
  assert.deepEqual(words('RM9.00'), ['RM', '9.00']);
  assert.deepEqual(words('USD100 RMB5'), ['USD', '100', 'RMB', '5']);
  assert.deepEqual(words('-5.59 (-0.01)'), ['-5.59', '(', '-0.01', ')']);
  assert.deepEqual(words('£10 and ¥20'), ['£', '10', 'and', '¥', '20']);
});

test('dates and times', () => {
  assert.deepEqual(words('12/05/2024 2024-05-12 12.05.2024 25/12/2018'), [
    '12/05/2024',
    '2024-05-12',
    '12.05.2024',
    '25/12/2018',
  ]);
  assert.deepEqual(words('25/12/2018 8:13:39 PM'), ['25/12/2018', '8:13:39', 'PM']);
  assert.deepEqual(words('5th day of May, 2024'), ['5th', 'day', 'of', 'May', ',', '2024']);
});

test('percentages', () => {
  assert.deepEqual(words('19%'), ['19', '%']);
  assert.deepEqual(words('7.5 %'), ['7.5', '%']);
  assert.deepEqual(words('10.00%'), ['10.00', '%']);
});

test('section references keep inner dots and sub-clauses, a trailing dot is split off', () => {
  assert.deepEqual(words('12.3(b)'), ['12.3(b)']);
  assert.deepEqual(words('Section 2(a)(iii)'), ['Section', '2(a)(iii)']);
  assert.deepEqual(words('Section 2.1'), ['Section', '2.1']);
  assert.deepEqual(words('2.1. Term'), ['2.1', '.', 'Term']);
  assert.deepEqual(words('see Section 12.3(b).'), ['see', 'Section', '12.3(b)', '.']);
  assert.deepEqual(words('EX-10.27 10-Q'), ['EX-10.27', '10-Q']);
});

// ---------------------------------------------------------------------------------------
// Abbreviations

test('abbreviations keep their period', () => {
  const abbreviations = [
    'Inc.',
    'Ltd.',
    'Co.',
    'Corp.',
    'U.S.',
    'U.S.A.',
    'No.',
    'Nos.',
    'St.',
    'Ste.',
    'Mr.',
    'Mrs.',
    'Dr.',
    'Jr.',
    'e.g.',
    'i.e.',
    'etc.',
    'vs.',
    'Art.',
    'Sec.',
    'para.',
    'approx.',
    'L.L.C.',
    'N.A.',
    'S.A.',
    'U.K.',
    'J.',
    'INC.',
    'Sdn.',
    'Bhd.',
  ];
  for (const a of abbreviations) assert.deepEqual(words(`${a} x`), [a, 'x'], a);
  assert.deepEqual(words('GmbH'), ['GmbH']);
  assert.deepEqual(words('Acme GmbH.'), ['Acme', 'GmbH', '.']);
  assert.deepEqual(words('J. Smith'), ['J.', 'Smith']);
  assert.deepEqual(words('NO.53'), ['NO.', '53']);
});

test('a period that is not an abbreviation is split off', () => {
  assert.deepEqual(words('the Company.'), ['the', 'Company', '.']);
  assert.deepEqual(words('Schedule A.1'), ['Schedule', 'A', '.', '1']);
  assert.deepEqual(words('with AT&T. The'), ['with', 'AT&T', '.', 'The']);
  assert.deepEqual(words('(J. Smith)'), ['(', 'J.', 'Smith', ')']);
  // a dot leader after an abbreviation-like word stays a leader
  assert.deepEqual(words('TOTAL AMT................. RM'), ['TOTAL', 'AMT', '.................', 'RM']);
});

// ---------------------------------------------------------------------------------------
// Quotes, hyphens, dashes

test('quotes and parentheses are separate tokens', () => {
  assert.deepEqual(words('(the "Company")'), ['(', 'the', '"', 'Company', '"', ')']);
  assert.deepEqual(words('(the “Company”)'), ['(', 'the', '“', 'Company', '”', ')']);
  assert.deepEqual(words("‘Buyer’ and 'Seller'"), ['‘', 'Buyer', '’', 'and', "'", 'Seller', "'"]);
});

test('possessive s is its own token, inner apostrophes stay', () => {
  assert.deepEqual(words("Company's"), ['Company', "'s"]);
  assert.deepEqual(words('Company’s rights'), ['Company', '’s', 'rights']);
  assert.deepEqual(words("COMPANY'S"), ['COMPANY', "'S"]);
  assert.deepEqual(words("Companies' rights"), ['Companies', "'", 'rights']);
  assert.deepEqual(words("O'Brien"), ["O'Brien"]);
});

test('an ampersand between capitals joins a name; elsewhere it stands alone', () => {
  assert.deepEqual(words('AT&T Mobility, R&D and S&P'), ['AT&T', 'Mobility', ',', 'R&D', 'and', 'S&P']);
  assert.deepEqual(words('Procter & Gamble'), ['Procter', '&', 'Gamble']);
  assert.deepEqual(words('terms&conditions AT&'), ['terms', '&', 'conditions', 'AT', '&']);
});

test('hyphenated words are one token; spaced hyphens and dashes are not', () => {
  assert.deepEqual(words('non-exclusive third-party Coca-Cola'), ['non-exclusive', 'third-party', 'Coca-Cola']);
  assert.deepEqual(words('a - b'), ['a', '-', 'b']);
  assert.deepEqual(words('2019–2020 x—y'), ['2019', '–', '2020', 'x', '—', 'y']);
  assert.deepEqual(words('TEL:07-3507405 789417-W'), ['TEL', ':', '07-3507405', '789417-W']);
});

test('a word hyphenated across a line break keeps its hyphen, never the newline', () => {
  assert.deepEqual(words('agree-\nment'), ['agree-', 'ment']);
  assert.deepEqual(words('agree-\r\nment'), ['agree-', 'ment']);
});

// ---------------------------------------------------------------------------------------
// E-mail, URLs, bank details

test('e-mail addresses and URLs are one token, trailing punctuation split off', () => {
  assert.deepEqual(words('legal@acme.com'), ['legal@acme.com']);
  assert.deepEqual(words('Mail j.doe+law@acme.co.uk.'), ['Mail', 'j.doe+law@acme.co.uk', '.']);
  assert.deepEqual(words('https://acme.com/terms?id=3'), ['https://acme.com/terms?id=3']);
  assert.deepEqual(words('See https://acme.com/terms?id=3.'), ['See', 'https://acme.com/terms?id=3', '.']);
  assert.deepEqual(words('www.acme.com, or'), ['www.acme.com', ',', 'or']);
  assert.deepEqual(words('(https://acme.com)'), ['(', 'https://acme.com', ')']);
  assert.deepEqual(words('acme.com/x.'), ['acme.com/x', '.']);
});

test('IBAN groups are separate tokens, an unbroken IBAN or BIC is one', () => {
  assert.deepEqual(words('DE89 3704 0044 0532 0130 00'), ['DE89', '3704', '0044', '0532', '0130', '00']);
  assert.deepEqual(words('DE89370400440532013000'), ['DE89370400440532013000']);
  assert.deepEqual(words('BIC: COBADEFFXXX'), ['BIC', ':', 'COBADEFFXXX']);
});

// ---------------------------------------------------------------------------------------
// Punctuation, whitespace, Unicode

test('other punctuation is one char per token, runs of one char are one token', () => {
  assert.deepEqual(words('a, b; c: d! e? *#&/'), [
    'a',
    ',',
    'b',
    ';',
    'c',
    ':',
    'd',
    '!',
    'e',
    '?',
    '*',
    '#',
    '&',
    '/',
  ]);
  assert.deepEqual(words('wait... ---- ****'), ['wait', '...', '----', '****']);
  assert.deepEqual(words('and/or'), ['and', '/', 'or']);
  const run = words('.'.repeat(150));
  assert.deepEqual(
    run.map((t) => t.length),
    [64, 64, 22],
  );
});

test('NBSP, soft hyphen and zero-width characters are whitespace', () => {
  assert.deepEqual(words('a\u00a0b\u00adc\u200bd\u200ce\u200df\ufeffg'), ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  assert.deepEqual(words('10003\u00ad1502'), ['10003', '1502']);
});

test('exactly the documented characters are whitespace', () => {
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const ch = String.fromCharCode(c);
    assert.equal(tokenize(ch).length === 0, WHITESPACE.test(ch), `U+${c.toString(16)}`);
  }
});

test('non-Latin letters are word characters, surrogate pairs are never split', () => {
  assert.deepEqual(words('café naïve Müller 北京 Москва'), ['café', 'naïve', 'Müller', '北京', 'Москва']);
  assert.deepEqual(words('e\u0301te\u0301'), ['e\u0301te\u0301']);
  assert.deepEqual(words('𝐀𝐁𝐂 corp'), ['𝐀𝐁𝐂', 'corp']);
  assert.deepEqual(words('ok😀😀!'), ['ok', '😀', '😀', '!']);
  assert.deepEqual(words('a\ud800b \udc00'), ['a', '\ud800', 'b', '\udc00']);
});

test('empty and blank input', () => {
  assert.deepEqual(tokenize(''), []);
  assert.deepEqual(tokenize(' \n\u00a0\t'), []);
  assert.deepEqual(splitSentences('', []), []);
  assert.deepEqual(chunkSentences([], 10), []);
});

// ---------------------------------------------------------------------------------------
// Sentences

test('no sentence break after abbreviations or initials', () => {
  assert.deepEqual(sentenceTexts('Acme Inc. Agrees to pay. Then it stops.'), [
    'Acme Inc. Agrees to pay.',
    'Then it stops.',
  ]);
  assert.deepEqual(sentenceTexts('See No. 5 of the U.S. Code and J. Smith. Done.'), [
    'See No. 5 of the U.S. Code and J. Smith.',
    'Done.',
  ]);
});

test('break before a new sentence, after closing quotes and brackets', () => {
  assert.deepEqual(sentenceTexts('He pays $5.00. The buyer agrees! "Yes," said he? (Fine.) 3 days.'), [
    'He pays $5.00.',
    'The buyer agrees!',
    '"Yes," said he?',
    '(Fine.)',
    '3 days.',
  ]);
  assert.deepEqual(sentenceTexts('He said "Stop." Then left.'), ['He said "Stop."', 'Then left.']);
  // lower case after the period: not a new sentence
  assert.deepEqual(sentenceTexts('approx. one. and more'), ['approx. one. and more']);
});

test('numbers and list enumerators do not end a sentence', () => {
  assert.deepEqual(sentenceTexts('Pay 1,250.00 USD. Then stop.'), ['Pay 1,250.00 USD.', 'Then stop.']);
  assert.deepEqual(sentenceTexts('as follows: 1. Definitions. For purposes of this.'), [
    'as follows: 1. Definitions.',
    'For purposes of this.',
  ]);
  assert.deepEqual(sentenceTexts('2.1. The Term begins now.'), ['2.1. The Term begins now.']);
});

test('blank lines break sentences', () => {
  assert.deepEqual(sentenceTexts('MARKETING AFFILIATE AGREEMENT\n\nBetween:\n \nBirch First Global'), [
    'MARKETING AFFILIATE AGREEMENT',
    'Between:',
    'Birch First Global',
  ]);
  assert.deepEqual(sentenceTexts('one\r\n\r\ntwo'), ['one', 'two']);
});

test('short OCR lines break at a single newline, wrapped prose does not', () => {
  const receipt = 'TAN WOON YANN\nDATE:\n25/12/2018 8:13:39 PM\nTOTAL AMT ROUNDED\n9.00';
  assert.deepEqual(sentenceTexts(receipt), [
    'TAN WOON YANN',
    'DATE:\n25/12/2018 8:13:39 PM',
    'TOTAL AMT ROUNDED',
    '9.00',
  ]);
  // ends with a comma / conjunction, or the next line continues in lower case
  assert.deepEqual(sentenceTexts('TAMAN DAYA,\n81100 JOHOR'), ['TAMAN DAYA,\n81100 JOHOR']);
  assert.deepEqual(sentenceTexts('Acme Corp and\nBeta LLC'), ['Acme Corp and\nBeta LLC']);
  assert.deepEqual(sentenceTexts('The parties\nagree to this.'), ['The parties\nagree to this.']);
  // a long wrapped line does not break
  const long = 'This Agreement is made between the parties named below on the date\nWritten above.';
  assert.equal(sentenceTexts(long).length, 1);
});

test('sentences longer than 200 tokens are cut at 200', () => {
  const text = Array.from({ length: 450 }, (_, i) => `w${i}`).join(' ');
  const tokens = tokenize(text);
  const sentences = splitSentences(text, tokens);
  assert.deepEqual(
    sentences.map((s) => s.tokenEnd - s.tokenStart),
    [200, 200, 50],
  );
  checkPartition(tokens, sentences, 200);
});

// ---------------------------------------------------------------------------------------
// Windows

test('chunkSentences groups whole sentences up to maxTokens', () => {
  const text = 'A b c. D e. F g h i. Jo.';
  const tokens = tokenize(text);
  const sentences = splitSentences(text, tokens);
  assert.deepEqual(
    sentences.map((s) => s.tokenEnd - s.tokenStart),
    [4, 3, 5, 2],
  );
  const windows = chunkSentences(sentences, 7);
  assert.deepEqual(
    windows.map((w) => text.slice(w.start, w.end)),
    ['A b c. D e.', 'F g h i. Jo.'],
  );
  checkPartition(tokens, windows, 7);
});

test('chunkSentences cuts a long sentence into pieces of maxTokens', () => {
  const text = 'a b c d e f g. H i.';
  const tokens = tokenize(text);
  const windows = chunkSentences(splitSentences(text, tokens), 3, tokens);
  assert.deepEqual(
    windows.map((w) => text.slice(w.start, w.end)),
    ['a b c', 'd e f', 'g.', 'H i.'],
  );
  checkPartition(tokens, windows, 3);
});

test('chunkSentences refuses what it cannot do exactly', () => {
  const text = 'a b c d.';
  const tokens = tokenize(text);
  const sentences = splitSentences(text, tokens);
  assert.throws(() => chunkSentences(sentences, 2), /pass the tokens/);
  assert.throws(() => chunkSentences(sentences, 0, tokens), RangeError);
  assert.throws(() => chunkSentences(sentences, 2.5, tokens), RangeError);
});

// ---------------------------------------------------------------------------------------
// Properties

const PIECES: string[][] = [
  [...'abcXYZéüß北京Жж'],
  [...'0123456789'],
  [...'.,;:!?-–—/\\()[]{}"\'“”‘’$€£%*#&@+_=<>|~^`'],
  [' ', ' ', '\n', '\n\n', '\t', '\r\n', '\u00a0', '\u00ad', '\u200b', '\u200c', '\u200d', '\ufeff', '\u2028'],
  ['😀', '𝐀', '👍🏽', '\ud800', '\udfff', '\u0301', '\u0308', '\ufe0f'],
  [
    'Inc.',
    'U.S.',
    'No.',
    'e.g.',
    "'s",
    '1,250.00',
    '12.3(b)',
    'http://a.co/x?y=1',
    'www.a.com',
    'a@b.co',
    'acme.com',
    'RM9.00',
    '-5.59',
    '...',
    '----',
    'agree-\n',
    'J.',
    '2024-05-12',
  ],
];

function randomText(next: () => number): string {
  const length = Math.floor(next() * 60);
  let text = '';
  for (let i = 0; i < length; i++) {
    const group = PIECES[Math.floor(next() * PIECES.length)];
    text += group[Math.floor(next() * group.length)];
  }
  return text;
}

test('properties hold on 2000 random strings', () => {
  const next = prng(20240512);
  for (let n = 0; n < 2000; n++) {
    const text = randomText(next);
    try {
      checkAll(text);
    } catch (error) {
      assert.fail(`case ${n} ${JSON.stringify(text)}: ${(error as Error).message}`);
    }
  }
});

function readJsonl(file: string, limit: number): string[] {
  const texts: string[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (texts.length >= limit) break;
    if (line.trim()) texts.push((JSON.parse(line) as { text: string }).text);
  }
  return texts;
}

for (const [name, limit] of [
  ['cuad.jsonl', 20],
  ['sroie-dev.jsonl', Infinity],
] as const) {
  test(`properties hold on ${name}`, (t) => {
    const file = path.join(DATA_DIR, name);
    if (!fs.existsSync(file)) {
      t.skip(`${file} not found`);
      return;
    }
    const texts = readJsonl(file, limit);
    assert.ok(texts.length > 0);
    for (const text of texts) checkAll(text);
  });
}

test('perf smoke: 1 MB of text and pathological inputs complete', () => {
  const cuad = path.join(DATA_DIR, 'cuad.jsonl');
  const sample = fs.existsSync(cuad)
    ? readJsonl(cuad, 3).join('\n\n')
    : 'The Supplier (the "Company") shall pay $1,250,000.00 on 12/05/2024, i.e. 7.5 % of U.S. sales.\n';
  let text = sample;
  while (text.length < 1_000_000) text += '\n\n' + sample;
  const inputs = [
    text.slice(0, 1_000_000),
    'a'.repeat(1_000_000),
    'a.'.repeat(500_000),
    '!'.repeat(100_000),
    ',.'.repeat(100_000),
    '😀'.repeat(100_000),
    '1,'.repeat(200_000),
    'x@y.'.repeat(250_000),
  ];
  for (const input of inputs) checkAll(input);
});
