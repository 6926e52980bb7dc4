// PDFs and images inside a real VS Code (scripts/vscode.mjs runs it in the extension host):
//   node esbuild.mjs && npm run build:fixtures && node scripts/vscode.mjs test test/extension/pages
// Same mocha set-up as ../suite; the documents are made by test/fixtures/documents.ts (compiled
// to out-test/), and tagging uses the embedded default model.
'use strict';
const fs = require('fs');
const path = require('path');
const Mocha = require(process.env.ENTITY_LENS_MOCHA || 'mocha');

exports.run = function run() {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000, reporter: 'spec' });
  if (process.env.ENTITY_LENS_GREP) mocha.grep(process.env.ENTITY_LENS_GREP);
  for (const f of fs.readdirSync(__dirname).sort()) {
    if (f.endsWith('.test.js')) mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const { passes = 0, tests = 0 } = runner.stats || {};
      console.log(`entity-lens pages: ${passes} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else if (tests === 0) reject(new Error('no test ran'));
      else resolve();
    });
  });
};
