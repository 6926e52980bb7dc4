// Entity Lens integration suite, run INSIDE a real VS Code extension host by scripts/vscode.mjs:
//   node esbuild.mjs && node scripts/vscode.mjs test test/extension/suite --timeout 600000
// Plain JS (nothing to compile). mocha comes from the harness's tools (ENTITY_LENS_MOCHA).
'use strict';
const fs = require('fs');
const path = require('path');
const Mocha = require(process.env.ENTITY_LENS_MOCHA || 'mocha');

exports.run = function run() {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000, reporter: 'spec' });
  const only = process.env.ENTITY_LENS_GREP;
  if (only) mocha.grep(only);
  for (const f of fs.readdirSync(__dirname).sort()) {
    if (f.endsWith('.test.js')) mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const { passes = 0, tests = 0 } = runner.stats || {};
      console.log(`entity-lens: ${passes} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else if (tests === 0) reject(new Error('no test ran'));
      else resolve();
    });
  });
};
