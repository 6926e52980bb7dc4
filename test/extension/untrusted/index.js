// Entity Lens in an untrusted workspace (Restricted Mode), inside a real VS Code:
//   node esbuild.mjs && node scripts/vscode.mjs test test/extension/untrusted --untrusted
// The harness turns workspace trust on and never trusts the folder; the suite checks that first.
'use strict';
const fs = require('fs');
const path = require('path');
const Mocha = require(process.env.ENTITY_LENS_MOCHA || 'mocha');

exports.run = function run() {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000, reporter: 'spec' });
  for (const f of fs.readdirSync(__dirname).sort()) {
    if (f.endsWith('.test.js')) mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const { passes = 0, tests = 0 } = runner.stats || {};
      console.log(`entity-lens untrusted: ${passes} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else if (tests === 0) reject(new Error('no test ran'));
      else resolve();
    });
  });
};
