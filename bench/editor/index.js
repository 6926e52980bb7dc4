// Entity Lens editor benchmark, run INSIDE a real VS Code extension host by scripts/vscode.mjs:
//   node esbuild.mjs && node scripts/vscode.mjs test bench/editor --timeout 1800000
// or `node bench/editor/run.mjs` (builds, runs, prints the figures and a one-line summary).
// Prints FIGURES, asserts no timings. Plain JS; mocha comes from the harness (ENTITY_LENS_MOCHA).
// Env: ENTITY_LENS_BENCH_MODEL=tiny|default, ENTITY_LENS_BENCH_EPOCHS (3),
//      ENTITY_LENS_BENCH_DEBOUNCE (0), ENTITY_LENS_GREP (run only matching benches),
//      ENTITY_LENS_CUAD (path of cuad.jsonl; default ../shared/data/cuad.jsonl from the repo).
'use strict';
const fs = require('fs');
const path = require('path');
const Mocha = require(process.env.ENTITY_LENS_MOCHA || 'mocha');
const { results } = require('./helpers');
const { summaryLine } = require('./summary');

exports.run = function run() {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 600000, reporter: 'spec' });
  const only = process.env.ENTITY_LENS_GREP;
  if (only) mocha.grep(only);
  for (const f of fs.readdirSync(__dirname).sort()) {
    if (f.endsWith('.bench.js')) mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const { tests = 0 } = runner.stats || {};
      console.log(`BENCH_EDITOR_JSON ${JSON.stringify(results)}`);
      console.log(summaryLine(results));
      if (failures > 0) reject(new Error(`${failures} bench(es) failed`));
      else if (tests === 0) reject(new Error('no bench ran'));
      else resolve();
    });
  });
};
