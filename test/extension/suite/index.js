// Entity Lens integration suite, run INSIDE a real VS Code extension host by scripts/vscode.mjs:
//   node esbuild.mjs && node scripts/vscode.mjs test test/extension/suite --timeout 600000
// Plain JS (nothing to compile). mocha comes from the harness's tools (ENTITY_LENS_MOCHA).
'use strict';
const { runSuite } = require('../mocha-suite');

exports.run = () => runSuite(__dirname, 'entity-lens');
