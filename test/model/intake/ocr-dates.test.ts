// Receipt dates misread as the recogniser misreads them are put back as printed; anything that
// is not a date in those exact shapes, or not after a date's label, is left as read.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { correctOcrDate } from '../../../src/model/intake/ocr-dates';
import { toPage, type TesseractWord } from '../../../src/model/intake/ocr';

describe('OCR dates', () => {
  test('a 0 in the year read as 6, beside a day and month or after a month name', () => {
    assert.equal(correctOcrDate('12-02-2618'), '12-02-2018');
    assert.equal(correctOcrDate('12/02/2618,'), '12/02/2018,');
    assert.equal(correctOcrDate('2618', 'Mar'), '2018');
    assert.equal(correctOcrDate('2626', 'December'), '2026');
  });

  test("a date's slashes read as 1s or lost, right after its label", () => {
    assert.equal(correctOcrDate('1210212018', 'Date:'), '12/02/2018');
    assert.equal(correctOcrDate('2512/2018', 'Date'), '25/12/2018');
    assert.equal(correctOcrDate('25/12/2018', 'Date'), '25/12/2018');
  });

  test('other words are left as read', () => {
    assert.equal(correctOcrDate('1210212018', 'Invoice'), '1210212018', 'not after a date label');
    assert.equal(correctOcrDate('25122018', 'Date:'), '25122018', 'eight digits: printed so');
    assert.equal(correctOcrDate('4513212018', 'Date:'), '4513212018', 'not a day and month');
    assert.equal(correctOcrDate('2618', 'Room'), '2618', 'a number, not a year');
    assert.equal(correctOcrDate('12-13-2618'), '12-13-2618', 'not a month');
    assert.equal(correctOcrDate('2018', 'Mar'), '2018');
    assert.equal(correctOcrDate('12-02-2018'), '12-02-2018');
  });

  test('the OCR page carries the corrected date, the label before it', () => {
    const word = (text: string, x0: number): TesseractWord => ({
      text,
      confidence: 90,
      bbox: { x0, y0: 0, x1: x0 + 10 * text.length, y1: 12 },
    });
    const line = (words: TesseractWord[]) => ({ words, bbox: { x0: 0, y0: 0, x1: 200, y1: 12 } });
    const page = toPage([
      {
        paragraphs: [
          {
            lines: [
              line([word('Date:', 0), word('1210212018', 60)]),
              line([word('14', 0), word('Mar', 30), word('2618', 70)]),
            ],
          },
        ],
      },
    ]);
    assert.deepEqual(
      page.lines.map((l) => l.words.map((w) => w.text).join(' ')),
      ['Date: 12/02/2018', '14 Mar 2018'],
    );
  });
});
