// The pure parts of intake: file kinds and image headers, text assembly (separators, line-end
// hyphens, ranges and boxes), reading order (columns, key/value rows, furniture) and the mapping
// from a text range back to page boxes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imageSize, isIntakePath, sniffKind } from '../../../src/model/intake/formats';
import { encodePng } from '../../../src/model/intake/png';
import { normalizeExtracted } from '../../../src/model/intake/normalize';
import { TextBuilder } from '../../../src/model/intake/text-builder';
import {
  findFurniture,
  groupLines,
  lineText,
  readingOrder,
  splitSegments,
  type Run,
} from '../../../src/model/intake/reading-order';
import { boxAt, rangeBox, rangeBoxes, rangeConfidence } from '../../../src/model/intake/boxes';

test('file kinds come from the first bytes, and image sizes from the header', () => {
  const png = encodePng(new Uint8Array(7 * 3), 7, 3, 1);
  assert.equal(sniffKind(png), 'png');
  assert.deepEqual(imageSize(png, 'png'), { width: 7, height: 3 });
  assert.equal(sniffKind(Buffer.from('%PDF-1.7\n')), 'pdf');
  assert.equal(sniffKind(Buffer.from('hello')), undefined);
  // JPEG: SOI, an APP0 segment, then SOF0 with height 480 and width 640
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0x01, 0xe0, 0x02, 0x80, 3]);
  assert.equal(sniffKind(jpeg), 'jpeg');
  assert.deepEqual(imageSize(jpeg, 'jpeg'), { width: 640, height: 480 });
  // little-endian TIFF with one IFD: ImageWidth 300 (SHORT), ImageLength 200 (LONG)
  const tiff = Buffer.alloc(8 + 2 + 24 + 4);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(2, 8);
  tiff.writeUInt16LE(256, 10);
  tiff.writeUInt16LE(3, 12);
  tiff.writeUInt32LE(1, 14);
  tiff.writeUInt16LE(300, 18);
  tiff.writeUInt16LE(257, 22);
  tiff.writeUInt16LE(4, 24);
  tiff.writeUInt32LE(1, 26);
  tiff.writeUInt32LE(200, 30);
  assert.equal(sniffKind(tiff), 'tiff');
  assert.deepEqual(imageSize(tiff, 'tiff'), { width: 300, height: 200, pages: 1 });
  // a header cut off
  assert.equal(imageSize(png.subarray(0, 20), 'png'), undefined);
  assert.equal(imageSize(jpeg.subarray(0, 10), 'jpeg'), undefined);
  assert.ok(isIntakePath('a/B.PDF') && isIntakePath('x.tiff') && !isIntakePath('notes.txt'));
});

test('ligatures, odd spaces and invisible characters are normalised as the tokenizer expects', () => {
  assert.equal(normalizeExtracted('ﬁnal\u00a0oﬀer\u200b'), 'final offer');
  assert.equal(normalizeExtracted('co\u00adoperate'), 'cooperate');
  assert.equal(normalizeExtracted('agree\u00ad'), 'agree-');
});

test('the text builder joins line-end hyphens and keeps every word at its box', () => {
  const b = new TextBuilder();
  b.startPart(1, 'body', 'text');
  const words = [
    { text: 'This', x0: 0, y0: 0, x1: 20, y1: 10 },
    { text: 'agree-', x0: 25, y0: 0, x1: 55, y1: 10 },
  ];
  for (const w of words) {
    b.word(w);
    b.separate(' ');
  }
  b.separate('\n');
  b.word({ text: 'ment', x0: 0, y0: 12, x1: 20, y1: 22 });
  b.separate('\n');
  b.word({ text: 'Non-', x0: 0, y0: 24, x1: 20, y1: 34 });
  b.separate('\n');
  b.word({ text: 'Disclosure', x0: 0, y0: 36, x1: 40, y1: 46 });
  b.separate('\n\n');
  b.startPart(2, 'furniture', 'text');
  b.word({ text: '2', x0: 0, y0: 800, x1: 5, y1: 810 });
  const { text, boxes, parts } = b.finish();
  assert.equal(text, 'This agreement\nNon-\nDisclosure\n\n2');
  assert.deepEqual(
    boxes.map((x) => text.slice(x.start, x.end)),
    ['This', 'agree', 'ment', 'Non-', 'Disclosure', '2'],
  );
  assert.deepEqual(
    parts.map((p) => [text.slice(p.start, p.end), p.page, p.role]),
    [
      ['This agreement\nNon-\nDisclosure', 1, 'body'],
      ['2', 2, 'furniture'],
    ],
  );
});

test('a wrapped line goes on with a space; a hyphen at the wrap is dropped before a lower-case word, kept before a capital', () => {
  const b = new TextBuilder();
  b.startPart(1, 'body', 'text');
  const at = (text: string, y: number) => ({ text, x0: 0, y0: y, x1: 30, y1: y + 10 });
  b.word(at('between', 0));
  b.separate('wrap');
  b.word(at('Russian', 12));
  b.separate(' ');
  b.word(at('agree-', 12));
  b.separate('wrap');
  b.word(at('ment', 24));
  b.separate(' ');
  b.word(at('Alcatel-', 24));
  b.separate('wrap');
  b.word(at('Lucent', 36));
  const { text, boxes } = b.finish();
  assert.equal(text, 'between Russian agreement Alcatel-Lucent');
  assert.deepEqual(
    boxes.map((x) => text.slice(x.start, x.end)),
    ['between', 'Russian', 'agree', 'ment', 'Alcatel-', 'Lucent'],
  );
});

/** A run of `text` whose characters are 5 pt wide, 10 pt high, its top at y. */
function run(text: string, x: number, y: number): Run {
  return { text, x0: x, y0: y, x1: x + 5 * text.length, y1: y + 10 };
}

test('two columns are read column by column, a full-width title first', () => {
  const runs = [run('TITLE ACROSS THE WHOLE PAGE OF THIS DOCUMENT', 50, 20)];
  for (let i = 0; i < 5; i++) {
    runs.push(
      run(`left column, line ${i} of it`, 50, 60 + 12 * i),
      run(`right column, line ${i} of it`, 300, 60 + 12 * i),
    );
  }
  const order = readingOrder(groupLines(runs).flatMap((l) => splitSegments(l)));
  assert.deepEqual(order.map(lineText), [
    'TITLE ACROSS THE WHOLE PAGE OF THIS DOCUMENT',
    ...[0, 1, 2, 3, 4].map((i) => `left column, line ${i} of it`),
    ...[0, 1, 2, 3, 4].map((i) => `right column, line ${i} of it`),
  ]);
});

test('a key/value table is read row by row', () => {
  const runs: Run[] = [];
  ['Date:', 'Term:', 'Law:'].forEach((k, i) => {
    runs.push(run(k, 50, 100 + 14 * i), run(`value number ${i} of the table`, 200, 100 + 14 * i));
  });
  const order = readingOrder(groupLines(runs).flatMap((l) => splitSegments(l)));
  assert.deepEqual(order.map(lineText), [
    'Date:',
    'value number 0 of the table',
    'Term:',
    'value number 1 of the table',
    'Law:',
    'value number 2 of the table',
  ]);
});

test('page numbers and running headers are furniture; body lines are not', () => {
  const pages = [1, 2, 3].map((n) => ({
    height: 842,
    lines: groupLines([
      run('ACME CONFIDENTIAL', 50, 20),
      run(`Body text of page ${n} goes here.`, 50, 200),
      run(`Page ${n} of 3`, 280, 800),
    ]),
  }));
  const furniture = findFurniture(pages);
  const texts = pages.flatMap((p) => p.lines.filter((l) => furniture.has(l)).map(lineText));
  assert.deepEqual(texts.sort(), [
    'ACME CONFIDENTIAL',
    'ACME CONFIDENTIAL',
    'ACME CONFIDENTIAL',
    'Page 1 of 3',
    'Page 2 of 3',
    'Page 3 of 3',
  ]);
});

test('a range maps to one box per line, clipped inside words, and a union on its first page', () => {
  const layout = {
    pages: [
      { width: 100, height: 100, unit: 'pt' as const },
      { width: 100, height: 100, unit: 'pt' as const },
    ],
    boxes: [
      { start: 0, end: 4, page: 1, x0: 0, y0: 0, x1: 40, y1: 10, source: 'ocr' as const, confidence: 0.9 },
      { start: 5, end: 9, page: 1, x0: 50, y0: 0, x1: 90, y1: 10, source: 'ocr' as const, confidence: 0.3 },
      { start: 10, end: 14, page: 1, x0: 0, y0: 12, x1: 40, y1: 22, source: 'ocr' as const, confidence: 0.8 },
      { start: 15, end: 19, page: 2, x0: 0, y0: 0, x1: 40, y1: 10, source: 'ocr' as const, confidence: 0.7 },
    ],
  };
  // "xx yyyy\nzz" from the middle of the first word to the middle of the third
  assert.deepEqual(rangeBoxes(layout, 2, 12), [
    { page: 1, x0: 20, y0: 0, x1: 90, y1: 10 },
    { page: 1, x0: 0, y0: 12, x1: 20, y1: 22 },
  ]);
  assert.deepEqual(rangeBox(layout, 2, 19), { page: 1, x0: 0, y0: 0, x1: 90, y1: 22 });
  assert.equal(rangeBoxes(layout, 4, 5).length, 0);
  assert.equal(rangeConfidence(layout, 0, 9), 0.3);
  // and back: a point on a page to the word there, or the nearest one
  assert.equal(boxAt(layout, 1, 60, 5)?.start, 5);
  assert.equal(boxAt(layout, 1, 45, 5)?.start, 0);
  assert.equal(boxAt(layout, 2, 10, 5)?.start, 15);
  assert.equal(boxAt(layout, 2, 90, 90), undefined);
});
