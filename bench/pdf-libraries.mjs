// Which pdf.js distribution intake uses: unpdf (a serverless pdf.js build with the worker inlined)
// or pdfjs-dist's legacy build, on the Kleister NDA PDFs. Both are read the same way (every page's
// text items); the figures are pages/s, failures, and whether the two give the same text items.
// pdfjs-dist is not a dependency: `npm install --no-save pdfjs-dist` first, then
// `node bench/pdf-libraries.mjs [DIR]`. Figures, not assertions.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const dir = process.argv[2] ?? path.resolve('..', 'shared', 'data', 'kleister-nda-test-pdf');
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.pdf'))
  .sort()
  .map((f) => path.join(dir, f));

async function loadUnpdf() {
  const { getResolvedPDFJS } = await import('unpdf');
  return getResolvedPDFJS();
}
async function loadPdfjsDist() {
  const root = path.dirname(require.resolve('pdfjs-dist/package.json'));
  const lib = await import(pathToFileURL(path.join(root, 'legacy', 'build', 'pdf.mjs')).href);
  lib.GlobalWorkerOptions.workerSrc = pathToFileURL(path.join(root, 'legacy', 'build', 'pdf.worker.mjs')).href;
  return lib;
}

async function read(lib, file) {
  const doc = await lib.getDocument({
    data: new Uint8Array(fs.readFileSync(file)),
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    verbosity: 0,
  }).promise;
  const pages = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const tc = await page.getTextContent();
    pages.push(tc.items.map((i) => `${i.str}@${i.transform.map((x) => x.toFixed(2)).join(',')}`).join('\n'));
    page.cleanup();
  }
  await doc.destroy();
  return pages;
}

async function run(name, lib) {
  const out = new Map();
  let pages = 0;
  let failed = 0;
  const t0 = process.hrtime.bigint();
  for (const f of files) {
    try {
      const p = await read(lib, f);
      pages += p.length;
      out.set(f, p.join('\f'));
    } catch (e) {
      failed++;
      out.set(f, `ERROR ${e.message}`);
    }
  }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(
    `${name}: ${files.length} files, ${pages} pages, ${failed} failed, ${s.toFixed(1)} s, ${(pages / s).toFixed(1)} pages/s`,
  );
  return out;
}

const libs = [['unpdf', await loadUnpdf()]];
try {
  libs.push(['pdfjs-dist legacy', await loadPdfjsDist()]);
} catch {
  console.log('pdfjs-dist is not installed (npm install --no-save pdfjs-dist): unpdf alone');
}
// twice, interleaved, so a busy machine weighs on both alike
const results = [];
for (const round of [1, 2])
  for (const [name, lib] of libs) results.push([`${name} (round ${round})`, await run(name, lib)]);
if (libs.length === 2) {
  const [a, b] = [results[2][1], results[3][1]];
  const same = files.filter((f) => a.get(f) === b.get(f)).length;
  console.log(`identical text items and positions: ${same} of ${files.length} files`);
}
