#!/usr/bin/env node
// lines-screenshots.mjs (npm run screenshots:lines): the proof of issue 14 in a real VS Code
// (code-server + headless Chromium, scripts/vscode.mjs) with the embedded default model, on
// documents from ../shared/data copied into a throw-away workspace under .vscode-test/runs
// (never into the repository). PNGs into .vscode-test/screenshots/lines/ (or --out DIR):
//   contract-notice.png          a CUAD test contract's notice clause (Equifax / Certegy), the
//                                Entity Labels legend open; -hover-1 / -hover-2: the hover over
//                                each notice address
//   receipt.png, receipt-hover.png
//                                an SROIE receipt's text (sroie:107): an outlet line above the
//                                seller, its registration number under it; the hover over the seller
//   employee-nda.png, employee-nda-hover.png
//                                a Kleister NDA PDF between a company and an employee (William
//                                Braun), opened as pages beside its extracted text; the hover
//                                over the employee's name in the text view
//   employee-nda-2.png           a second employee NDA (Daniel Powell), where the name ends its line
//   receipt-photo.png            the same receipt's photo read by OCR, as pages beside its text
// It prints what the default tagger (entity-lens tag) finds on each, to read beside the pictures.
//   node scripts/lines-screenshots.mjs [--out DIR] [--only NAME-PREFIX] [-v]
// The extension is loaded from its build (out/): run `npm run build` first.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  hoverText,
  openBrowser,
  quickOpen,
  ROOT,
  runCommandPalette,
  startCodeServer,
  VSCODE_TEST_DIR,
} from './vscode.mjs';

const DATA = path.resolve(ROOT, '..', 'shared', 'data');
const DECORATION = '.editor-group-container.active .monaco-editor [class*="TextEditorDecorationType"]';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.log('[lines-screenshots]', ...a);

const CONTRACT_ID = 'cuad:FIDELITYNATIONALINFORMATIONSERVICES,INC_08_05_2009-EX-10.3-INTELLECTUAL PROPERTY AGREEMENT';
const RECEIPT_ID = 'sroie:107';
const NDA = '252b9361b33e260436d147681f7b7102.pdf'; // SRI Surgical and William Braun ("Employee")
const NDA_2 = '715d09e3a02ad00be0de56f780e047a0.pdf'; // Nexeon MedSystems and Daniel Powell ("Employee")

function parseArgs(argv) {
  const o = { out: path.join(VSCODE_TEST_DIR, 'screenshots', 'lines') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') o.out = path.resolve(argv[++i]);
    else if (a === '--only') o.only = argv[++i];
    else if (a === '-v') process.env.VERBOSE = '1';
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

function record(file, id) {
  for (const line of readFileSync(path.join(DATA, file), 'utf8').split('\n')) {
    if (line.includes(JSON.stringify(id).slice(0, -1))) {
      const r = JSON.parse(line);
      if (r.id === id) return r;
    }
  }
  throw new Error(`${id} not found in ${file}`);
}

/** What `entity-lens tag --json` finds in a file: PARTY and ADDRESS, and the rest counted. */
function cliEntities(file) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'entity-lens.js'), 'tag', '--json', file], {
    encoding: 'utf8',
  });
  if (r.status !== 0) return `entity-lens tag failed: ${r.stderr.trim()}`;
  const { entities } = JSON.parse(r.stdout);
  const shown = entities.filter((e) => (e.label === 'PARTY' && e.source !== 'document') || e.label === 'ADDRESS');
  const lent = entities.filter((e) => e.label === 'PARTY' && e.source === 'document').length;
  return [
    ...shown.map((e) => `    ${e.label} ${JSON.stringify(e.text)} ${e.confidence.toFixed(2)}`),
    `    (+ ${lent} PARTY lent to other occurrences, ${entities.length - shown.length - lent} other entities)`,
  ].join('\n');
}

/** The text Entity Lens reads from a PDF, written beside the PNGs. */
function extracted(file, out) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'entity-lens.js'), 'text', file], { encoding: 'utf8' });
  const dest = path.join(out, `${path.basename(file)}.txt`);
  writeFileSync(dest, r.stdout);
  return dest;
}

async function goToLine(page, line) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 5000 });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await sleep(800);
}

/** 1-based line of the first occurrence of `text` in a file. */
const lineOf = (file, text) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text)) + 1;

async function shot(page, out, name) {
  const file = path.join(out, `${name}.png`);
  await page.screenshot({ path: file });
  log(`wrote ${file}`);
}

/** The pointer off the editor and any hover closed. */
async function calm(page) {
  await page.keyboard.press('Escape');
  await page.mouse.move(5, 880);
  await sleep(600);
}

/** Opens a PDF or an image in the pages editor and waits for its tagged text view. */
async function openPages(page, name, timeout) {
  // one document on screen: its pages and its text
  await runCommandPalette(page, 'View: Close All Editors');
  await sleep(1000);
  await quickOpen(page, name);
  await sleep(2500);
  // a file opened before the extension registered its editor gets VS Code's binary notice;
  // an image opens in VS Code's preview: Open as Pages then
  if ((await page.getByText('Open Anyway').count()) || name.endsWith('.jpg')) {
    await page.locator('.tab', { hasText: name }).first().click();
    await runCommandPalette(page, 'Entity Lens: Open as Pages');
  }
  const tab = page.locator('.tab', { hasText: `${name}.txt` }).first();
  await tab.waitFor({ timeout });
  // the text view's group made the active one (hovers and Go to Line act there)
  await tab.click();
  await page.locator(DECORATION).first().waitFor({ timeout });
  await sleep(6000);
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const want = (name) => !o.only || name.startsWith(o.only);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const stateDir = path.join(VSCODE_TEST_DIR, 'runs', `lines-shot-${stamp}`);
  const ws = `${stateDir}-workspace`; // startCodeServer wipes stateDir
  mkdirSync(ws, { recursive: true });
  mkdirSync(o.out, { recursive: true });
  const contract = path.join(ws, 'contract-notice.txt');
  writeFileSync(contract, record('cuad.jsonl', CONTRACT_ID).text);
  const receipt = path.join(ws, 'receipt.txt');
  writeFileSync(receipt, record('sroie-dev.jsonl', RECEIPT_ID).text);
  copyFileSync(path.join(DATA, 'kleister-nda-test-pdf', NDA), path.join(ws, 'employee-nda.pdf'));
  copyFileSync(path.join(DATA, 'kleister-nda-test-pdf', NDA_2), path.join(ws, 'employee-nda-2.pdf'));
  copyFileSync(path.join(DATA, 'sroie-dev-img', `${RECEIPT_ID.split(':')[1]}.jpg`), path.join(ws, 'receipt.jpg'));
  log(
    `workspace ${ws}: contract-notice.txt = ${CONTRACT_ID}, receipt.txt/.jpg = ${RECEIPT_ID}, employee-nda.pdf = ${NDA}, employee-nda-2.pdf = ${NDA_2}`,
  );
  for (const f of ['contract-notice.txt', 'receipt.txt', 'employee-nda.pdf', 'employee-nda-2.pdf']) {
    log(`entity-lens tag ${f}:\n${cliEntities(path.join(ws, f))}`);
  }

  const server = await startCodeServer({
    workspace: ws,
    stateDir,
    freshState: true,
    settings: {
      'editor.renderLineHighlight': 'none',
      'editor.occurrencesHighlight': 'off',
      'editor.selectionHighlight': false,
      'editor.fontSize': 14,
    },
    openFile: contract,
  });
  const { browser, page } = await openBrowser({ viewport: { width: 1500, height: 900 } });
  try {
    await page.goto(server.url);
    await page.locator('.tabs-container .tab.active', { hasText: 'contract-notice.txt' }).waitFor({ timeout: 60000 });
    await page.locator(DECORATION).first().waitFor({ timeout: 120000 });
    // the legend: which colour is which label
    const legend = page.locator('.pane-header[aria-expanded="false"]:has-text("Entity Labels")').first();
    if (await legend.isVisible().catch(() => false)) await legend.click();
    await sleep(4000);

    if (want('contract')) {
      await goToLine(page, lineOf(contract, 'If to Equifax'));
      await calm(page);
      await shot(page, o.out, 'contract-notice');
      await hoverText(page, '1550 Peachtree', contract);
      await sleep(800);
      await shot(page, o.out, 'contract-notice-hover-1');
      await calm(page);
      await hoverText(page, '11720 Amberpark', contract);
      await sleep(800);
      await shot(page, o.out, 'contract-notice-hover-2');
      await calm(page);
    }
    if (want('receipt')) {
      await quickOpen(page, 'receipt.txt');
      await page.locator('.tabs-container .tab.active', { hasText: 'receipt.txt' }).waitFor({ timeout: 30000 });
      await page.locator(DECORATION).first().waitFor({ timeout: 60000 });
      await sleep(3000);
      await calm(page);
      await shot(page, o.out, 'receipt');
      await hoverText(page, 'ZAWIAJAYA', receipt);
      await sleep(800);
      await shot(page, o.out, 'receipt-hover');
      await calm(page);
    }
    if (want('employee-nda') && !o.only?.startsWith('employee-nda-2')) {
      await openPages(page, 'employee-nda.pdf', 120000);
      await calm(page);
      await shot(page, o.out, 'employee-nda');
      // the text view is the active editor (its text as `entity-lens text` prints it, for Go to Line)
      await hoverText(page, 'William Braun', extracted(path.join(ws, 'employee-nda.pdf'), o.out)).catch((e) =>
        log(`hover: ${e.message}`),
      );
      await sleep(800);
      await shot(page, o.out, 'employee-nda-hover');
      await calm(page);
    }
    if (want('employee-nda-2')) {
      await openPages(page, 'employee-nda-2.pdf', 120000);
      await calm(page);
      await shot(page, o.out, 'employee-nda-2');
    }
    if (want('receipt-photo')) {
      await openPages(page, 'receipt.jpg', 180000);
      await calm(page);
      await shot(page, o.out, 'receipt-photo');
    }
  } catch (e) {
    await page.screenshot({ path: path.join(o.out, 'lines-failure.png') }).catch(() => {});
    log(`failed; the screen then: ${path.join(o.out, 'lines-failure.png')}`);
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
