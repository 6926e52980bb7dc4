// Shared by the suite's files: the extension's API, waiting, fixtures in the workspace.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const vscode = require('vscode');
const { trainTinyModel } = require('./fixtures/tiny-model');

const EXTENSION_ID = 'entity-lens.entity-lens';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(fn, { timeout = 20000, interval = 100, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(interval);
  }
}

function workspaceFolder() {
  const f = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  if (!f) throw new Error('Entity Lens tests and benchmarks need a workspace folder');
  return f.uri.fsPath;
}

/** Copies a fixture into the (copied) workspace and opens it in an editor. */
async function openFixture(name, as = name) {
  const dest = path.join(workspaceFolder(), 'el-test', as);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(path.join(__dirname, 'fixtures', name), dest);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(dest));
  const editor = await vscode.window.showTextDocument(doc);
  return { doc, editor };
}

let setupDone;
/** Trains the tiny model once, points entityLens.modelPath at it and activates the extension. */
function setup() {
  setupDone ??= (async () => {
    const dir = path.join(os.tmpdir(), `entity-lens-tiny-${process.pid}`);
    if (!fs.existsSync(path.join(dir, 'model.json'))) await trainTinyModel(dir);
    const c = vscode.workspace.getConfiguration('entityLens');
    const G = vscode.ConfigurationTarget.Global;
    await c.update('modelPath', dir, G);
    await c.update('diagnostics', 'all', G);
    await c.update('autoTrainAfter', 0, G);
    await c.update('debounceMs', 50, G);
    await c.update('trainingEpochs', 30, G);
    // these suites test the mechanics on short generated texts: tag every document (which documents
    // are tagged by default is test/extension/first-hour's subject)
    await c.update('tagDocuments', 'all', G);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    if (!ext) throw new Error(`${EXTENSION_ID} is not loaded`);
    const api = await ext.activate();
    return { api, modelDir: dir };
  })();
  return setupDone;
}

function annotationsFile() {
  return path.join(workspaceFolder(), '.entity-lens', 'annotations.jsonl');
}

function readAnnotations() {
  const file = annotationsFile();
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        return { malformed: l };
      }
    });
}

/**
 * What the annotation store returns from annotations.jsonl: the latest record per id (and per
 * document and text), without tombstones (empty text) and malformed lines.
 */
function storeRecords() {
  const live = new Map();
  const byText = new Map();
  for (const r of readAnnotations()) {
    if (r.malformed || typeof r.text !== 'string' || typeof r.id !== 'string') continue;
    live.delete(r.id);
    if (r.text === '') continue;
    const key = `${r.uri || ''}\u0000${r.text}`;
    const same = live.get(byText.get(key));
    if (same && same.text === r.text && same.uri === r.uri) live.delete(same.id);
    byText.set(key, r.id);
    live.set(r.id, r);
  }
  return [...live.values()];
}

/** Offsets of the n-th occurrence of `text` in the document. */
function find(doc, text, nth = 0) {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = doc.getText().indexOf(text, at + 1);
  if (at < 0) throw new Error(`"${text}" not in ${doc.uri.fsPath}`);
  return {
    start: at,
    end: at + text.length,
    range: new vscode.Range(doc.positionAt(at), doc.positionAt(at + text.length)),
  };
}

function entityTexts(api, doc) {
  return api.entities(doc.uri).map((e) => `${e.label}:${e.text}`);
}

module.exports = {
  EXTENSION_ID,
  sleep,
  waitFor,
  workspaceFolder,
  openFixture,
  setup,
  annotationsFile,
  readAnnotations,
  storeRecords,
  find,
  entityTexts,
};
