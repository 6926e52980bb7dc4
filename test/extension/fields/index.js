// The Document Fields view, value checks and field corrections, inside a real VS Code:
//   node esbuild.mjs && node scripts/vscode.mjs test test/extension/fields
// The embedded default model and its field chooser, no settings changed.
'use strict';
const { runSuite } = require('../mocha-suite');

exports.run = () => runSuite(__dirname, 'entity-lens fields');
