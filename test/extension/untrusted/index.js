// Entity Lens in an untrusted workspace (Restricted Mode), inside a real VS Code:
//   node esbuild.mjs && node scripts/vscode.mjs test test/extension/untrusted --untrusted
// The harness turns workspace trust on and never trusts the folder; the suite checks that first.
'use strict';
const { runSuite } = require('../mocha-suite');

exports.run = () => runSuite(__dirname, 'entity-lens untrusted');
