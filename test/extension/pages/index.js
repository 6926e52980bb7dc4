// PDFs and images inside a real VS Code (scripts/vscode.mjs runs it in the extension host):
//   node esbuild.mjs && npm run build:fixtures && node scripts/vscode.mjs test test/extension/pages
// Same mocha set-up as ../suite; the documents are made by test/fixtures/documents.ts (compiled
// to out-test/), and tagging uses the embedded default model.
'use strict';
const { runSuite } = require('../mocha-suite');

exports.run = () => runSuite(__dirname, 'entity-lens pages');
