#!/usr/bin/env node
// learning-screenshots.mjs (npm run screenshots:learning): issue 13's loop in a real VS Code
// (code-server + headless Chromium, scripts/vscode.mjs) with the embedded default model, on SROIE
// receipts from ../shared/data written into a throw-away workspace (never into the repository).
// A simulated user corrects each receipt to its SROIE answer for PARTY, ADDRESS and DATE through
// the real commands — Tag Selection As… where the model is wrong, Accept All on one receipt, then
// Mark Labels Complete Here… for exactly those three labels — and trains twice. PNGs into
// /tmp/shots-learning (or --out DIR):
//   correction-menu.png  the light bulb's quick fixes on a selected address the model cut short
//   correction.png       after Accept All, the Mark Labels Complete quick pick (PARTY, ADDRESS, DATE)
//   undo.png             a slip (a seller tagged ADDRESS) taken back by Undo Last Correction
//   verdict-1.png        Train Model after 3 receipts: the verdict on one held-out receipt (its sizes)
//   verdict-2.png        Train Model after 15 receipts: the verdict on held-out and reference set
//   report.png           Entity Lens: Show Model Report, its last run's held-out and reference tables
//   models.png           the dashboard's Models view once every version is scored on the same sets
// It prints the verdicts, and the undone passage's record in annotations.jsonl before and after.
//   node scripts/learning-screenshots.mjs [--out DIR] [-v]
// The extension is loaded from its build (out/): run `node esbuild.mjs` first. It runs installed,
// as a user has it (scripts/vscode.mjs: a run with a test payload shows no notification toasts).
// Training takes the editor's settings with entityLens.trainingEpochs 4 (its schedule's minimum
// number of steps still holds), about 15 s a run; judging adds the reference set, about 30 s.
//
// Which documents judge a training run follows from a hash of each file's path in the folder
// (split.ts, heldOutSplit), and the receipts are chosen so that 4 of the 15 are held out (their
// paths hash below 15 %): a user gets 4 held-out receipts after about 25. One of them is among the
// first 3, so the first run has a held-out document: with every entity Accept All confirmed on it,
// enough to decide on (more documents are held out, up to 30 %, only while entities are too few).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, openBrowser, quickOpen, runCommandPalette, startCodeServer } from './vscode.mjs';

const DATA = path.resolve(ROOT, '..', 'shared', 'data');
const HOME = '/tmp/entity-lens-learning-shots';
const WORKSPACE = path.join(HOME, 'workspace');
const LABELS = ['PARTY', 'ADDRESS', 'DATE'];
/** the first run: 028 is held out */
const FIRST = ['022', '028', '082'];
/** the second run adds these: 066, 100 and 174 are held out too */
const MORE = ['066', '067', '132', '011', '015', '048', '052', '100', '124', '174', '003', '021'];
const DECORATION = '.editor-group-container.active .monaco-editor [class*="TextEditorDecorationType"]';
const VERDICT = /kept the current model|the new model is used|training failed/i;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const t0 = Date.now();
const log = (...a) => console.log(`[learning-screenshots ${((Date.now() - t0) / 1000).toFixed(0)}s]`, ...a);

function parseArgs(argv) {
  const o = { out: '/tmp/shots-learning' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') o.out = path.resolve(argv[++i]);
    else if (a === '-v') process.env.VERBOSE = '1';
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

// ---------------------------------------------------------------------------- the receipts
function receipts(ids) {
  const wanted = new Set(ids.map((n) => `sroie:${n}`));
  const out = new Map();
  for (const line of readFileSync(path.join(DATA, 'sroie-dev.jsonl'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line);
    if (wanted.has(r.id)) out.set(r.id.split(':')[1], r);
  }
  for (const n of ids) if (!out.has(n)) throw new Error(`sroie:${n} not found in sroie-dev.jsonl`);
  return ids.map((n) => ({ n, name: `receipt-${n}.txt`, record: out.get(n) }));
}

/** What the default model shows on each receipt (`entity-lens tag --json`), PARTY, ADDRESS and DATE. */
function shownByModel(files) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'entity-lens.js'), 'tag', '--json', ...files], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`entity-lens tag failed: ${r.stderr.trim()}`);
  const out = new Map();
  for (const line of r.stdout.split('\n')) {
    if (!line.trim()) continue;
    const { file, entities } = JSON.parse(line);
    out.set(
      path.basename(file),
      entities.filter((e) => LABELS.includes(e.label)),
    );
  }
  return out;
}

/**
 * The user's plan for one receipt: tag each answer span the model does not show exactly. A
 * wrong entity the model shows elsewhere would be confirmed by Mark Labels Complete: reported.
 */
function plan(receipt, shown) {
  const text = receipt.record.text;
  const gold = receipt.record.spans.filter((s) => LABELS.includes(s.label));
  const same = (a, b) => a.label === b.label && a.start === b.start && a.end === b.end;
  const tag = gold
    .filter((g) => !shown.some((e) => same(e, g)))
    .map((g) => ({ ...g, text: text.slice(g.start, g.end) }));
  const stray = shown.filter(
    (e) => !gold.some((g) => same(e, g)) && !tag.some((t) => t.start < e.end && e.start < t.end),
  );
  for (const e of stray) log(`warning: ${receipt.name}: the model shows ${e.label} "${e.text}", not in the answer`);
  return tag;
}

/** The held-out documents of a set of receipts, by the product's own rule (split.ts, bundled here). */
async function heldOutOf(names) {
  const esbuild = await import('esbuild');
  const built = await esbuild.build({
    entryPoints: [path.join(ROOT, 'src', 'model', 'learning', 'split.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  const file = path.join(HOME, 'split.mjs');
  writeFileSync(file, built.outputFiles[0].text);
  const { splitByDocument } = await import(pathToFileURL(file).href);
  const records = names.map((name) => ({
    id: name,
    text: '',
    spans: [],
    uri: pathToFileURL(path.join(WORKSPACE, name)).href,
  }));
  // the editor keys documents by their path in the folder (workspace-files.ts heldOutSplit)
  return splitByDocument(records, { key: (r) => path.relative(WORKSPACE, new URL(r.uri).pathname) }).heldOut.map(
    (r) => r.id,
  );
}

// ---------------------------------------------------------------------------- the workbench
async function shot(page, out, name, what) {
  const file = path.join(out, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(`${file}: ${what}`);
  return file;
}

/** Quick Open, then waits until the file is the active tab and tagged. */
async function openTagged(page, name) {
  await quickOpen(page, name);
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 30000 });
  await page.locator(DECORATION).first().waitFor({ timeout: 120000 });
  await sleep(1500);
}

/** The pointer off the editor, hovers and widgets closed. */
async function calm(page) {
  await page.keyboard.press('Escape');
  await page.mouse.move(5, 1000);
  await sleep(400);
}

const escapeRegex = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\n/g, '\\n');

/** Selects `text` (it may span lines) in the active editor through the find widget, regex mode. */
async function selectText(page, text) {
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Control+F');
  const widget = page.locator('.editor-group-container.active .find-widget');
  const input = widget.locator('.find-part textarea, .find-part input').first();
  await input.waitFor({ state: 'visible', timeout: 5000 });
  const regex = widget.locator('.codicon-regex').first();
  if ((await regex.getAttribute('aria-checked')) !== 'true') await regex.click();
  await input.fill(escapeRegex(text));
  await widget.locator('.matchesCount', { hasText: /^1 of \d+$/ }).waitFor({ timeout: 5000 });
  await sleep(300);
  await page.keyboard.press('Escape'); // the widget closes; the match stays selected
  await sleep(300);
}

/** Picks a label in the quick pick of Tag Selection As… */
async function pickLabel(page, label) {
  const input = page.locator('.quick-input-widget input');
  await page.locator('.quick-input-widget input[placeholder^="Tag "]').waitFor({ timeout: 10000 });
  await input.fill(label);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor({ timeout: 5000 });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10000 });
  await sleep(700);
}

async function tagSelectionAs(page, text, label) {
  await selectText(page, text);
  await runCommandPalette(page, 'Entity Lens: Tag Selection As…');
  await pickLabel(page, label);
}

/** In the open Mark Labels Complete quick pick: exactly `labels` checked. */
async function checkExactly(page, labels) {
  await page
    .locator('.quick-input-widget input[placeholder^="Labels whose entities here"]')
    .waitFor({ timeout: 10000 });
  const rows = page.locator('.quick-input-list .monaco-list-row');
  await rows.first().waitFor({ timeout: 5000 });
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i);
    const label = ((await row.locator('.label-name').first().textContent()) ?? '').trim();
    const checked = (await row.getAttribute('aria-checked')) === 'true';
    if (checked !== labels.includes(label)) await row.click(); // a click on a row toggles its box
  }
  await sleep(400);
}

async function acceptQuickPick(page) {
  await page.locator('.quick-input-widget .monaco-button', { hasText: 'OK' }).first().click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10000 });
  await sleep(700);
}

async function markComplete(page) {
  await page.keyboard.press('Control+Home'); // no selection: the paragraph at the cursor, the whole receipt
  await runCommandPalette(page, 'Entity Lens: Mark Labels Complete Here…');
  await checkExactly(page, LABELS);
  await acceptQuickPick(page);
}

async function clearNotifications(page) {
  await runCommandPalette(page, 'Notifications: Clear All Notifications');
  await sleep(500);
}

/** Opens a receipt, tags what the model got wrong, marks the three labels complete. */
async function correct(page, receipt) {
  await openTagged(page, receipt.name);
  for (const t of receipt.tag) await tagSelectionAs(page, t.text, t.label);
  await markComplete(page);
  log(`${receipt.name}: ${receipt.tag.length} tagged, ${LABELS.join(', ')} marked complete`);
}

/** Runs Train Model and waits for its verdict's notification, expanded. */
async function train(page) {
  await clearNotifications(page);
  await runCommandPalette(page, 'Entity Lens: Train Model');
  const toast = page.locator('.notification-toast', { hasText: VERDICT }).first();
  await toast.waitFor({ timeout: 600000 });
  const text = ((await toast.locator('.notification-list-item-message').first().textContent()) ?? '').trim();
  const expand = toast.locator('.codicon-notifications-expand').first();
  if (await expand.isVisible().catch(() => false)) await expand.click();
  await page.mouse.move(5, 1000);
  await sleep(1000);
  log(`verdict: ${text}`);
  return { toast, text };
}

function annotationLines(ws) {
  const file = path.join(ws, '.entity-lens', 'annotations.jsonl');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

/** The spans of the last record written for a file (the store's answer for that passage). */
function lastSpans(ws, name) {
  const uri = pathToFileURL(path.join(ws, name)).href;
  const mine = annotationLines(ws)
    .map((l) => JSON.parse(l))
    .filter((r) => r.uri === uri);
  const last = mine[mine.length - 1];
  return last ? last.spans.map((s) => `${s.label} "${last.text.slice(s.start, s.end).replace(/\n/g, ' / ')}"`) : [];
}

// ---------------------------------------------------------------------------- the run
async function main() {
  const o = parseArgs(process.argv.slice(2));
  mkdirSync(o.out, { recursive: true });
  rmSync(HOME, { recursive: true, force: true });
  mkdirSync(WORKSPACE, { recursive: true });
  const all = receipts([...FIRST, ...MORE]);
  for (const r of all) writeFileSync(path.join(WORKSPACE, r.name), r.record.text);
  const shown = shownByModel(all.map((r) => path.join(WORKSPACE, r.name)));
  for (const r of all) r.tag = plan(r, shown.get(r.name) ?? []);
  const first = all.slice(0, FIRST.length);
  log(`workspace ${WORKSPACE}: ${all.map((r) => r.name).join(', ')} (SROIE dev receipts)`);
  log(`held out after the first ${first.length}: ${(await heldOutOf(first.map((r) => r.name))).join(', ')}`);
  log(`held out after all ${all.length}: ${(await heldOutOf(all.map((r) => r.name))).join(', ')}`);

  const stateDir = path.join(HOME, 'state');
  const server = await startCodeServer({
    workspace: WORKSPACE,
    stateDir,
    freshState: true,
    settings: {
      'editor.renderLineHighlight': 'none',
      'editor.occurrencesHighlight': 'off',
      'editor.selectionHighlight': false,
      'editor.fontSize': 14,
      'editor.lightbulb.enabled': 'on',
      'workbench.editor.enablePreview': false,
      // few steps: the run stays short; no training but the two asked for
      'entityLens.trainingEpochs': 4,
      'entityLens.autoTrainAfter': 0,
      'markdown.preview.fontSize': 13,
    },
    // installed, as a user has it: with the test payload's smoke-test driver VS Code shows no toasts
    installed: true,
  });
  const { browser, page } = await openBrowser({ viewport: { width: 1500, height: 1100 } });
  try {
    await page.goto(server.url, { timeout: 180000 });
    await page
      .locator('.explorer-folders-view .monaco-list-row', { hasText: first[0].name })
      .waitFor({ timeout: 120000 });
    // the side bar folded away: quick picks open over the middle of the window, the text stays in view
    await page.keyboard.press('Control+B');
    await sleep(2000);

    // 1. corrections: the first receipt plainly, the second through the light bulb and Accept All
    await correct(page, first[0]);
    const [r028, r082] = [first[1], first[2]];
    await openTagged(page, r028.name);
    const address = r028.tag.find((t) => t.label === 'ADDRESS');
    if (!address) throw new Error(`${r028.name}: the model shows its address already; pick another receipt`);
    await selectText(page, address.text);
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget').first();
    await menu.waitFor({ state: 'visible', timeout: 10000 });
    await sleep(800);
    await shot(page, o.out, 'correction-menu', `${r028.name}: the quick fixes on the selected address`);
    await menu.locator('.monaco-list-row', { hasText: 'Tag Selection As…' }).first().click();
    await pickLabel(page, 'ADDRESS');
    for (const t of r028.tag.filter((x) => x !== address)) await tagSelectionAs(page, t.text, t.label);
    await clearNotifications(page);
    await runCommandPalette(page, 'Entity Lens: Accept All Entities in Document');
    const accepted = page.locator('.notification-toast', { hasText: 'accepted' }).first();
    await accepted.waitFor({ timeout: 30000 });
    await accepted.locator('.monaco-button', { hasText: 'Mark Labels Complete…' }).first().click();
    await checkExactly(page, LABELS);
    await shot(
      page,
      o.out,
      'correction',
      `${r028.name} after Accept All: Mark Labels Complete Here… with ${LABELS.join(', ')}`,
    );
    await acceptQuickPick(page);
    log(`${r028.name}: ${r028.tag.length} tagged, Accept All, ${LABELS.join(', ')} marked complete`);

    await correct(page, r082);
    const seller = r082.record.text.split('\n')[0];
    await tagSelectionAs(page, seller, 'ADDRESS');
    const before = lastSpans(WORKSPACE, r082.name);
    await calm(page);
    await runCommandPalette(page, 'Entity Lens: Undo Last Correction');
    await page.locator('.statusbar', { hasText: 'undid' }).waitFor({ timeout: 10000 });
    await sleep(500);
    await shot(page, o.out, 'undo', `${r082.name}: "${seller}" tagged ADDRESS, then Undo Last Correction`);
    log(`${r082.name} in annotations.jsonl before the undo: ${before.join('; ')}`);
    log(`${r082.name} in annotations.jsonl after the undo:  ${lastSpans(WORKSPACE, r082.name).join('; ')}`);

    // 2. train on 3 receipts: one held out
    await train(page);
    await shot(page, o.out, 'verdict-1', 'Train Model after 3 receipts');

    // ... and on 15
    for (const r of all.slice(FIRST.length)) await correct(page, r);
    const second = await train(page);
    await shot(page, o.out, 'verdict-2', `Train Model after ${all.length} receipts`);

    // the report of that run: its tables at the top of the view
    await second.toast.locator('.monaco-button', { hasText: 'Show Model Report' }).first().click();
    const preview = page.frameLocator('iframe.webview.ready').last().frameLocator('iframe');
    const lastRun = preview.locator('h2', { hasText: 'Last training run' }).first();
    await lastRun.waitFor({ timeout: 60000 });
    // the report alone: its tables have the window's width
    await runCommandPalette(page, 'View: Close Editors in Other Groups');
    await sleep(1500);
    await lastRun.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await calm(page);
    await shot(page, o.out, 'report', 'Entity Lens: Show Model Report, the last training run');

    // 3. the Models view once the versions are scored on the same sets
    await runCommandPalette(page, 'View: Close All Editors');
    await page.setViewportSize({ width: 1500, height: 1250 }); // the table and, below, the plot with its legend
    await sleep(1000);
    await runCommandPalette(page, 'Entity Lens: Open Dashboard');
    const dashboard = page.frameLocator('iframe.webview.ready').last().frameLocator('iframe');
    await dashboard.locator('vscode-tab-header[data-view="models"]').first().click({ timeout: 60000 });
    await dashboard.locator('vscode-table.versions').first().waitFor({ timeout: 60000 });
    // the plot appears once a trained version sits beside the base; with none promoted, the table alone
    await dashboard
      .locator('text=Micro F1 by version')
      .first()
      .waitFor({ timeout: 60000 })
      .catch(() => log('no trained version beside the base: the Models view has no curve'));
    await dashboard.locator('text=Scoring the versions…').first().waitFor({ state: 'detached', timeout: 600000 });
    await sleep(2000);
    await calm(page);
    await shot(page, o.out, 'models', 'the dashboard’s Models view');
  } catch (e) {
    await page.screenshot({ path: path.join(o.out, 'learning-failure.png') }).catch(() => {});
    log(`failed; the screen then: ${path.join(o.out, 'learning-failure.png')}`);
    throw e;
  } finally {
    await browser.close().catch(() => {});
    await server.stop();
  }
  log(`done; VS Code's state and the workspace are in ${HOME}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
