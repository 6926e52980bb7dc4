// Bundles the extension, the CLI, the training and OCR workers and the benchmarks into out/.
// `vscode` is provided by the editor; onnxruntime-node carries native binaries and
// tfjs-backend-wasm loads its .wasm files from its own folder, so they stay external. So do
// unpdf (pdf.js is an ES module with its worker inlined, imported at run time) and
// tesseract.js-core (the OCR worker loads its SIMD-LSTM core and .wasm from the package folder);
// tesseract.js itself and its worker script are bundled (out/ocr-worker.js).
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  // tfjs-core must stay external with the wasm backend, or the backend registers itself on a
  // second copy of tfjs-core and the bundled one never sees it
  external: [
    'vscode',
    'onnxruntime-node',
    '@tensorflow/tfjs-core',
    '@tensorflow/tfjs-backend-wasm',
    'unpdf',
    'tesseract.js-core',
    '@tesseract.js-data/eng',
    // the queue's client libraries: loaded only by `queue` and `worker`, from node_modules
    'bullmq',
    'ioredis',
  ],
  logLevel: 'warning',
};
const entries = [
  { entryPoints: { extension: 'src/extension/extension.ts' }, optional: true },
  { entryPoints: { cli: 'src/cli/main.ts' }, optional: true },
  { entryPoints: { 'train-worker': 'src/model/training/worker.ts' } },
  { entryPoints: { 'scoring-worker': 'src/model/learning/scoring-worker.ts' } },
  { entryPoints: { 'emissions-worker': 'src/model/inference/emission-threads.ts' } },
  { entryPoints: { 'ocr-worker': 'src/model/intake/ocr-worker.ts' } },
  { entryPoints: { 'intake-worker': 'src/model/intake/worker.ts' } },
  { entryPoints: { 'stream-worker': 'src/cli/stream/stream-worker.ts' }, optional: true },
  // developer programs: benchmarks and the default model's recipe
  { entryPoints: { bench: 'bench/bench.ts' } },
  { entryPoints: { 'train-speed': 'bench/train-speed.ts' }, optional: true },
  { entryPoints: { 'intake-bench': 'bench/intake.ts' } },
  { entryPoints: { 'scale-bench': 'bench/scale.ts' }, optional: true },
  { entryPoints: { 'scale-docs-bench': 'bench/scale-docs.ts' }, optional: true },
  { entryPoints: { 'bench-learning': 'bench/learning.ts' }, optional: true },
  {
    entryPoints: {
      'train-default': 'src/recipes/train-default.ts',
      'eval-default': 'src/recipes/eval-default.ts',
      'errors-default': 'src/recipes/errors-default.ts',
      'reference-set': 'src/recipes/reference-set.ts',
    },
  },
  {
    entryPoints: {
      'train-fields': 'src/recipes/train-fields.ts',
      'eval-fields': 'src/recipes/eval-fields.ts',
      'errors-fields': 'src/recipes/errors-fields.ts',
    },
  },
  // the dashboard webview (main.js + main.css): runs in the webview's browser sandbox
  // the pages editor's webview (pages.js + pages.css), with pdf.js from unpdf bundled in
  {
    entryPoints: { pages: 'webview/pages/main.ts' },
    optional: true,
    outdir: 'out/webview',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    external: [],
  },
  {
    entryPoints: { main: 'webview/main.ts' },
    optional: true,
    outdir: 'out/webview',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    external: [],
  },
];

import { existsSync } from 'node:fs';
for (const { entryPoints, optional, ...overrides } of entries) {
  if (optional && !Object.values(entryPoints).every((src) => existsSync(src))) continue;
  const options = { ...common, entryPoints, outdir: 'out', ...overrides };
  if (watch) await (await esbuild.context(options)).watch();
  else await esbuild.build(options);
}
