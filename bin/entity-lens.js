#!/usr/bin/env node
// Starts the Entity Lens CLI: the esbuild bundle (out/cli.js) when built, else the tsc output
// of the tests (out-test/src/cli/main.js).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const candidates = [
  path.join(__dirname, '..', 'out', 'cli.js'),
  path.join(__dirname, '..', 'out-test', 'src', 'cli', 'main.js'),
];
const entry = candidates.find((file) => fs.existsSync(file));
if (entry === undefined) {
  process.stderr.write('Entity Lens is not built: run `npm run build`\n');
  process.exit(2);
}
require(entry).run();
