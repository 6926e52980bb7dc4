// What the OCR page keeps of tesseract's words: specks (glyphs read from dirt, creases and
// dot-matrix bleed) are left out, signs and short words read with confidence stay.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isOcrNoise, toPage, withoutStrayOpening, type TesseractWord } from '../../../src/model/intake/ocr';

const word = (text: string, confidence: number, x0: number): TesseractWord => ({
  text,
  confidence,
  bbox: { x0, y0: 0, x1: x0 + 10 * text.length, y1: 12 },
});

describe('OCR specks', () => {
  test('a word of no letter or digit read below 0.6, or of one or two characters below 0.3', () => {
    assert.equal(isOcrNoise('’', 0.17), true);
    assert.equal(isOcrNoise('|', 0.5), true);
    assert.equal(isOcrNoise('ie', 0.2), true);
    assert.equal(isOcrNoise('|', 0.9), true, "a table's rule, however sure");
    assert.equal(isOcrNoise(':', 0.9), false);
    assert.equal(isOcrNoise('ie', 0.5), false);
    assert.equal(isOcrNoise('RM', 0.25), true);
    assert.equal(isOcrNoise('SWC', 0.1), false, 'three letters are a word, however unsure');
  });

  test('an opening quote or bracket a speck was read as, before a capital and closed nowhere on the line, is left out', () => {
    assert.equal(withoutStrayOpening('“Total', ['Qty', '2']), 'Total');
    assert.equal(withoutStrayOpening('‘GST', ['Summary']), 'GST');
    assert.equal(withoutStrayOpening('[LUMPUR', []), 'LUMPUR');
    assert.equal(withoutStrayOpening('{Inclusive', ['of', 'GST)']), '(Inclusive', 'a brace a round bracket closes');
    assert.equal(withoutStrayOpening('“Company”', []), '“Company”');
    assert.equal(withoutStrayOpening('“Effective', ['Date”)']), '“Effective', 'closed later on the line');
    assert.equal(withoutStrayOpening('[Signature', ['Page', 'Follows]']), '[Signature');
    assert.equal(withoutStrayOpening('(Total', []), '(Total', 'a round bracket is printed');
    assert.equal(withoutStrayOpening('[a', []), '[a', 'not before a capital');
  });

  test('signs that carry meaning are kept at any confidence', () => {
    for (const sign of ['$', '€', '£', '%', '&', '§']) assert.equal(isOcrNoise(sign, 0.1), false, sign);
  });

  test('the page leaves specks out of its lines and of its mean confidence', () => {
    const page = toPage([
      {
        paragraphs: [
          {
            lines: [
              {
                words: [word('’', 17, 0), word('SWC', 95, 20), word('ENTERPRISE', 96, 60)],
                bbox: { x0: 0, y0: 0, x1: 160, y1: 12 },
              },
              { words: [word('~', 20, 0)], bbox: { x0: 0, y0: 20, x1: 10, y1: 32 } },
            ],
          },
        ],
      },
    ]);
    assert.deepEqual(
      page.lines.map((l) => l.words.map((w) => w.text)),
      [['SWC', 'ENTERPRISE']],
    );
    assert.equal(page.confidence, (0.95 + 0.96) / 2);
  });

  test('a lone stop or comma after a word that ends with one is left out; after a word, kept', () => {
    const line = (...words: TesseractWord[]) =>
      toPage([{ paragraphs: [{ lines: [{ words, bbox: { x0: 0, y0: 0, x1: 400, y1: 12 } }] }] }]).lines[0].words.map(
        (w) => w.text,
      );
    assert.deepEqual(line(word('1C,', 95, 0), word('.', 80, 40), word('BANDAR', 95, 60)), ['1C,', 'BANDAR']);
    assert.deepEqual(line(word('NO.', 95, 0), word(',', 80, 40), word('12', 95, 60)), ['NO.', '12']);
    assert.deepEqual(line(word('TOTAL', 95, 0), word('.', 80, 60), word('5.00', 95, 80)), ['TOTAL', '.', '5.00']);
    const page = toPage([
      {
        paragraphs: [
          {
            lines: [
              { words: [word('NO:', 95, 0), word('28,', 95, 40)], bbox: { x0: 0, y0: 0, x1: 80, y1: 12 } },
              { words: [word('.', 90, 0), word('BANDAR', 95, 20)], bbox: { x0: 0, y0: 20, x1: 80, y1: 32 } },
            ],
          },
        ],
      },
    ]);
    assert.deepEqual(
      page.lines.map((l) => l.words.map((w) => w.text)),
      [['NO:', '28,'], ['BANDAR']],
      'at the start of the next line',
    );
  });
});
