// A new user's first hour, inside a real VS Code (scripts/vscode.mjs runs it in the extension host):
//   node esbuild.mjs && node scripts/vscode.mjs test test/extension/first-hour
// The embedded default model, no settings changed: what someone gets after `npm start`.
'use strict';
const { runSuite } = require('../mocha-suite');

exports.run = () => runSuite(__dirname, 'entity-lens first hour');
