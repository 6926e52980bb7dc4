// One mocha runner for the suites that scripts/vscode.mjs runs inside the extension host: each
// suite's index.js names itself and hands its folder here. Every *.test.js of the folder runs in
// name order; ENTITY_LENS_GREP picks tests by name; a suite with no test fails.
'use strict';
const fs = require('fs');
const path = require('path');
const Mocha = require(process.env.ENTITY_LENS_MOCHA || 'mocha');

/** Runs the suite in `dir`; resolves when every test passed, and prints "<name>: N passed, M failed". */
exports.runSuite = function runSuite(dir, name) {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000, reporter: 'spec' });
  if (process.env.ENTITY_LENS_GREP) mocha.grep(process.env.ENTITY_LENS_GREP);
  for (const f of fs.readdirSync(dir).sort()) {
    if (f.endsWith('.test.js')) mocha.addFile(path.join(dir, f));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const { passes = 0, tests = 0 } = runner.stats || {};
      console.log(`${name}: ${passes} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else if (tests === 0) reject(new Error('no test ran'));
      else resolve();
    });
  });
};
