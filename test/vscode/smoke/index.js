// Smoke suite for the VS Code harness, run INSIDE the extension host by scripts/vscode.mjs
// (extensionTestsPath = this folder). Plain JS: nothing to compile.
//   node scripts/vscode.mjs test test/vscode/smoke
// ENTITY_LENS_SMOKE_EXPECT_FAIL=1 flips one expectation so that the run must fail
// (test/vscode/run-smoke.mjs checks that it does).
'use strict';
const assert = require('assert');
const path = require('path');
const vscode = require('vscode');
// mocha lives in .vscode-test/tools (scripts/setup-vscode.sh); the harness passes its path.
const Mocha = require(process.env.ENTITY_LENS_MOCHA || 'mocha');

const EXTENSION_ID = 'entity-lens.entity-lens';
const SAMPLE = 'contracts/nda.txt';

function defineTests() {
  describe('Entity Lens smoke (inside the extension host)', function () {
    this.timeout(60000);

    it('runs inside a real VS Code', function () {
      console.log(`    vscode ${vscode.version} (${vscode.env.appName}), extension host on Node ${process.version}`);
      assert.ok(vscode.version);
    });

    it(`has the extension ${EXTENSION_ID} and activates it`, async function () {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext, `${EXTENSION_ID} is not loaded (check engines.vscode <= 1.139 and that out/ is built)`);
      await ext.activate();
      assert.strictEqual(ext.isActive, true);
    });

    it('opens a sample contract from the workspace', async function () {
      const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
      assert.ok(folder, 'a workspace folder is open');
      const uri = vscode.Uri.joinPath(folder.uri, ...SAMPLE.split('/'));
      const doc = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(doc);
      assert.strictEqual(path.posix.basename(editor.document.uri.path), 'nda.txt');
      const text = doc.getText();
      assert.match(text, /NON-DISCLOSURE AGREEMENT/);
      // the deliberately failing variant expects a party that is not in the sample
      const party = process.env.ENTITY_LENS_SMOKE_EXPECT_FAIL ? 'Nonexistent Party GmbH' : 'Brightwater Analytics';
      assert.ok(text.includes(party), `the sample mentions ${party}`);
    });
  });
}

// Entry point called by the extension host: resolves when every test passed.
exports.run = function run() {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000, reporter: 'spec' });
  mocha.suite.emit('pre-require', global, 'smoke', mocha);
  defineTests();
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const { passes = 0, tests = 0 } = runner.stats || {};
      console.log(`smoke: ${passes} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else if (tests === 0) reject(new Error('no test ran'));
      else resolve();
    });
  });
};
