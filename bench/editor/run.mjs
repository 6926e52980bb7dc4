#!/usr/bin/env node
// Editor benchmark runner (npm run bench:editor): builds the extension, runs bench/editor inside
// a real VS Code (scripts/vscode.mjs runTests: code-server + headless Chromium), prints the
// figures and, as its last line, a one-line summary; the figures also go to
// .vscode-test/bench-editor/<time>.json.
//   node bench/editor/run.mjs [--no-build] [--model tiny|default] [--epochs N] [--debounce MS]
//                             [--grep TEXT] [--timeout MS] [-v]
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT, VSCODE_TEST_DIR, buildTestFixtures, runTests } from '../../scripts/vscode.mjs';

const require = createRequire(import.meta.url);
const { summaryLine } = require('./summary.js');

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
if (args.includes('-h') || args.includes('--help')) {
  console.log(
    'usage: node bench/editor/run.mjs [--no-build] [--model tiny|default] [--epochs N] [--debounce MS] [--grep TEXT] [--timeout MS] [-v]',
  );
  process.exit(0);
}
if (args.includes('-v')) process.env.VERBOSE = '1';

if (!args.includes('--no-build')) {
  const b = spawnSync(process.execPath, [path.join(ROOT, 'esbuild.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (b.status !== 0) {
    console.error('bench:editor: the build failed');
    process.exit(2);
  }
  buildTestFixtures(); // the tiny model's training data
}

const env = {};
if (opt('--model')) env.ENTITY_LENS_BENCH_MODEL = opt('--model');
if (opt('--epochs')) env.ENTITY_LENS_BENCH_EPOCHS = opt('--epochs');
if (opt('--debounce')) env.ENTITY_LENS_BENCH_DEBOUNCE = opt('--debounce');
if (opt('--grep')) env.ENTITY_LENS_GREP = opt('--grep');

let results;
const code = await runTests({
  testsPath: path.join(ROOT, 'bench', 'editor'),
  env,
  summary: null, // the bench prints its figures instead
  timeoutMs: Number(opt('--timeout') || 3600000),
  onLog: (line) => {
    const m = /^BENCH_EDITOR_JSON (.*)$/.exec(line);
    if (m) {
      try {
        results = JSON.parse(m[1]);
      } catch {
        /* printed below as missing */
      }
      return;
    }
    if (/^EDITOR BENCH /.test(line)) return; // printed last, below
    console.log(line);
  },
});

if (results) {
  const dir = path.join(VSCODE_TEST_DIR, 'bench-editor');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), exitCode: code, ...results }, null, 2) + '\n');
  console.log(`figures written to ${path.relative(ROOT, file)}`);
}
if (code !== 0) console.log(`bench:editor: the run failed (exit ${code})`);
console.log(results ? summaryLine(results) : 'EDITOR BENCH: no figures (the run failed before printing them)');
process.exit(code === 0 ? 0 : 1);
