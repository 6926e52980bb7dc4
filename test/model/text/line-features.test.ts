// Line and page features: what each token's values say about its line, the same values for CRLF
// and LF, for an editor block and the whole document, and page positions from a TextLayout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LineFeatures,
  LineTable,
  LINE_FEATURE_DIM,
  LINE_FEATURE_NAMES,
  lineFeaturesOfTokens,
} from '../../../src/model/text/line-features';
import { tokenize } from '../../../src/model/text/tokenizer';
import { windows } from '../../../src/model/text/windows';
import type { TextLayout, Token } from '../../../src/model/core/types';

/** The named feature of each token, by token text. */
function feature(text: string, name: (typeof LINE_FEATURE_NAMES)[number], options = {}): Record<string, number> {
  const tokens = tokenize(text);
  const f = new LineFeatures(text, options).of(tokens);
  const k = LINE_FEATURE_NAMES.indexOf(name);
  const out: Record<string, number> = {};
  tokens.forEach((t, i) => (out[t.text] = Math.round(f[i * LINE_FEATURE_DIM + k] * 1000) / 1000));
  return out;
}

const RECEIPT = 'KEDAI RUNCIT SRI MELATI\n(123456-K)\nNO. 18, JALAN MERBAU 3,\n\n  Total:   7.20\nThank You';

test('first, last and alone in line', () => {
  assert.deepEqual(feature('Acme Ltd\nSeller\nNo 5 Jalan', 'first in line'), {
    Acme: 1,
    Ltd: 0,
    Seller: 1,
    No: 1,
    '5': 0,
    Jalan: 0,
  });
  assert.deepEqual(feature('Acme Ltd\nSeller\nNo 5 Jalan', 'last in line'), {
    Acme: 0,
    Ltd: 1,
    Seller: 1,
    No: 0,
    '5': 0,
    Jalan: 1,
  });
  assert.deepEqual(feature('Acme Ltd\nSeller\nNo 5 Jalan', 'alone in line'), {
    Acme: 0,
    Ltd: 0,
    Seller: 1,
    No: 0,
    '5': 0,
    Jalan: 0,
  });
});

test('blank lines: the lines around them start and end paragraphs; a paragraph separator is one too', () => {
  const f = feature('a b\nc\n\n  d\ne', 'line follows a blank line');
  assert.deepEqual(f, { a: 1, b: 1, c: 0, d: 1, e: 0 });
  assert.deepEqual(feature('a b\nc\n\n  d\ne', 'line precedes a blank line'), { a: 0, b: 0, c: 1, d: 0, e: 1 });
  assert.deepEqual(feature('a\u2029b\u2028c', 'line follows a blank line'), { a: 1, b: 1, c: 0 });
  assert.deepEqual(feature('a\u2029b\u2028c', 'line precedes a blank line'), { a: 1, b: 0, c: 1 });
});

test('wide gaps, indentation and the shape of a line', () => {
  assert.deepEqual(feature('  Total:   7.20\tRM', 'wide gap before'), { Total: 0, ':': 0, '7.20': 1, RM: 1 });
  assert.deepEqual(feature('  Total:   7.20\tRM', 'wide gap after'), { Total: 0, ':': 1, '7.20': 1, RM: 0 });
  assert.equal(feature('    Name', 'indentation').Name, 0.2);
  assert.equal(feature('\tName', 'indentation').Name, 0.2);
  assert.deepEqual(feature(RECEIPT, 'line in capitals'), {
    ...Object.fromEntries(tokenize(RECEIPT).map((t) => [t.text, 1])),
    // one capital letter does not make a line of capitals
    '(': 0,
    '123456-K': 0,
    ')': 0,
    Total: 0,
    ':': 0,
    '7.20': 0,
    Thank: 0,
    You: 0,
  });
  assert.equal(feature(RECEIPT, 'line mostly digits')['123456-K'], 1);
  assert.equal(feature(RECEIPT, 'line mostly digits').KEDAI, 0);
  assert.equal(feature('Seller:\nKedai', 'line ends with a colon').Seller, 1);
  assert.equal(feature('Seller:\nKedai', 'line ends with a colon').Kedai, 0);
  assert.equal(feature('John A. Smith\nthe Employee', 'line in title case').Smith, 1);
  assert.equal(feature('John A. Smith\nthe Employee', 'line in title case').Employee, 0);
  assert.equal(feature('ACME LTD', 'line in title case').ACME, 0);
});

test('plain text stand-ins: x from the column, y from the line in its paragraph, usual line height', () => {
  const x = feature('ab\n          cd', 'x at start');
  assert.deepEqual(x, { ab: 0, cd: 0.1 });
  assert.deepEqual(feature('ab\n          cd', 'x at end'), { ab: 0.02, cd: 0.12 });
  assert.deepEqual(feature('a\nb\nc\n\nd', 'y'), { a: 0, b: 0.017, c: 0.033, d: 0 });
  assert.deepEqual(feature('a\nb', 'line height'), { a: 0, b: 0 });
});

test('CRLF and LF give the same features', () => {
  const lf = RECEIPT;
  const crlf = RECEIPT.replace(/\n/g, '\r\n');
  const a = new LineFeatures(lf).of(tokenize(lf));
  const b = new LineFeatures(crlf).of(tokenize(crlf));
  // x and y are columns and line counts, which CRLF does not change either
  assert.deepEqual(Array.from(b), Array.from(a));
  // a lone CR breaks a line too
  assert.deepEqual(Array.from(new LineFeatures(RECEIPT.replace(/\n/g, '\r')).of(tokenize(RECEIPT))), Array.from(a));
});

test('a block of whole paragraphs gets the features the whole document gives its lines', () => {
  const doc = `Preamble line one\nline two\n\n${RECEIPT}\n\nIN WITNESS WHEREOF\nBy: ____\nName: Jane Roe`;
  const blockStart = doc.indexOf('KEDAI');
  const blockEnd = doc.indexOf('\n\nIN WITNESS');
  const block = doc.slice(blockStart, blockEnd);
  const whole = new LineFeatures(doc);
  const part = new LineFeatures(block);
  for (const w of windows(block, 8)) {
    const shifted: Token[] = w.map((t) => ({ ...t, start: t.start + blockStart, end: t.end + blockStart }));
    assert.deepEqual(Array.from(part.of(w)), Array.from(whole.of(shifted)));
  }
});

test('windows in any order, and tokens alone (one line)', () => {
  const tokens = tokenize(RECEIPT);
  const lf = new LineFeatures(RECEIPT);
  const all = lf.of(tokens);
  const tail = lf.of(tokens.slice(5));
  assert.deepEqual(Array.from(tail), Array.from(all.subarray(5 * LINE_FEATURE_DIM)));
  assert.deepEqual(Array.from(lf.of(tokens.slice(0, 2))), Array.from(all.subarray(0, 2 * LINE_FEATURE_DIM)));
  const alone = lineFeaturesOfTokens(tokens.slice(0, 3));
  assert.equal(alone.length, 3 * LINE_FEATURE_DIM);
  assert.equal(alone[0], 1); // first in its (one) line
  assert.equal(alone[2 * LINE_FEATURE_DIM + 1], 1); // the last token ends it
  assert.equal(lineFeaturesOfTokens([]).length, 0);
});

test('line table: lines, breaks and offsets past the end', () => {
  const t = new LineTable('ab\r\ncd\n\nef');
  assert.deepEqual(
    t.lines.map((l) => [l.start, l.end]),
    [
      [0, 2],
      [4, 6],
      [7, 7],
      [8, 10],
    ],
  );
  assert.equal(t.lineAt(0), 0);
  assert.equal(t.lineAt(3), 0);
  assert.equal(t.lineAt(5), 1);
  assert.equal(t.lineAt(99), 3);
  assert.equal(new LineTable('').lines.length, 1);
});

test('a TextLayout gives x, y and line height from the page', () => {
  // a receipt photo: a centred seller name in a larger font, an address, a total right-aligned
  const text = 'KEDAI SRI\nNO 18 JALAN\nTOTAL 7.20';
  const layout: TextLayout = {
    pages: [{ width: 400, height: 800, unit: 'px' }],
    boxes: [
      { start: 0, end: 9, page: 1, x0: 150, y0: 100, x1: 250, y1: 130, source: 'ocr' },
      { start: 10, end: 21, page: 1, x0: 50, y0: 140, x1: 260, y1: 155, source: 'ocr' },
      { start: 22, end: 27, page: 1, x0: 50, y0: 700, x1: 110, y1: 715, source: 'ocr' },
      { start: 28, end: 32, page: 1, x0: 300, y0: 700, x1: 350, y1: 715, source: 'ocr' },
    ],
  };
  const x = feature(text, 'x at start', { layout });
  assert.equal(x.KEDAI, 0.333); // (150 - 50) / (350 - 50)
  assert.equal(x.TOTAL, 0);
  assert.equal(x['7.20'], 0.833);
  // a token inside a line box: its place along the box, by characters
  assert.equal(x.SRI, Math.round(((150 + (6 / 9) * 100 - 50) / 300) * 1000) / 1000);
  const y = feature(text, 'y', { layout });
  assert.equal(y.KEDAI, 0);
  assert.equal(y.TOTAL, 0.976); // (700 - 100) / (715 - 100)
  const h = feature(text, 'line height', { layout });
  assert.equal(h.KEDAI, 1); // twice the usual height (clipped at 1 on the log2 scale)
  assert.equal(h.NO, 0);
  // a block of the text: the layout's offsets are the document's, the block says where it starts
  const block = text.slice(10);
  assert.deepEqual(feature(block, 'x at start', { layout, layoutOffset: 10 }).TOTAL, 0);
  assert.equal(feature(block, 'line height', { layout, layoutOffset: 10 }).NO, 0);
});
