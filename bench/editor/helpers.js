// Shared by the editor benchmark's files (run INSIDE the VS Code extension host):
// model choice, the long test contracts, the extension's timings (entityLens._timings), stats.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { performance } = require('perf_hooks');
const vscode = require('vscode');

const ROOT = path.resolve(__dirname, '..', '..');
// waiting and the workspace folder come from the integration suite's helpers
const suite = require(path.join(ROOT, 'test', 'extension', 'suite', 'helpers.js'));
const { EXTENSION_ID, sleep, workspaceFolder } = suite;
const TIMINGS_COMMAND = 'entityLens._timings';
const CUAD = process.env.ENTITY_LENS_CUAD || path.resolve(ROOT, '..', 'shared', 'data', 'cuad.jsonl');
const SAMPLES = path.join(ROOT, 'samples', 'workspace', 'contracts');
const WORDS_PER_PAGE = 500;

const now = () => performance.now();

/** Figures collected by the bench files; index.js prints them at the end. */
const results = { model: undefined, docs: {}, open: undefined, keystroke: undefined, training: undefined, notes: [] };

/** The suite's waitFor, polling every 20 ms: the bench waits on figures, not on people. */
const waitFor = (fn, options = {}) => suite.waitFor(fn, { interval: 20, ...options });

// ------------------------------------------------------------------ model and settings

/**
 * models/default when it holds model.json (the embedded default: entityLens.modelPath stays
 * empty), else the integration suite's tiny model (trained once into the temp folder).
 * ENTITY_LENS_BENCH_MODEL=tiny|default forces one.
 */
let setupDone;
function setup() {
  setupDone ??= (async () => {
    const defaultDir = path.join(ROOT, 'models', 'default');
    const want = process.env.ENTITY_LENS_BENCH_MODEL;
    const haveDefault = fs.existsSync(path.join(defaultDir, 'model.json'));
    if (want === 'default' && !haveDefault)
      throw new Error(`ENTITY_LENS_BENCH_MODEL=default but ${defaultDir} has no model.json`);
    const useDefault = want ? want === 'default' : haveDefault;
    const c = vscode.workspace.getConfiguration('entityLens');
    const G = vscode.ConfigurationTarget.Global;
    let modelPath = '';
    if (!useDefault) {
      const { trainTinyModel } = require(path.join(ROOT, 'test', 'extension', 'suite', 'fixtures', 'tiny-model.js'));
      modelPath = path.join(os.tmpdir(), `entity-lens-bench-tiny-${process.pid}`);
      if (!fs.existsSync(path.join(modelPath, 'model.json'))) await trainTinyModel(modelPath, { root: ROOT });
    }
    await c.update('modelPath', modelPath, G);
    await c.update('autoTrainAfter', 0, G); // only the training bench trains
    await c.update('debounceMs', Number(process.env.ENTITY_LENS_BENCH_DEBOUNCE ?? 0), G);
    await c.update('trainingEpochs', Number(process.env.ENTITY_LENS_BENCH_EPOCHS || 3), G);
    await c.update('tagDocuments', 'all', G); // the generated documents are tagged whatever they read like
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    if (!ext) throw new Error(`${EXTENSION_ID} is not loaded`);
    const api = await ext.activate();
    const probe = await vscode.commands.executeCommand(TIMINGS_COMMAND).then(
      (r) => r,
      () => undefined,
    );
    if (!probe) throw new Error(`${TIMINGS_COMMAND} is missing: rebuild the extension (node esbuild.mjs)`);
    results.model = { kind: useDefault ? 'default' : 'tiny' };
    return { api };
  })();
  return setupDone;
}

/** Loads (or reads) the model in use and records it; after the cold-open measurement. */
async function describeModel(api, uri) {
  if (results.model && results.model.name) return results.model;
  const info = await api.model(uri);
  if (!info) throw new Error('no model could be loaded');
  const useDefault = results.model.kind === 'default';
  Object.assign(results.model, {
    name: info.name,
    version: info.version,
    labels: info.labels,
    dir: info.dir,
    mb: dirMegabytes(info.dir),
  });
  console.log(
    `      model: ${useDefault ? 'embedded default (models/default)' : 'TINY TEST MODEL (models/default has no model.json yet)'}: ` +
      `${info.name} ${info.version}, ${info.labels.length} labels (${info.labels.join(', ')}), ${results.model.mb.toFixed(1)} MB, ${info.dir}`,
  );
  return results.model;
}

function dirMegabytes(dir) {
  let n = 0;
  for (const f of fs.readdirSync(dir)) {
    const s = fs.statSync(path.join(dir, f));
    if (s.isFile()) n += s.size;
  }
  return n / 1e6;
}

// ------------------------------------------------------------------ documents

let cuadTexts;
/** CUAD test-split contracts, read from the shared data at run time (never copied into the repo). */
function cuadContracts() {
  if (cuadTexts) return cuadTexts;
  cuadTexts = [];
  if (!fs.existsSync(CUAD)) return cuadTexts;
  for (const line of fs.readFileSync(CUAD, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const d = JSON.parse(line);
    if (d.split === 'test' && typeof d.text === 'string') cuadTexts.push({ id: d.id, text: d.text });
  }
  cuadTexts.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return cuadTexts;
}

const wordCount = (s) => (s.match(/\S+/g) || []).length;

/**
 * A contract of about `pages` pages (500 words a page): the sample contracts, then CUAD
 * test-split contracts (blank-line runs squeezed), cut at a paragraph end near the target.
 * `offset` rotates which CUAD contracts come first (different documents for different runs).
 */
function buildContract(pages, offset = 0) {
  const target = pages * WORDS_PER_PAGE;
  const samples = fs
    .readdirSync(SAMPLES)
    .sort()
    .map((f) => fs.readFileSync(path.join(SAMPLES, f), 'utf8'));
  const cuad = cuadContracts();
  const sources = [`${samples.length} sample contracts`];
  const parts = [];
  let words = 0;
  const add = (text) => {
    const t = text
      .replace(/\r\n/g, '\n')
      .replace(/[ \t]+\n/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    const w = wordCount(t);
    if (words + w <= target * 1.02) {
      parts.push(t);
      words += w;
      return;
    }
    // cut at the paragraph end closest to the target
    let acc = '';
    let accWords = 0;
    for (const para of t.split('\n\n')) {
      const pw = wordCount(para);
      if (words + accWords + pw > target && words + accWords >= target * 0.98) break;
      acc += (acc ? '\n\n' : '') + para;
      accWords += pw;
      if (words + accWords >= target) break;
    }
    if (acc) {
      parts.push(acc);
      words += accWords;
    }
  };
  for (const s of samples) add(s);
  let used = 0;
  for (let i = 0; i < cuad.length && words < target * 0.98; i++) {
    add(cuad[(i + offset) % cuad.length].text);
    used++;
  }
  if (used) sources.push(`${used} CUAD test contracts (${CUAD})`);
  for (let i = 0; words < target * 0.98; i++) add(samples[i % samples.length]); // no CUAD: repeat the samples
  if (!cuad.length) sources.push('samples repeated (no CUAD file)');
  const text = parts.join('\n\n\n') + '\n';
  return { text, words, chars: text.length, pages: words / WORDS_PER_PAGE, sources: sources.join(' + ') };
}

/** Writes `text` into the workspace (bench-docs/) and returns its uri. */
function writeDoc(name, text) {
  const file = path.join(workspaceFolder(), 'bench-docs', name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return vscode.Uri.file(file);
}

// ------------------------------------------------------------------ timings and stats

async function timings(key, clear = false) {
  return vscode.commands.executeCommand(TIMINGS_COMMAND, { key, clear });
}

async function clearTimings() {
  await vscode.commands.executeCommand(TIMINGS_COMMAND, { clear: true });
}

/** Nearest-rank percentile of numbers. */
function percentile(values, p) {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

function summary(values) {
  return {
    n: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    max: values.length ? Math.max(...values) : NaN,
  };
}

const ms = (v) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : '-');
const fmt = (s) => `p50 ${ms(s.p50)} · p95 ${ms(s.p95)} · max ${ms(s.max)} ms (n=${s.n})`;

module.exports = {
  ROOT,
  EXTENSION_ID,
  sleep,
  now,
  waitFor,
  workspaceFolder,
  setup,
  describeModel,
  results,
  buildContract,
  writeDoc,
  timings,
  clearTimings,
  percentile,
  summary,
  ms,
  fmt,
  wordCount,
};
