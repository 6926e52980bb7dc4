#!/usr/bin/env node
// screenshots.mjs (npm run screenshots): PNGs of Entity Lens in a real VS Code (code-server +
// headless Chromium, scripts/vscode.mjs screenshot) on the sample workspace, at the default
// window size (1280 x 800), into .vscode-test/screenshots/ (or --out DIR); prints their paths:
//   contract.png, hover.png, invoice.png   a tagged contract, the hover over its effective date, an invoice
//   readme-untagged.png                    this repository's README: not tagged, "Tag This Document" in the status bar
//   outline.png                            a contract with the Outline (one entry per name) and Problems
//   legend-<theme>.png                     the Entity Labels view (the legend) on a document with twenty labels
//   settings-<theme>.png                   the Settings editor filtered to entityLens
//   review-<theme>.png                     the dashboard beside the editor: the review queue with twenty labels' keys
//   labels-<theme>.png                     the dashboard's Labels tab with twenty labels
// for the themes light (Default Light Modern), dark (Default Dark Modern) and hc (Default High Contrast).
//
// They show the embedded default model (models/default). While it has no model.json yet the
// script waits for it (checks every --poll seconds, default 60, up to --wait-minutes, default
// 40) since pictures made with the tiny test model are not representative; --tiny uses the
// integration suite's tiny model at once (labelled as such in the output).
//   node scripts/screenshots.mjs [--out DIR] [--tiny] [--wait-minutes N] [--poll S] [--only NAME-PREFIX] [--themes light,dark,hc] [-v]
// The extension is loaded from its build (out/extension.js): run `npm run build` first.
import { copyFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, SAMPLE_WORKSPACE, VSCODE_TEST_DIR, buildTestFixtures, screenshot } from './vscode.mjs';

const require = createRequire(import.meta.url);
const DEFAULT_MODEL = path.join(ROOT, 'models', 'default');
const MODEL_FILES = ['model.json', 'vocab.json', 'weights.bin', 'model.onnx'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const THEMES = { light: 'Default Light Modern', dark: 'Default Dark Modern', hc: 'Default High Contrast' };

/** Twenty labels: the default model's and more (the layouts must hold them all). */
const TWENTY = [
  'PARTY',
  'DATE',
  'AMOUNT',
  'PERCENT',
  'DURATION',
  'JURISDICTION',
  'ADDRESS',
  'BANK_ACCOUNT',
  'IBAN',
  'BIC',
  'INVOICE_NO',
  'TAX_ID',
  'VAT_ID',
  'ORDER_NO',
  'CUSTOMER_NO',
  'CURRENCY',
  'PAYMENT_TERMS',
  'DELIVERY_DATE',
  'NOTICE_PERIOD',
  'GOVERNING_LAW',
];
const TWENTY_FILE = 'twenty-labels.txt';

/**
 * A document with a value for each of the twenty labels, reviewed in an earlier session: its
 * record in .entity-lens/annotations.jsonl, and
 * the labels in .entity-lens/labels.json. entityLens.include makes sure it is tagged.
 */
function prepareTwenty(ws) {
  const lines = ['SUPPLY AND SERVICES AGREEMENT, schedule of agreed values', ''];
  const spans = [];
  let text = lines.join('\n') + '\n';
  TWENTY.forEach((label, i) => {
    const name = label.toLowerCase().replace(/_/g, ' ');
    const value = `${name} value ${i + 1}`;
    const prefix = `${String(i + 1).padStart(2, ' ')}. The ${name} is `;
    spans.push({ start: text.length + prefix.length, end: text.length + prefix.length + value.length, label });
    text += `${prefix}${value}.\n`;
  });
  writeFileSync(path.join(ws, TWENTY_FILE), text);
  const dir = path.join(ws, '.entity-lens');
  mkdirSync(dir, { recursive: true });
  // the extension host sees the workspace's files as file: URIs
  const uri = pathToFileURL(path.join(ws, TWENTY_FILE)).href;
  const record = { id: 'shot:twenty', uri, start: 0, text, spans, time: new Date().toISOString(), source: 'editor' };
  writeFileSync(path.join(dir, 'annotations.jsonl'), JSON.stringify(record) + '\n');
  writeFileSync(path.join(dir, 'labels.json'), JSON.stringify({ labels: TWENTY }, null, 2) + '\n');
}

/** This repository's README in the workspace, as a user would open it. */
function prepareReadme(ws) {
  copyFileSync(path.join(ROOT, 'README.md'), path.join(ws, 'PROJECT-README.md'));
}

const expand = (pane) => ({ click: `.pane-header[aria-expanded="false"]:has-text("${pane}")`, optional: true });
const collapse = (pane) => ({ click: `.pane-header[aria-expanded="true"]:has-text("${pane}")`, optional: true });
const THEMED_SETTINGS = { 'entityLens.include': [TWENTY_FILE] };

const SHOTS = [
  { name: 'contract', file: 'contracts/services-agreement.md', what: 'a tagged sample contract' },
  {
    name: 'hover',
    file: 'contracts/services-agreement.md',
    what: 'the hover over the effective date',
    actions: [{ hover: 'January 15, 2026' }, { waitFor: '.monaco-hover:not(.hidden) .hover-contents' }, { wait: 800 }],
  },
  { name: 'invoice', file: 'invoices/invoice-FOS-2026-0117.txt', what: 'a tagged invoice' },
  {
    name: 'readme-untagged',
    file: 'PROJECT-README.md',
    prepare: prepareReadme,
    what: "this repository's README, not tagged; Tag This Document in the status bar",
    waitFor: '.statusbar-item:has-text("Tag This Document")',
  },
  {
    name: 'outline',
    file: 'contracts/lease.txt',
    what: 'the Outline (one entry per name, with counts) and the Problems panel',
    actions: [expand('Outline'), { key: 'Control+Shift+M' }, { wait: 1500 }],
  },
  {
    name: 'legend',
    themed: true,
    file: TWENTY_FILE,
    prepare: prepareTwenty,
    settings: THEMED_SETTINGS,
    what: 'the legend (Entity Labels view) for a document with twenty labels',
    // the folder tree folded away: the legend gets the Explorer's height, as a person would drag it
    actions: [collapse('workspace'), expand('Entity Labels'), { wait: 1500 }],
  },
  {
    name: 'settings',
    themed: true,
    file: TWENTY_FILE,
    prepare: prepareTwenty,
    settings: THEMED_SETTINGS,
    what: 'the Settings editor filtered to entityLens',
    actions: [{ command: 'Preferences: Open Settings (UI)' }, { wait: 1500 }, { type: 'entityLens' }, { wait: 2000 }],
  },
  {
    name: 'review',
    themed: true,
    file: TWENTY_FILE,
    prepare: prepareTwenty,
    settings: THEMED_SETTINGS,
    what: 'the dashboard beside the editor: the review queue with keys for twenty labels',
    actions: [
      { command: 'Entity Lens: Open Dashboard' },
      { webview: 'vscode-tab-header[data-view="review"]' },
      { webview: '[data-testid="passage-text"]', waitOnly: true, timeoutMs: 90000 },
      { wait: 1500 },
    ],
  },
  {
    name: 'labels',
    themed: true,
    file: TWENTY_FILE,
    prepare: prepareTwenty,
    settings: THEMED_SETTINGS,
    what: "the dashboard's Labels tab with twenty labels, beside the editor",
    actions: [
      { command: 'Entity Lens: Open Dashboard' },
      { webview: 'vscode-tab-header[data-view="labels"]' },
      { webview: 'vscode-table.labels', waitOnly: true },
      { wait: 1500 },
    ],
  },
];

function parseArgs(argv) {
  const o = {
    out: path.join(VSCODE_TEST_DIR, 'screenshots'),
    tiny: false,
    waitMinutes: 40,
    poll: 60,
    only: undefined,
    themes: Object.keys(THEMES),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--out') o.out = path.resolve(val());
    else if (a === '--tiny') o.tiny = true;
    else if (a === '--wait-minutes') o.waitMinutes = Number(val());
    else if (a === '--poll') o.poll = Number(val());
    else if (a === '--only') o.only = val();
    else if (a === '--themes') o.themes = val().split(',');
    else if (a === '-v' || a === '--verbose') process.env.VERBOSE = '1';
    else if (a === '-h' || a === '--help') o.help = true;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

/** models/default holds a complete model, written at least 10 s ago (saveModel writes model.json last). */
function defaultModelReady() {
  if (!MODEL_FILES.every((f) => existsSync(path.join(DEFAULT_MODEL, f)))) return false;
  return Date.now() - statSync(path.join(DEFAULT_MODEL, 'model.json')).mtimeMs > 10_000;
}

async function waitForDefaultModel(minutes, pollSeconds) {
  const end = Date.now() + minutes * 60_000;
  for (;;) {
    if (defaultModelReady()) return true;
    if (Date.now() >= end) return false;
    console.log(
      `[screenshots] models/default has no complete model yet (${MODEL_FILES.join(', ')}); checking again in ${pollSeconds} s`,
    );
    await sleep(pollSeconds * 1000);
  }
}

async function tinyModel() {
  const dir = path.join(VSCODE_TEST_DIR, 'screenshots-tiny-model');
  if (!existsSync(path.join(dir, 'model.json'))) {
    console.log('[screenshots] training the tiny test model…');
    buildTestFixtures();
    const { trainTinyModel } = require(path.join(ROOT, 'test', 'extension', 'suite', 'fixtures', 'tiny-model.js'));
    await trainTinyModel(dir, { root: ROOT });
  }
  return dir;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.help) {
    console.log(
      'usage: node scripts/screenshots.mjs [--out DIR] [--tiny] [--wait-minutes N] [--poll S] [--only NAME-PREFIX] [--themes light,dark,hc] [-v]',
    );
    return 0;
  }
  const settings = {};
  let modelNote = 'embedded default model (models/default)';
  if (o.tiny) {
    settings['entityLens.modelPath'] = await tinyModel();
    modelNote = 'TINY TEST MODEL (not representative)';
  } else if (!(await waitForDefaultModel(o.waitMinutes, o.poll))) {
    console.error(
      `[screenshots] models/default still has no model after ${o.waitMinutes} min: train it (npm run train:default) or pass --tiny`,
    );
    return 1;
  }
  mkdirSync(o.out, { recursive: true });
  const written = [];
  for (const shot of SHOTS) {
    if (o.only && !shot.name.startsWith(o.only)) continue;
    for (const theme of shot.themed ? o.themes : ['light']) {
      const name = shot.themed ? `${shot.name}-${theme}` : shot.name;
      const out = path.join(o.out, `${name}.png`);
      await screenshot({
        workspace: SAMPLE_WORKSPACE,
        file: shot.file,
        out,
        actions: shot.actions ?? [],
        settings: { ...settings, ...shot.settings, 'workbench.colorTheme': THEMES[theme] },
        prepare: shot.prepare,
        ...(shot.waitFor ? { waitFor: shot.waitFor } : {}),
        strict: true, // no entity decorations within the wait = an error, not a blank picture
        waitTimeoutMs: 60_000,
        settleMs: 2500,
      });
      written.push({ out, what: `${shot.what}${shot.themed ? ` (${THEMES[theme]})` : ''}`, file: shot.file });
    }
  }
  console.log(`\nscreenshots (${modelNote}):`);
  for (const w of written) console.log(`  ${path.relative(process.cwd(), w.out) || w.out}  - ${w.what} (${w.file})`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`screenshots.mjs: ${e?.stack || e}`);
    process.exit(2);
  },
);
