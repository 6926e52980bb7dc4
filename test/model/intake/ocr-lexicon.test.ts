// Misread receipt words put right against the lexicon: only a word the recogniser was unsure
// of, only by glyphs it confuses, only when one lexicon word is that close; words of their own
// (in contracts as much as on receipts) are left as read.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { correctOcrWord, lexiconWordFor } from '../../../src/model/intake/ocr-lexicon';
import { toPage, type TesseractWord } from '../../../src/model/intake/ocr';

describe('OCR lexicon', () => {
  test('misread words seen on receipt photos are put right, in their case and punctuation', () => {
    assert.equal(correctOcrWord('MALAYSTA', 0.17), 'MALAYSIA');
    assert.equal(correctOcrWord('(KALAYSTA)', 0.49), '(MALAYSIA)');
    assert.equal(correctOcrWord('Jaian', 0.66), 'Jalan');
    assert.equal(correctOcrWord('LUMPLR,', 0.87), 'LUMPUR,');
    assert.equal(correctOcrWord('1nvoice', 0.23), 'invoice');
    assert.equal(correctOcrWord('TANAN', 0.9), 'TAMAN');
  });

  test('the company forms: "5/B" is S/B, "SON" before BHD is SDN, "8HD" after SDN is BHD (not elsewhere)', () => {
    assert.equal(correctOcrWord('5/8', 0.18), 'S/B');
    assert.equal(correctOcrWord('5/B.', 0.5), 'S/B.');
    assert.equal(correctOcrWord('SON', 0.09, 'BHD'), 'SDN');
    assert.equal(correctOcrWord('Sun', 0.6, 'Bhd'), 'Sdn');
    assert.equal(correctOcrWord('SON', 0.09, 'OF'), 'SON');
    assert.equal(correctOcrWord('Sdn', 0.5, 'Bhd'), 'Sdn');
    assert.equal(correctOcrWord('SON', 0.97, 'BHD'), 'SDN', 'however sure: "SON BHD" is never written');
    assert.equal(correctOcrWord('8HD', 0.95, '', 'SDN'), 'BHD');
    assert.equal(correctOcrWord('3HD', 0.4, '', 'SON'), 'BHD');
    assert.equal(correctOcrWord('8HD', 0.4, '', 'UNIT'), '8HD', 'not after SDN');
    assert.equal(correctOcrWord('SON.', 0.9, 'BHD.'), 'SDN.');
    assert.equal(correctOcrWord('Sch', 0.9, 'Bhd'), 'Sdn');
    assert.equal(correctOcrWord('§/B', 0.6), 'S/B');
    assert.equal(correctOcrWord('&/B', 0.6), 'S/B');
    assert.equal(correctOcrWord('S/F', 0.6), 'S/B');
    assert.equal(correctOcrWord('S/F', 0.95), 'S/F', 'read surely');
  });

  test('a "1" among initials is an "I", however sure; numbers and abbreviations stay', () => {
    assert.equal(correctOcrWord('D.1.Y.', 0.97), 'D.I.Y.');
    for (const w of ['D.I.Y.', 'A.1.', '1.1.1.', 'A.1.2.', 'U.S.A.']) assert.equal(correctOcrWord(w, 0.97), w, w);
  });

  test('"JUN" before a street name in an address line is "JLN", however sure; the month and a name stay', () => {
    const line = (s: string) => s.split(' ');
    const jun = (s: string) => {
      const words = line(s);
      const i = words.indexOf('JUN');
      return correctOcrWord('JUN', 0.97, words[i + 1], words[i - 1], words);
    };
    assert.equal(jun('2ND FLR, MEGA MALL TAMAN CEMPAKA JUN MERBAU, TAMAN CEMPAKA, 56100 KUALA LUMPUR'), 'JLN');
    assert.equal(jun('TMN SERI INDAH, OFF JUN BT 5 KAJANG, 43000 KAJANG'), 'JLN');
    assert.equal(jun('NO.12 & 14 JUN MELATI 7/2'), 'JLN');
    assert.equal(jun('DATE: 12 JUN 2018 NO. 5'), 'JUN', 'a date');
    assert.equal(jun('CASHIER: TAN JUN WEI'), 'JUN', 'a name, on no address line');
  });

  test("a floor's ordinal misread before FLR or FLOOR is put right, however sure; elsewhere it stays", () => {
    assert.equal(correctOcrWord('IRD', 0.96, 'FLR,'), '3RD');
    assert.equal(correctOcrWord('3R0', 0.6, 'FLOOR'), '3RD');
    assert.equal(correctOcrWord('IST', 0.8, 'Floor,'), '1ST');
    assert.equal(correctOcrWord('2N0,', 0.8, 'FLR'), '2ND,');
    assert.equal(correctOcrWord('3RD', 0.99, 'FLR'), '3RD');
    assert.equal(correctOcrWord('IRD', 0.5, 'AVENUE'), 'IRD', 'no floor after it');
    assert.equal(correctOcrWord('IST', 0.5, 'FLIGHT'), 'IST');
  });

  test('a word read surely, a word of its own, a number or a near tie is left as read', () => {
    assert.equal(correctOcrWord('MALAYSTA', 0.95), 'MALAYSTA', 'read at 0.95');
    for (const w of ['Lender', 'met', 'Java', 'WALL', 'Dale', 'Sun']) assert.equal(correctOcrWord(w, 0.5), w, w);
    assert.equal(correctOcrWord('sai', 0.5), 'sai', 'three lower-case letters');
    assert.equal(correctOcrWord('B3100', 0.3), 'B3100', 'a number with a letter in it');
    assert.equal(correctOcrWord('TOTAL', 0.3), 'TOTAL', 'a lexicon word');
    assert.equal(lexiconWordFor('TAXI'), undefined);
    assert.equal(lexiconWordFor('JALAX'), undefined, 'X for N is not a confusion');
  });

  test("the OCR page carries the corrected words, with the read word's box and confidence", () => {
    const word = (text: string, confidence: number, x0: number): TesseractWord => ({
      text,
      confidence,
      bbox: { x0, y0: 0, x1: x0 + 10 * text.length, y1: 12 },
    });
    const page = toPage([
      {
        paragraphs: [
          {
            lines: [
              {
                words: [word('TRI', 96, 0), word('SHAAS', 95, 40), word('SON', 40, 100), word('BHD', 93, 140)],
                bbox: { x0: 0, y0: 0, x1: 170, y1: 12 },
              },
            ],
          },
        ],
      },
    ]);
    assert.deepEqual(
      page.lines[0].words.map((w) => [w.text, w.x0, w.confidence]),
      [
        ['TRI', 0, 0.96],
        ['SHAAS', 40, 0.95],
        ['SDN', 100, 0.4],
        ['BHD', 140, 0.93],
      ],
    );
  });
});
