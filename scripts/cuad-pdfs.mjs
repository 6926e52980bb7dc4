#!/usr/bin/env node
// cuad-pdfs.mjs: CUAD contracts as PDF files, made the way Kleister-NDA's PDFs were made from
// EDGAR filings: the text as an HTML page (a paragraph per blank-line-separated block, its line
// breaks kept) printed by Chromium (Debian's, through the editor harness's playwright-core), so
// that `npm run eval:fields` can score contracts end to end from the PDF, as the held-out
// contracts are scored. Written to out/cuad-pdf/SPLIT/ (never into the repository): NNN.pdf and
// index.json ([{"id", "file"}]).
//   node scripts/cuad-pdfs.mjs [--split test|dev|train]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureTools, openBrowser, ROOT } from './vscode.mjs';

const split = process.argv.includes('--split') ? process.argv[process.argv.indexOf('--split') + 1] : 'test';
const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

async function main() {
  const data = path.resolve(ROOT, '..', 'shared', 'data', 'cuad.jsonl');
  const docs = readFileSync(data, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((d) => d.split === split);
  if (docs.length === 0) throw new Error(`no CUAD contracts of split "${split}" in ${data}`);
  const out = path.join(ROOT, 'out', 'cuad-pdf', split);
  mkdirSync(out, { recursive: true });
  ensureTools();
  const { browser, page } = await openBrowser();
  const index = [];
  try {
    for (const [i, d] of docs.entries()) {
      const body = d.text
        .split(/\n\s*\n/)
        .map((p) => `<p>${escape(p.trim()).replace(/\n/g, '<br>')}</p>`)
        .join('\n');
      await page.setContent(
        `<html><head><title>${escape(d.id)}</title><style>body{font-family:'Times New Roman',serif;font-size:10pt}</style></head><body>${body}</body></html>`,
      );
      const file = path.join(out, `${String(i).padStart(3, '0')}.pdf`);
      const margin = '0.5in';
      await page.pdf({
        path: file,
        format: 'Letter',
        margin: { top: margin, bottom: margin, left: margin, right: margin },
      });
      index.push({ id: d.id, file: path.relative(out, file) });
    }
  } finally {
    await browser.close();
  }
  writeFileSync(path.join(out, 'index.json'), `${JSON.stringify(index)}\n`);
  console.log(`cuad-pdfs: ${index.length} ${split} contracts in ${out}`);
}

main().catch((e) => {
  console.error(`cuad-pdfs failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
