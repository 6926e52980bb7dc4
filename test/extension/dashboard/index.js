// The dashboard inside a real VS Code (scripts/vscode.mjs runs it in the extension host):
//   node esbuild.mjs && node scripts/vscode.mjs test test/extension/dashboard
// Same mocha set-up as ../suite; the tiny model comes from ../suite/fixtures.
'use strict';
const { runSuite } = require('../mocha-suite');

exports.run = () => runSuite(__dirname, 'entity-lens dashboard');
