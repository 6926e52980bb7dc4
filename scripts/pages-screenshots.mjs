#!/usr/bin/env node
// pages-screenshots.mjs: PNGs of the pages editor in a real VS Code (code-server + headless
// Chromium, scripts/vscode.mjs) on a Kleister NDA PDF and an SROIE receipt photo from
// ../shared/data, copied into a throw-away workspace under .vscode-test/runs (never into the
// repository):
//   pdf.png            the NDA as pages with entity boxes, its extracted text beside them
//   pdf-quickfix.png   the light bulb's corrections on an entity of the text view
//   receipt-ocr.png    the receipt while OCR runs (the progress notification, with Cancel)
//   receipt.png        the receipt with entity boxes, low-confidence words dashed, its OCR text
//   receipt-fields.png its OCR text's Document Fields, the seller address's hover: the workspace
//                      knows the receipt's vendor, its user having typed the seller and address
//                      of sroie-dev-fields.jsonl as corrections of an earlier receipt of the
//                      shop (.entity-lens/field-corrections.jsonl; no training run); 008.jpg
//                      reads "JALAN PERIAS" for "PERMAS"
// After the quick fix is applied it prints the record that landed in annotations.jsonl.
//   node scripts/pages-screenshots.mjs [--out DIR] [--pdf NAME.pdf] [--receipt NAME.jpg] [-v]
// The extension is loaded from its build (out/): run `npm run build` first.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openBrowser, quickOpen, ROOT, runCommandPalette, startCodeServer, VSCODE_TEST_DIR } from './vscode.mjs';

const DATA = path.resolve(ROOT, '..', 'shared', 'data');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.log('[pages-screenshots]', ...a);

function parseArgs(argv) {
  const o = { out: path.join(VSCODE_TEST_DIR, 'screenshots') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') o.out = path.resolve(argv[++i]);
    else if (a === '--pdf') o.pdf = argv[++i];
    else if (a === '--receipt') o.receipt = argv[++i];
    else if (a === '-v') process.env.VERBOSE = '1';
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

/** The workspace's field corrections: the vendor of the receipt `name`, typed on an earlier receipt of the shop. */
function knowVendorOf(name, ws) {
  const id = `sroie:${name.replace(/\.jpg$/, '')}`;
  const row = readFileSync(path.join(DATA, 'sroie-dev-fields.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .find((r) => r.id === id);
  if (!row) return;
  const earlier = {
    document: 'earlier-receipt.jpg',
    kind: 'receipt',
    corrections: [
      { field: 'seller', value: row.fields.company },
      { field: 'seller_address', value: row.fields.address },
    ],
    text: `${row.fields.company}\n${row.fields.address}`,
  };
  mkdirSync(path.join(ws, '.entity-lens'), { recursive: true });
  writeFileSync(path.join(ws, '.entity-lens', 'field-corrections.jsonl'), `${JSON.stringify(earlier)}\n`);
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const pdfDir = path.join(DATA, 'kleister-nda-test-pdf');
  const imgDir = path.join(DATA, 'sroie-dev-img');
  const pdf =
    o.pdf ??
    readdirSync(pdfDir)
      .filter((f) => f.endsWith('.pdf'))
      .sort()[0];
  const receipt =
    o.receipt ??
    readdirSync(imgDir)
      .filter((f) => f.endsWith('.jpg'))
      .sort()[0];
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const stateDir = path.join(VSCODE_TEST_DIR, 'runs', `pages-shot-${stamp}`);
  const ws = `${stateDir}-workspace`; // startCodeServer wipes stateDir
  mkdirSync(ws, { recursive: true });
  copyFileSync(path.join(pdfDir, pdf), path.join(ws, 'nda.pdf'));
  copyFileSync(path.join(imgDir, receipt), path.join(ws, 'receipt.jpg'));
  knowVendorOf(receipt, ws);
  mkdirSync(o.out, { recursive: true });
  log(`workspace ${ws}: nda.pdf = ${pdf}, receipt.jpg = ${receipt}`);

  const settings = {
    'editor.renderLineHighlight': 'none',
    'editor.occurrencesHighlight': 'off',
    'editor.fontSize': 13,
  };
  const server = await startCodeServer({
    workspace: ws,
    stateDir,
    freshState: true,
    settings,
    openFile: path.join(ws, 'nda.pdf'),
  });
  const { browser, page } = await openBrowser({ viewport: { width: 1500, height: 900 } });
  try {
    await page.goto(server.url);
    // opened from Quick Open, as a person would: the workbench's openFile goes to the text editor
    await page
      .locator('.explorer-folders-view .monaco-list-row', { hasText: 'nda.pdf' })
      .first()
      .waitFor({ timeout: 60000 });
    await sleep(3000);
    await quickOpen(page, 'nda.pdf');
    await sleep(2000);
    // a file opened before the extension host has registered the editor gets VS Code's binary
    // notice, or its bytes as text when they look like text (a PDF whose first objects are
    // plain): Open as Pages then (at any later open, the pages editor is the default)
    if ((await page.getByText('Open Anyway').count()) || (await page.getByText('%PDF-').count())) {
      await page.locator('.tab', { hasText: 'nda.pdf' }).first().click();
      await runCommandPalette(page, 'Entity Lens: Open as Pages');
    }
    // the text view opens beside the pages once the PDF is read; tagging follows
    await page.locator('.tab', { hasText: 'nda.pdf.txt' }).first().waitFor({ timeout: 90000 });
    await page.locator('.monaco-editor [class*="TextEditorDecorationType"]').first().waitFor({ timeout: 90000 });
    await sleep(6000);
    await page.mouse.move(700, 880);
    await page.screenshot({ path: path.join(o.out, 'pdf.png') });
    log(`wrote ${path.join(o.out, 'pdf.png')}`);

    // a quick fix in the text view: click into the first decorated entity, Ctrl+.
    const deco = page.locator('.editor-group-container .monaco-editor [class*="TextEditorDecorationType"]').first();
    const box = await deco.boundingBox();
    if (box) {
      await page.mouse.click(box.x + Math.min(10, box.width / 2), box.y + box.height / 2);
      await sleep(800);
      await page.keyboard.press('Control+.');
      await page.locator('.action-widget').first().waitFor({ timeout: 15000 });
      await sleep(800);
      await page.screenshot({ path: path.join(o.out, 'pdf-quickfix.png') });
      log(`wrote ${path.join(o.out, 'pdf-quickfix.png')}`);
      await page.keyboard.press('Enter'); // the first (preferred) action: Accept
      await sleep(2500);
      const file = path.join(ws, '.entity-lens', 'annotations.jsonl');
      if (existsSync(file)) {
        const lines = readFileSync(file, 'utf8').trim().split('\n');
        const last = JSON.parse(lines[lines.length - 1]);
        log(
          `annotations.jsonl: ${lines.length} line(s); last record: uri ${last.uri}, sha256 ${last.sha256}, spans ${JSON.stringify(last.spans)}, text ${JSON.stringify(last.text.slice(0, 120))}…`,
        );
      } else log('annotations.jsonl was not written');
    }

    // the receipt: VS Code's image preview first, then Open as Pages (OCR)
    await quickOpen(page, 'receipt.jpg');
    await sleep(2000);
    await runCommandPalette(page, 'Entity Lens: Open as Pages');
    // the progress notification while OCR runs
    for (let i = 0; i < 100 && !(await page.locator('.notification-toast', { hasText: 'OCR' }).count()); i++)
      await sleep(100);
    await page.screenshot({ path: path.join(o.out, 'receipt-ocr.png') });
    log(`wrote ${path.join(o.out, 'receipt-ocr.png')}`);
    await page.locator('.tab', { hasText: 'receipt.jpg.txt' }).first().waitFor({ timeout: 120000 });
    await sleep(8000);
    await page.mouse.move(700, 880);
    await page.screenshot({ path: path.join(o.out, 'receipt.png') });
    log(`wrote ${path.join(o.out, 'receipt.png')}`);

    // the OCR text's fields: the folder tree and the outline folded, Document Fields open
    await page.locator('.tab', { hasText: 'receipt.jpg.txt' }).first().click();
    await page.locator('.view-lines').last().click();
    await sleep(1500);
    for (const header of [
      '.pane-header[aria-expanded="true"]:has-text("workspace")',
      '.pane-header[aria-expanded="true"]:has-text("Outline")',
      '.pane-header[aria-expanded="false"]:has-text("Document Fields")',
    ]) {
      const pane = page.locator(header).first();
      if (await pane.count()) await pane.click().catch(() => {});
    }
    const row = page.locator('.monaco-list-row', { hasText: 'seller_address' }).first();
    await row.waitFor({ timeout: 60000 });
    await sleep(3000);
    await row.hover();
    await sleep(2500);
    await page.screenshot({ path: path.join(o.out, 'receipt-fields.png') });
    log(`wrote ${path.join(o.out, 'receipt-fields.png')}`);
  } catch (e) {
    await page.screenshot({ path: path.join(o.out, 'pages-failure.png') }).catch(() => {});
    log(`failed; the screen then: ${path.join(o.out, 'pages-failure.png')}`);
    throw e;
  } finally {
    await browser.close().catch(() => {});
    await server.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
