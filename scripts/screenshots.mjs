#!/usr/bin/env node
// screenshots.mjs (npm run screenshots): PNGs of Entity Lens in a real VS Code (code-server +
// headless Chromium, scripts/vscode.mjs screenshot) on the sample workspace:
//   contract.png  samples/workspace/contracts/services-agreement.md, tagged
//   hover.png     the same with the hover over the effective date ("January 15, 2026")
//   invoice.png   samples/workspace/invoices/invoice-FOS-2026-0117.txt, tagged
// into .vscode-test/screenshots/ (or --out DIR); prints their paths.
//
// They show the embedded default model (models/default). While it has no model.json yet the
// script waits for it (checks every --poll seconds, default 60, up to --wait-minutes, default
// 40) since pictures made with the tiny test model are not representative; --tiny uses the
// integration suite's tiny model at once (labelled as such in the output).
//   node scripts/screenshots.mjs [--out DIR] [--tiny] [--wait-minutes N] [--poll S] [--only NAME] [-v]
// The extension is loaded from its build (out/extension.js): run `npm run build` first.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT, SAMPLE_WORKSPACE, VSCODE_TEST_DIR, screenshot } from './vscode.mjs';

const require = createRequire(import.meta.url);
const DEFAULT_MODEL = path.join(ROOT, 'models', 'default');
const MODEL_FILES = ['model.json', 'vocab.json', 'weights.bin', 'model.onnx'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const SHOTS = [
  { name: 'contract', file: 'contracts/services-agreement.md', what: 'a tagged sample contract' },
  {
    name: 'hover',
    file: 'contracts/services-agreement.md',
    what: 'the hover over the effective date',
    actions: [{ hover: 'January 15, 2026' }, { waitFor: '.monaco-hover:not(.hidden) .hover-contents' }, { wait: 800 }],
  },
  { name: 'invoice', file: 'invoices/invoice-FOS-2026-0117.txt', what: 'a tagged invoice' },
];

function parseArgs(argv) {
  const o = { out: path.join(VSCODE_TEST_DIR, 'screenshots'), tiny: false, waitMinutes: 40, poll: 60, only: undefined };
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
    const { trainTinyModel } = require(path.join(ROOT, 'test', 'extension', 'suite', 'fixtures', 'tiny-model.js'));
    await trainTinyModel(dir, { root: ROOT });
  }
  return dir;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.help) {
    console.log(
      'usage: node scripts/screenshots.mjs [--out DIR] [--tiny] [--wait-minutes N] [--poll S] [--only contract|hover|invoice] [-v]',
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
    if (o.only && shot.name !== o.only) continue;
    const out = path.join(o.out, `${shot.name}.png`);
    await screenshot({
      workspace: SAMPLE_WORKSPACE,
      file: shot.file,
      out,
      actions: shot.actions ?? [],
      settings,
      strict: true, // no entity decorations within the wait = an error, not a blank picture
      waitTimeoutMs: 60_000,
      settleMs: 2500,
    });
    written.push({ out, what: shot.what, file: shot.file });
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
