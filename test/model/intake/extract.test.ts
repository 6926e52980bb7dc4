// extractDocument on documents the test makes: PDFs with a text layer (reading order, furniture,
// hyphens, boxes), bad PDFs (encrypted, damaged, too many pages), scans and images through OCR
// (words, confidences, boxes, cancel), the pixel limit, and the cache by content hash.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { extractDocument, LimitError, type ExtractOptions } from '../../../src/model/intake/extract';
import type { ExtractedDocument } from '../../../src/model/intake/document';
import { OcrEngine } from '../../../src/model/intake/ocr';
import { encodePng } from '../../../src/model/intake/png';
import { InputError } from '../../../src/model/io/files';
import { encryptedPdf, manyPagePdf, pdfWithText, scannedPdf, textPng } from '../../fixtures/documents';

const ocr = new OcrEngine();
after(() => ocr.terminate());
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'entity-lens-intake-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Every box's range is one word of the text, inside its page; ranges sorted, not overlapping. */
function assertConsistent(doc: ExtractedDocument): void {
  let last = 0;
  for (const b of doc.layout.boxes) {
    assert.ok(b.start >= last && b.end > b.start && b.end <= doc.text.length, `range ${b.start}-${b.end}`);
    assert.doesNotMatch(doc.text.slice(b.start, b.end), /\s/);
    const page = doc.layout.pages[b.page - 1];
    assert.ok(page, `page ${b.page}`);
    assert.ok(b.x0 >= 0 && b.y0 >= 0 && b.x0 <= b.x1 && b.y0 <= b.y1 && b.x1 <= page.width && b.y1 <= page.height);
    last = b.end;
  }
  for (const p of doc.parts) assert.ok(p.start < p.end && p.end <= doc.text.length);
}

test('a PDF text layer becomes text in reading order with hyphens joined and page numbers after the body', async () => {
  const bytes = await pdfWithText([
    [
      { text: 'MUTUAL NON-DISCLOSURE AGREEMENT', x: 180, y: 60, size: 12 },
      { text: 'This Agreement is made between Acme Corp and Beta LLC. The parties', x: 72, y: 100 },
      { text: 'wish to exchange information under this agree-', x: 72, y: 114 },
      { text: 'ment, which starts on May 5, 2024 and continues', x: 72, y: 128 },
      { text: '1', x: 295, y: 800 },
    ],
    [
      { text: 'for two years.', x: 72, y: 72 },
      { text: '2', x: 295, y: 800 },
    ],
  ]);
  const doc = await extractDocument(bytes, { ocr: false });
  assert.equal(doc.kind, 'pdf');
  assert.deepEqual(
    doc.pages.map((p) => [p.page, p.source, p.unit, Math.round(p.width), Math.round(p.height)]),
    [
      [1, 'text', 'pt', 595, 842],
      [2, 'text', 'pt', 595, 842],
    ],
  );
  assert.equal(
    doc.text,
    'MUTUAL NON-DISCLOSURE AGREEMENT\n\n' +
      'This Agreement is made between Acme Corp and Beta LLC. The parties\n' +
      'wish to exchange information under this agreement, which starts on May 5, 2024 and continues\n' +
      'for two years.\n\n1\n\n2',
  );
  assert.deepEqual(
    doc.parts.map((p) => [p.page, p.role]),
    [
      [1, 'body'],
      [2, 'body'],
      [1, 'furniture'],
      [2, 'furniture'],
    ],
  );
  assertConsistent(doc);
  // the date's box lies on the third line of page 1, left of the middle
  const at = doc.text.indexOf('May 5, 2024');
  const boxes = doc.layout.boxes.filter((b) => b.start >= at && b.end <= at + 11);
  assert.equal(boxes.length, 3);
  for (const b of boxes) assert.ok(b.page === 1 && b.y0 < 128 && b.y1 > 120 && b.x1 < 400, JSON.stringify(b));
});

test('a line the page wrapped because it was full goes on with a space; a line that ended short, or a new paragraph, with a break', async () => {
  const bytes = await pdfWithText([
    [
      { text: 'This Confidentiality Agreement is dated as of October 7, 2011 by and between Russian', x: 72, y: 100 },
      { text: 'Standard Vodka (the "Receiving Party") and Central European Distribution Corporation', x: 72, y: 114 },
      { text: '(together with its subsidiaries, the "Company").', x: 72, y: 128 },
      { text: '1. Definitions. The Receiving Party shall keep the information of the Company', x: 72, y: 142 },
      { text: 'secret.', x: 72, y: 156 },
      { text: 'Dear Mr. Blinov:', x: 72, y: 184 },
      { text: 'The Company is prepared to make available certain information concerning', x: 90, y: 198 },
    ],
  ]);
  const doc = await extractDocument(bytes, { ocr: false });
  assert.equal(
    doc.text,
    'This Confidentiality Agreement is dated as of October 7, 2011 by and between Russian ' +
      'Standard Vodka (the "Receiving Party") and Central European Distribution Corporation ' +
      '(together with its subsidiaries, the "Company").\n' +
      '1. Definitions. The Receiving Party shall keep the information of the Company\nsecret.\n\n' +
      'Dear Mr. Blinov:\nThe Company is prepared to make available certain information concerning',
  );
  assertConsistent(doc);
});

test('a paragraph that goes on over a page break reads on with a space when the page ended full', async () => {
  const bytes = await pdfWithText([
    [
      { text: 'The Receiving Party shall hold the Confidential Information in strict confidence and', x: 72, y: 100 },
      { text: 'shall not disclose it to any third party without the prior written consent of Central', x: 72, y: 114 },
    ],
    [
      { text: 'European Distribution Corporation, except as provided in Section 3.', x: 72, y: 72 },
      { text: 'Short line', x: 72, y: 100 },
    ],
  ]);
  const doc = await extractDocument(bytes, { ocr: false });
  assert.match(doc.text, /consent of Central European Distribution Corporation, except/);
  assertConsistent(doc);
});

test('an encrypted, a damaged and an empty PDF get one clear sentence each', async () => {
  await assert.rejects(extractDocument(encryptedPdf(), { name: 'secret.pdf' }), (e: Error) => {
    assert.ok(e instanceof InputError);
    assert.match(e.message, /^secret\.pdf: the PDF is encrypted with a password/);
    return true;
  });
  await assert.rejects(
    extractDocument(Buffer.from('%PDF-1.4\nthis is not really a PDF at all\n'), { name: 'broken.pdf' }),
    (e: Error) => e instanceof InputError && /^broken\.pdf: /.test(e.message),
  );
  const good = await pdfWithText([[{ text: 'Hello there, this is text.', x: 72, y: 72 }]]);
  // cut in half: pdf.js may recover the page or give up, but it answers
  const half = await extractDocument(good.subarray(0, Math.floor(good.length / 2)), { name: 'half.pdf' }).then(
    (d) => d.text,
    (e: Error) => (assert.ok(e instanceof InputError, e.message), 'refused'),
  );
  assert.equal(typeof half, 'string');
  await assert.rejects(extractDocument(new Uint8Array(0), { name: 'empty.pdf' }), /empty\.pdf: the file is empty/);
  await assert.rejects(
    extractDocument(Buffer.from('plain words'), { name: 'a.pdf' }),
    /a\.pdf: not a PDF, PNG, JPEG or TIFF/,
  );
});

test('a 500-page PDF is refused over the page limit, and cancelled by its signal under a higher one', async () => {
  const bytes = await manyPagePdf(500);
  const t0 = Date.now();
  await assert.rejects(extractDocument(bytes, { name: 'long.pdf' }), (e: Error) => {
    assert.ok(e instanceof LimitError);
    assert.equal(e.limit, 'pages');
    assert.match(e.message, /long\.pdf: the PDF has 500 pages, more than the limit of 300/);
    return true;
  });
  assert.ok(Date.now() - t0 < 20_000);
  const controller = new AbortController();
  const seen: number[] = [];
  const options: ExtractOptions = {
    maxPages: 600,
    signal: controller.signal,
    onProgress: (p) => {
      seen.push(p.page);
      if (p.page === 40) controller.abort();
    },
  };
  await assert.rejects(extractDocument(bytes, options), { name: 'AbortError' });
  assert.equal(Math.max(...seen), 40);
});

test('an image is read by OCR: words with boxes inside the image and confidences', async () => {
  const { png, width, height } = textPng(['ACME TRADING LTD', 'DATE: 12/3/2024', 'TOTAL 45.75']);
  const progress: number[] = [];
  const doc = await extractDocument(png, { ocr, onProgress: (p) => progress.push(p.fraction) });
  assert.equal(doc.kind, 'png');
  assert.deepEqual(doc.layout.pages, [{ width, height, unit: 'px' }]);
  assert.equal(doc.pages[0].source, 'ocr');
  assert.match(doc.text, /ACME/);
  assert.match(doc.text, /TOTAL/);
  assert.equal(doc.text.split('\n').length, 3);
  assert.ok(progress.length >= 2 && progress[0] === 0);
  for (const b of doc.layout.boxes) assert.ok(b.source === 'ocr' && b.confidence! >= 0 && b.confidence! <= 1);
  assert.ok(doc.pages[0].confidence! > 0.3);
  assertConsistent(doc);
});

test('a PDF page without a text layer is read by OCR, its boxes in points', async () => {
  const { png } = textPng(['INVOICE 2024', 'TOTAL 45.75'], 8);
  const doc = await extractDocument(await scannedPdf(png), { ocr });
  assert.equal(doc.pages[0].source, 'ocr');
  assert.equal(doc.pages[0].unit, 'pt');
  assert.match(doc.text, /TOTAL/);
  assertConsistent(doc);
  // the first line is near the top of the page: the image was stretched over all 842 points
  const first = doc.layout.boxes[0];
  assert.ok(first.y0 < 842 / 2, JSON.stringify(first));
});

test('OCR stops at once when cancelled, and the engine reads the next image', async () => {
  const { png } = textPng(
    Array.from({ length: 30 }, (_, i) => `LINE ${i} OF A LONG RECEIPT WITH WORDS`),
    6,
  );
  const controller = new AbortController();
  const started = Date.now();
  const job = extractDocument(png, {
    ocr,
    signal: controller.signal,
    onProgress: (p) => p.fraction > 0 && controller.abort(),
  });
  setTimeout(() => controller.abort(), 3000);
  await assert.rejects(job, { name: 'AbortError' });
  assert.ok(Date.now() - started < 30_000);
  const { png: small } = textPng(['TOTAL 12.00']);
  assert.match((await extractDocument(small, { ocr })).text, /TOTAL/);
});

test('images that are empty, too large or damaged are refused without OCR', async () => {
  await assert.rejects(
    extractDocument(path.join(tmp, 'missing.png')),
    (e: Error) => e instanceof InputError && /no such file/.test(e.message),
  );
  const empty = path.join(tmp, 'empty.png');
  fs.writeFileSync(empty, '');
  await assert.rejects(extractDocument(empty), /empty\.png: the file is empty \(0 bytes\)/);
  // 8000 × 5000 grey: 40 megapixels
  const big = encodePng(new Uint8Array(8000 * 5000).fill(255), 8000, 5000, 1);
  const t0 = Date.now();
  await assert.rejects(extractDocument(big, { name: 'big.png', ocr }), (e: Error) => {
    assert.ok(e instanceof LimitError);
    assert.match(e.message, /big\.png: the image has 40\.0 megapixels \(8000×5000\), more than the limit of 30/);
    return true;
  });
  assert.ok(Date.now() - t0 < 5000);
  // a PNG signature and header, then garbage
  const { png } = textPng(['TOTAL']);
  const damaged = Buffer.concat([png.subarray(0, 33), Buffer.alloc(200, 7)]);
  await assert.rejects(
    extractDocument(damaged, { name: 'bad.png', ocr }),
    (e: Error) => e instanceof InputError && /^bad\.png: /.test(e.message),
  );
});

test('results are cached by content hash; a damaged cache file is ignored', async () => {
  const cacheDir = path.join(tmp, 'cache');
  const bytes = await pdfWithText([[{ text: 'Cached text of a document.', x: 72, y: 72 }]]);
  const first = await extractDocument(bytes, { cacheDir, ocr: false });
  const files = fs.readdirSync(path.join(cacheDir, 'intake'));
  assert.equal(files.length, 1);
  assert.ok(files[0].startsWith(first.sha256));
  // a cached result is used as it is: change it on disk and read it back
  const file = path.join(cacheDir, 'intake', files[0]);
  fs.writeFileSync(file, JSON.stringify({ ...first, text: 'Cached text of a document!' }));
  assert.equal((await extractDocument(bytes, { cacheDir, ocr: false })).text, 'Cached text of a document!');
  fs.writeFileSync(file, '{"torn');
  assert.equal((await extractDocument(bytes, { cacheDir, ocr: false })).text, first.text);
});
