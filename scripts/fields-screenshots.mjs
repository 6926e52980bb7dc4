#!/usr/bin/env node
// fields-screenshots.mjs (npm run screenshots:fields): issue 16's proof in a real VS Code
// (code-server + headless Chromium, scripts/vscode.mjs) with the embedded default model and its
// field chooser, the Document Fields view open in the Explorer. PNGs into
// .vscode-test/screenshots/fields/ (or --out DIR):
//   invoice.png           the sample invoice (invoices/invoice-FOS-2026-0117.txt)
//   invoice-checks.png    the same invoice with its total misread (5.798,82): the failed check on
//                         top of the view and in the Problems panel
//   receipt.png           the sample receipt (invoices/receipt-CS2604-00142.txt)
//   receipt-sroie.png     a SROIE receipt's transcription (sroie:001, copied from ../shared/data into
//                         the throw-away workspace; skipped when the data is not there)
//   contract.png          a CUAD test contract (EcoScienceSolutions endorsement agreement, copied
//                         from ../shared/data into the throw-away workspace; the sample services
//                         agreement when the data is not there)
//   nda.png               a Kleister NDA's text as intake reads its PDF (`entity-lens text`, into the
//                         throw-away workspace): parties, term and the expiration date computed
//                         from them (skipped when the data is not there)
//   node scripts/fields-screenshots.mjs [--out DIR] [--only NAME-PREFIX] [-v]
// The extension is loaded from its build (out/): run `npm run build` first.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, SAMPLE_WORKSPACE, VSCODE_TEST_DIR, screenshot } from './vscode.mjs';

const DATA = path.resolve(ROOT, '..', 'shared', 'data');
const CONTRACT_ID = 'cuad:EcoScienceSolutionsInc_20171117_8-K_EX-10.1_10956472_EX-10.1_Endorsement Agreement';

const expand = (pane) => ({ click: `.pane-header[aria-expanded="false"]:has-text("${pane}")`, optional: true });
const collapse = (pane) => ({ click: `.pane-header[aria-expanded="true"]:has-text("${pane}")`, optional: true });
/** The folder tree and the legend folded away, the Document Fields view open with the Explorer's height. */
const FIELDS_VIEW = [
  collapse('workspace'),
  collapse('Entity Labels'),
  collapse('Outline'),
  collapse('Timeline'),
  expand('Document Fields'),
  { waitFor: '.pane-header:has-text("Document Fields") ~ .pane-body .monaco-list-row', timeoutMs: 60000 },
  { wait: 2500 },
];

const SROIE_ID = 'sroie:001';
/** "Information Spectrum, Inc." and SmartMetric: the agreement "shall expire two (2) years after the effective date". */
const NDA_PDF = path.join(DATA, 'kleister-nda-test-pdf', '3d8896809d808aaf152cf2f982851908.pdf');

/** The text of one record of a ../shared/data JSONL file, found by its id (undefined without the data). */
function dataText(file, id) {
  const full = path.join(DATA, file);
  if (!existsSync(full)) return undefined;
  for (const line of readFileSync(full, 'utf8').split('\n')) {
    if (!line.includes(JSON.stringify(id))) continue;
    const r = JSON.parse(line);
    if (r.id === id) return r.text;
  }
  return undefined;
}

const SHOTS = [
  { name: 'invoice', file: 'invoices/invoice-FOS-2026-0117.txt', what: 'the sample invoice', actions: FIELDS_VIEW },
  {
    name: 'invoice-checks',
    file: 'invoices/invoice-misread.txt',
    prepare: (ws) =>
      writeFileSync(
        path.join(ws, 'invoices', 'invoice-misread.txt'),
        readFileSync(path.join(ws, 'invoices', 'invoice-FOS-2026-0117.txt'), 'utf8').replace(
          'EUR 5.798,28',
          'EUR 5.798,82',
        ),
      ),
    what: 'the sample invoice with its total misread: the check in the view and in Problems',
    actions: [...FIELDS_VIEW, { key: 'Control+Shift+M' }, { wait: 2000 }],
  },
  { name: 'receipt', file: 'invoices/receipt-CS2604-00142.txt', what: 'the sample receipt', actions: FIELDS_VIEW },
  {
    name: 'receipt-sroie',
    file: 'invoices/sroie-receipt.txt',
    needs: () => dataText('sroie-dev.jsonl', SROIE_ID) !== undefined,
    prepare: (ws) =>
      writeFileSync(path.join(ws, 'invoices', 'sroie-receipt.txt'), dataText('sroie-dev.jsonl', SROIE_ID)),
    what: `SROIE receipt ${SROIE_ID}`,
    actions: FIELDS_VIEW,
  },
  {
    name: 'contract',
    file: 'contracts/cuad-contract.txt',
    prepare: (ws) => {
      const text =
        dataText('cuad.jsonl', CONTRACT_ID) ??
        readFileSync(path.join(ws, 'contracts', 'services-agreement.md'), 'utf8');
      writeFileSync(path.join(ws, 'contracts', 'cuad-contract.txt'), text);
    },
    what: existsSync(path.join(DATA, 'cuad.jsonl'))
      ? `CUAD test contract ${CONTRACT_ID}`
      : 'the sample services agreement',
    actions: FIELDS_VIEW,
  },
  {
    name: 'nda',
    file: 'contracts/nda.txt',
    needs: () => existsSync(NDA_PDF),
    prepare: (ws) =>
      writeFileSync(
        path.join(ws, 'contracts', 'nda.txt'),
        execFileSync(process.execPath, [path.join(ROOT, 'bin', 'entity-lens.js'), 'text', NDA_PDF], {
          encoding: 'utf8',
        }),
      ),
    what: `the text of the Kleister NDA ${path.basename(NDA_PDF)}`,
    actions: FIELDS_VIEW,
  },
];

function parseArgs(argv) {
  const o = { out: path.join(VSCODE_TEST_DIR, 'screenshots', 'fields') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') o.out = path.resolve(argv[++i]);
    else if (a === '--only') o.only = argv[++i];
    else if (a === '-v') process.env.VERBOSE = '1';
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  mkdirSync(o.out, { recursive: true });
  for (const shot of SHOTS) {
    if (o.only && !shot.name.startsWith(o.only)) continue;
    if (shot.needs && !shot.needs()) {
      console.log(`${shot.name}: skipped (${shot.what} is not in ../shared/data)`);
      continue;
    }
    const out = path.join(o.out, `${shot.name}.png`);
    await screenshot({
      workspace: SAMPLE_WORKSPACE,
      file: shot.file,
      out,
      actions: shot.actions,
      prepare: shot.prepare,
      strict: true,
      waitTimeoutMs: 90_000,
      settleMs: 2500,
    });
    console.log(`${out}: ${shot.what}`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[fields-screenshots] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
