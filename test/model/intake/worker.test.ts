// extractInWorker: the same ExtractedDocument as extractDocument on the caller's thread, progress
// streamed back, bad input as the same one-line InputError, and a cancel that ends the worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractDocument } from '../../../src/model/intake/extract';
import { extractInWorker } from '../../../src/model/intake/worker';
import { InputError } from '../../../src/model/io/files';
import { manyPagePdf, pdfWithText } from '../../fixtures/documents';

test('a PDF read in a worker gives the document read on this thread, with progress per page', async () => {
  const bytes = await pdfWithText([
    [{ text: 'This Agreement is made on May 5, 2024 between Acme Corp and Beta LLC.', x: 72, y: 100 }],
    [{ text: 'The fee is $12,500.00, payable within thirty days.', x: 72, y: 100 }],
  ]);
  const pages: number[] = [];
  const inWorker = await extractInWorker(bytes, { onProgress: (p) => pages.push(p.page) });
  const here = await extractDocument(bytes);
  assert.deepEqual(inWorker, here);
  assert.deepEqual([...new Set(pages)], [1, 2]);
});

test('bad input in a worker is the same one-line InputError', async () => {
  await assert.rejects(
    extractInWorker(new Uint8Array([1, 2, 3, 4]), { name: 'junk.pdf' }),
    (e: unknown) => e instanceof InputError && /^junk\.pdf: not a PDF, PNG, JPEG or TIFF file/.test(e.message),
  );
  await assert.rejects(extractInWorker(await manyPagePdf(3), { name: 'long.pdf', maxPages: 2 }), (e: unknown) =>
    /long\.pdf: the PDF has 3 pages, more than the limit of 2/.test((e as Error).message),
  );
});

test('aborting rejects with an AbortError and ends the worker', async () => {
  const bytes = await manyPagePdf(60);
  const controller = new AbortController();
  let progress = 0;
  const job = extractInWorker(bytes, {
    signal: controller.signal,
    onProgress: () => {
      if (++progress === 2) controller.abort();
    },
  });
  await assert.rejects(job, (e: unknown) => (e as Error).name === 'AbortError');
  assert.ok(progress < 60, `stopped early (${progress} progress reports)`);
  const before = new AbortController();
  before.abort();
  await assert.rejects(
    extractInWorker(bytes, { signal: before.signal }),
    (e: unknown) => (e as Error).name === 'AbortError',
  );
});
